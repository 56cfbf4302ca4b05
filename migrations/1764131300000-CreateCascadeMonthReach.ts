import { MigrationInterface, QueryRunner } from 'typeorm';

const SUMS = [
  'female',
  'male',
  'unspecified',
  'age_under10',
  'age10_to14',
  'age15_to17',
  'age18_plus',
  'teachers',
  'parents',
];

/**
 * Reach per month for the whole program, per country and per course, with the number of distinct
 * schools reached in each cell, kept with every session write (src/cascade/reach-rollups.ts).
 * Grouping the reach report by month read every school's monthly rollup row (238,000 rows at 1M
 * sessions, ~200 ms on SQLite and ~900 ms on PostgreSQL) only to count distinct schools per month;
 * this table answers it from one row per month (docs/performance.md).
 * - status_key: 'confirmed' (confirmed sessions) or 'all' (submitted and confirmed).
 * - course_key: a course id, or '*' for every course; country_key: a country code ('' for none), or
 *   '*' for every country. Each cell holds its own distinct school count: cells are never summed.
 * Also an index on the school rollup by (grain, period, school_id): keeping `schools` exact needs a
 * school's rows of one month on every write.
 */
export class CreateCascadeMonthReach1764131300000 implements MigrationInterface {
  name = 'CreateCascadeMonthReach1764131300000';

  async up(q: QueryRunner): Promise<void> {
    const sqlite = q.connection.driver.options.type !== 'postgres';
    const clustered = sqlite ? ' WITHOUT ROWID' : '';
    const counts = ['sessions', ...SUMS, 'schools'].map((c) => `${c} integer NOT NULL DEFAULT 0`).join(', ');
    await q.query(
      `CREATE TABLE cascade_month_reach (status_key varchar(10) NOT NULL, course_key varchar(36) NOT NULL,
        country_key varchar(2) NOT NULL, period varchar(7) NOT NULL, ${counts},
        PRIMARY KEY (status_key, course_key, country_key, period))${clustered}`,
    );
    await q.query(
      'CREATE INDEX idx_cascade_reach_rollups_school_period ON cascade_reach_rollups (grain, period, school_id)',
    );
    // Existing rollups: the same cells the application maintains from now on.
    for (const [statusKey, statuses] of [
      ['confirmed', "('confirmed')"],
      ['all', "('submitted', 'confirmed')"],
    ])
      for (const course of ['course_id', "'*'"])
        for (const country of ['country_code', "'*'"]) {
          const groups = ['period', course, country].filter((c) => !c.startsWith("'")).join(', ');
          await q.query(
            `INSERT INTO cascade_month_reach (status_key, course_key, country_key, period, sessions, ${SUMS.join(', ')}, schools)
             SELECT '${statusKey}', ${course}, ${country}, period, SUM(sessions), ${SUMS.map((c) => `SUM(${c})`).join(', ')}, COUNT(DISTINCT school_id)
             FROM cascade_reach_rollups WHERE grain = 'month' AND status IN ${statuses} GROUP BY ${groups}`,
          );
        }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_cascade_reach_rollups_school_period');
    await q.query('DROP TABLE cascade_month_reach');
  }
}
