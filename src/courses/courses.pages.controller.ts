import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { Authenticated, CurrentUser, Roles } from '../common/decorators/access.decorators';
import { DomainError } from '../common/errors/app-errors';
import { redirectWithFlash } from '../common/http/flash';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { t, tn } from '../i18n/i18n';
import { resolveLanguage } from '../i18n/language';
import type { Language } from '../common/kernel/user-role.enum';
import { CatalogueService, CourseOutline } from './catalogue.service';
import { handoutHref } from './content/markdown';
import { lessonTitle, pick } from './course.view';
import { CoursesError } from './courses.errors';
import { CoursesRepository } from './courses.repository';
import { EnrolmentProgress, LearningService, QuizState } from './learning.service';
import { CountryFactsService } from './country-facts.service';
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

@ApiExcludeController()
@Controller()
export class CoursesPagesController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly learning: LearningService,
    private readonly quizzes: QuizzesService,
    private readonly contacts: ReferralContactsService,
    private readonly facts: CountryFactsService,
    private readonly courses: CoursesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('courses')
  @Authenticated()
  async index(@CurrentUser() actor: AuthUser, @Req() req: Request, @Res() res: Response) {
    const lang = resolveLanguage(req);
    const [outlines, mine] = await Promise.all([
      this.catalogue.currentOutlines(),
      this.learning.enrolmentsOf(actor.id),
    ]);
    const bySlug = new Map(mine.map((p) => [p.outline.slug, p]));
    res.render('courses/index', {
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
    });
  }

  @Get('courses/:slug')
  @Authenticated()
  async show(
    @CurrentUser() actor: AuthUser,
    @Param('slug') slug: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = resolveLanguage(req);
    const outline = await this.catalogue.currentOutline(slug);
    if (!outline) throw new CoursesError('not-found', 'course-not-found');
    const mine = (await this.learning.enrolmentsOf(actor.id)).find((p) => p.outline.slug === slug);
    res.render('courses/show', {
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
    });
  }

  @Post('courses/:slug/enrol')
  @Roles('trainer')
  async enrol(@CurrentUser() actor: AuthUser, @Param('slug') slug: string, @Res() res: Response) {
    try {
      const progress = await this.learning.enrolSelf(actor, slug);
      redirectWithFlash(res, `/learn/${progress.enrolment.id}`, 'courses.enrolled');
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
      const mine = (await this.learning.enrolmentsOf(actor.id)).find((p) => p.outline.slug === slug);
      redirectWithFlash(
        res,
        mine ? `/learn/${mine.enrolment.id}` : '/learn',
        'errors.courses.already-enrolled',
        'info',
      );
    }
  }

  @Get('courses/:slug/preview/:lessonSlug')
  @Authenticated()
  async preview(
    @CurrentUser() actor: AuthUser,
    @Param('slug') slug: string,
    @Param('lessonSlug') lessonSlug: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = resolveLanguage(req);
    const outline = await this.catalogue.currentOutline(slug);
    if (!outline) throw new CoursesError('not-found', 'course-not-found');
    await this.renderLesson(res, actor, lang, outline, lessonSlug, null);
  }

  @Get('learn')
  @Authenticated()
  async myLearning(@CurrentUser() actor: AuthUser, @Req() req: Request, @Res() res: Response) {
    const lang = resolveLanguage(req);
    const mine = await this.learning.enrolmentsOf(actor.id);
    res.render('courses/my-learning', {
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
    });
  }

  @Get('learn/:id')
  @Authenticated()
  async enrolment(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = resolveLanguage(req);
    const progress = await this.learning.get(actor, await this.ownedId(actor, id));
    const pre = progress.outline.quizzes.find((q) => q.kind === 'pre');
    const preResult = progress.quizResults.find((r) => r.kind === 'pre');
    const next = progress.outline.lessons.find((l) => !progress.completedLessons.includes(l.slug));
    res.render('courses/enrolment', {
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
    });
  }

  @Get('learn/:id/lessons/:lessonSlug')
  @Authenticated()
  async lesson(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('lessonSlug') lessonSlug: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = resolveLanguage(req);
    const progress = await this.learning.get(actor, await this.ownedId(actor, id));
    await this.renderLesson(res, actor, lang, progress.outline, lessonSlug, progress);
  }

  @Post('learn/:id/lessons/:lessonSlug/complete')
  @Authenticated()
  async complete(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('lessonSlug') lessonSlug: string,
    @Res() res: Response,
  ) {
    const progress = await this.learning.completeLesson(actor, id, lessonSlug);
    const lessons = progress.outline.lessons;
    const index = lessons.findIndex((l) => l.slug === lessonSlug);
    const next =
      lessons.slice(index + 1).find((l) => !progress.completedLessons.includes(l.slug)) ??
      lessons.find((l) => !progress.completedLessons.includes(l.slug));
    redirectWithFlash(
      res,
      next ? `/learn/${id}/lessons/${next.slug}` : `/learn/${id}`,
      next ? 'courses.lesson-done' : 'courses.all-lessons-done',
    );
  }

  @Get('learn/:id/quizzes/:quizSlug')
  @Authenticated()
  async quiz(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('quizSlug') quizSlug: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = resolveLanguage(req);
    const { progress, state, sitting } = await this.quizzes.open(actor, id, quizSlug);
    res.render('courses/quiz', this.quizModel(lang, id, progress, state, sitting));
  }

  @Post('learn/:id/quizzes/:quizSlug')
  @Authenticated()
  async submitQuiz(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('quizSlug') quizSlug: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    // Form fields are `a.<questionId>`: one value for radios, several for checkboxes; `sittingId` names what the page showed.
    const answers: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(body ?? {})) {
      if (!key.startsWith('a.')) continue;
      answers[key.slice(2)] = (Array.isArray(value) ? value : [value]).map(String);
    }
    const sittingId = typeof body?.sittingId === 'string' ? body.sittingId : undefined;
    try {
      const { attempt, replayed } = await this.quizzes.submit(actor, id, quizSlug, answers, sittingId);
      const to = `/learn/${id}/quizzes/${quizSlug}/result?attempt=${attempt.attemptNumber}`;
      if (replayed) return redirectWithFlash(res, to, 'courses.quiz.already-submitted', 'info');
      res.redirect(303, to);
    } catch (error) {
      if (!(error instanceof DomainError) || (error.kind !== 'unprocessable' && error.kind !== 'conflict'))
        throw error;
      // Closed, or the page was out of date: show the quiz as it stands now, with the reason.
      const lang = resolveLanguage(req);
      const { progress, state, sitting } = await this.quizzes.open(actor, id, quizSlug);
      res.status(error.kind === 'conflict' ? 409 : 422).render('courses/quiz', {
        ...this.quizModel(lang, id, progress, state, sitting),
        errorKey: state.closedBecause ? null : `errors.${error.code}`,
      });
    }
  }

  @Get('learn/:id/quizzes/:quizSlug/result')
  @Authenticated()
  async quizResult(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('quizSlug') quizSlug: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = resolveLanguage(req);
    const { progress, state, attempt, shown } = await this.quizzes.lastAttempt(actor, id, quizSlug);
    if (!attempt) return res.redirect(303, `/learn/${id}/quizzes/${quizSlug}`);
    const results = JSON.parse(attempt.results) as Record<string, boolean>;
    const answers = JSON.parse(attempt.answers) as Record<string, string[]>;
    const quiz = state.quiz;
    // Pre-tests show no answers (they are the baseline); post-tests say right or wrong; check quizzes also show the correct options.
    const showCorrectness = quiz.kind !== 'pre';
    const showAnswers = quiz.kind === 'check';
    const best = progress.quizResults.find((r) => r.quizSlug === quizSlug);
    res.render('courses/quiz-result', {
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
      showCorrectness,
      isPre: quiz.kind === 'pre',
      // In the order that attempt showed them, with its option order.
      questions: showCorrectness
        ? shown.map((q, i) => ({
            number: i + 1,
            text: pick(q.text, lang),
            correct: results[q.id],
            options: q.options.map((o) => ({
              text: pick(o.text, lang),
              chosen: (answers[q.id] ?? []).includes(o.id),
              isAnswer: showAnswers && o.correct,
            })),
          }))
        : [],
    });
  }

  /**
   * A printable handout in the reader's language (`?lang=` works), with country facts filled for
   * the reader. Signed-in users only, like every course text: the facts shown depend on the
   * reader's country, and a trainer prints the page for a school.
   */
  @Get('courses/:slug/handouts/:handout')
  @Authenticated()
  async handout(
    @CurrentUser() actor: AuthUser,
    @Param('slug') slug: string,
    @Param('handout') handoutSlug: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = resolveLanguage(req);
    const current = await this.catalogue.currentOutline(slug);
    if (!current) throw new CoursesError('not-found', 'course-not-found');
    // The reader's own version first (what their lessons link to), else the current one.
    const mine = (await this.learning.enrolmentsOf(actor.id)).find((p) => p.outline.slug === slug)?.outline;
    const outline = [mine, current].find((o) => o?.handouts.some((h) => h.slug === handoutSlug));
    const handout = outline ? await this.courses.findHandout(outline.versionId, handoutSlug) : null;
    if (!outline || !handout) throw new CoursesError('not-found', 'handout-not-found');
    const own = lang === 'es' ? handout.htmlEs : handout.htmlEn;
    const html = own ?? (lang === 'es' ? handout.htmlEn : handout.htmlEs) ?? '';
    res.render('courses/handout', {
      layout: 'layouts/print',
      title: lessonTitle(handout, lang),
      handoutTitle: lessonTitle(handout, lang),
      courseTitle: pick(outline.manifest.title, lang),
      courseHref: `/courses/${slug}`,
      translationMissing: own === null,
      otherLang: lang === 'es' ? 'en' : 'es',
      // The other language named in itself, as the main layout's switch does (English / Español).
      otherLangName: t(lang === 'es' ? 'en' : 'es', `languages.${lang === 'es' ? 'en' : 'es'}`),
      // Sanitised at import (markdown.ts); the contacts and fact boxes are built by their services.
      handoutHtml: await this.facts.fill(
        await this.contacts.fillLesson(html, actor, lang, outline.slug),
        actor,
        lang,
        outline,
      ),
    });
  }

  @Get('content/:course/assets/:file')
  @Authenticated()
  async asset(@Param('course') course: string, @Param('file') file: string, @Res() res: Response) {
    const known =
      /^[a-z0-9-]{1,80}$/.test(course) &&
      /^[A-Za-z0-9][A-Za-z0-9._-]*\.(png|jpe?g|gif|svg|webp)$/.test(file) &&
      (await this.courses.findCourseBySlug(course));
    if (!known) throw new CoursesError('not-found', 'asset-not-found');
    res.sendFile(
      `${course}/assets/${file}`,
      {
        root: this.config.contentDir,
        maxAge: '30d',
        immutable: false,
        headers: { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" },
      },
      (error) => {
        if (error && !res.headersSent) res.status(404).end();
      },
    );
  }

  private quizModel(
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

  /** Pages under /learn are the owner's; others get the same refusal as the API. */
  private async ownedId(actor: AuthUser, id: string): Promise<string> {
    await this.learning.owned(actor, id);
    return id;
  }

  private async renderLesson(
    res: Response,
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
    const own = lang === 'es' ? lesson.htmlEs : lesson.htmlEn;
    const html = own ?? (lang === 'es' ? lesson.htmlEn : lesson.htmlEs) ?? '';
    const base = progress ? `/learn/${progress.enrolment.id}/lessons` : `/courses/${outline.slug}/preview`;
    const prev = outline.lessons[index - 1];
    const next = outline.lessons[index + 1];
    const module = outline.manifest.modules.find((m) => m.slug === lesson.moduleSlug);
    res.render('courses/lesson', {
      title: lessonTitle(lesson, lang),
      lessonTitle: lessonTitle(lesson, lang),
      moduleTitle: module ? pick(module.title, lang) : '',
      courseTitle: pick(outline.manifest.title, lang),
      courseHref: progress ? `/learn/${progress.enrolment.id}` : `/courses/${outline.slug}`,
      minutes: lesson.minutes,
      position: index + 1,
      count: outline.lessons.length,
      translationMissing: own === null,
      // Sanitised at import (markdown.ts); the contacts and fact boxes are built by their services.
      lessonHtml: await this.facts.fill(
        await this.contacts.fillLesson(html, actor, lang, outline.slug),
        actor,
        lang,
        outline,
      ),
      prev: prev ? { href: `${base}/${prev.slug}`, title: lessonTitle(prev, lang) } : null,
      next: next ? { href: `${base}/${next.slug}`, title: lessonTitle(next, lang) } : null,
      isPreview: !progress,
      done: progress ? progress.completedLessons.includes(lessonSlug) : false,
      completeAction: progress ? `/learn/${progress.enrolment.id}/lessons/${lessonSlug}/complete` : null,
      percent: progress?.percent ?? 0,
    });
  }
}
