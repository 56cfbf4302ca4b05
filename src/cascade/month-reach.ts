import type { EntityManager } from 'typeorm';
import { type DatabaseKind } from '../database/data-source';
import { toDialect } from '../database/database.service';

/** Every course / every country, in the key columns of `cascade_month_reach`. */
export const ANY = '*';

/** The head counts summed per cell (the same columns as the school rollup). */
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
] as const;

/** A counted session's change, as moveInRollups sees it: +1 when it enters the counts, -1 when it leaves. */
export interface MonthChange {
  status: string;
  month: string;
  courseId: string;
  countryCode: string;
  schoolId: string;
  sign: 1 | -1;
  sums: number[];
}

interface Cell {
  statusKey: 'confirmed' | 'all';
  courseKey: string;
  countryKey: string;
  period: string;
}

const cellKey = (c: Cell) => `${c.statusKey}|${c.courseKey}|${c.countryKey}|${c.period}`;

/** The cells a session with this status, course and country counts in (1 × 2 × 2 or 2 × 2 × 2). */
function cellsOf(status: string, month: string, courseId: string, countryCode: string): Cell[] {
  const statusKeys: Cell['statusKey'][] = status === 'confirmed' ? ['confirmed', 'all'] : ['all'];
  return statusKeys.flatMap((statusKey) =>
    [courseId, ANY].flatMap((courseKey) =>
      [countryCode, ANY].map((countryKey) => ({ statusKey, courseKey, countryKey, period: month })),
    ),
  );
}

const inCell = (cell: Cell, row: { status: string; course_id: string; country_code: string }) =>
  (cell.statusKey === 'all' || row.status === 'confirmed') &&
  (cell.courseKey === ANY || cell.courseKey === row.course_id) &&
  (cell.countryKey === ANY || cell.countryKey === row.country_code);

/**
 * Keeps `cascade_month_reach` (migration CreateCascadeMonthReach) equal to its rebuild: per month,
 * per status set, per course (or every course) and per country (or every country), the sessions,
 * head counts and the number of distinct schools reached. Runs in the session's transaction after
 * the school rollup has moved (reach-rollups.ts), because a school's count in a cell is read from
 * its monthly rollup rows: it is reached in the cell when it has a session there, so the cell's
 * `schools` changes only when that number goes from 0 to more or back. Cells are written in one
 * sorted order, so two PostgreSQL writers lock them in the same order.
 */
export async function moveInMonthReach(
  tx: EntityManager,
  kind: DatabaseKind,
  changes: MonthChange[],
): Promise<void> {
  if (!changes.length) return;
  const deltas = new Map<string, { cell: Cell; sessions: number; sums: number[]; schools: number }>();
  const deltaOf = (cell: Cell) => {
    const key = cellKey(cell);
    let d = deltas.get(key);
    if (!d) deltas.set(key, (d = { cell, sessions: 0, sums: SUMS.map(() => 0), schools: 0 }));
    return d;
  };
  for (const c of changes)
    for (const cell of cellsOf(c.status, c.month, c.courseId, c.countryCode)) {
      const d = deltaOf(cell);
      d.sessions += c.sign;
      c.sums.forEach((v, i) => (d.sums[i] += v));
    }
  // Distinct schools: per school and month, its sessions in each touched cell now, and before the changes.
  const schoolMonths = new Map<string, MonthChange[]>();
  for (const c of changes) {
    const key = `${c.month}|${c.schoolId}`;
    schoolMonths.set(key, [...(schoolMonths.get(key) ?? []), c]);
  }
  for (const group of schoolMonths.values()) {
    const { month, schoolId } = group[0];
    const rows = (await tx.query(
      toDialect(
        kind,
        `SELECT status, course_id, country_code, SUM(sessions) AS sessions FROM cascade_reach_rollups
         WHERE grain = 'month' AND period = ? AND school_id = ? GROUP BY status, course_id, country_code`,
      ),
      [month, schoolId],
    )) as Array<{ status: string; course_id: string; country_code: string; sessions: number | string }>;
    const touched = new Map<string, Cell>();
    for (const c of group)
      for (const cell of cellsOf(c.status, c.month, c.courseId, c.countryCode))
        touched.set(cellKey(cell), cell);
    for (const cell of touched.values()) {
      const now = rows.filter((r) => inCell(cell, r)).reduce((n, r) => n + Number(r.sessions), 0);
      const moved = group
        .filter((c) => inCell(cell, { status: c.status, course_id: c.courseId, country_code: c.countryCode }))
        .reduce((n, c) => n + c.sign, 0);
      deltaOf(cell).schools += Number(now > 0) - Number(now - moved > 0);
    }
  }
  const columns = ['sessions', ...SUMS, 'schools'];
  const set = columns.map((c) => `${c} = cascade_month_reach.${c} + excluded.${c}`).join(', ');
  const sorted = [...deltas.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
  for (const { cell, sessions, sums, schools } of sorted) {
    const key = [cell.statusKey, cell.courseKey, cell.countryKey, cell.period];
    await tx.query(
      toDialect(
        kind,
        `INSERT INTO cascade_month_reach (status_key, course_key, country_key, period, ${columns.join(', ')})
         VALUES (?, ?, ?, ?, ${columns.map(() => '?').join(', ')})
         ON CONFLICT (status_key, course_key, country_key, period) DO UPDATE SET ${set}`,
      ),
      [...key, sessions, ...sums, schools],
    );
    if (sessions < 0)
      await tx.query(
        toDialect(
          kind,
          'DELETE FROM cascade_month_reach WHERE status_key = ? AND course_key = ? AND country_key = ? AND period = ? AND sessions <= 0',
        ),
        key,
      );
  }
}

/** Rebuilds `cascade_month_reach` from the monthly school rollup (after rebuildRollups). */
export async function rebuildMonthReach(tx: { query(sql: string): Promise<unknown> }): Promise<void> {
  await tx.query('DELETE FROM cascade_month_reach');
  for (const [statusKey, statuses] of [
    ['confirmed', "('confirmed')"],
    ['all', "('submitted', 'confirmed')"],
  ])
    for (const course of ['course_id', `'${ANY}'`])
      for (const country of ['country_code', `'${ANY}'`]) {
        // PostgreSQL refuses a constant in GROUP BY: group by the real columns only.
        const groups = ['period', course, country].filter((c) => !c.startsWith("'")).join(', ');
        await tx.query(
          `INSERT INTO cascade_month_reach (status_key, course_key, country_key, period, sessions, ${SUMS.join(', ')}, schools)
           SELECT '${statusKey}', ${course}, ${country}, period, SUM(sessions), ${SUMS.map((c) => `SUM(${c})`).join(', ')}, COUNT(DISTINCT school_id)
           FROM cascade_reach_rollups WHERE grain = 'month' AND status IN ${statuses} GROUP BY ${groups}`,
        );
      }
}
