import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/kernel/auth-user';
import type { Language } from '../common/kernel/user-role.enum';
import { t, tn } from '../i18n/i18n';
import { CatalogueService, CourseOutline } from './catalogue.service';
import { handoutHref } from './content/markdown';
import { CountryFactsService } from './country-facts.service';
import { lessonTitle, pick } from './course.view';
import { CoursesError } from './courses.errors';
import { CoursesRepository } from './courses.repository';
import { EnrolmentProgress, LearningService, QuizState } from './learning.service';
import { reviewAttempt } from './quiz-review';
import { QuizzesService, ShownSitting } from './quizzes.service';
import { ReferralContactsService } from './referral-contacts.service';

/** The certification rule in plain words, for the course page. */
function ruleLines(outline: CourseOutline, lang: Language): string[] {
  const rule = outline.manifest.certification;
  const lines: string[] = [];
  if (rule.lessonsComplete) lines.push(t(lang, 'courses.rule.lessons'));
  if (outline.quizzes.some((q) => q.kind === 'post'))
    lines.push(t(lang, 'courses.rule.post-test', { mark: rule.postTestPassMark }));
  if (rule.attendancePercent > 0)
    lines.push(t(lang, 'courses.rule.attendance', { percent: rule.attendancePercent }));
  if (rule.practicumRequired) lines.push(t(lang, 'courses.rule.practicum'));
  lines.push(tn(lang, 'courses.rule.validity', rule.validityMonths));
  return lines;
}

function modulesView(outline: CourseOutline, lang: Language, progress?: EnrolmentProgress) {
  const done = new Set(progress?.completedLessons ?? []);
  const results = new Map((progress?.quizResults ?? []).map((r) => [r.quizSlug, r]));
  const base = progress ? `/learn/${progress.enrolment.id}` : `/courses/${outline.slug}/preview`;
  return outline.manifest.modules.map((m, index) => ({
    number: index + 1,
    slug: m.slug,
    title: pick(m.title, lang),
    summary: m.summary ? pick(m.summary, lang) : '',
    deliverable: m.deliverable,
    lessons: outline.lessons
      .filter((l) => l.moduleSlug === m.slug)
      .map((l) => ({
        slug: l.slug,
        title: lessonTitle(l, lang),
        minutes: l.minutes,
        done: done.has(l.slug),
        href: `${base}/${progress ? 'lessons/' : ''}${l.slug}`,
      })),
    quizzes: outline.quizzes
      .filter((q) => q.moduleSlug === m.slug)
      .map((q) => {
        const r = results.get(q.slug);
        return {
          slug: q.slug,
          kindKey: `courses.quiz-kind.${q.kind}`,
          href: progress ? `${base}/quizzes/${q.slug}` : null,
          attempts: r?.attempts ?? 0,
          bestScore: r?.bestScore ?? null,
          passed: r?.passed ?? false,
          questions: q.questions.length,
        };
      }),
  }));
}

/** A lesson or handout's HTML in `lang`, else in the other language; `own` is null when `lang`'s is missing. */
function inLanguage(page: { htmlEn: string | null; htmlEs: string | null }, lang: Language) {
  const own = lang === 'es' ? page.htmlEs : page.htmlEn;
  return { own, html: own ?? (lang === 'es' ? page.htmlEn : page.htmlEs) ?? '' };
}

/** Where to go after completing `lessonSlug`: the next lesson not done after it, else the first not done. */
export function nextLessonAfter(progress: EnrolmentProgress, lessonSlug: string) {
  const lessons = progress.outline.lessons;
  const index = lessons.findIndex((l) => l.slug === lessonSlug);
  return (
    lessons.slice(index + 1).find((l) => !progress.completedLessons.includes(l.slug)) ??
    lessons.find((l) => !progress.completedLessons.includes(l.slug))
  );
}

