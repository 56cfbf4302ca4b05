import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource, EntityManager, type EntityMetadata } from 'typeorm';
import { databaseKind, DatabaseKind, SLOW_QUERY_MS } from './data-source';
import { toDialect } from './dialect';

export { toDialect } from './dialect';

/** A statement that only reads (the fast path of `Database.query`). */
const READ = /^\s*(SELECT|WITH)\b/i;

interface SqliteStatement {
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}
interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Write transactions. On SQLite TypeORM drives one shared connection, so two request transactions
 * running at once would interleave on it and roll each other back: they are serialised here.
 * On PostgreSQL each transaction gets its own pooled connection and runs concurrently.
 */
@Injectable()
export class Database {
  readonly kind: DatabaseKind;
  private tail: Promise<unknown> = Promise.resolve();

  private readonly logger = new Logger('Database');
  /** By SQL text, what `read` prepared: the SQLite statement, or the PostgreSQL statement's name. */
  private readonly prepared = new Map<string, SqliteStatement | string>();
  /** Per entity class: `SELECT <every column> FROM <table> t` and its metadata (built once). */
  private readonly selects = new Map<unknown, { head: string; metadata: EntityMetadata }>();

  constructor(readonly dataSource: DataSource) {
    this.kind = databaseKind(dataSource);
  }

  /**
   * The rows of `entity`'s table matching `rest` (`WHERE …`, `ORDER BY …`, written with `?` and the
   * table aliased `t`), as entity objects, hydrated through TypeORM's own column conversions
   * (transformers, SQLite booleans). The read path of hot pages: the query builder behind `find`
   * cost more CPU than the query itself (docs/performance.md, roster page profile).
   */
  async select<T>(
    entity: new () => T,
    rest: string,
    params: unknown[],
    tx: EntityManager = this.manager,
  ): Promise<T[]> {
    let prepared = this.selects.get(entity);
    if (!prepared) {
      const metadata = this.dataSource.getMetadata(entity);
      const columns = metadata.columns.map((c) => `t.${c.databaseName}`).join(', ');
      prepared = { head: `SELECT ${columns} FROM ${metadata.tablePath} t`, metadata };
      this.selects.set(entity, prepared);
    }
    const { head, metadata } = prepared;
    const rows = await this.query(`${head} ${rest}`, params, tx);
    const driver = this.dataSource.driver;
    return rows.map((row) => {
      // No constructor call: entity field initialisers (defaults for new rows) must not run on a read.
      const out = Object.create(entity.prototype) as Record<string, unknown>;
      for (const column of metadata.columns)
        out[column.propertyName] = driver.prepareHydratedValue(row[column.databaseName], column);
      return out as T;
    });
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Resolves when the database answers a trivial query; rejects otherwise (the health check). */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  /** Runs `work` in one transaction; every write of a use case goes through here. */
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind === 'postgres') return this.dataSource.transaction(work);
    const run = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Takes the lease of `job` for `period` (a scheduled job runs once per period whichever instance
   * gets there first): true when this instance took it, false when the period's lease was already
   * taken. One atomic upsert on the `job_leases` row, in its own transaction.
   */
  takeLease(job: string, period: string, takenAt: Date): Promise<boolean> {
    const holder = `${hostname()}:${process.pid}`;
    return this.transaction(async (tx) => {
      const result = await tx.query(
        toDialect(
          this.kind,
          `INSERT INTO job_leases (name, period, holder, taken_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (name) DO UPDATE SET period = excluded.period, holder = excluded.holder, taken_at = excluded.taken_at
          WHERE job_leases.period <> excluded.period RETURNING name`,
        ),
        [job, period, holder, takenAt.toISOString()],
      );
      const rows = (Array.isArray(result[0]) ? result[0] : result) as unknown[];
      return rows.length > 0;
    });
  }

  /** Runs one raw statement written with `?` parameters (src/database/dialect.ts), in `tx` when given. */
  query<T = Record<string, unknown>>(
    sql: string,
    params: unknown[],
    tx: EntityManager = this.manager,
  ): Promise<T[]> {
    if (tx === this.manager && READ.test(sql))
      return this.read(toDialect(this.kind, sql), params) as Promise<T[]>;
    return tx.query(toDialect(this.kind, sql), params);
  }

  /**
   * A read outside any transaction, straight to the driver: on SQLite a cached prepared statement of
   * the one connection TypeORM also uses (so it sees exactly what TypeORM would), on PostgreSQL a
   * named prepared statement on the pool (parsed and planned once per connection). TypeORM's
   * query runner added a pool round, event broadcasts and several promise hops to every query:
   * on the roster page that was more CPU than the queries (docs/performance.md). Writes and
   * everything inside `transaction()` still go through TypeORM.
   */
  private async read(sql: string, params: unknown[]): Promise<unknown[]> {
    // Logged like TypeORM's own queries (query logging, and the tests that count a page's queries).
    this.dataSource.logger.logQuery(sql, params);
    const started = Date.now();
    let rows: unknown[];
    let prepared = this.prepared.get(sql);
    if (!prepared) {
      prepared =
        this.kind === 'sqlite'
          ? (
              this.dataSource.driver as unknown as { databaseConnection: SqliteConnection }
            ).databaseConnection.prepare(sql)
          : `c${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
      this.prepared.set(sql, prepared);
      // First in, first out, like TypeORM's own statement cache, past a bound that IN lists of every length reach.
      if (this.prepared.size > 500) this.prepared.delete(this.prepared.keys().next().value as string);
    }
    if (typeof prepared === 'string') {
      const pool = (this.dataSource.driver as unknown as { master: PgPool }).master;
      rows = (await pool.query({ name: prepared, text: sql, values: params })).rows;
    } else if (!prepared.reader) {
      // A WITH … INSERT/UPDATE: a write after all, so TypeORM's path.
      return this.manager.query(sql, params);
    } else {
      // better-sqlite3 binds no booleans (TypeORM converts them the same way).
      rows = prepared.all(...params.map((p) => (typeof p === 'boolean' ? Number(p) : p)));
    }
    const ms = Date.now() - started;
    if (ms > SLOW_QUERY_MS) this.logger.warn({ msg: 'slow query', ms, sql: sql.slice(0, 500) });
    return rows;
  }
}
