import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/kernel/auth-user';
import { Clock } from '../common/clock';
import { CatalogueService, CourseOutline } from '../courses/catalogue.service';
import { pick } from '../courses/course.view';
import { addDays } from '../certification/validity';
import type { Language } from '../common/kernel/user-role.enum';
import { GroupBy, ReportFilters, ReportQuery, scopedCountry } from './report-filters';
import { formatNumber, t } from '../i18n/i18n';
import { ReportsRepository } from './reports.repository';

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

/**
 * The read-only questions of DESIGN.md "What the program manager must be able to answer". Each
 * report is a handful of grouped queries assembled in memory; the manager's country scope is part
 * of every query. Only this module reads across the others' tables.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly data: ReportsRepository,
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

  /** 1. Completion funnel, one row per (course, cohort). */
  async completion(f: ReportFilters, lang: Language): Promise<CompletionRow[]> {
    const cohorts = await this.data.cohorts(f);
    if (!cohorts.length) return [];
    const [{ participants, posts, attendance, days, certs }, outlines] = await Promise.all([
      this.data.completionFacts(cohorts.map((c) => c.id)),
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
    const attempts = await this.data.prePostAttempts(f);
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
    const result = await this.data.certificationStates(f, today, soon);
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
    const [{ groups: result, totals: total, delivering }, certified] = await Promise.all([
      this.data.reach(f, groupBy, includeSubmitted),
      this.data.certifiedTrainerIds(f, this.clock.today()),
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
    const deliveringIds = new Set(delivering);
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
    const [trained, certified] = await Promise.all([
      this.data.trainedPeople(f),
      this.data.certifiedPeople(f),
    ]);
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

  /** Names of the given users, sorted by name (in chunks: a database takes a bounded number of parameters). */
  private async namesOf(ids: string[]): Promise<Array<{ id: string; name: string }>> {
    const out = await this.data.namesByIds('users', ids);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The name of a country in the user's language (the code when unknown), for printed summaries. */
  async countryName(code: string | undefined, lang: Language): Promise<string | undefined> {
    return code ? ((await this.countryNames(lang)).get(code) ?? code) : undefined;
  }

  private async countryNames(lang: Language): Promise<Map<string, string>> {
    const list = await this.data.countries();
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
    const table = groupBy === 'municipality' ? 'municipalities' : groupBy === 'school' ? 'schools' : 'users';
    const list = await this.data.namesByIds(table, keys);
    return new Map(list.map((r) => [r.id, r.name]));
  }

  /** A trainer's own reach: confirmed sessions and students (for their dashboard). */
  async trainerReach(
    trainerId: string,
  ): Promise<{ sessions: number; students: number; schools: number; waiting: number }> {
    return this.data.trainerReach(trainerId);
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
