import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app.config';

describe('loadConfig', () => {
  let dataDir: string;
  const SECRET = 'a-secret-that-is-long-enough-for-hs256-0123456789';
  /** A valid test environment plus `overrides`; a key set to undefined is removed. */
  const env = (overrides: Record<string, string | undefined> = {}) => ({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: SECRET,
    ...overrides,
  });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cascada-config-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  /** The ConfigError that loading `overrides` throws. */
  function failureOf(overrides: Record<string, string | undefined>): ConfigError {
    try {
      loadConfig(env(overrides));
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error(`no ConfigError for ${JSON.stringify(overrides)}`);
  }

  it('accepts a valid environment and applies the defaults', () => {
    const config = loadConfig(env());
    expect(config).toMatchObject({
      port: 3000,
      dataDir,
      databaseUrl: undefined,
      appUrl: 'http://localhost:3000',
      jwtSecret: SECRET,
      smtpUrl: undefined,
      seedDemo: true,
    });
    expect(config.sqlitePath).toBe(join(dataDir, 'cascada.sqlite'));
  });

  const cases: Array<[string, Record<string, string | undefined>, string]> = [
    ['PORT that is not a number', { PORT: 'abc' }, 'PORT'],
    ['PORT out of range', { PORT: '70000' }, 'PORT'],
    ['DATABASE_URL that is not PostgreSQL', { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    ['APP_URL that is not http(s)', { APP_URL: 'ftp://x' }, 'APP_URL'],
    ['SMTP_URL that is not a URL', { SMTP_URL: 'nonsense' }, 'SMTP_URL'],
    ['SEED_DEMO that is not a boolean', { SEED_DEMO: 'maybe' }, 'SEED_DEMO'],
    [
      'production without JWT_SECRET',
      { NODE_ENV: 'production', JWT_SECRET: undefined, SEED_DEMO: undefined },
      'JWT_SECRET',
    ],
    ['a JWT_SECRET that is too short', { JWT_SECRET: 'short-secret' }, 'JWT_SECRET'],
    ['ADMIN_EMAIL without ADMIN_PASSWORD', { ADMIN_EMAIL: 'admin@example.org' }, 'ADMIN_PASSWORD'],
    ['ADMIN_PASSWORD without ADMIN_EMAIL', { ADMIN_PASSWORD: 'a good password' }, 'ADMIN_EMAIL'],
    ['NODE_ENV that is unknown', { NODE_ENV: 'staging' }, 'NODE_ENV'],
    ['demo data in production', { NODE_ENV: 'production', SEED_DEMO: 'true' }, 'SEED_DEMO'],
    ['an OB_SIGNING_KEY that is not base64url', { OB_SIGNING_KEY: 'not a key at all' }, 'OB_SIGNING_KEY'],
    [
      'an OB_SIGNING_KEY of 16 bytes',
      { OB_SIGNING_KEY: Buffer.alloc(16, 7).toString('base64url') },
      'OB_SIGNING_KEY',
    ],
    ['an OB_ISSUER_NAME that is too long', { OB_ISSUER_NAME: 'x'.repeat(201) }, 'OB_ISSUER_NAME'],
  ];

  it.each(cases)('stops on %s with one line naming the variable', (_label, overrides, variable) => {
    const error = failureOf(overrides);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).not.toContain('\n');
  });

  it('does not put a secret it refuses into the message', () => {
    expect(failureOf({ JWT_SECRET: 'short-secret' }).message).not.toContain('short-secret');
  });

  it('generates the JWT secret once in DATA_DIR and reuses it on the next load', () => {
    const first = loadConfig(env({ JWT_SECRET: undefined }));
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    const file = join(dataDir, 'jwt-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.jwtSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = loadConfig(env({ JWT_SECRET: undefined }));
    expect(second.jwtSecret).toBe(first.jwtSecret);

    const elsewhere = mkdtempSync(join(tmpdir(), 'cascada-config-'));
    try {
      expect(loadConfig({ NODE_ENV: 'test', DATA_DIR: elsewhere }).jwtSecret).not.toBe(first.jwtSecret);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('generates the Open Badges signing key once in DATA_DIR, in production too, and reuses it', () => {
    const first = loadConfig(env());
    expect(Buffer.from(first.obSigningKey, 'base64url')).toHaveLength(32);
    const file = join(dataDir, 'ob-signing-key');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.obSigningKey);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig(env({ NODE_ENV: 'production', SEED_DEMO: 'false' })).obSigningKey).toBe(
      first.obSigningKey,
    );
  });

  it('takes OB_SIGNING_KEY from the environment (no file), and refuses a damaged key file instead of replacing it', () => {
    const seed = Buffer.alloc(32, 9).toString('base64url');
    expect(loadConfig(env({ OB_SIGNING_KEY: seed })).obSigningKey).toBe(seed);
    expect(() => statSync(join(dataDir, 'ob-signing-key'))).toThrow();
    writeFileSync(join(dataDir, 'ob-signing-key'), 'garbage\n');
    const error = failureOf({});
    expect(error.variable).toBe('OB_SIGNING_KEY');
    expect(readFileSync(join(dataDir, 'ob-signing-key'), 'utf8')).toBe('garbage\n');
  });

  it('does not put a refused signing key into the message', () => {
    const bad = Buffer.alloc(16, 7).toString('base64url');
    expect(failureOf({ OB_SIGNING_KEY: bad }).message).not.toContain(bad);
  });

  it('prefers JWT_SECRET from the environment and writes no file then', () => {
    expect(loadConfig(env()).jwtSecret).toBe(SECRET);
    expect(() => statSync(join(dataDir, 'jwt-secret'))).toThrow();
  });
});
