/**
 * The real server as a child process (`node dist/src/main.js`), for the resilience tests: build it
 * (tsc -b, incremental, one build at a time across jest workers), start it on a free port on a
 * scratch database, kill it — and never leave one running when a test file ends or fails.
 */
import Sqlite from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, types as pgTypes } from 'pg';
import {
  scratchSchema,
  startServerProcess,
  type ServerOptions,
  type ServerProcess,
} from '../../src/cli/load-test';
import { PROJECT_ROOT } from '../../src/common/paths';

export { scratchSchema, type ServerProcess };

const running = new Set<ServerProcess>();
// Last resort (a crashed test run): no server outlives this process.
process.once('exit', () => {
  for (const server of running) {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let build: Promise<void> | undefined;

/** `tsc -b tsconfig.build.json` once per test process; other jest workers wait for the same lock. */
export function buildServer(): Promise<void> {
  build ??= buildUnderLock();
  return build;
}

async function buildUnderLock(): Promise<void> {
  const lock = join(
    tmpdir(),
    `cascada-build-${createHash('sha1').update(PROJECT_ROOT).digest('hex').slice(0, 12)}.lock`,
  );
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder = 0;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        /* the holder has not written its pid yet */
      }
      let age: number;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      // A lock whose holder died (or never wrote its pid) is taken over.
      if ((holder && !isAlive(holder)) || (!holder && age > 10_000))
        rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline)
        throw new Error(`another build held ${lock} for 3 minutes`, { cause: error });
      else await sleep(200);
    }
  }
  try {
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        [join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'],
        { cwd: PROJECT_ROOT, maxBuffer: 10 * 1024 * 1024 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`tsc -b tsconfig.build.json failed:\n${stdout}${stderr}`)) : resolve(),
      ),
    );
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Starts the built server (see startServerProcess) and remembers it for `stopAllServers`. */
export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const server = await startServerProcess(options);
  running.add(server);
  void server.exited.then(() => running.delete(server));
  return server;
}

/** SIGKILLs every server this process started and waits until they are gone (afterAll). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop('SIGKILL')));
}

export interface Sql {
  /** Runs a query written with `?` placeholders on either database; numbers come back as numbers. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A direct connection to the server's database: the SQLite file in dataDir, or the PostgreSQL URL. */
export async function openDatabase(dataDir: string, databaseUrl?: string): Promise<Sql> {
  if (databaseUrl) {
    // COUNT(*) (int8) and SUM(...) (numeric) come back as numbers, as they do from SQLite.
    const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
      oid === 20 || oid === 1700
        ? (value: string) => Number(value)
        : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser;
    const client = new Client({ connectionString: databaseUrl, types: { getTypeParser } });
    await client.connect();
    return {
      async query<T>(sql: string, params: unknown[] = []) {
        let n = 0;
        return (
          await client.query(
            sql.replace(/\?/g, () => `$${++n}`),
            params,
          )
        ).rows as T[];
      },
      close: () => client.end(),
    };
  }
  return openSqlite(join(dataDir, 'cascada.sqlite'));
}

/** A SQLite database file (a server's, or a backup) with the same `Sql` interface. */
export function openSqlite(file: string): Sql {
  const db = new Sqlite(file, { fileMustExist: true, timeout: 10_000 });
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      const statement = db.prepare(sql);
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
    },
    async close() {
      db.close();
    },
  };
}

/** `PRAGMA integrity_check` and `PRAGMA foreign_key_check` of a SQLite file (opening it recovers the WAL). */
export function sqliteChecks(file: string): { integrity: string; foreignKeyViolations: unknown[] } {
  const db = new Sqlite(file, { fileMustExist: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      foreignKeyViolations: db.pragma('foreign_key_check') as unknown[],
    };
  } finally {
    db.close();
  }
}

/** A scratch DATA_DIR. */
export function scratchDir(prefix: string): string {
  const dir = join(tmpdir(), `cascada-${prefix}-${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}
