/**
 * DESIGN.md "Growing past one machine": two identical app instances on one PostgreSQL schema.
 *
 * The two instances are two Nest applications in this process, each with its own DataSource and
 * connection pool, listening on their own port, so the database sees two independent clients as it
 * would with two processes. In-process (rather than two child processes) because the test must
 * drive each instance's own clock (the expiry job's day, the rate-limit window) and call its mail
 * sender and expiry job directly and at the same moment, with no timers and no sleeps. The one thing
 * the two share that processes would not: the `hostname:pid` holder name; neither the outbox claim
 * nor the job lease decides anything by it.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrations } from '../../migrations';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { CertificationExpiryJob } from '../../src/certification/expiry.job';
import {
  call,
  scratchSchema,
  seedProgram,
  SERVER_ADMIN,
  sessionBody,
  type ApiResponse,
  type Program,
} from '../../src/cli/load-test';
import { FakeClock } from '../../src/common/clock';
import { createLogger, PinoNestLogger } from '../../src/common/logging';
import { loadConfig } from '../../src/config/app.config';
import { MailTransport } from '../../src/mail/mail-transport';
import { OutboxService } from '../../src/mail/outbox.service';
import { openDatabase, type Sql } from '../support/server-process';
import { startSmtp, type TestSmtp } from '../support/smtp';

const PG = process.env.DATABASE_URL;
const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const DAY = 86_400_000;

interface Instance {
  app: NestExpressApplication;
  base: string;
  clock: FakeClock;
  outbox: OutboxService;
  expiry: CertificationExpiryJob;
  dataDir: string;
}

/** One instance of the app on `schema`, as main.ts builds it, with its own clock. */
async function startInstance(schema: string, smtp: TestSmtp, now: Date): Promise<Instance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cascada-two-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: PG,
    JWT_SECRET: 'two-instances-secret-0123456789-0123456789-abc',
    SEED_DEMO: 'false',
    APP_URL: 'http://cascada.test',
    CONTENT_DIR: CONTENT,
    // Both instances are configured alike, so both try to create the first admin on the empty database.
    ADMIN_EMAIL: SERVER_ADMIN.email,
    ADMIN_PASSWORD: SERVER_ADMIN.password,
  });
  const clock = new FakeClock(now);
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register({ config, schema, clock })],
  })
    .setLogger(new PinoNestLogger(createLogger(process.env.TEST_LOG_LEVEL ?? 'silent')))
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
  try {
    await configureApp(app, config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close().catch(() => undefined); // an instance that failed to start leaves no connection open
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  app.get(MailTransport).useTransport(smtp.transport());
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    clock,
    outbox: app.get(OutboxService),
    expiry: app.get(CertificationExpiryJob),
    dataDir,
  };
}

const describeOnPg = PG ? describe : describe.skip;
const title = PG
  ? 'resilience: two app instances on one PostgreSQL'
  : 'resilience: two app instances on one PostgreSQL (skipped: needs DATABASE_URL=postgres://…, as in CI’s second e2e run)';

