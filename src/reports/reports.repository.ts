import { Injectable } from '@nestjs/common';
import { equalsIgnoringCase } from '../database/dialect';
import { GENERATION_CTE, TRAINER_GENERATION_CTE } from './lineage.query';
import { reachSource } from './reach-source';
import { monthReachRows } from './month-reach.query';
import type { GroupBy, ReportFilters } from './report-filters';
import { ReportReader } from './report-reader';
import { rows, Where } from './sql';

/** Sums of a reach row besides sessions and schools. */
const REACH_SUMS = [
  'female',
  'male',
  'unspecified',
  'under_10',
  '10_14',
  '15_17',
  '18_plus',
  'teachers',
  'parents',
] as const;

export type PrePostAttemptRow = {
  cohort_id: string;
  name: string;
  course_id: string;
  enrolment_id: string;
  kind: string;
  quiz_slug: string;
  score: number;
  attempt_number: number;
  results: string;
};

export type PeopleBySex = Record<'total' | 'female' | 'male' | 'unspecified', number>;

/** Tables whose rows the reach report labels by name. */
export type NamedTable = 'municipalities' | 'schools' | 'users';

/** Rows per `IN (…)` list: a database takes a bounded number of parameters. */
const CHUNK = 500;

const marks = (list: unknown[]) => list.map(() => '?').join(',');

/**
 * The report queries (DESIGN.md "What the program manager must be able to answer"): grouped reads
 * across the modules' tables, the one place besides lineage.repository.ts allowed to (STYLE.md).
 * Each takes the filters with the manager's country scope already applied, so no query leaves it
 * out. They run on the ReportReader (a worker thread on SQLite).
 */
@Injectable()
export class ReportsRepository {
  constructor(private readonly db: ReportReader) {}

  /** The cohorts matching the filters (`h`), by start date and name. */
  cohorts(f: ReportFilters): Promise<Array<{ id: string; name: string; course_id: string }>> {
    const w = cohortWhere(f);
    return rows(
      this.db,
      `SELECT h.id, h.name, h.course_id FROM cohorts h ${w} ORDER BY h.starts_on, h.name`,
      w.params,
      [],
    );
  }

  /** What the completion funnel counts for some cohorts: one grouped query per relation. */
  async completionFacts(cohortIds: string[]) {
    const ids = cohortIds;
    const list = marks(ids);
    const [participants, posts, attendance, days, certs] = await Promise.all([
      rows<{ cohort_id: string; user_id: string; started: number; completed: number; enrolment_id: string }>(
        this.db,
        `SELECT p.cohort_id, p.user_id, p.enrolment_id, CASE WHEN e.started_at IS NULL THEN 0 ELSE 1 END AS started, CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END AS completed
         FROM cohort_participants p JOIN enrolments e ON e.id = p.enrolment_id WHERE p.cohort_id IN (${list})`,
        ids,
        ['started', 'completed'],
      ),
      rows<{ enrolment_id: string; best: number }>(
        this.db,
        `SELECT a.enrolment_id, MAX(a.score) AS best FROM quiz_attempts a JOIN cohort_participants p ON p.enrolment_id = a.enrolment_id
         WHERE a.kind = 'post' AND p.cohort_id IN (${list}) GROUP BY a.enrolment_id`,
        ids,
        ['best'],
      ),
      rows<{ cohort_id: string; user_id: string; attended: number }>(
        this.db,
        `SELECT a.cohort_id, a.user_id, SUM(CASE WHEN a.status IN ('present', 'late') THEN 1 ELSE 0 END) AS attended FROM attendance a
         WHERE a.cohort_id IN (${list}) GROUP BY a.cohort_id, a.user_id`,
        ids,
        ['attended'],
      ),
      rows<{ cohort_id: string; n: number }>(
        this.db,
        `SELECT cohort_id, COUNT(*) AS n FROM cohort_days WHERE cohort_id IN (${list}) GROUP BY cohort_id`,
        ids,
        ['n'],
      ),
      rows<{ cohort_id: string; n: number }>(
        this.db,
        `SELECT cohort_id, COUNT(*) AS n FROM certifications WHERE cohort_id IN (${list}) GROUP BY cohort_id`,
        ids,
        ['n'],
      ),
    ]);
    return { participants, posts, attendance, days, certs };
  }

