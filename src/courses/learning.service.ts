import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/kernel/auth-user';
import { countryScopeOf } from '../common/access/scope';
import { Clock } from '../common/clock';
import { Database } from '../database/database.service';
import { UsersRepository } from '../users/users.repository';
import { CatalogueService, CourseOutline, QuizOutline } from './catalogue.service';
import { CoursesError } from './courses.errors';
import { CoursesRepository } from './courses.repository';
import { Enrolment, EnrolmentStatus } from './enrolment.entity';
import { isUuid } from '../common/ids';

export interface QuizResult {
  quizSlug: string;
  kind: QuizOutline['kind'];
  bestScore: number | null;
  passed: boolean;
  attempts: number;
}

export interface EnrolmentProgress {
  enrolment: Enrolment;
  outline: CourseOutline;
  completedLessons: string[];
  percent: number;
  quizResults: QuizResult[];
}

/** An enrolment's standing without the list of lessons: what a roster needs, counted in SQL. */
export interface EnrolmentSummary {
  enrolment: Enrolment;
  outline: CourseOutline;
  completedCount: number;
  percent: number;
  quizResults: QuizResult[];
}

export interface QuizState {
  quiz: QuizOutline;
  attemptsUsed: number;
  /** Why no more attempts can be made, as an error code; undefined when open. */
  closedBecause?: 'pre-test-closed' | 'no-attempts-left';
}

/** Enrolment, lesson progress and quizzes: the rules of DESIGN.md "Content packages" and API.md "Courses and learning". */
@Injectable()
export class LearningService {
  constructor(
    private readonly db: Database,
    private readonly courses: CoursesRepository,
    private readonly catalogue: CatalogueService,
    private readonly users: UsersRepository,
    private readonly clock: Clock,
  ) {}

  /** A trainer enrols themselves in the current version of a course; 409 when already enrolled. */
  async enrolSelf(actor: AuthUser, courseSlug: string): Promise<EnrolmentProgress> {
    if (actor.role !== 'trainer') throw new CoursesError('forbidden', 'only-trainers-enrol');
    const enrolment = await this.db.transaction(async (tx) => {
      const existing = await this.enrolUser(tx, actor.id, courseSlug);
      if (!existing.created) throw new CoursesError('conflict', 'already-enrolled', {}, 'courseSlug');
      return existing.enrolment;
    });
    return this.progressOf(enrolment);
  }

  /** Enrols `userId` (cohort rosters use this too); returns the existing enrolment when there is one. */
  async enrolUser(
    tx: EntityManager,
    userId: string,
    courseSlug: string,
  ): Promise<{ enrolment: Enrolment; created: boolean }> {
    const course = await this.courses.findCourseBySlug(courseSlug, tx);
    if (!course?.currentVersionId) throw new CoursesError('not-found', 'course-not-found');
    const existing = await this.courses.findEnrolmentOf(userId, course.id, tx);
    if (existing) return { enrolment: existing, created: false };
    const enrolment = tx.create(Enrolment, {
      userId,
      courseId: course.id,
      courseVersionId: course.currentVersionId,
      status: 'enrolled',
      enrolledAt: this.clock.now(),
      startedAt: null,
      completedAt: null,
    });
    await this.courses.insertEnrolment(tx, enrolment);
    return { enrolment, created: true };
  }

  /** The user's enrolments with progress (three queries whatever the number of enrolments). */
  async enrolmentsOf(userId: string): Promise<EnrolmentProgress[]> {
    const enrolments = await this.courses.findEnrolmentsOfUser(userId);
    return this.progressMany(enrolments);
  }

  /** Progress of enrolments by id, for cohort rosters (no access check: the caller checked the cohort). */
  async progressOfEnrolments(ids: string[]): Promise<EnrolmentProgress[]> {
    if (!ids.length) return [];
    return this.progressMany(await this.courses.findEnrolmentsByIds(ids));
  }

