import { onConflictUpdate, periodLength, periodOf, type Period } from '../database/dialect';
import type { CascadeSession } from './cascade-session.entity';
import { monthReachRebuildStatements, type MonthChange } from './month-reach';
import { ROLLUP_SUM_COLUMNS, SUMS } from './rollup-columns';

export { ROLLUP_SUM_COLUMNS } from './rollup-columns';

/**
 * The SQL of `cascade_reach_rollups` and `cascade_trainer_rollups` (migration
 * CreateCascadeReachRollups), kept equal to GROUP BYs over `cascade_sessions` per year and per month.
 * Pure: ReachRollupsRepository runs the statements inside the transaction that writes a session;
 * rebuildRollups runs the full rebuild for bulk loads (demo seed, benchmark, tests).
 */

/** Statuses the reports count; a rejected session leaves the rollups. */
const COUNTED = new Set(['submitted', 'confirmed']);

export type Counted = Pick<
  CascadeSession,
  | 'status'
  | 'date'
  | 'courseId'
  | 'countryCode'
  | 'municipalityId'
  | 'schoolId'
  | 'trainerId'
  | 'female'
  | 'male'
  | 'unspecified'
  | 'ageUnder10'
  | 'age10To14'
  | 'age15To17'
  | 'age18Plus'
  | 'teachers'
  | 'parents'
>;

/** Both rollups hold one row per key and year, and one per key and month. */
export const ROLLUP_GRAINS: readonly Period[] = ['year', 'month'];

/** Key columns shared by both rollups, for one grain. */
function head(grain: Period, s: Counted): unknown[] {
  return [grain, s.status, s.date.slice(0, periodLength(grain)), s.courseId, s.countryCode ?? ''];
}

/** One statement of a rollup change, with `?` parameters. */
export interface RollupStatement {
  sql: string;
  params: unknown[];
}

/**
 * What writing a session does to the rollups, as it was (`before`) and as it is now (`after`): one
 * signed change per counted side, in the same order in every transaction, so that two PostgreSQL
 * writers lock shared rows in the same order.
 */
export function rollupChanges(before: Counted | null, after: Counted | null): Array<[Counted, 1 | -1]> {
  const changes: Array<[Counted, 1 | -1]> = [];
  if (before && COUNTED.has(before.status)) changes.push([before, -1]);
  if (after && COUNTED.has(after.status)) changes.push([after, 1]);
  changes.sort(([a], [b]) =>
    `${a.status}|${a.date}|${a.schoolId}|${a.trainerId}`.localeCompare(
      `${b.status}|${b.date}|${b.schoolId}|${b.trainerId}`,
    ),
  );
  return changes;
}

/**
 * The statements that add one session (`sign` 1) to the rollups of one grain, or take it out (-1):
 * single-statement upserts, so concurrent writers on PostgreSQL add up instead of overwriting; on
 * the way out, rows left without a session are deleted.
 */
export function rollupStatements(grain: Period, s: Counted, sign: 1 | -1): RollupStatement[] {
  const sums = SUMS.map(([, field]) => sign * s[field]);
  const set = ['sessions', ...ROLLUP_SUM_COLUMNS]
    .map((c) => `${c} = cascade_reach_rollups.${c} + excluded.${c}`)
    .join(', ');
  const schoolKey = [...head(grain, s), s.municipalityId ?? '', s.schoolId];
  const trainerKey = [...head(grain, s), s.trainerId];
  const statements: RollupStatement[] = [
    {
      sql: `INSERT INTO cascade_reach_rollups (grain, status, period, course_id, country_code, municipality_id, school_id, sessions, ${ROLLUP_SUM_COLUMNS.join(', ')})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${ROLLUP_SUM_COLUMNS.map(() => '?').join(', ')})
       ${onConflictUpdate(['grain', 'status', 'period', 'course_id', 'country_code', 'municipality_id', 'school_id'], set)}`,
      params: [...schoolKey, sign, ...sums],
    },
    {
      sql: `INSERT INTO cascade_trainer_rollups (grain, status, period, course_id, country_code, trainer_id, sessions) VALUES (?, ?, ?, ?, ?, ?, ?)
       ${onConflictUpdate(['grain', 'status', 'period', 'course_id', 'country_code', 'trainer_id'], 'sessions = cascade_trainer_rollups.sessions + excluded.sessions')}`,
      params: [...trainerKey, sign],
    },
  ];
  if (sign < 0) {
    // A school or trainer with no session left in that period must not count as reached.
    const keyMatch = 'grain = ? AND status = ? AND period = ? AND course_id = ? AND country_code = ?';
    statements.push(
      {
        sql: `DELETE FROM cascade_reach_rollups WHERE ${keyMatch} AND municipality_id = ? AND school_id = ? AND sessions <= 0`,
        params: schoolKey,
      },
      {
        sql: `DELETE FROM cascade_trainer_rollups WHERE ${keyMatch} AND trainer_id = ? AND sessions <= 0`,
        params: trainerKey,
      },
    );
  }
  return statements;
}

/**
 * Rebuilds both rollups (and the month reach built on them) from `cascade_sessions` (after bulk loads that bypass the session service:
 * the demo seed, the benchmark's generator). Same grouping as the migration's backfill.
 */
export async function rebuildRollups(runner: { query(sql: string): Promise<unknown> }): Promise<void> {
  for (const sql of rebuildStatements()) await runner.query(sql);
}

/** The statements of rebuildRollups, without parameters (a runner of plain SQL can run them). */
export function rebuildStatements(): string[] {
  const statements = ['DELETE FROM cascade_reach_rollups', 'DELETE FROM cascade_trainer_rollups'];
  for (const grain of ROLLUP_GRAINS) {
    const period = periodOf('date', grain);
    statements.push(
      `INSERT INTO cascade_reach_rollups (grain, status, period, course_id, country_code, municipality_id, school_id, sessions, ${ROLLUP_SUM_COLUMNS.join(', ')})
       SELECT '${grain}', status, ${period}, course_id, COALESCE(country_code, ''), COALESCE(municipality_id, ''), school_id, COUNT(*), ${ROLLUP_SUM_COLUMNS.map((c) => `SUM(${c})`).join(', ')}
       FROM cascade_sessions WHERE status IN ('submitted', 'confirmed')
       GROUP BY status, ${period}, course_id, COALESCE(country_code, ''), COALESCE(municipality_id, ''), school_id`,

      `INSERT INTO cascade_trainer_rollups (grain, status, period, course_id, country_code, trainer_id, sessions)
       SELECT '${grain}', status, ${period}, course_id, COALESCE(country_code, ''), trainer_id, COUNT(*) FROM cascade_sessions WHERE status IN ('submitted', 'confirmed')
       GROUP BY status, ${period}, course_id, COALESCE(country_code, ''), trainer_id`,
    );
  }
  // The month reach is built on the monthly school rollup: after it.
  return [...statements, ...monthReachRebuildStatements()];
}

/** The changes as month reach changes (month-reach.ts): the same signed sessions, with their head counts. */
export function monthChanges(changes: Array<[Counted, 1 | -1]>): MonthChange[] {
  return changes.map(([s, sign]) => ({
    status: s.status,
    month: s.date.slice(0, 7),
    courseId: s.courseId,
    countryCode: s.countryCode ?? '',
    schoolId: s.schoolId,
    sign,
    sums: SUMS.map(([, field]) => sign * s[field]),
  }));
}