  /** Every pre- and post-test attempt of the participants of the matching cohorts. */
  prePostAttempts(f: ReportFilters): Promise<PrePostAttemptRow[]> {
    const w = cohortWhere(f);
    return rows<PrePostAttemptRow>(
      this.db,
      `SELECT h.id AS cohort_id, h.name, h.course_id, a.enrolment_id, a.kind, a.quiz_slug, a.score, a.attempt_number, a.results
       FROM quiz_attempts a JOIN cohort_participants p ON p.enrolment_id = a.enrolment_id JOIN cohorts h ON h.id = p.cohort_id
       ${w.toString() ? `${w} AND` : 'WHERE'} a.kind IN ('pre', 'post')`,
      w.params,
      ['score', 'attempt_number'],
    );
  }

  /** Certifications issued in the range, by the cohort's country and course and their state on `today`. */
  certificationStates(f: ReportFilters, today: string, soon: string) {
    const w = issuedWhere(f);
    return rows<{
      country_code: string;
      course_id: string;
      active: number;
      expiring: number;
      expired: number;
      revoked: number;
    }>(
      this.db,
      `SELECT h.country_code, c.course_id,
        SUM(CASE WHEN (c.revoked_on IS NULL OR c.revoked_on > ?) AND c.expires_on >= ? THEN 1 ELSE 0 END) AS active,
        SUM(CASE WHEN (c.revoked_on IS NULL OR c.revoked_on > ?) AND c.expires_on >= ? AND c.expires_on <= ? THEN 1 ELSE 0 END) AS expiring,
        SUM(CASE WHEN (c.revoked_on IS NULL OR c.revoked_on > ?) AND c.expires_on < ? THEN 1 ELSE 0 END) AS expired,
        SUM(CASE WHEN c.revoked_on IS NOT NULL AND c.revoked_on <= ? THEN 1 ELSE 0 END) AS revoked
       FROM certifications c JOIN cohorts h ON h.id = c.cohort_id ${w}
       GROUP BY h.country_code, c.course_id ORDER BY h.country_code`,
      [today, today, today, today, soon, today, today, today, ...w.params],
      ['active', 'expiring', 'expired', 'revoked'],
    );
  }

  /**
   * Cascade reach grouped by `groupBy` (rows keyed `group_key`), the totals over the whole filter
   * (a school in two months counts once) and the ids of the trainers who delivered. Whole years
   * and months come from the rollups (reach-source.ts).
   */
  async reach(f: ReportFilters, groupBy: GroupBy, includeSubmitted: boolean) {
    const keyExpr: Record<GroupBy, string> = {
      country: 'c.country_code',
      municipality: 'c.municipality_id',
      school: 'c.school_id',
      month: 'c.month',
      trainer: 'c.trainer_id',
      // The trainer's program generation (lineage.query.ts); 0 = not in the lineage (no certification traced to a root).
      generation: 'COALESCE(tg.generation, 0)',
    };
    const sums = `SUM(c.sessions) AS sessions, COUNT(DISTINCT c.school_id) AS schools,
        SUM(c.female) AS female, SUM(c.male) AS male, SUM(c.unspecified) AS unspecified,
        SUM(c.age_under10) AS under_10, SUM(c.age10_to14) AS "10_14", SUM(c.age15_to17) AS "15_17", SUM(c.age18_plus) AS "18_plus",
        SUM(c.teachers) AS teachers, SUM(c.parents) AS parents`;
    const byTrainer = groupBy === 'trainer' || groupBy === 'generation';
    const schools = reachSource(f, includeSubmitted, 'schools', {
      sessionsOnly: byTrainer,
      monthly: groupBy === 'month',
    });
    // Generations: every session's trainer joined to their generation, computed by a recursive CTE.
    const withGenerations =
      groupBy === 'generation' ? `WITH RECURSIVE ${GENERATION_CTE}, ${TRAINER_GENERATION_CTE} ` : '';
    const joinGenerations =
      groupBy === 'generation' ? ' LEFT JOIN trainer_gen tg ON tg.trainer_id = c.trainer_id' : '';
    const whole = groupBy === 'month' ? reachSource(f, includeSubmitted, 'schools') : schools;
    const trainers = reachSource(f, includeSubmitted, 'trainers');
    // By month: one row per whole month from the month reach table when it can answer the filters.
    const byMonth = groupBy === 'month' ? monthReachRows(f, includeSubmitted, sums) : undefined;
    const grouped = byMonth ?? {
      sql: `${withGenerations}SELECT ${keyExpr[groupBy]} AS group_key, ${sums} FROM ${schools.sql}${joinGenerations} GROUP BY ${keyExpr[groupBy]} ORDER BY ${keyExpr[groupBy]}`,
      params: schools.params,
    };
    const [groups, [totals], delivering] = await Promise.all([
      rows<Record<string, unknown> & { group_key: string }>(this.db, grouped.sql, grouped.params, [
        'sessions',
        'schools',
        ...REACH_SUMS,
      ]),
      rows<Record<string, number>>(this.db, `SELECT ${sums} FROM ${whole.sql}`, whole.params, [
        'sessions',
        'schools',
        ...REACH_SUMS,
      ]),
      rows<{ trainer_id: string }>(
        this.db,
        `SELECT DISTINCT c.trainer_id FROM ${trainers.sql}`,
        trainers.params,
        [],
      ),
    ]);
    return { groups, totals, delivering: delivering.map((r) => r.trainer_id) };
  }

