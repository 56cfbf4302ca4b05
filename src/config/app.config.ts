import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONTENT_DIR } from '../common/paths';

export type NodeEnv = 'development' | 'production' | 'test';

export interface AppConfig {
  nodeEnv: NodeEnv;
  isProduction: boolean;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  /** SQLite file used when no DATABASE_URL is set; ':memory:' is allowed for tools. */
  sqlitePath: string;
  appUrl: string;
  jwtSecret: string;
  /**
   * The 32-byte Ed25519 seed (base64url) that signs the program's Open Badges credentials and status
   * list: OB_SIGNING_KEY, or generated once and kept in DATA_DIR (the key must outlive upgrades).
   */
  obSigningKey: string;
  /** The issuer's name in Open Badges credentials (OB_ISSUER_NAME, e.g. the program's name). */
  obIssuerName: string;
  smtpUrl: string | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  seedDemo: boolean;
  /** Course packages (content/ of the repository unless CONTENT_DIR says otherwise). */
  contentDir: string;
  /** Background workers (mail sender, scheduled jobs). Tests turn them off and drive them by hand. */
  runWorkers: boolean;
}

/** A misconfigured variable: start-up stops with one line naming it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Configuration error: ${variable} ${reason}`);
  }
}

type Env = Record<string, string | undefined>;

function parseBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function parseUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads and validates the environment (DESIGN.md "Configuration"). Side effects: outside production
 * a JWT secret, and in every environment the Open Badges signing key, generated once and kept in DATA_DIR.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const rawEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(rawEnv)) {
    throw new ConfigError('NODE_ENV', `must be development, production or test (got "${rawEnv}")`);
  }
  const nodeEnv = rawEnv as NodeEnv;
  const isProduction = nodeEnv === 'production';

  const portRaw = env.PORT ?? '3000';
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port < 1 || port > 65535) {
    throw new ConfigError('PORT', `must be a whole number between 1 and 65535 (got "${portRaw}")`);
  }

  const dataDir = resolve(env.DATA_DIR || './data');
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (e) {
    throw new ConfigError('DATA_DIR', `cannot be created or written (${(e as Error).message})`);
  }

  const databaseUrl = parseUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const appUrl = (parseUrl(env, 'APP_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(
    /\/+$/,
    '',
  );
  const smtpUrl = parseUrl(env, 'SMTP_URL', ['smtp:', 'smtps:']);

  const adminEmail = env.ADMIN_EMAIL || undefined;
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminEmail && !EMAIL.test(adminEmail)) throw new ConfigError('ADMIN_EMAIL', 'is not an email address');
  if (adminEmail && !adminPassword)
    throw new ConfigError('ADMIN_PASSWORD', 'must be set when ADMIN_EMAIL is set');
  if (adminPassword && !adminEmail)
    throw new ConfigError('ADMIN_EMAIL', 'must be set when ADMIN_PASSWORD is set');
  if (adminPassword && (adminPassword.length < 8 || adminPassword.length > 128)) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be 8 to 128 characters long');
  }

  const seedDemo = parseBoolean(env, 'SEED_DEMO', !isProduction);
  if (isProduction && seedDemo) {
    throw new ConfigError(
      'SEED_DEMO',
      'cannot be true in production (demo accounts have published passwords)',
    );
  }
  const runWorkers = parseBoolean(env, 'RUN_WORKERS', nodeEnv !== 'test');

  let jwtSecret = env.JWT_SECRET || '';
  if (jwtSecret && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
  }
  if (!jwtSecret) {
    if (isProduction) throw new ConfigError('JWT_SECRET', 'is required in production');
    jwtSecret = readOrCreateSecret(join(dataDir, 'jwt-secret'));
  }

  // Unlike the JWT secret, the badge key is generated in production too: refusing to start an
  // existing installation after an upgrade would help nobody. Instances that do not share DATA_DIR
  // must share OB_SIGNING_KEY, or credentials signed by one fail against the other's issuer profile.
  const obSigningKey = env.OB_SIGNING_KEY
    ? parseSigningKey(env.OB_SIGNING_KEY)
    : readOrCreateSigningKey(join(dataDir, 'ob-signing-key'));

  const obIssuerName = (env.OB_ISSUER_NAME ?? '').trim() || 'Cascada';
  if (obIssuerName.length > 200)
    throw new ConfigError('OB_ISSUER_NAME', 'must be at most 200 characters long');

  return {
    nodeEnv,
    isProduction,
    port,
    dataDir,
    databaseUrl,
    sqlitePath: env.SQLITE_PATH || join(dataDir, 'cascada.sqlite'),
    appUrl,
    jwtSecret,
    obSigningKey,
    obIssuerName,
    smtpUrl,
    adminEmail: adminEmail?.toLowerCase(),
    adminPassword,
    seedDemo,
    runWorkers,
    contentDir: env.CONTENT_DIR ? resolve(env.CONTENT_DIR) : CONTENT_DIR,
  };
}

function readOrCreateSecret(file: string): string {
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return secret;
  }
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

const SEED = /^[A-Za-z0-9_-]{43}$/;

function parseSigningKey(raw: string): string {
  const value = raw.trim();
  if (!SEED.test(value) || Buffer.from(value, 'base64url').length !== 32) {
    throw new ConfigError(
      'OB_SIGNING_KEY',
      "must be a 32-byte Ed25519 seed in base64url (43 characters; make one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\")",
    );
  }
  return value;
}

function readOrCreateSigningKey(file: string): string {
  if (existsSync(file)) {
    const seed = readFileSync(file, 'utf8').trim();
    // A damaged key file is not silently replaced: every credential already handed out names this key.
    if (!SEED.test(seed) || Buffer.from(seed, 'base64url').length !== 32)
      throw new ConfigError('OB_SIGNING_KEY', `is unset and ${file} does not hold a 32-byte base64url seed`);
    return seed;
  }
  const seed = randomBytes(32).toString('base64url');
  writeFileSync(file, seed + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return seed;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
