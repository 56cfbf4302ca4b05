import Sqlite from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import request from 'supertest';
import { backup } from '../../src/cli/backup';
import { User } from '../../src/users/user.entity';
import { createTestApp, TestApp, TEST_PASSWORD } from '../support/create-test-app';
import { apiToken, csrfFrom, pageAgent } from '../support/login';

const onSqlite = process.env.DATABASE_URL ? it.skip : it;

describe('database, headers and operations', () => {
  let t: TestApp;
  let admin: User;
  let adminToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin');
    adminToken = await apiToken(t, admin.email);
  }, 30_000); // the app's start-up (migrations, content import) plus this file's fixtures
  afterAll(() => t?.close());

  describe('database', () => {
    it('keeps all of 50 concurrent API writes, with refused ones rolling back among them', async () => {
      const taken = await t.createUser('trainer');
      const before = await t.db.manager.count(User);
      // Every other request is refused inside its transaction (email taken) and rolls back while the others run.
      const results = await Promise.all(
        Array.from({ length: 75 }, (_, i) => {
          const email = i % 3 === 2 ? taken.email : `concurrent.${i}@example.org`;
          return request(t.http)
            .post('/api/v1/users')
            .set('Authorization', `Bearer ${adminToken}`)
            .send({ email, name: `Concurrent ${i}`, role: 'trainer' });
        }),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(50);
      expect(statuses.filter((s) => s === 409)).toHaveLength(25);
      expect(await t.db.manager.count(User)).toBe(before + 50);
      const emails = (await t.db.manager.find(User, { select: { email: true } })).map((u) => u.email);
      for (let i = 0; i < 75; i++) if (i % 3 !== 2) expect(emails).toContain(`concurrent.${i}@example.org`);
    }, 20_000);

    it('keeps every committed transaction when 30 run at once with real waits inside and some fail', async () => {
      const before = await t.db.manager.count(User);
      // t.createUser hashes the password (a real asynchronous wait) inside its transaction, so these
      // transactions overlap in time; every third one fails on the unique email and rolls back.
      const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined); // TypeORM logs each refused insert
      const outcomes = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          t.createUser('trainer', {
            email: i % 3 === 2 ? 'same.email@example.org' : `overlap.${i}@example.org`,
          }),
        ),
      ).finally(() => quiet.mockRestore());
      expect(
        outcomes
          .filter((o) => o.status === 'rejected')
          .map((o) => String((o as PromiseRejectedResult).reason)),
      ).toEqual(Array.from({ length: 9 }, () => expect.stringMatching(/unique|duplicate/i)));
      const created = outcomes.filter((o) => o.status === 'fulfilled').length;
      expect(created).toBe(21); // 20 distinct emails + the first of the 10 identical ones
      expect(await t.db.manager.count(User)).toBe(before + 21);
    }, 20_000);

    it('has an entity for every table the migrations create, each registered by its own module', async () => {
      const tables: Array<{ name: string }> = await t.db.manager.query(
        t.db.kind === 'postgres'
          ? 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()'
          : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
      );
      const mapped = new Set(t.db.dataSource.entityMetadatas.map((m) => m.tableName));
      // Tables written only with SQL (the rollups, TypeORM's own list of migrations) have no entity.
      const sqlOnly = [
        'cascade_month_reach',
        'cascade_reach_rollups',
        'cascade_trainer_rollups',
        'migrations',
      ];
      expect(
        tables
          .map((r) => r.name)
          .filter((name) => !mapped.has(name))
          .sort(),
      ).toEqual(sqlOnly);
      expect(mapped.size).toBe(tables.length - sqlOnly.length);
    });

    it('throws on an undefined value in a where condition instead of returning the first row', async () => {
      const users = t.db.manager.getRepository(User);
      expect(await users.count()).toBeGreaterThan(0);
      await expect(users.findOne({ where: { id: undefined } })).rejects.toThrow(/undefined/i);
      await expect(users.findOneBy({ email: undefined })).rejects.toThrow(/undefined/i);
    });

    it('answers /healthz with 200', async () => {
      const res = await request(t.http).get('/healthz').expect(200);
      expect(res.body).toEqual({ status: 'ok', database: process.env.DATABASE_URL ? 'postgres' : 'sqlite' });
    });

    onSqlite('runs SQLite in WAL mode with foreign keys on', async () => {
      const [journal] = await t.db.manager.query('PRAGMA journal_mode');
      const [keys] = await t.db.manager.query('PRAGMA foreign_keys');
      expect(journal).toEqual({ journal_mode: 'wal' });
      expect(keys).toEqual({ foreign_keys: 1 });
    });

    onSqlite('makes a backup with `npm run db:backup` that opens and holds every user', async () => {
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      let file: string | undefined;
      try {
        file = backup({
          DATA_DIR: t.dataDir,
          SQLITE_PATH: t.config.sqlitePath,
          NODE_ENV: 'test',
          JWT_SECRET: t.config.jwtSecret,
        });
      } finally {
        log.mockRestore();
      }
      expect(file).toBeDefined();
      expect(existsSync(file as string)).toBe(true);
      expect(dirname(file as string)).toBe(`${t.dataDir}/backups`);
      const copy = new Sqlite(file as string, { readonly: true, fileMustExist: true });
      try {
        const { n } = copy.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number };
        expect(n).toBe(await t.db.manager.count(User));
        expect(n).toBeGreaterThan(1);
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        copy.close();
      }
    });
  });

  describe('security headers and cookies', () => {
    it('sends a CSP of own assets only (no upgrade-insecure-requests on http), nosniff, a referrer policy and frame protection', async () => {
      const res = await request(t.http).get('/login').expect(200);
      const csp = String(res.headers['content-security-policy']);
      const directives = new Map(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([name, ...values]) => [name, values.join(' ')]),
      );
      expect(directives.get('default-src')).toBe("'self'");
      expect(directives.get('script-src')).toBe("'self'");
      expect(directives.get('frame-ancestors')).toBe("'none'");
      expect(directives.has('upgrade-insecure-requests')).toBe(false);
      expect(csp).not.toMatch(/unsafe-inline|https?:\/\//);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it('sets the session cookie HttpOnly and SameSite=Lax (not Secure on an http APP_URL)', async () => {
      const agent = request.agent(t.http);
      const page = await agent.get('/login');
      const res = await agent
        .post('/login')
        .type('form')
        .send({ email: admin.email, password: TEST_PASSWORD, _csrf: csrfFrom(page.text) })
        .expect(303);
      const cookie = ([] as string[])
        .concat(res.headers['set-cookie'] ?? [])
        .find((c) => c.startsWith('cascada_session='));
      expect(cookie).toBeDefined();
      const attributes = (cookie as string).split(';').map((a) => a.trim().toLowerCase());
      expect(attributes).toContain('httponly');
      expect(attributes).toContain('samesite=lax');
      expect(attributes).toContain('path=/');
      expect(attributes).not.toContain('secure');
    });
  });

  describe('markup in names is data', () => {
    it('stores <b>Ana</b> as typed and shows it escaped on /admin/users', async () => {
      const created = await request(t.http)
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ email: 'markup@example.org', name: '<b>Ana</b>', role: 'trainer' })
        .expect(201);
      expect(created.body.name).toBe('<b>Ana</b>');
      expect((await t.db.manager.findOneByOrFail(User, { email: 'markup@example.org' })).name).toBe(
        '<b>Ana</b>',
      );

      const agent = await pageAgent(t, admin.email);
      const list = await agent.get('/admin/users?q=markup').expect(200);
      expect(list.text).toContain('&lt;b&gt;Ana&lt;/b&gt;');
      expect(list.text).not.toContain('<b>Ana</b>');
      const detail = await agent.get(`/admin/users/${created.body.id}`).expect(200);
      expect(detail.text).toContain('&lt;b&gt;Ana&lt;/b&gt;');
      expect(detail.text).not.toContain('<b>Ana</b>');
    });
  });
});
