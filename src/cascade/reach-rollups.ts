import type { EntityManager } from 'typeorm';
import { type DatabaseKind } from '../database/data-source';
import { toDialect } from '../database/database.service';
import type { CascadeSession } from './cascade-session.entity';
import { moveInMonthReach, rebuildMonthReach } from './month-reach';

/** Statuses the reports count; a rejected session leaves the rollups. */
const COUNTED = new Set(['submitted', 'confirmed']);

/** Rollup columns and the session fields they sum. */
const SUMS: Array<
  [
    string,
    (
      | 'female'
      | 'male'
      | 'unspecified'
      | 'ageUnder10'
      | 'age10To14'
      | 'age15To17'
      | 'age18Plus'
      | 'teachers'
      | 'parents'
    ),
  ]
> = [
  ['female', 'female'],
  ['male', 'male'],
  ['unspecified', 'unspecified'],
  ['age_under10', 'ageUnder10'],
  ['age10_to14', 'age10To14'],
  ['age15_to17', 'age15To17'],
  ['age18_plus', 'age18Plus'],
  ['teachers', 'teachers'],
  ['parents', 'parents'],
];

export const ROLLUP_SUM_COLUMNS = SUMS.map(([column]) => column);

type Counted = Pick<
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

const GRAINS = [
  ['year', 4],
  ['month', 7],
] as const;

/** Key columns shared by both rollups, for one grain. */
function head(grain: (typeof GRAINS)[number], s: Counted): unknown[] {
  return [grain[0], s.status, s.date.slice(0, grain[1]), s.courseId, s.countryCode ?? ''];
}

/**
 * Keeps `cascade_reach_rollups` and `cascade_trainer_rollups` (migration CreateCascadeReachRollups)
 * equal to GROUP BYs over `cascade_sessions`, per year and per month. Called inside the transaction
 * that writes the session, with the row as it was (`before`) and as it is now (`after`): the
 * rollups move with the session or not at all. Upserts are single statements (INSERT … ON CONFLICT
 * DO UPDATE) on both databases, so concurrent writers on PostgreSQL add up instead of overwriting.
 */
export async function moveInRollups(
  tx: EntityManager,
  kind: DatabaseKind,
  before: Counted | null,
  after: Counted | null,
): Promise<void> {
  const changes: Array<[Counted, 1 | -1]> = [];
  if (before && COUNTED.has(before.status)) changes.push([before, -1]);
  if (after && COUNTED.has(after.status)) changes.push([after, 1]);
  // The same order in every transaction, so two PostgreSQL writers lock shared rows in the same order.
  changes.sort(([a], [b]) =>
    `${a.status}|${a.date}|${a.schoolId}|${a.trainerId}`.localeCompare(
      `${b.status}|${b.date}|${b.schoolId}|${b.trainerId}`,
    ),
  );
  for (const grain of GRAINS) for (const [s, sign] of changes) await add(tx, kind, grain, s, sign);
  await moveInMonthReach(
    tx,
    kind,
    changes.map(([s, sign]) => ({
      status: s.status,
      month: s.date.slice(0, 7),
      courseId: s.courseId,
      countryCode: s.countryCode ?? '',
      schoolId: s.schoolId,
      sign,
      sums: SUMS.map(([, field]) => sign * s[field]),
    })),
  );
}

async function add(
  tx: EntityManager,
  kind: DatabaseKind,
  grain: (typeof GRAINS)[number],
  s: Counted,
  sign: 1 | -1,
): Promise<void> {
  const sums = SUMS.map(([, field]) => sign * s[field]);
  const set = ['sessions', ...ROLLUP_SUM_COLUMNS]
    .map((c) => `${c} = cascade_reach_rollups.${c} + excluded.${c}`)
    .join(', ');
  const schoolKey = [...head(grain, s), s.municipalityId ?? '', s.schoolId];
  const trainerKey = [...head(grain, s), s.trainerId];
  await tx.query(
    toDialect(
      kind,
      `INSERT INTO cascade_reach_rollups (grain, status, period, course_id, country_code, municipality_id, school_id, sessions, ${ROLLUP_SUM_COLUMNS.join(', ')})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${ROLLUP_SUM_COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT (grain, status, period, course_id, country_code, municipality_id, school_id) DO UPDATE SET ${set}`,
    ),
    [...schoolKey, sign, ...sums],
  );
  await tx.query(
    toDialect(
      kind,
      `INSERT INTO cascade_trainer_rollups (grain, status, period, course_id, country_code, trainer_id, sessions) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (grain, status, period, course_id, country_code, trainer_id) DO UPDATE SET sessions = cascade_trainer_rollups.sessions + excluded.sessions`,
    ),
    [...trainerKey, sign],
  );
  if (sign < 0) {
    // A school or trainer with no session left in that period must not count as reached.
    const keyMatch = 'grain = ? AND status = ? AND period = ? AND course_id = ? AND country_code = ?';
    await tx.query(
      toDialect(
        kind,
        `DELETE FROM cascade_reach_rollups WHERE ${keyMatch} AND municipality_id = ? AND school_id = ? AND sessions <= 0`,
      ),
      schoolKey,
    );
    await tx.query(
      toDialect(
        kind,
        `DELETE FROM cascade_trainer_rollups WHERE ${keyMatch} AND trainer_id = ? AND sessions <= 0`,
      ),
      trainerKey,
    );
  }
}

/**
 * Rebuilds both rollups (and the month reach built on them) from `cascade_sessions` (after bulk loads that bypass the session service:
 * the demo seed, the benchmark's generator). Same grouping as the migration's backfill.
 */
export async function rebuildRollups(tx: { query(sql: string): Promise<unknown> }): Promise<void> {
  await tx.query('DELETE FROM cascade_reach_rollups');
  await tx.query('DELETE FROM cascade_trainer_rollups');
  for (const [grain, length] of GRAINS) {
    const period = `SUBSTR(date, 1, ${length})`;
    await tx.query(
      `INSERT INTO cascade_reach_rollups (grain, status, period, course_id, country_code, municipality_id, school_id, sessions, ${ROLLUP_SUM_COLUMNS.join(', ')})
       SELECT '${grain}', status, ${period}, course_id, COALESCE(country_code, ''), COALESCE(municipality_id, ''), school_id, COUNT(*), ${ROLLUP_SUM_COLUMNS.map((c) => `SUM(${c})`).join(', ')}
       FROM cascade_sessions WHERE status IN ('submitted', 'confirmed')
       GROUP BY status, ${period}, course_id, COALESCE(country_code, ''), COALESCE(municipality_id, ''), school_id`,
    );
    await tx.query(
      `INSERT INTO cascade_trainer_rollups (grain, status, period, course_id, country_code, trainer_id, sessions)
       SELECT '${grain}', status, ${period}, course_id, COALESCE(country_code, ''), trainer_id, COUNT(*) FROM cascade_sessions WHERE status IN ('submitted', 'confirmed')
       GROUP BY status, ${period}, course_id, COALESCE(country_code, ''), trainer_id`,
    );
  }
  await rebuildMonthReach(tx);
}
