/**
 * The PostgreSQL half of `npm run bench`: a scratch database per run, and a fast copy of the program
 * the bench generated into SQLite (every table through `COPY … FROM STDIN`, rows streamed from
 * better-sqlite3's iterator, never all in memory), then the reach rollups rebuilt the way the app
 * would and ANALYZE. Only used by src/cli/bench.ts.
 */
import Database from 'better-sqlite3';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { rebuildRollups } from '../cascade/reach-rollups';

/** Built by the app from the sessions (rebuildRollups), not copied. */
const REBUILT = new Set(['cascade_reach_rollups', 'cascade_trainer_rollups', 'cascade_month_reach']);
/** TypeORM's own bookkeeping: the app wrote it when it migrated the empty database. */
const SKIPPED = new Set(['migrations', 'typeorm_metadata']);

/** `postgres://…/test` → the same server, database `name`. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The bench's own database name: one per bench process, so parallel runs never meet. */
export function benchDatabaseName(pid = process.pid): string {
  return `cascada_bench_${pid}`;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Identifiers below come from our own constant or from the catalogue, never from input; quoted anyway. */
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function createDatabase(url: string, name: string): Promise<void> {
  await withClient(url, (c) => c.query(`CREATE DATABASE ${ident(name)}`));
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  await withClient(url, (c) => c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
}

/** One value in COPY's text format. */
function copyText(value: unknown, type: string): string {
  if (value === null || value === undefined) return '\\N';
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  if (type === 'boolean')
    return value === 1 || value === '1' || value === true || value === 'true' ? 't' : 'f';
  return String(value)
    .replace(/\\/g, '\\\\')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

/** Rows of one SQLite table as COPY text, in chunks of about 256 KB, pulled as PostgreSQL takes them. */
function rowsAsCopyText(
  db: Database.Database,
  table: string,
  columns: Array<{ name: string; type: string }>,
  onRows: (n: number) => void,
): Readable {
  const iterator = db
    .prepare(`SELECT ${columns.map((c) => ident(c.name)).join(', ')} FROM ${ident(table)}`)
    .raw(true)
    .iterate() as IterableIterator<unknown[]>;
  return new Readable({
    read() {
      let chunk = '';
      let n = 0;
      for (;;) {
        const next = iterator.next();
        if (next.done) {
          if (chunk) this.push(chunk);
          onRows(n);
          this.push(null);
          return;
        }
        const row = next.value;
        chunk += row.map((v, i) => copyText(v, columns[i].type)).join('\t') + '\n';
        n++;
        if (chunk.length > 256 * 1024) break;
      }
      onRows(n);
      this.push(chunk);
    },
  });
}

export interface LoadResult {
  seconds: number;
  copySeconds: number;
  indexSeconds: number;
  rollupSeconds: number;
  analyzeSeconds: number;
  rows: number;
}

/**
 * Empties the migrated PostgreSQL database `url` (the app's start-up data included: the SQLite file
 * has its own admin and courses, with other ids) and copies every table of the SQLite file into it.
 * Secondary indexes are dropped during the copy and rebuilt from their own definitions after it;
 * foreign-key triggers are off while loading (session_replication_role = replica; the data comes from
 * a database that enforced them).
 */
export async function loadIntoPostgres(
  file: string,
  url: string,
  progress: (line: string) => void,
): Promise<LoadResult> {
  const started = Date.now();
  const db = new Database(file, { readonly: true });
  const result = await withClient(url, async (pg) => {
    const pgColumns = new Map<string, Map<string, string>>();
    for (const row of (
      await pg.query(
        'SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()',
      )
    ).rows as Array<{ table_name: string; column_name: string; data_type: string }>) {
      if (!pgColumns.has(row.table_name)) pgColumns.set(row.table_name, new Map());
      pgColumns.get(row.table_name)?.set(row.column_name, row.data_type);
    }
    const tables = (
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .all() as Array<{ name: string }>
    )
      .map((t) => t.name)
      .filter((t) => !SKIPPED.has(t) && pgColumns.has(t));
    const missing = [...pgColumns.keys()].filter((t) => !SKIPPED.has(t) && !tables.includes(t));
    if (missing.length)
      progress(`  PostgreSQL tables with no SQLite counterpart (left empty): ${missing.join(', ')}`);
    // Secondary indexes (not those behind a primary key or unique constraint): dropped now, rebuilt after.
    const indexes = (
      await pg.query(
        `SELECT i.indexname, i.indexdef FROM pg_indexes i
         WHERE i.schemaname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)`,
      )
    ).rows as Array<{ indexname: string; indexdef: string }>;
    // SQLite keeps times as text without a zone, written in UTC.
    await pg.query("SET TIME ZONE 'UTC'");
    await pg.query('SET session_replication_role = replica');
    await pg.query(
      `TRUNCATE ${[...pgColumns.keys()]
        .filter((t) => !SKIPPED.has(t))
        .map(ident)
        .join(', ')}`,
    );
    for (const { indexname } of indexes) await pg.query(`DROP INDEX ${ident(indexname)}`);
    const copyStarted = Date.now();
    let rows = 0;
    for (const table of tables) {
      if (REBUILT.has(table)) continue;
      const types = pgColumns.get(table) as Map<string, string>;
      const sqliteColumns = (
        db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>
      ).map((c) => c.name);
      const columns = sqliteColumns
        .filter((c) => types.has(c))
        .map((name) => ({ name, type: types.get(name) as string }));
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM ${ident(table)}`).get() as { n: number }).n;
      let done = 0;
      let lastReport = Date.now();
      const t0 = Date.now();
      const source = rowsAsCopyText(db, table, columns, (n) => {
        done += n;
        if (Date.now() - lastReport > 10_000) {
          lastReport = Date.now();
          const rate = done / ((Date.now() - t0) / 1000);
          progress(
            `  copying ${table}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} rows (${Math.round(rate).toLocaleString('en')} rows/s, about ${Math.round((total - done) / rate)} s left)`,
          );
        }
      });
      await pipeline(
        source,
        pg.query(
          copyFrom(`COPY ${ident(table)} (${columns.map((c) => ident(c.name)).join(', ')}) FROM STDIN`),
        ),
      );
      rows += total;
      if (total > 10_000)
        progress(
          `  copied ${table}: ${total.toLocaleString('en')} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
        );
    }
    const copySeconds = (Date.now() - copyStarted) / 1000;
    // Sequences behind serial columns continue after the copied ids.
    const serials = (
      await pg.query(
        `SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq FROM information_schema.columns
         WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
      )
    ).rows as Array<{ table_name: string; column_name: string; seq: string | null }>;
    for (const s of serials) {
      if (s.seq && !SKIPPED.has(s.table_name))
        await pg.query(
          `SELECT setval($1, COALESCE((SELECT MAX(${ident(s.column_name)}) FROM ${ident(s.table_name)}), 0) + 1, false)`,
          [s.seq],
        );
    }
    await pg.query('SET session_replication_role = origin');
    const indexStarted = Date.now();
    await pg.query("SET maintenance_work_mem = '256MB'");
    for (const { indexdef } of indexes) await pg.query(indexdef);
    const indexSeconds = (Date.now() - indexStarted) / 1000;
    progress(`  ${indexes.length} secondary indexes rebuilt in ${indexSeconds.toFixed(1)} s`);
    const rollupStarted = Date.now();
    await pg.query("SET work_mem = '64MB'");
    await rebuildRollups({ query: (sql: string) => pg.query(sql) });
    const rollupSeconds = (Date.now() - rollupStarted) / 1000;
    const analyzeStarted = Date.now();
    await pg.query('ANALYZE');
    const analyzeSeconds = (Date.now() - analyzeStarted) / 1000;
    return { copySeconds, indexSeconds, rollupSeconds, analyzeSeconds, rows };
  });
  db.close();
  return { seconds: (Date.now() - started) / 1000, ...result };
}
