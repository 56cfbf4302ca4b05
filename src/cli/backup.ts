import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/app.config';

/**
 * `npm run db:backup`: a consistent copy of the live database while the app keeps running.
 * SQLite: `VACUUM INTO` a timestamped file in DATA_DIR/backups. PostgreSQL: use pg_dump.
 */
export function backup(
  env: Record<string, string | undefined> = process.env,
  now = new Date(),
): string | undefined {
  const config = loadConfig(env);
  if (config.databaseUrl) {
    console.log('PostgreSQL is backed up with its own tools, for example:');
    console.log('  pg_dump --format=custom --file=cascada-$(date +%F).dump "$DATABASE_URL"');
    return undefined;
  }
  const dir = join(config.dataDir, 'backups');
  mkdirSync(dir, { recursive: true });
  const target = join(dir, `cascada-${now.toISOString().replace(/[:.]/g, '-')}.sqlite`);
  const db = new Database(config.sqlitePath, { fileMustExist: true, timeout: 10_000 });
  try {
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
  console.log(`Backup written to ${target}`);
  return target;
}

if (require.main === module) {
  try {
    backup();
  } catch (error) {
    console.error(
      error instanceof ConfigError ? error.message : `Backup failed: ${(error as Error).message}`,
    );
    process.exit(1);
  }
}