  /** People who took part in the matching cohorts, in total and by sex. */
  async trainedPeople(f: ReportFilters): Promise<PeopleBySex> {
    const w = cohortWhere(f);
    const [trained] = await rows<PeopleBySex>(
      this.db,
      `SELECT COUNT(DISTINCT p.user_id) AS total,
        COUNT(DISTINCT CASE WHEN u.sex = 'female' THEN p.user_id END) AS female,
        COUNT(DISTINCT CASE WHEN u.sex = 'male' THEN p.user_id END) AS male,
        COUNT(DISTINCT CASE WHEN u.sex NOT IN ('female', 'male') THEN p.user_id END) AS unspecified
       FROM cohort_participants p JOIN cohorts h ON h.id = p.cohort_id JOIN users u ON u.id = p.user_id ${w}`,
      w.params,
      ['total', 'female', 'male', 'unspecified'],
    );
    return trained;
  }

  /** People certified (issued in the range) by the matching cohorts, in total and by sex. */
  async certifiedPeople(f: ReportFilters): Promise<PeopleBySex> {
    const cw = issuedWhere(f);
    const [certified] = await rows<PeopleBySex>(
      this.db,
      `SELECT COUNT(DISTINCT c.user_id) AS total,
        COUNT(DISTINCT CASE WHEN u.sex = 'female' THEN c.user_id END) AS female,
        COUNT(DISTINCT CASE WHEN u.sex = 'male' THEN c.user_id END) AS male,
        COUNT(DISTINCT CASE WHEN u.sex NOT IN ('female', 'male') THEN c.user_id END) AS unspecified
       FROM certifications c JOIN cohorts h ON h.id = c.cohort_id JOIN users u ON u.id = c.user_id ${cw}`,
      cw.params,
      ['total', 'female', 'male', 'unspecified'],
    );
    return certified;
  }

  /** Ids of the trainers certified by the matching cohorts and valid on `today`. */
  async certifiedTrainerIds(f: ReportFilters, today: string): Promise<string[]> {
    const w = cohortWhere({ ...f, from: undefined, to: undefined });
    w.add('c.issued_on <= ?', today)
      .add('c.expires_on >= ?', today)
      .add('(c.revoked_on IS NULL OR c.revoked_on > ?)', today);
    return (
      await rows<{ id: string }>(
        this.db,
        `SELECT DISTINCT c.user_id AS id FROM certifications c JOIN cohorts h ON h.id = c.cohort_id ${w}`,
        w.params,
        [],
      )
    ).map((r) => r.id);
  }

