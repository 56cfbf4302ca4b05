import type { ReportFilters } from './report-filters';
import { monthSpan, reachSource } from './reach-source';
import { Where } from './sql';

/** "Every course" / "every country" in `cascade_month_reach` (migration CreateCascadeMonthReach). */
const ANY = '*';

/**
 * The reach report's rows grouped by month, read from `cascade_month_reach`: one row per whole
 * month, with its distinct schools already counted, instead of every school's monthly rollup row
 * (docs/performance.md). The partial months at the edges of the range come from the sessions, as in
 * `reachSource`; they are other months than the whole ones, so the two parts never share a key.
 * `sums` is the report's select list (sessions, schools, head counts) over a source aliased `c`.
 * Undefined when the table cannot answer: a municipality or cohort filter (the table keeps neither;
 * those reports are small and read the school rollup), or a range with nothing in it.
 */
export function monthReachRows(
  f: ReportFilters,
  includeSubmitted: boolean,
  sums: string,
): { sql: string; params: unknown[] } | undefined {
  if (f.cohortId || f.municipality) return undefined;
  const span = monthSpan(f.from, f.to);
  const parts: Array<{ sql: string; params: unknown[] }> = [];
  if (!span.none) {
    const w = new Where()
      .add('r.status_key = ?', includeSubmitted ? 'all' : 'confirmed')
      .add('r.course_key = ?', f.courseId ?? ANY)
      .add('r.country_key = ?', f.countryCode ?? ANY);
    if (span.fromMonth) w.add('r.period >= ?', span.fromMonth);
    if (span.toMonth) w.add('r.period <= ?', span.toMonth);
    parts.push({
      sql: `SELECT r.period AS group_key, r.sessions, r.schools, r.female, r.male, r.unspecified,
        r.age_under10 AS under_10, r.age10_to14 AS "10_14", r.age15_to17 AS "15_17", r.age18_plus AS "18_plus",
        r.teachers, r.parents FROM cascade_month_reach r ${w}`,
      params: w.params,
    });
  }
  for (const edge of span.edges) {
    const source = reachSource({ ...f, ...edge }, includeSubmitted, 'schools', { monthly: true });
    parts.push({
      sql: `SELECT c.month AS group_key, ${sums} FROM ${source.sql} GROUP BY c.month`,
      params: source.params,
    });
  }
  if (!parts.length) return undefined;
  return {
    sql: `${parts.map((p) => p.sql).join(' UNION ALL ')} ORDER BY group_key`,
    params: parts.flatMap((p) => p.params),
  };
}
