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
 * Rollups of the cascade per year and per month, kept in the same transaction as every session
 * write (src/cascade/reach-rollups.ts), so the reach report reads whole years and whole months from
 * a few thousand rows instead of scanning a million sessions (docs/performance.md).
 * - cascade_reach_rollups: one row per grain × status × period × course × place × school (session
 *   count and head counts); distinct schools come from here.
 * - cascade_trainer_rollups: one row per grain × status × period × course × country × trainer
 *   (who delivered).
 * `grain` is 'year' (period 'YYYY') or 'month' (period 'YYYY-MM'). Only the statuses reports count
 * (submitted, confirmed) are kept. Place columns hold '' for "none", so every key column can be part
 * of the primary key on both databases. On SQLite the tables are WITHOUT ROWID: rows are stored in
 * key order, so a report reads one contiguous range.
 */
export class CreateCascadeReachRollups1764130600000 implements MigrationInterface {
  name = 'CreateCascadeReachRollups1764130600000';

  async up(q: QueryRunner): Promise<void> {
    const sqlite = q.connection.driver.options.type !== 'postgres';
    const clustered = sqlite ? ' WITHOUT ROWID' : '';
    const key =
      'grain varchar(5) NOT NULL, status varchar(10) NOT NULL, period varchar(7) NOT NULL, course_id varchar(36) NOT NULL, country_code varchar(2) NOT NULL';
    const counts = ['sessions', ...SUMS].map((c) => `${c} integer NOT NULL DEFAULT 0`).join(', ');
    await q.query(
      `CREATE TABLE cascade_reach_rollups (${key}, municipality_id varchar(36) NOT NULL, school_id varchar(36) NOT NULL, ${counts},
        PRIMARY KEY (grain, status, period, course_id, country_code, municipality_id, school_id))${clustered}`,
    );
    await q.query(
      `CREATE TABLE cascade_trainer_rollups (${key}, trainer_id varchar(36) NOT NULL, sessions integer NOT NULL DEFAULT 0,
        PRIMARY KEY (grain, status, period, course_id, country_code, trainer_id))${clustered}`,
    );
    // Existing sessions: the same grouping the application maintains from now on.
    for (const [grain, length] of [
      ['year', 4],
      ['month', 7],
    ] as const) {
      const head = `'${grain}', status, SUBSTR(date, 1, ${length}), course_id, COALESCE(country_code, '')`;
      await q.query(
        `INSERT INTO cascade_reach_rollups (grain, status, period, course_id, country_code, municipality_id, school_id, sessions, ${SUMS.join(', ')})
         SELECT ${head}, COALESCE(municipality_id, ''), school_id, COUNT(*), ${SUMS.map((c) => `SUM(${c})`).join(', ')}
         FROM cascade_sessions WHERE status IN ('submitted', 'confirmed')
         GROUP BY status, SUBSTR(date, 1, ${length}), course_id, COALESCE(country_code, ''), COALESCE(municipality_id, ''), school_id`,
      );
      await q.query(
        `INSERT INTO cascade_trainer_rollups (grain, status, period, course_id, country_code, trainer_id, sessions)
         SELECT ${head}, trainer_id, COUNT(*) FROM cascade_sessions WHERE status IN ('submitted', 'confirmed')
         GROUP BY status, SUBSTR(date, 1, ${length}), course_id, COALESCE(country_code, ''), trainer_id`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE cascade_trainer_rollups');
    await q.query('DROP TABLE cascade_reach_rollups');
  }
}
