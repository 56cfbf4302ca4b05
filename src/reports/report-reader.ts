import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { Database } from '../database/database.service';

/**
 * Where report queries run. better-sqlite3 is synchronous: a long report on the request thread would
 * stall every other request. On SQLite (a file, WAL) reports therefore run in a worker thread on a
 * read-only connection of their own, which sees every committed write. On PostgreSQL they go to the
 * pool like any query.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true, timeout: 5000 });
// Reports read rollups and short edge ranges (reach-source.ts): a small page cache does, and keeps RSS down.
db.pragma('cache_size = -8000');
// Grouping and DISTINCT build temporary b-trees; in memory they never wait on a disk busy with writes.
db.pragma('temp_store = MEMORY');
const statements = new Map();
parentPort.on('message', ({ id, sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (statements.size > 200) statements.clear();
      statements.set(sql, statement);
    }
    const started = performance.now();
    const rows = statement.all(...params);
    parentPort.postMessage({ id, rows, ms: performance.now() - started });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

const SLOW_QUERY_MS = Number(process.env.SLOW_QUERY_MS ?? 500);

@Injectable()
export class ReportReader implements OnModuleDestroy {
  private readonly logger = new Logger(ReportReader.name);
  private worker: Worker | undefined;
  private readonly pending = new Map<
    number,
    { sql: string; resolve: (rows: Array<Record<string, unknown>>) => void; reject: (e: Error) => void }
  >();
  private next = 0;

  constructor(
    private readonly db: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get usesWorker(): boolean {
    return (
      this.db.kind === 'sqlite' &&
      !this.config.databaseUrl &&
      this.config.sqlitePath !== ':memory:' &&
      process.env.REPORT_WORKER !== 'off'
    );
  }

  query(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
    if (!this.usesWorker) return this.db.query(sql, params);
    const worker = this.start();
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { sql, resolve, reject });
      worker.postMessage({ id, sql, params });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // Aggregated report rows are small: a modest heap for the worker keeps the server's memory predictable.
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: this.config.sqlitePath, driver: require.resolve('better-sqlite3') },
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 },
    });
    worker.unref();
    worker.on(
      'message',
      (message: { id: number; rows?: Array<Record<string, unknown>>; error?: string; ms?: number }) => {
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        // Slow report queries are logged with their SQL, as the main connection's are (SLOW_QUERY_MS).
        if ((message.ms ?? 0) > SLOW_QUERY_MS)
          this.logger.warn({
            msg: 'slow report query',
            ms: Math.round(message.ms ?? 0),
            sql: waiting.sql.replace(/\s+/g, ' ').slice(0, 2000),
          });
        if (message.error) waiting.reject(new Error(message.error));
        else waiting.resolve(message.rows ?? []);
      },
    );
    worker.on('error', (error) => {
      this.logger.error({ msg: 'report worker failed', error: String(error) });
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