/** The quiz form: the sitting's questions in the order drawn, with the attempts left. */
export function quizModel(
  lang: Language,
  id: string,
  progress: EnrolmentProgress,
  state: QuizState,
  sitting: ShownSitting | null,
) {
  const quiz = state.quiz;
  const shown = sitting?.questions ?? [];
  return {
    title: t(lang, `courses.quiz-kind.${quiz.kind}`),
    id,
    slug: quiz.slug,
    courseTitle: pick(progress.outline.manifest.title, lang),
    kindKey: `courses.quiz-kind.${quiz.kind}`,
    isPre: quiz.kind === 'pre',
    passMark: quiz.passMark,
    attemptsUsed: state.attemptsUsed,
    maxAttempts: quiz.maxAttempts,
    closedKey: state.closedBecause ? `errors.courses.${state.closedBecause}` : null,
    hasResult: state.attemptsUsed > 0,
    sittingId: sitting?.id ?? null,
    drawn:
      sitting && sitting.questions.length < sitting.bankSize
        ? { asked: sitting.questions.length, bank: sitting.bankSize }
        : null,
    questions: shown.map((q, i) => ({
      id: q.id,
      number: i + 1,
      text: pick(q.text, lang),
      multiple: q.multiple,
      options: q.options.map((o) => ({ id: o.id, text: pick(o.text, lang) })),
    })),
  };
}

