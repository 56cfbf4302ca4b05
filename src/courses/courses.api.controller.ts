import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { Authenticated, CurrentUser, Roles } from '../common/decorators/access.decorators';
import { resolveLanguage } from '../i18n/language';
import { CatalogueService } from './catalogue.service';
import { CoursesError } from './courses.errors';
import { toCourseJson, toEnrolmentJson, toQuizJson } from './course.view';
import { QuizAttemptDto } from './dto/courses.dto';
import { LearningService } from './learning.service';
import { QuizzesService } from './quizzes.service';

@ApiTags('courses')
@ApiBearerAuth()
@Controller('api/v1')
export class CoursesApiController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly learning: LearningService,
    private readonly quizzes: QuizzesService,
  ) {}

  @Get('courses')
  @Authenticated()
  async list(@Req() req: Request) {
    const lang = resolveLanguage(req);
    const items = (await this.catalogue.currentOutlines()).map((o) => toCourseJson(o, lang));
    return { items, total: items.length };
  }

  @Get('courses/:slug')
  @Authenticated()
  async one(@Param('slug') slug: string, @Req() req: Request) {
    const outline = await this.catalogue.currentOutline(slug);
    if (!outline) throw new CoursesError('not-found', 'course-not-found');
    return toCourseJson(outline, resolveLanguage(req));
  }

  @Post('courses/:slug/enrolments')
  @Roles('trainer')
  async enrol(@CurrentUser() actor: AuthUser, @Param('slug') slug: string) {
    return toEnrolmentJson(await this.learning.enrolSelf(actor, slug));
  }

  @Get('enrolments/:id')
  @Authenticated()
  async enrolment(@CurrentUser() actor: AuthUser, @Param('id') id: string) {
    return toEnrolmentJson(await this.learning.get(actor, id));
  }

  @Post('enrolments/:id/lessons/:lessonSlug/complete')
  @Authenticated()
  @HttpCode(200)
  async complete(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('lessonSlug') lessonSlug: string,
  ) {
    return toEnrolmentJson(await this.learning.completeLesson(actor, id, lessonSlug));
  }

  @Get('enrolments/:id/quizzes/:quizSlug')
  @Authenticated()
  async quiz(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('quizSlug') quizSlug: string,
    @Req() req: Request,
  ) {
    // Opening the quiz opens (or reuses) a sitting: the drawn questions, options in its order. A closed quiz shows none.
    const { state, sitting } = await this.quizzes.open(actor, id, quizSlug);
    return {
      ...toQuizJson(state.quiz, resolveLanguage(req), sitting?.questions ?? []),
      attemptsUsed: state.attemptsUsed,
      open: !state.closedBecause,
      sittingId: sitting?.id ?? null,
    };
  }

  @Post('enrolments/:id/quizzes/:quizSlug/attempts')
  @Authenticated()
  async attempt(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('quizSlug') quizSlug: string,
    @Body() dto: QuizAttemptDto,
  ) {
    const { attempt } = await this.quizzes.submit(actor, id, quizSlug, dto.answers, dto.sittingId);
    return { score: attempt.score, passed: attempt.passed, attemptNumber: attempt.attemptNumber };
  }
}
