/**
 * `npm run load` (src/cli/load-test.ts), bounded so CI can afford it on SQLite and on PostgreSQL:
 * 20 clients log cascade sessions for 3 s, each request with its own Idempotency-Key and every 10th
 * a retry of an earlier key; then every acknowledged key must have exactly one session row.
 */
import { join } from 'node:path';
import { formatReport, runLoadTest } from '../../src/cli/load-test';
import { buildServer } from '../support/server-process';

const PG = process.env.DATABASE_URL;

describe(`resilience: load test of session logging, 20 clients for 3 s (${PG ? 'PostgreSQL' : 'SQLite'})`, () => {
  beforeAll(() => buildServer(), 120_000);

  it('answers every request with 2xx and stores exactly one session per acknowledged key', async () => {
    const report = await runLoadTest({
      seconds: 3,
      connections: 20,
      databaseUrl: PG,
      contentDir: join(__dirname, '..', 'fixtures', 'content'),
      courseSlug: 'tiny-course',
    });
    // On failure the whole printed report says what went wrong.
    if (report.problems.length) throw new Error(formatReport(report));
    expect(report).toMatchObject({
      non2xx: 0,
      errors: 0,
      timeouts: 0,
      lost: 0,
      duplicated: 0,
      unexplained: 0,
      pendingKeys: 0,
    });
    expect(report.acknowledged).toBe(report.keys);
    expect(report.rows).toBe(report.acknowledged);
    // The run did real work, retries included.
    expect(report.acknowledged).toBeGreaterThan(20);
    expect(report.retries).toBeGreaterThan(0);
  }, 90_000);
});