/** What the course and learning pages render, from the catalogue and the reader's own enrolments. */
@Injectable()
export class CoursesPageModels {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly learning: LearningService,
    private readonly quizzes: QuizzesService,
    private readonly contacts: ReferralContactsService,
    private readonly facts: CountryFactsService,
    private readonly courses: CoursesRepository,
  ) {}

  async catalogueModel(actor: AuthUser, lang: Language) {
    const [outlines, mine] = await Promise.all([
      this.catalogue.currentOutlines(),
      this.learning.enrolmentsOf(actor.id),
    ]);
    const bySlug = new Map(mine.map((p) => [p.outline.slug, p]));
    return {
      title: t(lang, 'courses.catalogue.title'),
      courses: outlines.map((o) => ({
        slug: o.slug,
        title: pick(o.manifest.title, lang),
        summary: pick(o.manifest.summary, lang),
        hours: o.manifest.estimatedHours,
        modules: o.manifest.modules.length,
        lessons: o.lessons.length,
        languages: o.languages.map((l) => t(lang, `languages.${l}`)).join(', '),
        enrolment: bySlug.get(o.slug)
          ? { id: bySlug.get(o.slug)!.enrolment.id, percent: bySlug.get(o.slug)!.percent }
          : null,
      })),
    };
  }

  async courseModel(actor: AuthUser, slug: string, lang: Language) {
    const outline = await this.currentOutline(slug);
    const mine = await this.ownEnrolment(actor, slug);
    return {
      title: pick(outline.manifest.title, lang),
      course: {
        slug,
        title: pick(outline.manifest.title, lang),
        summary: pick(outline.manifest.summary, lang),
        audience: outline.manifest.audience ? pick(outline.manifest.audience, lang) : '',
        hours: outline.manifest.estimatedHours,
        version: outline.version,
        languages: outline.languages.map((l) => t(lang, `languages.${l}`)).join(', '),
      },
      rule: ruleLines(outline, lang),
      modules: modulesView(outline, lang),
      handouts: outline.handouts.map((h) => ({
        title: lessonTitle(h, lang),
        href: handoutHref(slug, h.slug),
      })),
      enrolment: mine ? { id: mine.enrolment.id, percent: mine.percent } : null,
      canEnrol: actor.role === 'trainer' && !mine,
    };
  }

  /** The reader's own enrolment page for a course: theirs, else their learning list. */
  async ownEnrolmentHref(actor: AuthUser, slug: string): Promise<string> {
    const mine = await this.ownEnrolment(actor, slug);
    return mine ? `/learn/${mine.enrolment.id}` : '/learn';
  }

  async myLearningModel(actor: AuthUser, lang: Language) {
    const mine = await this.learning.enrolmentsOf(actor.id);
    return {
      title: t(lang, 'courses.my-learning.title'),
      enrolments: mine.map((p) => ({
        id: p.enrolment.id,
        title: pick(p.outline.manifest.title, lang),
        percent: p.percent,
        statusKey: `courses.status.${p.enrolment.status}`,
        done: p.completedLessons.length,
        total: p.outline.lessons.length,
      })),
      isTrainer: actor.role === 'trainer',
    };
  }

  async enrolmentModel(actor: AuthUser, id: string, lang: Language) {
    const progress = await this.ownProgress(actor, id);
    const pre = progress.outline.quizzes.find((q) => q.kind === 'pre');
    const preResult = progress.quizResults.find((r) => r.kind === 'pre');
    const next = progress.outline.lessons.find((l) => !progress.completedLessons.includes(l.slug));
    return {
      title: pick(progress.outline.manifest.title, lang),
      courseTitle: pick(progress.outline.manifest.title, lang),
      slug: progress.outline.slug,
      id,
      percent: progress.percent,
      done: progress.completedLessons.length,
      total: progress.outline.lessons.length,
      invitePreTest:
        pre && preResult?.attempts === 0 && progress.completedLessons.length === 0
          ? `/learn/${id}/quizzes/${pre.slug}`
          : null,
      next: next ? { title: lessonTitle(next, lang), href: `/learn/${id}/lessons/${next.slug}` } : null,
      modules: modulesView(progress.outline, lang, progress),
      rule: ruleLines(progress.outline, lang),
    };
  }

  /** A lesson of the current version, read before enrolling. */
  async previewModel(actor: AuthUser, slug: string, lessonSlug: string, lang: Language) {
    return this.lessonPage(actor, lang, await this.currentOutline(slug), lessonSlug, null);
  }

  /** A lesson of the reader's own enrolment (its version), with their progress. */
  async lessonModel(actor: AuthUser, id: string, lessonSlug: string, lang: Language) {
    const progress = await this.ownProgress(actor, id);
    return this.lessonPage(actor, lang, progress.outline, lessonSlug, progress);
  }

  async quizModel(actor: AuthUser, id: string, quizSlug: string, lang: Language) {
    const { progress, state, sitting } = await this.quizzes.open(actor, id, quizSlug);
    return quizModel(lang, id, progress, state, sitting);
  }

  /** The last attempt's result, reviewed as quiz-review.ts allows; null when there is no attempt yet. */
  async quizResultModel(actor: AuthUser, id: string, quizSlug: string, lang: Language) {
    const { progress, state, attempt, shown } = await this.quizzes.lastAttempt(actor, id, quizSlug);
    if (!attempt) return null;
    const quiz = state.quiz;
    const review = reviewAttempt(quiz.kind, shown, {
      results: JSON.parse(attempt.results) as Record<string, boolean>,
      answers: JSON.parse(attempt.answers) as Record<string, string[]>,
    });
    const best = progress.quizResults.find((r) => r.quizSlug === quizSlug);
    return {
      title: t(lang, `courses.quiz-kind.${quiz.kind}`),
      id,
      courseTitle: pick(progress.outline.manifest.title, lang),
      kindKey: `courses.quiz-kind.${quiz.kind}`,
      score: attempt.score,
      passed: attempt.passed,
      passMark: quiz.passMark,
      bestScore: best?.bestScore ?? attempt.score,
      attemptNumber: attempt.attemptNumber,
      canRetry: !state.closedBecause,
      quizHref: `/learn/${id}/quizzes/${quizSlug}`,
      showCorrectness: review.rule.showCorrectness,
      isPre: quiz.kind === 'pre',
      questions: review.questions.map((q) => ({
        number: q.number,
        text: pick(q.question.text, lang),
        correct: q.correct,
        options: q.options.map((o) => ({
          text: pick(o.option.text, lang),
          chosen: o.chosen,
          isAnswer: o.isAnswer,
        })),
      })),
    };
  }

  /** A printable handout in `lang`, from the reader's own version first (what their lessons link to), else the current one. */
  async handoutModel(actor: AuthUser, slug: string, handoutSlug: string, lang: Language) {
    const current = await this.currentOutline(slug);
    const mine = (await this.ownEnrolment(actor, slug))?.outline;
    const outline = [mine, current].find((o) => o?.handouts.some((h) => h.slug === handoutSlug));
    const handout = outline ? await this.courses.findHandout(outline.versionId, handoutSlug) : null;
    if (!outline || !handout) throw new CoursesError('not-found', 'handout-not-found');
    const { own, html } = inLanguage(handout, lang);
    return {
      layout: 'layouts/print',
      title: lessonTitle(handout, lang),
      handoutTitle: lessonTitle(handout, lang),
      courseTitle: pick(outline.manifest.title, lang),
      courseHref: `/courses/${slug}`,
      translationMissing: own === null,
      otherLang: lang === 'es' ? 'en' : 'es',
      // The other language named in itself, as the main layout's switch does (English / Español).
      otherLangName: t(lang === 'es' ? 'en' : 'es', `languages.${lang === 'es' ? 'en' : 'es'}`),
      handoutHtml: await this.filled(html, actor, lang, outline),
    };
  }

  /** Whether `file` may be an image of a known course's package (the file itself is read from disk). */
  async isCourseAsset(course: string, file: string): Promise<boolean> {
    return (
      /^[a-z0-9-]{1,80}$/.test(course) &&
      /^[A-Za-z0-9][A-Za-z0-9._-]*\.(png|jpe?g|gif|svg|webp)$/.test(file) &&
      !!(await this.courses.findCourseBySlug(course))
    );
  }

  private async currentOutline(slug: string): Promise<CourseOutline> {
    const outline = await this.catalogue.currentOutline(slug);
    if (!outline) throw new CoursesError('not-found', 'course-not-found');
    return outline;
  }

  private async ownEnrolment(actor: AuthUser, slug: string) {
    return (await this.learning.enrolmentsOf(actor.id)).find((p) => p.outline.slug === slug);
  }

  /** Pages under /learn are the owner's; others get the same refusal as the API. */
  private async ownProgress(actor: AuthUser, id: string): Promise<EnrolmentProgress> {
    await this.learning.owned(actor, id);
    return this.learning.get(actor, id);
  }

  /** Sanitised at import (markdown.ts); the contacts and fact boxes are built by their services. */
  private async filled(html: string, actor: AuthUser, lang: Language, outline: CourseOutline) {
    return this.facts.fill(
      await this.contacts.fillLesson(html, actor, lang, outline.slug),
      actor,
      lang,
      outline,
    );
  }

  private async lessonPage(
    actor: AuthUser,
    lang: Language,
    outline: CourseOutline,
    lessonSlug: string,
    progress: EnrolmentProgress | null,
  ) {
    const index = outline.lessons.findIndex((l) => l.slug === lessonSlug);
    if (index < 0) throw new CoursesError('not-found', 'lesson-not-found');
    const lesson = await this.courses.findLesson(outline.versionId, lessonSlug);
    if (!lesson) throw new CoursesError('not-found', 'lesson-not-found');
    const { own, html } = inLanguage(lesson, lang);
    const base = progress ? `/learn/${progress.enrolment.id}/lessons` : `/courses/${outline.slug}/preview`;
    const prev = outline.lessons[index - 1];
    const next = outline.lessons[index + 1];
    const module = outline.manifest.modules.find((m) => m.slug === lesson.moduleSlug);
    return {
      title: lessonTitle(lesson, lang),
      lessonTitle: lessonTitle(lesson, lang),
      moduleTitle: module ? pick(module.title, lang) : '',
      courseTitle: pick(outline.manifest.title, lang),
      courseHref: progress ? `/learn/${progress.enrolment.id}` : `/courses/${outline.slug}`,
      minutes: lesson.minutes,
      position: index + 1,
      count: outline.lessons.length,
      translationMissing: own === null,
      lessonHtml: await this.filled(html, actor, lang, outline),
      prev: prev ? { href: `${base}/${prev.slug}`, title: lessonTitle(prev, lang) } : null,
      next: next ? { href: `${base}/${next.slug}`, title: lessonTitle(next, lang) } : null,
      isPreview: !progress,
      done: progress ? progress.completedLessons.includes(lessonSlug) : false,
      completeAction: progress ? `/learn/${progress.enrolment.id}/lessons/${lessonSlug}/complete` : null,
      percent: progress?.percent ?? 0,
    };
  }
}