  /**
   * Progress of many enrolments as counts (a cohort roster): the same figures as
   * progressOfEnrolments, with lessons and attempts counted by the database instead of loaded.
   */
  async summariesOfEnrolments(ids: string[]): Promise<EnrolmentSummary[]> {
    if (!ids.length) return [];
    const enrolments = await this.courses.findEnrolmentsByIds(ids);
    const [outlines, counts, stats] = await Promise.all([
      this.catalogue.outlines(enrolments.map((e) => e.courseVersionId)),
      this.courses.completedCountsByEnrolments(ids),
      this.courses.attemptStatsByEnrolments(ids),
    ]);
    const outlineOf = new Map(outlines.map((o) => [o.versionId, o]));
    return enrolments.map((enrolment) => {
      const outline = outlineOf.get(enrolment.courseVersionId) as CourseOutline;
      const completedCount = counts.get(enrolment.id) ?? 0;
      const own = stats.filter((a) => a.enrolmentId === enrolment.id);
      const quizResults = quizResultsOf(outline, (slug) => own.find((a) => a.quizSlug === slug));
      return { enrolment, outline, completedCount, percent: percentOf(completedCount, outline), quizResults };
    });
  }

  /** One enrolment, for its owner, an admin, or a manager whose scope includes the trainer. */
  async get(actor: AuthUser, enrolmentId: string): Promise<EnrolmentProgress> {
    const enrolment = await this.readable(actor, enrolmentId);
    return this.progressOf(enrolment);
  }

  async completeLesson(actor: AuthUser, enrolmentId: string, lessonSlug: string): Promise<EnrolmentProgress> {
    const enrolment = await this.owned(actor, enrolmentId);
    const [outline] = await this.catalogue.outlines([enrolment.courseVersionId]);
    if (!outline.lessons.some((l) => l.slug === lessonSlug))
      throw new CoursesError('not-found', 'lesson-not-found');
    await this.db.transaction(async (tx) => {
      const done = await this.courses.completedSlugsByEnrolments([enrolment.id], tx);
      if (!done.some((d) => d.lessonSlug === lessonSlug))
        await this.courses.insertCompletion(tx, enrolment.id, lessonSlug, this.clock.now());
      const slugs = new Set([...done.map((d) => d.lessonSlug), lessonSlug]);
      const allDone = outline.lessons.every((l) => slugs.has(l.slug));
      await this.setStatus(tx, enrolment, allDone ? 'completed' : 'in_progress');
    });
    return this.get(actor, enrolmentId);
  }

  /** The quiz and whether it can be taken now. Only the owner may see a quiz. */
  async quizState(
    actor: AuthUser,
    enrolmentId: string,
    quizSlug: string,
  ): Promise<{ progress: EnrolmentProgress; state: QuizState }> {
    const enrolment = await this.owned(actor, enrolmentId);
    const progress = await this.progressOf(enrolment);
    const quiz = progress.outline.quizzes.find((q) => q.slug === quizSlug);
    if (!quiz) throw new CoursesError('not-found', 'quiz-not-found');
    const attemptsUsed = progress.quizResults.find((r) => r.quizSlug === quizSlug)?.attempts ?? 0;
    let closedBecause: QuizState['closedBecause'];
    // The pre-test is the baseline of knowledge gain: it closes once a first lesson is done.
    if (quiz.kind === 'pre' && progress.completedLessons.length > 0 && attemptsUsed === 0)
      closedBecause = 'pre-test-closed';
    else if (quiz.maxAttempts !== null && attemptsUsed >= quiz.maxAttempts)
      closedBecause = 'no-attempts-left';
    return { progress, state: { quiz, attemptsUsed, closedBecause } };
  }

  /** A first quiz attempt starts the course (inside the attempt's transaction). */
  async markStarted(tx: EntityManager, enrolment: Enrolment): Promise<void> {
    if (enrolment.status === 'enrolled') await this.setStatus(tx, enrolment, 'in_progress');
  }

