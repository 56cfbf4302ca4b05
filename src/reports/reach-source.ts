import { equalsIgnoringCase, monthOf as sqlMonthOf } from '../database/dialect';
import type { ReportFilters } from './report-filters';
import { Where } from './sql';

/** A date range split into whole months (read from the rollups) and partial edge ranges (read from sessions). */
export interface MonthSpan {
  /** First and last whole month ('YYYY-MM'); undefined = open. `none` when no month is whole. */
  fromMonth?: string;
  toMonth?: string;
  none: boolean;
  /** Date ranges (inclusive) outside the whole months, at most two. */
  edges: Array<{ from: string; to: string }>;
}

const pad = (n: number) => String(n).padStart(2, '0');
const monthOf = (date: string) => date.slice(0, 7);
function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}
const firstDay = (month: string) => `${month}-01`;
function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
}

/** Splits [from, to] (inclusive dates, either open) into whole months and edge ranges. */
export function monthSpan(from?: string, to?: string): MonthSpan {
  const edges: Array<{ from: string; to: string }> = [];
  let fromMonth: string | undefined;
  let toMonth: string | undefined;
  if (from) {
    fromMonth = from === firstDay(monthOf(from)) ? monthOf(from) : shiftMonth(monthOf(from), 1);
    if (fromMonth !== monthOf(from)) {
      const end = lastDay(monthOf(from));
      edges.push({ from, to: to && to < end ? to : end });
    }
  }
  if (to) {
    toMonth = to >= lastDay(monthOf(to)) ? monthOf(to) : shiftMonth(monthOf(to), -1);
    if (toMonth !== monthOf(to)) {
      const start = firstDay(monthOf(to));
      const edge = { from: from && from > start ? from : start, to };
      if (!edges.some((e) => e.from === edge.from && e.to === edge.to)) edges.push(edge);
    }
  }
  const none = fromMonth !== undefined && toMonth !== undefined && fromMonth > toMonth;
  return { fromMonth, toMonth, none, edges: edges.filter((e) => e.from <= e.to) };
}

/** [from, to] as whole years, whole months outside them, and partial-month day ranges. */
export interface PeriodSpan {
  /** Whole years ('YYYY', either end open), or null when no year is whole. */
  years: { from?: string; to?: string } | null;
  /** Whole months ('YYYY-MM') outside the whole years, at most two ranges. */
  months: Array<{ from?: string; to?: string }>;
  /** Day ranges outside the whole months, at most two. */
  days: Array<{ from: string; to: string }>;
}

export function periodSpan(from?: string, to?: string): PeriodSpan {
  const m = monthSpan(from, to);
  if (m.none) return { years: null, months: [], days: m.edges };
  const year = (month: string) => Number(month.slice(0, 4));
  const firstYear =
    m.fromMonth === undefined
      ? undefined
      : m.fromMonth.endsWith('-01')
        ? year(m.fromMonth)
        : year(m.fromMonth) + 1;
  const lastYear =
    m.toMonth === undefined ? undefined : m.toMonth.endsWith('-12') ? year(m.toMonth) : year(m.toMonth) - 1;
  if (firstYear !== undefined && lastYear !== undefined && firstYear > lastYear) {
    return { years: null, months: [{ from: m.fromMonth, to: m.toMonth }], days: m.edges };
  }
  const months: Array<{ from?: string; to?: string }> = [];
  if (m.fromMonth && !m.fromMonth.endsWith('-01'))
    months.push({ from: m.fromMonth, to: `${year(m.fromMonth)}-12` });
  if (m.toMonth && !m.toMonth.endsWith('-12')) months.push({ from: `${year(m.toMonth)}-01`, to: m.toMonth });
  return { years: { from: firstYear?.toString(), to: lastYear?.toString() }, months, days: m.edges };
}

