import { DataSource, DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';
import type { AppConfig } from '../config/app.config';
import type { EntityClass } from './entity-registry';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export type DatabaseKind = 'sqlite' | 'postgres';

/** Queries slower than this (ms) are logged with their SQL (TypeORM's own and Database.query's fast reads). */
export const SLOW_QUERY_MS = Number(process.env.SLOW_QUERY_MS ?? 500);

/**
 * The one place that turns configuration into TypeORM options. SQLite (better-sqlite3) by default,
 * PostgreSQL when DATABASE_URL is set. `synchronize` is never on: migrations only.
 */
export function dataSourceOptions(
  config: Pick<AppConfig, 'databaseUrl' | 'sqlitePath'>,
  entities: EntityClass[],
  schema?: string,
): DataSourceOptions {
  const common = {
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    invalidWhereValuesBehavior: { null: 'throw' as const, undefined: 'throw' as const },
    logging: ['error', 'warn'] as ('error' | 'warn')[],
    // Queries slower than this are logged with their SQL, so slow reports and pages get noticed.
    maxQueryExecutionTime: SLOW_QUERY_MS,
  };
  if (config.databaseUrl) {
    return {
      ...common,
      type: 'postgres',
      url: config.databaseUrl,
      schema,
      // Unqualified names in our few raw queries resolve to the same schema as TypeORM's.
      extra: schema ? { options: `-c search_path=${schema}`, max: 10 } : { max: 10 },
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.sqlitePath,
    timeout: 5000,
    prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
      if (config.sqlitePath !== ':memory:') db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  };
}

export function databaseKind(dataSource: DataSource): DatabaseKind {
  return dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/** Advisory-lock keys (arbitrary constants): "Cascada migrations", "Cascada start-up data". */
export const MIGRATIONS_LOCK = 724_311_001;
export const STARTUP_DATA_LOCK = 724_311_002;

/**
 * Runs `work` while holding a PostgreSQL advisory lock, so instances starting at the same time take
 * turns; on SQLite (one process) it just runs.
 */
export async function withDatabaseLock<T>(
  dataSource: DataSource,
  key: number,
  work: () => Promise<T>,
): Promise<T> {
  if (databaseKind(dataSource) !== 'postgres') return work();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    return await work();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    await runner.release();
  }
}

/** Runs pending migrations once, under a database lock, whichever instance starts first. */
export async function runMigrationsLocked(dataSource: DataSource): Promise<void> {
  await withDatabaseLock(dataSource, MIGRATIONS_LOCK, () =>
    dataSource.runMigrations({ transaction: 'each' }),
  );
}