  /** Id and name of rows of `table` by id, in chunks of CHUNK ids (in no particular order). */
  async namesByIds(table: NamedTable, ids: string[]): Promise<Array<{ id: string; name: string }>> {
    const out: Array<{ id: string; name: string }> = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      out.push(
        ...(await rows<{ id: string; name: string }>(
          this.db,
          `SELECT id, name FROM ${table} WHERE id IN (${marks(chunk)})`,
          chunk,
          [],
        )),
      );
    }
    return out;
  }

  /** Every country with its names, or only the given codes. */
  countries(codes?: string[]): Promise<Array<{ code: string; name_en: string; name_es: string }>> {
    if (codes && !codes.length) return Promise.resolve([]);
    return codes
      ? rows(
          this.db,
          `SELECT code, name_en, name_es FROM countries WHERE code IN (${marks(codes)})`,
          codes,
          [],
        )
      : rows(this.db, 'SELECT code, name_en, name_es FROM countries', [], []);
  }

  /** A trainer's own reach: confirmed sessions, students and schools, and sessions waiting for confirmation. */
  async trainerReach(
    trainerId: string,
  ): Promise<{ sessions: number; students: number; schools: number; waiting: number }> {
    const [r] = await rows<{ sessions: number; students: number; schools: number; waiting: number }>(
      this.db,
      `SELECT SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END) AS sessions,
        SUM(CASE WHEN status = 'confirmed' THEN female + male + unspecified ELSE 0 END) AS students,
        COUNT(DISTINCT CASE WHEN status = 'confirmed' THEN school_id END) AS schools,
        SUM(CASE WHEN status = 'submitted' THEN 1 ELSE 0 END) AS waiting
       FROM cascade_sessions WHERE trainer_id = ?`,
      [trainerId],
      ['sessions', 'students', 'schools', 'waiting'],
    );
    return r;
  }

  /**
   * The DHIS2 export's figures: reach per country and org unit (the municipality or the school), and
   * people certified in the period per country and the workshop's municipality name.
   */
  async dhis2Figures(f: ReportFilters, unitColumn: 'school_id' | 'municipality_id') {
    const source = reachSource(f, false, 'schools');
    const unit = `c.${unitColumn}`;
    const cw = new Where().add('c.issued_on >= ?', f.from).add('c.issued_on <= ?', f.to);
    if (f.countryCode) cw.add('h.country_code = ?', f.countryCode);
    const sexes = ['female', 'male', 'unspecified'];
    const [reach, certified] = await Promise.all([
      rows<Record<string, number> & { country_code: string; unit: string }>(
        this.db,
        `SELECT c.country_code, ${unit} AS unit, SUM(c.sessions) AS sessions, COUNT(DISTINCT c.school_id) AS schools,
          SUM(c.female) AS female, SUM(c.male) AS male, SUM(c.unspecified) AS unspecified,
          SUM(c.age_under10) AS under_10, SUM(c.age10_to14) AS "10_14", SUM(c.age15_to17) AS "15_17", SUM(c.age18_plus) AS "18_plus"
         FROM ${source.sql} GROUP BY c.country_code, ${unit}`,
        source.params,
        ['sessions', 'schools', ...sexes, 'under_10', '10_14', '15_17', '18_plus'],
      ),
      // The donor report's "certified" expressions, split by the workshop's place.
      rows<Record<string, number> & { country_code: string; municipality: string | null }>(
        this.db,
        `SELECT h.country_code, h.municipality,
          COUNT(DISTINCT CASE WHEN u.sex = 'female' THEN c.user_id END) AS female,
          COUNT(DISTINCT CASE WHEN u.sex = 'male' THEN c.user_id END) AS male,
          COUNT(DISTINCT CASE WHEN u.sex NOT IN ('female', 'male') THEN c.user_id END) AS unspecified
         FROM certifications c JOIN cohorts h ON h.id = c.cohort_id JOIN users u ON u.id = c.user_id ${cw}
         GROUP BY h.country_code, h.municipality`,
        cw.params,
        sexes,
      ),
    ]);
    return { reach, certified };
  }

  /** The municipalities of some countries. */
  municipalitiesOf(
    countryCodes: string[],
  ): Promise<Array<{ id: string; country_code: string; name: string }>> {
    if (!countryCodes.length) return Promise.resolve([]);
    return rows(
      this.db,
      `SELECT id, country_code, name FROM municipalities WHERE country_code IN (${marks(countryCodes)})`,
      countryCodes,
      [],
    );
  }
}

/** The filters on cohorts (alias `h`): country, municipality, course, cohort, and the dates it ran. */
export function cohortWhere(f: ReportFilters, alias = 'h'): Where {
  const w = new Where();
  if (f.countryCode) w.add(`${alias}.country_code = ?`, f.countryCode);
  if (f.municipality) w.add(equalsIgnoringCase(`${alias}.municipality`), f.municipality.toLowerCase());
  if (f.courseId) w.add(`${alias}.course_id = ?`, f.courseId);
  if (f.cohortId) w.add(`${alias}.id = ?`, f.cohortId);
  if (f.from) w.add(`${alias}.ends_on >= ?`, f.from);
  if (f.to) w.add(`${alias}.starts_on <= ?`, f.to);
  return w;
}

/** The cohort filters without their dates, and certifications (`c`) issued in the range instead. */
function issuedWhere(f: ReportFilters): Where {
  const w = cohortWhere({ ...f, from: undefined, to: undefined });
  if (f.from) w.add('c.issued_on >= ?', f.from);
  if (f.to) w.add('c.issued_on <= ?', f.to);
  return w;
}
