import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { databaseKind, DatabaseKind } from './data-source';
import { toDialect } from './dialect';

export { toDialect } from './dialect';

/**
 * Write transactions. On SQLite TypeORM drives one shared connection, so two request transactions
 * running at once would interleave on it and roll each other back: they are serialised here.
 * On PostgreSQL each transaction gets its own pooled connection and runs concurrently.
 */
@Injectable()
export class Database {
  readonly kind: DatabaseKind;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {
    this.kind = databaseKind(dataSource);
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

  /** Runs one raw statement written with `?` parameters (src/database/dialect.ts), in `tx` when given. */
  query<T = Record<string, unknown>>(
    sql: string,
    params: unknown[],
    tx: EntityManager = this.manager,
  ): Promise<T[]> {
    return tx.query(toDialect(this.kind, sql), params);
  }
}