  /** Only the owner studies, completes lessons and takes quizzes. */
  async owned(actor: AuthUser, enrolmentId: string): Promise<Enrolment> {
    const enrolment = isUuid(enrolmentId) ? await this.courses.findEnrolment(enrolmentId) : null;
    if (!enrolment) throw new CoursesError('not-found', 'enrolment-not-found');
    if (enrolment.userId !== actor.id) throw new CoursesError('forbidden', 'not-your-enrolment');
    return enrolment;
  }

  private async readable(actor: AuthUser, enrolmentId: string): Promise<Enrolment> {
    const enrolment = isUuid(enrolmentId) ? await this.courses.findEnrolment(enrolmentId) : null;
    if (!enrolment) throw new CoursesError('not-found', 'enrolment-not-found');
    if (enrolment.userId === actor.id || actor.role === 'admin') return enrolment;
    if (actor.role === 'manager') {
      const scope = countryScopeOf(actor);
      if (scope === null) return enrolment;
      const owner = await this.users.findById(enrolment.userId);
      if (owner?.countryCode === scope) return enrolment;
    }
    throw new CoursesError('forbidden', 'not-your-enrolment');
  }

  private async setStatus(tx: EntityManager, enrolment: Enrolment, status: EnrolmentStatus): Promise<void> {
    if (enrolment.status === status || (enrolment.status === 'completed' && status === 'in_progress')) return;
    const now = this.clock.now();
    const changes: Partial<Enrolment> = { status };
    if (!enrolment.startedAt) changes.startedAt = now;
    if (status === 'completed') changes.completedAt = now;
    await this.courses.updateEnrolmentStatus(tx, enrolment.id, changes);
    Object.assign(enrolment, changes);
  }

  private async progressOf(enrolment: Enrolment): Promise<EnrolmentProgress> {
    return (await this.progressMany([enrolment]))[0];
  }

  private async progressMany(enrolments: Enrolment[]): Promise<EnrolmentProgress[]> {
    if (!enrolments.length) return [];
    const ids = enrolments.map((e) => e.id);
    const [outlines, done, attempts] = await Promise.all([
      this.catalogue.outlines(enrolments.map((e) => e.courseVersionId)),
      this.courses.completedSlugsByEnrolments(ids),
      this.courses.attemptsByEnrolments(ids),
    ]);
    const outlineOf = new Map(outlines.map((o) => [o.versionId, o]));
    return enrolments.map((enrolment) => {
      const outline = outlineOf.get(enrolment.courseVersionId) as CourseOutline;
      const slugs = new Set(done.filter((d) => d.enrolmentId === enrolment.id).map((d) => d.lessonSlug));
      const completedLessons = outline.lessons.filter((l) => slugs.has(l.slug)).map((l) => l.slug);
      const own = attempts.filter((a) => a.enrolmentId === enrolment.id);
      const quizResults = quizResultsOf(outline, (slug) => {
        const mine = own.filter((a) => a.quizSlug === slug);
        return mine.length
          ? { attempts: mine.length, best: Math.max(...mine.map((a) => a.score)) }
          : undefined;
      });
      const percent = percentOf(completedLessons.length, outline);
      return { enrolment, outline, completedLessons, percent, quizResults };
    });
  }
}

/** Per quiz of the outline: attempts and best score (from `statsOf`, undefined when none), and whether it passed. */
function quizResultsOf(
  outline: CourseOutline,
  statsOf: (quizSlug: string) => { attempts: number; best: number } | undefined,
): QuizResult[] {
  return outline.quizzes.map((quiz) => {
    const stats = statsOf(quiz.slug);
    const best = stats ? stats.best : null;
    return {
      quizSlug: quiz.slug,
      kind: quiz.kind,
      bestScore: best,
      passed: best !== null && best >= quiz.passMark,
      attempts: stats?.attempts ?? 0,
    };
  });
}

/** Lessons completed as a whole percentage of the outline's lessons. */
function percentOf(completed: number, outline: CourseOutline): number {
  return outline.lessons.length ? Math.round((completed / outline.lessons.length) * 100) : 0;
}
