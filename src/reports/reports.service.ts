import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/kernel/auth-user';
import { Clock } from '../common/clock';
import { CatalogueService, CourseOutline } from '../courses/catalogue.service';
import { pick } from '../courses/course.view';
import { ReportReader } from './report-reader';
import { addDays } from '../certification/validity';
import type { Language } from '../common/kernel/user-role.enum';
import { GroupBy, ReportFilters, ReportQuery, scopedCountry } from './report-filters';
import { reachSource } from './reach-source';
import { monthReachRows } from './month-reach.query';
import { GENERATION_CTE, TRAINER_GENERATION_CTE } from './lineage.query';
import { formatNumber, t } from '../i18n/i18n';
import { rows, Where } from './sql';

export interface CompletionRow {
  key: string;
  label: string;
  courseSlug: string;
  cohortId: string | null;
  enrolled: number;
  started: number;
  lessonsComplete: number;
  passedPost: number;
  attendanceMet: number;
  certified: number;
}

export interface ReachRow {
  key: string;
  label: string;
  sessions: number;
  schools: number;
  students: number;
  female: number;
  male: number;
  unspecified: number;
  under_10: number;
  '10_14': number;
  '15_17': number;
  '18_plus': number;
  teachers: number;
  parents: number;
}

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

/**
 * The read-only questions of DESIGN.md "What the program manager must be able to answer". Each
 * report is a handful of grouped queries assembled in memory; the manager's country scope is part
 * of every query. Only this module reads across the others' tables.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly db: ReportReader,
    private readonly catalogue: CatalogueService,
    private readonly clock: Clock,
  ) {}

  /** Validated filters with the actor's scope applied; undefined when the ask is outside the scope. */
  async filters(actor: AuthUser, query: ReportQuery): Promise<ReportFilters | undefined> {
    const country = scopedCountry(actor, query.countryCode);
    if (country.empty) return undefined;
    let courseId: string | undefined;
    if (query.courseSlug) {
      const outline = await this.catalogue.currentOutline(query.courseSlug);
      if (!outline) return undefined;
      courseId = outline.courseId;
    }
    return {
      from: query.from,
      to: query.to,
      countryCode: country.countryCode,
      municipality: query.municipality,
      courseId,
      cohortId: query.cohortId,
    };
  }

  private cohortWhere(f: ReportFilters, alias = 'h'): Where {
    const w = new Where();
    if (f.countryCode) w.add(`${alias}.country_code = ?`, f.countryCode);
    if (f.municipality) w.add(`LOWER(${alias}.municipality) = ?`, f.municipality.toLowerCase());
    if (f.courseId) w.add(`${alias}.course_id = ?`, f.courseId);
    if (f.cohortId) w.add(`${alias}.id = ?`, f.cohortId);
    if (f.from) w.add(`${alias}.ends_on >= ?`, f.from);
    if (f.to) w.add(`${alias}.starts_on <= ?`, f.to);
    return w;
  }

  /** 1. Completion funnel, one row per (course, cohort). */
  async completion(f: ReportFilters, lang: Language): Promise<CompletionRow[]> {
    const w = this.cohortWhere(f);
    const cohorts = await rows<{ id: string; name: string; course_id: string }>(
      this.db,
      `SELECT h.id, h.name, h.course_id FROM cohorts h ${w} ORDER BY h.starts_on, h.name`,
      w.params,
      [],
    );
    if (!cohorts.length) return [];
    const ids = cohorts.map((c) => c.id);
    const marks = ids.map(() => '?').join(',');
    const [participants, posts, attendance, days, certs, outlines] = await Promise.all([
      rows<{ cohort_id: string; user_id: string; started: number; completed: number; enrolment_id: string }>(
        this.db,
        `SELECT p.cohort_id, p.user_id, p.enrolment_id, CASE WHEN e.started_at IS NULL THEN 0 ELSE 1 END AS started, CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END AS completed
         FROM cohort_participants p JOIN enrolments e ON e.id = p.enrolment_id WHERE p.cohort_id IN (${marks})`,
        ids,
        ['started', 'completed'],
      ),
      rows<{ enrolment_id: string; best: number }>(
        this.db,
        `SELECT a.enrolment_id, MAX(a.score) AS best FROM quiz_attempts a JOIN cohort_participants p ON p.enrolment_id = a.enrolment_id
         WHERE a.kind = 'post' AND p.cohort_id IN (${marks}) GROUP BY a.enrolment_id`,
        ids,
        ['best'],
      ),
      rows<{ cohort_id: string; user_id: string; attended: number }>(
        this.db,
        `SELECT a.cohort_id, a.user_id, SUM(CASE WHEN a.status IN ('present', 'late') THEN 1 ELSE 0 END) AS attended FROM attendance a
         WHERE a.cohort_id IN (${marks}) GROUP BY a.cohort_id, a.user_id`,
        ids,
        ['attended'],
      ),
      rows<{ cohort_id: string; n: number }>(
        this.db,
        `SELECT cohort_id, COUNT(*) AS n FROM cohort_days WHERE cohort_id IN (${marks}) GROUP BY cohort_id`,
        ids,
        ['n'],
      ),
      rows<{ cohort_id: string; n: number }>(
        this.db,
        `SELECT cohort_id, COUNT(*) AS n FROM certifications WHERE cohort_id IN (${marks}) GROUP BY cohort_id`,
        ids,
        ['n'],
      ),
      this.catalogue.currentOutlines(),
    ]);
    const best = new Map(posts.map((p) => [p.enrolment_id, p.best]));
    const attended = new Map(attendance.map((a) => [`${a.cohort_id}:${a.user_id}`, a.attended]));
    const dayCount = new Map(days.map((d) => [d.cohort_id, d.n]));
    const certified = new Map(certs.map((c) => [c.cohort_id, c.n]));
    return cohorts.map((c) => {
      const outline = outlines.find((o) => o.courseId === c.course_id);
      const rule = outline?.manifest.certification;
      const passMark =
        outline?.quizzes.find((q) => q.kind === 'post')?.passMark ?? rule?.postTestPassMark ?? 100;
      const mine = participants.filter((p) => p.cohort_id === c.id);
      const totalDays = dayCount.get(c.id) ?? 0;
      const attendanceMet = mine.filter((p) => {
        if (!rule || rule.attendancePercent === 0) return true;
        return (
          totalDays > 0 &&
          ((attended.get(`${c.id}:${p.user_id}`) ?? 0) * 100) / totalDays >= rule.attendancePercent
        ); // same arithmetic as eligibility
      }).length;
      return {
        key: c.id,
        label: `${c.name} · ${outline ? pick(outline.manifest.title, lang) : ''}`,
        courseSlug: outline?.slug ?? '',
        cohortId: c.id,
        enrolled: mine.length,
        started: mine.filter((p) => p.started).length,
        lessonsComplete: mine.filter((p) => p.completed).length,
        passedPost: mine.filter((p) => (best.get(p.enrolment_id) ?? -1) >= passMark).length,
        attendanceMet,
        certified: certified.get(c.id) ?? 0,
      };
    });
  }

  /** 2. Knowledge gain: pre-test vs best post-test per (course, cohort), and per-question difficulty. */
  async knowledgeGain(f: ReportFilters, lang: Language) {
    const w = this.cohortWhere(f);
    const attempts = await rows<{
      cohort_id: string;
      name: string;
      course_id: string;
      enrolment_id: string;
      kind: string;
      quiz_slug: string;
      score: number;
      attempt_number: number;
      results: string;
    }>(
      this.db,
      `SELECT h.id AS cohort_id, h.name, h.course_id, a.enrolment_id, a.kind, a.quiz_slug, a.score, a.attempt_number, a.results
       FROM quiz_attempts a JOIN cohort_participants p ON p.enrolment_id = a.enrolment_id JOIN cohorts h ON h.id = p.cohort_id
       ${w.toString() ? `${w} AND` : 'WHERE'} a.kind IN ('pre', 'post')`,
      w.params,
      ['score', 'attempt_number'],
    );
    const outlines = await this.catalogue.currentOutlines();
    const byCohort = new Map<string, typeof attempts>();
    for (const a of attempts) byCohort.set(a.cohort_id, [...(byCohort.get(a.cohort_id) ?? []), a]);
    const round1 = (n: number) => Math.round(n * 10) / 10;
    const tableRows = [...byCohort.entries()].map(([cohortId, list]) => {
      const outline = outlines.find((o) => o.courseId === list[0].course_id);
      const pre = new Map<string, number>();
      const post = new Map<string, number>();
      for (const a of list) {
        if (a.kind === 'pre' && a.attempt_number === 1) pre.set(a.enrolment_id, a.score);
        if (a.kind === 'post') post.set(a.enrolment_id, Math.max(post.get(a.enrolment_id) ?? 0, a.score));
      }
      const both = [...pre.keys()].filter((id) => post.has(id));
      const avg = (values: number[]) =>
        values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
      const preAverage = avg(both.map((id) => pre.get(id) as number));
      const postAverage = avg(both.map((id) => post.get(id) as number));
      return {
        key: cohortId,
        label: `${list[0].name} · ${outline ? pick(outline.manifest.title, lang) : ''}`,
        courseSlug: outline?.slug ?? '',
        cohortId,
        preAverage: preAverage === null ? null : round1(preAverage),
        postAverage: postAverage === null ? null : round1(postAverage),
        gain: preAverage === null || postAverage === null ? null : round1(postAverage - preAverage),
        n: both.length,
      };
    });
    // Per-question difficulty: share of attempts that answered each question right (first pre-test attempt, every post-test attempt).
    const questionStats = new Map<
      string,
      { quizSlug: string; kind: string; courseId: string; questionId: string; right: number; total: number }
    >();
    for (const a of attempts) {
      if (a.kind === 'pre' && a.attempt_number !== 1) continue;
      const results = JSON.parse(a.results) as Record<string, boolean>;
      for (const [questionId, right] of Object.entries(results)) {
        const key = `${a.course_id}:${a.quiz_slug}:${questionId}`;
        const stat = questionStats.get(key) ?? {
          quizSlug: a.quiz_slug,
          kind: a.kind,
          courseId: a.course_id,
          questionId,
          right: 0,
          total: 0,
        };
        stat.total++;
        if (right) stat.right++;
        questionStats.set(key, stat);
      }
    }
    const gains = anchorGains(attempts, outlines);
    const questions = [...questionStats.values()]
      .map((s) => {
        const outline = outlines.find((o) => o.courseId === s.courseId);
        const question = outline?.quizzes
          .find((q) => q.slug === s.quizSlug)
          ?.questions.find((q) => q.id === s.questionId);
        const gain = question?.anchor ? gains.get(`${s.courseId}:${s.questionId}`) : undefined;
        return {
          courseSlug: outline?.slug ?? '',
          quizSlug: s.quizSlug,
          kind: s.kind,
          questionId: s.questionId,
          text: question ? pick(question.text, lang) : s.questionId,
          answered: s.total,
          percentCorrect: round1((s.right / s.total) * 100),
          // Anchor items (shared by pre- and post-test): the same participants before and after, when some took both.
          anchor: question?.anchor === true,
          ...(gain
            ? {
                pairedParticipants: gain.n,
                prePercentCorrect: round1((gain.pre / gain.n) * 100),
                postPercentCorrect: round1((gain.post / gain.n) * 100),
                gain: round1(((gain.post - gain.pre) / gain.n) * 100),
              }
            : {}),
        };
      })
      .sort((a, b) => a.percentCorrect - b.percentCorrect);
    // One line per anchor item for the page's gain table (the JSON carries the same figures on each question).
    const anchors = [...gains.entries()]
      .map(([key, g]) => {
        const [courseId, questionId] = key.split(':');
        const outline = outlines.find((o) => o.courseId === courseId);
        const question = outline?.quizzes
          .find((q) => q.kind === 'post')
          ?.questions.find((q) => q.id === questionId);
        return {
          courseSlug: outline?.slug ?? '',
          questionId,
          text: question ? pick(question.text, lang) : questionId,
          pairedParticipants: g.n,
          prePercentCorrect: round1((g.pre / g.n) * 100),
          postPercentCorrect: round1((g.post / g.n) * 100),
          gain: round1(((g.post - g.pre) / g.n) * 100),
        };
      })
      .sort((a, b) => a.gain - b.gain || a.questionId.localeCompare(b.questionId));
    return { rows: tableRows, questions, anchors };
  }

  /** 3. Certifications by the cohort's country and course: active, expiring within 90 days, expired, revoked. */
  async certifications(f: ReportFilters, lang: Language) {
    const today = this.clock.today();
    const soon = addDays(today, 90);
    const w = this.cohortWhere({ ...f, from: undefined, to: undefined });
    if (f.from) w.add('c.issued_on >= ?', f.from);
    if (f.to) w.add('c.issued_on <= ?', f.to);
    const result = await rows<{
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
    const [outlines, countries] = await Promise.all([
      this.catalogue.currentOutlines(),
      this.countryNames(lang),
    ]);
    return result.map((r) => {
      const outline = outlines.find((o) => o.courseId === r.course_id);
      return {
        key: r.country_code,
        label: `${countries.get(r.country_code) ?? r.country_code} · ${outline ? pick(outline.manifest.title, lang) : ''}`,
        countryCode: r.country_code,
        courseSlug: outline?.slug ?? '',
        active: r.active,
        expiringSoon: r.expiring,
        expired: r.expired,
        revoked: r.revoked,
      };
    });
  }

  /**
   * 4. Cascade reach grouped by country, municipality, school, month or trainer; confirmed sessions
   * unless `all`. Whole years and months are read from the rollups kept with every session
   * write (reach-source.ts), so a year of a million-session program is a few thousand rows.
   */
  async cascade(f: ReportFilters, groupBy: GroupBy, includeSubmitted: boolean, lang: Language) {
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
    const [result, [total], delivering, certified] = await Promise.all([
      rows<Record<string, unknown> & { group_key: string }>(this.db, grouped.sql, grouped.params, [
        'sessions',
        'schools',
        ...REACH_SUMS,
      ]),
      // Totals: schools are distinct over the whole filter (a school in two months counts once).
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
      this.certifiedTrainers(f),
    ]);
    if (groupBy === 'generation') {
      // Keys '1', '2', … in numeric order; trainers outside the lineage last, as 'none'.
      for (const r of result) r.group_key = Number(r.group_key) === 0 ? 'none' : String(Number(r.group_key));
      result.sort((a, b) =>
        a.group_key === 'none' ? 1 : b.group_key === 'none' ? -1 : Number(a.group_key) - Number(b.group_key),
      );
    }
    const labels = await this.labelsFor(
      groupBy,
      result.map((r) => String(r.group_key)),
      lang,
    );
    const reachRows: ReachRow[] = result.map((r) => ({
      // API.md: a municipality row's key is its name (the value the `municipality` filter takes), not its id.
      key:
        groupBy === 'municipality'
          ? (labels.get(String(r.group_key)) ?? String(r.group_key))
          : String(r.group_key),
      label: labels.get(String(r.group_key)) ?? String(r.group_key),
      sessions: r.sessions as number,
      schools: r.schools as number,
      students: (r.female as number) + (r.male as number) + (r.unspecified as number),
      female: r.female as number,
      male: r.male as number,
      unspecified: r.unspecified as number,
      under_10: r.under_10 as number,
      '10_14': r['10_14'] as number,
      '15_17': r['15_17'] as number,
      '18_plus': r['18_plus'] as number,
      teachers: r.teachers as number,
      parents: r.parents as number,
    }));
    const deliveringIds = new Set(delivering.map((r) => r.trainer_id));
    const totals: Record<string, number> = {
      ...total,
      trainers: deliveringIds.size,
      students: total.female + total.male + total.unspecified,
    };
    // Names only for those not delivering (usually few): loading every certified trainer's name cost more than the report.
    const notDelivering = await this.namesOf(certified.filter((id) => !deliveringIds.has(id)));
    return {
      rows: reachRows,
      totals,
      certifiedTrainers: certified.length,
      studentsPerCertifiedTrainer: certified.length
        ? Math.round((totals.students / certified.length) * 10) / 10
        : null,
      notDelivering,
    };
  }

  /** 5. Donor indicators: people trained (by sex), schools reached, students reached (by sex and age). */
  async donor(f: ReportFilters, lang: Language) {
    const w = this.cohortWhere(f);
    const [trained] = await rows<Record<string, number>>(
      this.db,
      `SELECT COUNT(DISTINCT p.user_id) AS total,
        COUNT(DISTINCT CASE WHEN u.sex = 'female' THEN p.user_id END) AS female,
        COUNT(DISTINCT CASE WHEN u.sex = 'male' THEN p.user_id END) AS male,
        COUNT(DISTINCT CASE WHEN u.sex NOT IN ('female', 'male') THEN p.user_id END) AS unspecified
       FROM cohort_participants p JOIN cohorts h ON h.id = p.cohort_id JOIN users u ON u.id = p.user_id ${w}`,
      w.params,
      ['total', 'female', 'male', 'unspecified'],
    );
    const cw = this.cohortWhere({ ...f, from: undefined, to: undefined });
    if (f.from) cw.add('c.issued_on >= ?', f.from);
    if (f.to) cw.add('c.issued_on <= ?', f.to);
    const [certified] = await rows<Record<string, number>>(
      this.db,
      `SELECT COUNT(DISTINCT c.user_id) AS total,
        COUNT(DISTINCT CASE WHEN u.sex = 'female' THEN c.user_id END) AS female,
        COUNT(DISTINCT CASE WHEN u.sex = 'male' THEN c.user_id END) AS male,
        COUNT(DISTINCT CASE WHEN u.sex NOT IN ('female', 'male') THEN c.user_id END) AS unspecified
       FROM certifications c JOIN cohorts h ON h.id = c.cohort_id JOIN users u ON u.id = c.user_id ${cw}`,
      cw.params,
      ['total', 'female', 'male', 'unspecified'],
    );
    const reach = await this.cascade(f, 'country', false, lang);
    return {
      trained,
      certified,
      reach: reach.totals,
      byCountry: reach.rows,
      certifiedTrainers: reach.certifiedTrainers,
      multiplier: reach.studentsPerCertifiedTrainer,
    };
  }

  /** Ids of the trainers certified (valid today) within the filters. */
  private async certifiedTrainers(f: ReportFilters): Promise<string[]> {
    const today = this.clock.today();
    const w = this.cohortWhere({ ...f, from: undefined, to: undefined });
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

  /** Names of the given users, sorted by name (in chunks: a database takes a bounded number of parameters). */
  private async namesOf(ids: string[]): Promise<Array<{ id: string; name: string }>> {
    const out: Array<{ id: string; name: string }> = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      out.push(
        ...(await rows<{ id: string; name: string }>(
          this.db,
          `SELECT id, name FROM users WHERE id IN (${chunk.map(() => '?').join(',')})`,
          chunk,
          [],
        )),
      );
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The name of a country in the user's language (the code when unknown), for printed summaries. */
  async countryName(code: string | undefined, lang: Language): Promise<string | undefined> {
    return code ? ((await this.countryNames(lang)).get(code) ?? code) : undefined;
  }

  private async countryNames(lang: Language): Promise<Map<string, string>> {
    const list = await rows<{ code: string; name_en: string; name_es: string }>(
      this.db,
      'SELECT code, name_en, name_es FROM countries',
      [],
      [],
    );
    return new Map(list.map((c) => [c.code, lang === 'es' ? c.name_es : c.name_en]));
  }

  private async labelsFor(groupBy: GroupBy, keys: string[], lang: Language): Promise<Map<string, string>> {
    if (!keys.length) return new Map();
    if (groupBy === 'country') return this.countryNames(lang);
    if (groupBy === 'generation') {
      return new Map(
        keys.map((k) => [
          k,
          k === 'none'
            ? t(lang, 'reports.generation.none')
            : t(lang, 'reports.generation.label', { n: formatNumber(lang, Number(k)) }),
        ]),
      );
    }
    if (groupBy === 'month') {
      const fmt = new Intl.DateTimeFormat(lang === 'es' ? 'es-419' : 'en-US', {
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      });
      return new Map(keys.map((k) => [k, fmt.format(new Date(`${k}-01T00:00:00Z`))]));
    }
    const marks = keys.map(() => '?').join(',');
    const table = groupBy === 'municipality' ? 'municipalities' : groupBy === 'school' ? 'schools' : 'users';
    const list = await rows<{ id: string; name: string }>(
      this.db,
      `SELECT id, name FROM ${table} WHERE id IN (${marks})`,
      keys,
      [],
    );
    return new Map(list.map((r) => [r.id, r.name]));
  }

  /** A trainer's own reach: confirmed sessions and students (for their dashboard). */
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

  outlines(): Promise<CourseOutline[]> {
    return this.catalogue.currentOutlines();
  }
}

/**
 * Per anchor item of each course, over the participants who took both tests: right on their first
 * pre-test attempt, and right on their best post-test attempt (the one that counts for
 * certification: highest score, the later one on a tie). `n` is the number of such participants.
 */
function anchorGains(
  attempts: Array<{
    course_id: string;
    enrolment_id: string;
    kind: string;
    score: number;
    attempt_number: number;
    results: string;
  }>,
  outlines: CourseOutline[],
): Map<string, { n: number; pre: number; post: number }> {
  const anchorIds = new Map(
    outlines.map((o) => [
      o.courseId,
      new Set(
        o.quizzes
          .filter((q) => q.kind === 'pre' || q.kind === 'post')
          .flatMap((q) => q.questions.filter((x) => x.anchor).map((x) => x.id)),
      ),
    ]),
  );
  // An enrolment in two cohorts of the filter appears twice in `attempts`: keyed by enrolment it counts once.
  const firstPre = new Map<string, (typeof attempts)[number]>();
  const bestPost = new Map<string, (typeof attempts)[number]>();
  for (const a of attempts) {
    if (a.kind === 'pre' && a.attempt_number === 1) firstPre.set(a.enrolment_id, a);
    if (a.kind === 'post') {
      const best = bestPost.get(a.enrolment_id);
      if (!best || a.score > best.score || (a.score === best.score && a.attempt_number > best.attempt_number))
        bestPost.set(a.enrolment_id, a);
    }
  }
  const gains = new Map<string, { n: number; pre: number; post: number }>();
  for (const [enrolmentId, pre] of firstPre) {
    const post = bestPost.get(enrolmentId);
    const anchors = anchorIds.get(pre.course_id);
    if (!post || !anchors?.size) continue;
    const before = JSON.parse(pre.results) as Record<string, boolean>;
    const after = JSON.parse(post.results) as Record<string, boolean>;
    for (const id of anchors) {
      if (!(id in before) || !(id in after)) continue;
      const key = `${pre.course_id}:${id}`;
      const g = gains.get(key) ?? { n: 0, pre: 0, post: 0 };
      g.n++;
      if (before[id]) g.pre++;
      if (after[id]) g.post++;
      gains.set(key, g);
    }
  }
  return gains;
}
