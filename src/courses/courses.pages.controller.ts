import { Body, Controller, Get, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { Authenticated, CurrentUser, Roles } from '../common/decorators/access.decorators';
import { Lang } from '../common/decorators/lang.decorator';
import { DomainError } from '../common/errors/app-errors';
import { redirectWithFlash } from '../common/http/flash';
import type { Language } from '../common/kernel/user-role.enum';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { CoursesError } from './courses.errors';
import { CoursesPageModels, nextLessonAfter } from './courses.page-models';
import { LearningService } from './learning.service';
import { QuizzesService } from './quizzes.service';

/** Form fields `a.<questionId>`: one value for radios, several for checkboxes. */
function quizAnswers(body: Record<string, unknown> | undefined): Record<string, string[]> {
  const answers: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(body ?? {})) {
    if (!key.startsWith('a.')) continue;
    answers[key.slice(2)] = (Array.isArray(value) ? value : [value]).map(String);
  }
  return answers;
}

@ApiExcludeController()
@Controller()
export class CoursesPagesController {
  constructor(
    private readonly pages: CoursesPageModels,
    private readonly learning: LearningService,
    private readonly quizzes: QuizzesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('courses')
  @Authenticated()
  async index(@CurrentUser() actor: AuthUser, @Lang() lang: Language, @Res() res: Response) {
    res.render('courses/index', await this.pages.catalogueModel(actor, lang));
  }

  @Get('courses/:slug')
  @Authenticated()
  async show(
    @CurrentUser() actor: AuthUser,
    @Param('slug') slug: string,
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    res.render('courses/show', await this.pages.courseModel(actor, slug, lang));
  }

  @Post('courses/:slug/enrol')
  @Roles('trainer')
  async enrol(@CurrentUser() actor: AuthUser, @Param('slug') slug: string, @Res() res: Response) {
    try {
      const progress = await this.learning.enrolSelf(actor, slug);
      redirectWithFlash(res, `/learn/${progress.enrolment.id}`, 'courses.enrolled');
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
      const to = await this.pages.ownEnrolmentHref(actor, slug);
      redirectWithFlash(res, to, 'errors.courses.already-enrolled', 'info');
    }
  }

  @Get('courses/:slug/preview/:lessonSlug')
  @Authenticated()
  async preview(
    @CurrentUser() actor: AuthUser,
    @Param('slug') slug: string,
    @Param('lessonSlug') lessonSlug: string,
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    res.render('courses/lesson', await this.pages.previewModel(actor, slug, lessonSlug, lang));
  }

  @Get('learn')
  @Authenticated()
  async myLearning(@CurrentUser() actor: AuthUser, @Lang() lang: Language, @Res() res: Response) {
    res.render('courses/my-learning', await this.pages.myLearningModel(actor, lang));
  }

  @Get('learn/:id')
  @Authenticated()
  async enrolment(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    res.render('courses/enrolment', await this.pages.enrolmentModel(actor, id, lang));
  }

  @Get('learn/:id/lessons/:lessonSlug')
  @Authenticated()
  async lesson(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('lessonSlug') lessonSlug: string,
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    res.render('courses/lesson', await this.pages.lessonModel(actor, id, lessonSlug, lang));
  }

  @Post('learn/:id/lessons/:lessonSlug/complete')
  @Authenticated()
  async complete(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('lessonSlug') lessonSlug: string,
    @Res() res: Response,
  ) {
    const next = nextLessonAfter(await this.learning.completeLesson(actor, id, lessonSlug), lessonSlug);
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
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    res.render('courses/quiz', await this.pages.quizModel(actor, id, quizSlug, lang));
  }

  @Post('learn/:id/quizzes/:quizSlug')
  @Authenticated()
  async submitQuiz(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('quizSlug') quizSlug: string,
    @Body() body: Record<string, unknown>,
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    // `sittingId` names what the page showed.
    const sittingId = typeof body?.sittingId === 'string' ? body.sittingId : undefined;
    try {
      const { attempt, replayed } = await this.quizzes.submit(
        actor,
        id,
        quizSlug,
        quizAnswers(body),
        sittingId,
      );
      const to = `/learn/${id}/quizzes/${quizSlug}/result?attempt=${attempt.attemptNumber}`;
      if (replayed) return redirectWithFlash(res, to, 'courses.quiz.already-submitted', 'info');
      res.redirect(303, to);
    } catch (error) {
      if (!(error instanceof DomainError) || (error.kind !== 'unprocessable' && error.kind !== 'conflict'))
        throw error;
      // Closed, or the page was out of date: show the quiz as it stands now, with the reason.
      const model = await this.pages.quizModel(actor, id, quizSlug, lang);
      res.status(error.kind === 'conflict' ? 409 : 422).render('courses/quiz', {
        ...model,
        errorKey: model.closedKey ? null : `errors.${error.code}`,
      });
    }
  }

  @Get('learn/:id/quizzes/:quizSlug/result')
  @Authenticated()
  async quizResult(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('quizSlug') quizSlug: string,
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    const model = await this.pages.quizResultModel(actor, id, quizSlug, lang);
    if (!model) return res.redirect(303, `/learn/${id}/quizzes/${quizSlug}`);
    res.render('courses/quiz-result', model);
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
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    res.render('courses/handout', await this.pages.handoutModel(actor, slug, handoutSlug, lang));
  }

  @Get('content/:course/assets/:file')
  @Authenticated()
  async asset(@Param('course') course: string, @Param('file') file: string, @Res() res: Response) {
    if (!(await this.pages.isCourseAsset(course, file)))
      throw new CoursesError('not-found', 'asset-not-found');
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
}
