import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { FakeClock } from '../../src/common/clock';
import { createLogger, PinoNestLogger } from '../../src/common/logging';
import { type AppConfig, loadConfig } from '../../src/config/app.config';
import { Database } from '../../src/database/database.service';
import { OutboxService } from '../../src/mail/outbox.service';
import { UsersService } from '../../src/users/users.service';
import type { Role } from '../../src/common/kernel/user-role.enum';
import type { User } from '../../src/users/user.entity';

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<NestExpressApplication['getHttpServer']>;
  db: Database;
  clock: FakeClock;
  config: AppConfig;
  outbox: OutboxService;
  dataDir: string;
  createUser(role: Role, overrides?: Partial<User> & { password?: string }): Promise<User>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'correct horse battery';
let counter = 0;

/**
 * The real app (same configureApp as main.ts) on a fresh, fully migrated database: a new SQLite
 * file per call, or a new PostgreSQL schema when DATABASE_URL is set (CI runs both).
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cascada-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    SEED_DEMO: 'false',
    APP_URL: 'http://cascada.test',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...env,
  });
  let schema: string | undefined;
  if (config.databaseUrl) {
    schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    const client = new Client({ connectionString: config.databaseUrl });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
  }
  const clock = new FakeClock(new Date('2026-03-02T10:00:00.000Z'));
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register({ config, schema, clock })],
  })
    .setLogger(new PinoNestLogger(logger))
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
  await configureApp(app, config, logger);
  await app.init();
  const db = app.get(Database);
  const users = app.get(UsersService);
  return {
    app,
    http: app.getHttpServer(),
    db,
    clock,
    config,
    dataDir,
    outbox: app.get(OutboxService),
    async createUser(role, overrides = {}) {
      const { password, ...data } = overrides;
      const n = ++counter;
      return db.transaction((tx) =>
        users.createSystemUser(
          tx,
          { email: `${role}${n}@example.org`, name: `${role} ${n}`, role, ...data },
          password ?? TEST_PASSWORD,
        ),
      );
    },
    async close() {
      await app.close();
      if (schema && config.databaseUrl) {
        const client = new Client({ connectionString: config.databaseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA "${schema}" CASCADE`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