describeOnPg(title, () => {
  let smtp: TestSmtp;
  let scratch: Awaited<ReturnType<typeof scratchSchema>>;
  let a: Instance;
  let b: Instance;
  let sql: Sql;
  let program: Program;
  const started = Date.now();

  const both = () => [a, b];
  const setClocks = (at: Date) => both().forEach((i) => i.clock.set(at));
  /** Runs the mail sender of both instances at the same moment until nothing is due. */
  const deliverOnBoth = async () => {
    for (let round = 0; round < 20; round++) {
      const [x, y] = await Promise.all(both().map((i) => i.outbox.deliverDue()));
      expect(x.failed + y.failed).toBe(0);
      const [due] = await sql.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM outbox_messages WHERE status <> 'sent'",
      );
      if (due.n === 0) return;
    }
    throw new Error('the outbox did not drain in 20 rounds');
  };

  // TypeORM logs every refused insert (the losing claim of a key, of a lease): expected here.
  let quiet: jest.SpyInstance;

  beforeAll(async () => {
    quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    smtp = await startSmtp();
    scratch = await scratchSchema(PG as string, 'two');
    const now = new Date();
    // Started at the same time, on an empty schema: migrations, content import and the first admin race.
    const results = await Promise.allSettled([
      startInstance(scratch.schema, smtp, now),
      startInstance(scratch.schema, smtp, now),
    ]);
    for (const r of results)
      if (r.status === 'fulfilled') {
        if (a) b = r.value;
        else a = r.value;
      }
    const failures = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => String(r.reason?.stack ?? r.reason));
    if (failures.length)
      throw new Error(`an instance failed to start on the empty schema:\n${failures.join('\n')}`);
    sql = await openDatabase('', scratch.url);
    program = await seedProgram(a.base, {
      courseSlug: 'tiny-course',
      contentDir: CONTENT,
      schools: 4,
      coordinators: 2,
      trainers: 2,
      certified: 1,
      endedDaysAgo: 120,
    });
  }, 90_000);

  afterAll(async () => {
    await sql?.close();
    for (const instance of [a, b]) {
      if (!instance) continue;
      await instance.app.close();
      rmSync(instance.dataDir, { recursive: true, force: true });
    }
    await scratch?.drop();
    await smtp?.close();
    quiet?.mockRestore();
  });

  it('starts both at once on an empty schema, runs each migration once, imports the course once and creates one admin', async () => {
    const ran = await sql.query<{ name: string; n: number }>(
      'SELECT name, COUNT(*) AS n FROM migrations GROUP BY name ORDER BY name',
    );
    expect(ran).toEqual(
      migrations.map((m) => ({ name: m.name, n: 1 })).sort((x, y) => x.name.localeCompare(y.name)),
    );
    expect(
      await sql.query(
        "SELECT COUNT(*) AS n FROM course_versions v JOIN courses c ON c.id = v.course_id WHERE c.slug = 'tiny-course'",
      ),
    ).toEqual([{ n: 1 }]);
    expect(await sql.query('SELECT COUNT(*) AS n FROM users WHERE email = ?', [SERVER_ADMIN.email])).toEqual([
      { n: 1 },
    ]);
    expect(Date.now() - started).toBeLessThan(90_000);
  });

  it('logs a burst of sessions through both, some with the same key on both at once: one row per key, the same answer', async () => {
    const trainer = program.trainers[0].id;
    const jobs = Array.from({ length: 40 }, (_, n) => {
      const key = `two-${n}-${program.cohortId.slice(0, 8)}`;
      return {
        key,
        token: program.coordinators[n % 2].token,
        body: sessionBody(program, [trainer], n, key) as Record<string, unknown>,
      };
    });
    const send = (instance: Instance, job: (typeof jobs)[number]) =>
      call(instance.base, 'POST', '/cascade-sessions', {
        token: job.token,
        body: job.body,
        headers: { 'Idempotency-Key': job.key },
        timeoutMs: 15_000,
      });
    // Every 4th request is sent to both instances at once (a client retrying through the load balancer).
    const answers = await Promise.all(
      jobs.map((job, n) =>
        Promise.all(n % 4 === 0 ? [send(a, job), send(b, job)] : [send(n % 2 ? a : b, job)]),
      ),
    );
    expect(answers.flat().map((r) => r.status)).toEqual(answers.flat().map(() => 201));
    for (const pair of answers.filter((p) => p.length === 2)) expect(pair[1].body).toEqual(pair[0].body);

    const rows = await sql.query<{ notes: string; n: number }>(
      'SELECT notes, COUNT(*) AS n FROM cascade_sessions GROUP BY notes ORDER BY notes',
    );
    expect(rows).toEqual(
      jobs
        .map((j) => ({ notes: j.body.notes, n: 1 }))
        .sort((x, y) => (x.notes as string).localeCompare(y.notes as string)),
    );
    expect(
      await sql.query('SELECT COUNT(*) AS n FROM idempotency_keys WHERE response_status IS NULL'),
    ).toEqual([{ n: 0 }]);
  }, 60_000);

  it('refuses the same session sent with two different keys through both at once: one row, one 409', async () => {
    const trainer = program.trainers[0].id;
    const outcomes: ApiResponse[][] = [];
    for (let n = 100; n < 105; n++) {
      const body = sessionBody(program, [trainer], n, `twin-${n}`) as Record<string, unknown>;
      const token = program.coordinators[0].token;
      outcomes.push(
        await Promise.all(
          [a, b].map((instance, i) => {
            const headers = { 'Idempotency-Key': `twin-${n}-${i}-${program.cohortId.slice(0, 8)}` };
            return call(instance.base, 'POST', '/cascade-sessions', { token, body, headers });
          }),
        ),
      );
    }
    for (const pair of outcomes) expect(pair.map((r) => r.status).sort()).toEqual([201, 409]);
    const [twins] = await sql.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM cascade_sessions WHERE notes LIKE 'load twin-%'",
    );
    expect(twins.n).toBe(5);
  }, 60_000);

  it('delivers every queued mail exactly once when both instances send at the same time', async () => {
    // Invitations queued through both instances, alternately, beside the session mails already queued.
    const invited = Array.from(
      { length: 6 },
      (_, i) => `invited.${i}.${program.cohortId.slice(0, 6)}@example.org`,
    );
    const created = await Promise.all(
      invited.map((email, i) =>
        call((i % 2 ? a : b).base, 'POST', '/users', {
          token: program.adminToken,
          body: { email, name: `Invited ${i}`, role: 'trainer' },
        }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(invited.map(() => 201));

    await deliverOnBoth();
    const sent = (await sql.query<{ id: string }>("SELECT id FROM outbox_messages WHERE status = 'sent'"))
      .map((r) => `<${r.id}@cascada.local>`)
      .sort();
    const received = smtp.inbox.map((m) => m.messageId ?? '').sort();
    expect(received).toEqual(sent);
    expect(new Set(received).size).toBe(received.length);
    for (const email of invited) expect([email, smtp.to(email).length]).toEqual([email, 1]);
    expect(sent.length).toBeGreaterThanOrEqual(40 + 6);
  }, 60_000);

  it('runs the daily certification expiry job once when both instances trigger it for the same day', async () => {
    const holder = program.trainers[0];
    const cert = await call(a.base, 'GET', `/certifications/${program.codes.get(holder.id)}`, {
      token: program.adminToken,
    });
    // 30 days before expiry: the 60-day reminder is due.
    const day = new Date(Date.parse(`${cert.body.expiresOn}T06:00:00Z`) - 30 * DAY);
    const realNow = a.clock.now();
    setClocks(day);
    try {
      const runs = await Promise.all(both().map((i) => i.expiry.runIfDue()));
      expect(runs.map((r) => r.ran).sort()).toEqual([false, true]);
      expect(runs.find((r) => r.ran)?.reminded).toBe(1);
      expect(await sql.query('SELECT name, period FROM job_leases')).toEqual([
        { name: 'certification-expiry', period: day.toISOString().slice(0, 10) },
      ]);
      // Later the same day, on either instance: nothing more.
      expect((await Promise.all(both().map((i) => i.expiry.runIfDue()))).map((r) => r.ran)).toEqual([
        false,
        false,
      ]);
      // The holder and the manager who issued it are reminded once each.
      const reminders = await sql.query<{ to_address: string }>(
        "SELECT to_address FROM outbox_messages WHERE template = 'certification-expiring' ORDER BY to_address",
      );
      expect(reminders.map((r) => r.to_address)).toEqual([holder.email, SERVER_ADMIN.email].sort());
      await deliverOnBoth();
      const ids = (
        await sql.query<{ id: string }>(
          "SELECT id FROM outbox_messages WHERE template = 'certification-expiring'",
        )
      ).map((r) => `<${r.id}@cascada.local>`);
      for (const id of ids)
        expect([id, smtp.inbox.filter((m) => m.messageId === id).length]).toEqual([id, 1]);
    } finally {
      setClocks(realNow);
    }
  }, 60_000);

  it('counts login failures made through both instances against one limit per email', async () => {
    const email = `ghost.${program.cohortId.slice(0, 8)}@example.org`;
    const login = (instance: Instance, password: string) =>
      call(instance.base, 'POST', '/auth/login', { body: { email, password } });
    for (let i = 0; i < 10; i++) expect((await login(i % 2 ? a : b, `guess ${i}`)).status).toBe(401);
    expect((await login(a, 'guess 10')).status).toBe(429);
    expect((await login(b, 'guess 11')).status).toBe(429);
    // The window is shared too: 15 minutes later, on both clocks, it is open again.
    const realNow = a.clock.now();
    setClocks(new Date(realNow.getTime() + 15 * 60_000));
    try {
      expect((await login(b, 'guess 12')).status).toBe(401);
    } finally {
      setClocks(realNow);
    }
  }, 60_000);

  it('lets no more than the limit of wrong passwords through when they arrive at both instances at once', async () => {
    const email = `burst.${program.cohortId.slice(0, 8)}@example.org`;
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        call((i % 2 ? a : b).base, 'POST', '/auth/login', { body: { email, password: `guess ${i}` } }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    // At most 10 guesses are checked against the password; the rest are refused unchecked.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
  }, 60_000);
});
