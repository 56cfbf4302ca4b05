import { onConflictUpdate } from '../database/dialect';
import { ROLLUP_SUM_COLUMNS } from './rollup-columns';

/** Every course / every country, in the key columns of `cascade_month_reach`. */
export const ANY = '*';

/** The head counts summed per cell: the school rollup's columns. */
const SUMS = ROLLUP_SUM_COLUMNS;

/** A counted session's change, as rollupChanges gives it: +1 when it enters the counts, -1 when it leaves. */
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

/** A school's rows of one month in the school rollup, by status, course and country. */
export interface SchoolMonthRow {
  status: string;
  course_id: string;
  country_code: string;
  sessions: number | string;
}

/** Parameters: month ('YYYY-MM'), school id. Served by the (grain, period, school_id) index. */
export const SCHOOL_MONTH_ROWS_SQL = `SELECT status, course_id, country_code, SUM(sessions) AS sessions FROM cascade_reach_rollups
  WHERE grain = 'month' AND period = ? AND school_id = ? GROUP BY status, course_id, country_code`;

/** The (month, school) pairs whose rollup rows monthReachStatements needs, each once. */
export function schoolMonthsOf(
  changes: MonthChange[],
): Array<{ key: string; month: string; schoolId: string }> {
  const pairs = new Map<string, { key: string; month: string; schoolId: string }>();
  for (const c of changes) {
    const key = `${c.month}|${c.schoolId}`;
    if (!pairs.has(key)) pairs.set(key, { key, month: c.month, schoolId: c.schoolId });
  }
  return [...pairs.values()];
}

/**
 * What keeps `cascade_month_reach` (migration CreateCascadeMonthReach) equal to its rebuild: per
 * month, per status set, per course (or every course) and per country (or every country), the
 * sessions, head counts and the number of distinct schools reached. Run in the session's transaction
 * after the school rollup has moved, with each touched school's monthly rollup rows as they are now
 * (`rowsBySchoolMonth`, keyed as schoolMonthsOf): a school is reached in a cell while it has a session
 * there, so the cell's `schools` changes only when that number goes from 0 to more or back. Cells
 * come out in one sorted order, so two PostgreSQL writers lock them in the same order.
 */
export function monthReachStatements(
  changes: MonthChange[],
  rowsBySchoolMonth: Map<string, SchoolMonthRow[]>,
): Array<{ sql: string; params: unknown[] }> {
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
  for (const { key } of schoolMonthsOf(changes)) {
    const group = changes.filter((c) => `${c.month}|${c.schoolId}` === key);
    const rows = rowsBySchoolMonth.get(key) ?? [];
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
  return sorted.flatMap(({ cell, sessions, sums, schools }) => {
    const key = [cell.statusKey, cell.courseKey, cell.countryKey, cell.period];
    return [
      {
        sql: `INSERT INTO cascade_month_reach (status_key, course_key, country_key, period, ${columns.join(', ')})
         VALUES (?, ?, ?, ?, ${columns.map(() => '?').join(', ')})
         ${onConflictUpdate(['status_key', 'course_key', 'country_key', 'period'], set)}`,
        params: [...key, sessions, ...sums, schools],
      },
      ...(sessions < 0
        ? [
            {
              sql: 'DELETE FROM cascade_month_reach WHERE status_key = ? AND course_key = ? AND country_key = ? AND period = ? AND sessions <= 0',
              params: key,
            },
          ]
        : []),
    ];
  });
}

/** The statements that rebuild `cascade_month_reach` from the monthly school rollup (after it is rebuilt). */
export function monthReachRebuildStatements(): string[] {
  const statements = ['DELETE FROM cascade_month_reach'];
  for (const [statusKey, statuses] of [
    ['confirmed', "('confirmed')"],
    ['all', "('submitted', 'confirmed')"],
  ])
    for (const course of ['course_id', `'${ANY}'`])
      for (const country of ['country_code', `'${ANY}'`]) {
        // PostgreSQL refuses a constant in GROUP BY: group by the real columns only.
        const groups = ['period', course, country].filter((c) => !c.startsWith("'")).join(', ');
        statements.push(
          `INSERT INTO cascade_month_reach (status_key, course_key, country_key, period, sessions, ${SUMS.join(', ')}, schools)
           SELECT '${statusKey}', ${course}, ${country}, period, SUM(sessions), ${SUMS.map((c) => `SUM(${c})`).join(', ')}, COUNT(DISTINCT school_id)
           FROM cascade_reach_rollups WHERE grain = 'month' AND status IN ${statuses} GROUP BY ${groups}`,
        );
      }
  return statements;
}