/** Columns every reach source yields, under the same names whichever table they come from. */
const COUNT_COLUMNS = [
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

export type ReachSourceKind = 'schools' | 'trainers';

/**
 * The rows the cascade reach report aggregates, as a FROM-able subquery `c` with columns month
 * ('YYYY-MM', or 'YYYY' for a whole-year row unless `monthly`), country_code, municipality_id,
 * school_id or trainer_id, sessions and (for schools) the head counts. Whole years and whole months
 * come from the rollups kept with every session write; the partial months at the edges of the date
 * range from `cascade_sessions` itself. Filters the rollups cannot answer (a
 * cohort: its trainers) or a grouping by trainer of the head counts read `cascade_sessions` alone.
 */
export function reachSource(
  f: ReportFilters,
  includeSubmitted: boolean,
  kind: ReachSourceKind,
  options: { sessionsOnly?: boolean; monthly?: boolean } = {},
): { sql: string; params: unknown[] } {
  const { sessionsOnly = false, monthly = false } = options;
  const statuses = includeSubmitted ? "('confirmed', 'submitted')" : "('confirmed')";
  const who = kind === 'schools' ? 'school_id' : 'trainer_id';
  const counts = kind === 'schools' ? COUNT_COLUMNS : [];
  const place = (w: Where, alias: string) => {
    if (f.countryCode) w.add(`${alias}.country_code = ?`, f.countryCode);
    if (f.municipality)
      w.add(
        `${alias}.municipality_id IN (SELECT m.id FROM municipalities m WHERE ${equalsIgnoringCase('m.name')})`,
        f.municipality.toLowerCase(),
      );
    if (f.courseId) w.add(`${alias}.course_id = ?`, f.courseId);
    return w;
  };
  const fromSessions = (range: { from?: string; to?: string }) => {
    const w = new Where().add(`s.status IN ${statuses}`);
    if (range.from) w.add('s.date >= ?', range.from);
    if (range.to) w.add('s.date <= ?', range.to);
    place(w, 's');
    // A cohort filter keeps the sessions of the trainers certified from that cohort (the cascade it started).
    if (f.cohortId)
      w.add('s.trainer_id IN (SELECT x.user_id FROM certifications x WHERE x.cohort_id = ?)', f.cohortId);
    const extra = sessionsOnly && kind === 'schools' ? ', s.trainer_id' : '';
    return {
      sql: `SELECT ${sqlMonthOf('s.date')} AS month, COALESCE(s.country_code, '') AS country_code, COALESCE(s.municipality_id, '') AS municipality_id, s.${who}${extra}, 1 AS sessions${counts.map((c) => `, s.${c}`).join('')}
            FROM cascade_sessions s ${w}`,
      params: w.params,
    };
  };
  if (sessionsOnly || f.cohortId || (kind === 'trainers' && f.municipality)) {
    const one = fromSessions({ from: f.from, to: f.to });
    return { sql: `(${one.sql}) c`, params: one.params };
  }
  const span = periodSpan(f.from, f.to);
  if (monthly && span.years) {
    // Grouped by month: whole years are read as their months (a year row has no month to group by).
    span.months.push({
      from: span.years.from && `${span.years.from}-01`,
      to: span.years.to && `${span.years.to}-12`,
    });
    span.years = null;
  }
  const table = kind === 'schools' ? 'cascade_reach_rollups' : 'cascade_trainer_rollups';
  const fromRollup = (grain: 'year' | 'month', range: { from?: string; to?: string }) => {
    const w = new Where().add('r.grain = ?', grain).add(`r.status IN ${statuses}`);
    if (range.from) w.add('r.period >= ?', range.from);
    if (range.to) w.add('r.period <= ?', range.to);
    place(w, 'r');
    const municipality = kind === 'schools' ? 'r.municipality_id' : "'' AS municipality_id";
    return {
      sql: `SELECT r.period AS month, r.country_code, ${municipality}, r.${who}, r.sessions${counts.map((c) => `, r.${c}`).join('')} FROM ${table} r ${w}`,
      params: w.params,
    };
  };
  const parts = [
    ...(span.years ? [fromRollup('year', span.years)] : []),
    ...span.months.map((range) => fromRollup('month', range)),
    ...span.days.map((range) => fromSessions(range)),
  ];
  if (!parts.length) parts.push(fromSessions({ from: f.from, to: f.to }));
  return {
    sql: `(${parts.map((p) => p.sql).join(' UNION ALL ')}) c`,
    params: parts.flatMap((p) => p.params),
  };
}
