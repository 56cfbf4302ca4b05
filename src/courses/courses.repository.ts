import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Database } from '../database/database.service';
import { placeholders } from '../database/dialect';
import { ContentImport } from './content-import.entity';
import { CourseVersion } from './course-version.entity';
import { Course } from './course.entity';
import { Enrolment } from './enrolment.entity';
import { LessonCompletion } from './lesson-completion.entity';
import { Lesson } from './lesson.entity';
import { QuizAttempt } from './quiz-attempt.entity';
import { QuizSitting } from './quiz-sitting.entity';
import { Quiz } from './quiz.entity';
import { CountryFact } from './country-fact.entity';
import { Handout } from './handout.entity';
import { ReferralContact } from './referral-contact.entity';

/** Every query on courses, their versions, lessons, quizzes, enrolments and progress. */
@Injectable()
export class CoursesRepository {
  constructor(private readonly db: Database) {}

  private m(tx?: EntityManager): EntityManager {
    return tx ?? this.db.manager;
  }

  findCourses(): Promise<Course[]> {
    return this.db.select(Course, 'ORDER BY t.slug', []);
  }

  findCourseBySlug(slug: string, tx?: EntityManager): Promise<Course | null> {
    return this.m(tx).findOne(Course, { where: { slug } });
  }

  findCoursesByIds(ids: string[]): Promise<Course[]> {
    return ids.length ? this.db.manager.find(Course, { where: { id: In(ids) } }) : Promise.resolve([]);
  }

  findVersionsByIds(ids: string[]): Promise<CourseVersion[]> {
    return ids.length ? this.db.manager.find(CourseVersion, { where: { id: In(ids) } }) : Promise.resolve([]);
  }

  findVersionsOfCourses(
    courseIds: string[],
  ): Promise<Pick<CourseVersion, 'id' | 'courseId' | 'version' | 'importedAt'>[]> {
    if (!courseIds.length) return Promise.resolve([]);
    return this.db.manager.find(CourseVersion, {
      select: { id: true, courseId: true, version: true, importedAt: true },
      where: { courseId: In(courseIds) },
      order: { version: 'DESC' },
    });
  }

  findLessonsOfVersions(versionIds: string[]): Promise<Lesson[]> {
    if (!versionIds.length) return Promise.resolve([]);
    return this.db.manager.find(Lesson, {
      select: {
        id: true,
        courseVersionId: true,
        moduleSlug: true,
        slug: true,
        position: true,
        minutes: true,
        titleEn: true,
        titleEs: true,
      },
      where: { courseVersionId: In(versionIds) },
      order: { position: 'ASC' },
    });
  }

  findLesson(versionId: string, slug: string): Promise<Lesson | null> {
    return this.db.manager.findOne(Lesson, { where: { courseVersionId: versionId, slug } });
  }

  findQuizzesOfVersions(versionIds: string[]): Promise<Quiz[]> {
    if (!versionIds.length) return Promise.resolve([]);
    return this.db.manager.find(Quiz, {
      where: { courseVersionId: In(versionIds) },
      order: { position: 'ASC' },
    });
  }

  findEnrolment(id: string, tx?: EntityManager): Promise<Enrolment | null> {
    return this.m(tx).findOne(Enrolment, { where: { id } });
  }

  findEnrolmentOf(userId: string, courseId: string, tx?: EntityManager): Promise<Enrolment | null> {
    return this.m(tx).findOne(Enrolment, { where: { userId, courseId } });
  }

  async insertEnrolment(tx: EntityManager, enrolment: Enrolment): Promise<void> {
    await tx.insert(Enrolment, enrolment);
  }

  /** Writes an enrolment's status and its started/completed instants. */
  async updateEnrolmentStatus(
    tx: EntityManager,
    id: string,
    changes: Partial<Pick<Enrolment, 'status' | 'startedAt' | 'completedAt'>>,
  ): Promise<void> {
    await tx.update(Enrolment, { id }, changes);
  }

  findEnrolmentsByIds(ids: string[]): Promise<Enrolment[]> {
    return ids.length
      ? this.db.select(Enrolment, `WHERE t.id IN (${placeholders(ids.length)})`, ids)
      : Promise.resolve([]);
  }

  findEnrolmentsOfUser(userId: string): Promise<Enrolment[]> {
    return this.db.manager.find(Enrolment, { where: { userId }, order: { enrolledAt: 'ASC' } });
  }

  completedSlugsByEnrolments(
    enrolmentIds: string[],
    tx?: EntityManager,
  ): Promise<Pick<LessonCompletion, 'enrolmentId' | 'lessonSlug'>[]> {
    if (!enrolmentIds.length) return Promise.resolve([]);
    return this.db.query<Pick<LessonCompletion, 'enrolmentId' | 'lessonSlug'>>(
      `SELECT enrolment_id AS "enrolmentId", lesson_slug AS "lessonSlug" FROM lesson_completions
       WHERE enrolment_id IN (${placeholders(enrolmentIds.length)})`,
      enrolmentIds,
      tx,
    );
  }

  async insertCompletion(
    tx: EntityManager,
    enrolmentId: string,
    lessonSlug: string,
    at: Date,
  ): Promise<void> {
    await tx.insert(
      LessonCompletion,
      tx.create(LessonCompletion, { enrolmentId, lessonSlug, completedAt: at }),
    );
  }

  /**
   * Per enrolment: how many lessons of its own course version it completed (enrolments without any
   * are absent). Counted in SQL: a roster of 30 trainers has 30 rows here instead of ~1,400.
   * COUNT(*) is exact: a completion is unique per (enrolment, lesson slug), a lesson per (version, slug).
   */
  async completedCountsByEnrolments(enrolmentIds: string[]): Promise<Map<string, number>> {
    if (!enrolmentIds.length) return new Map();
    const rows = await this.db.query<{ enrolmentId: string; n: number | string }>(
      `SELECT c.enrolment_id AS "enrolmentId", COUNT(*) AS n
       FROM lesson_completions c JOIN enrolments e ON e.id = c.enrolment_id
       JOIN lessons l ON l.course_version_id = e.course_version_id AND l.slug = c.lesson_slug
       WHERE c.enrolment_id IN (${placeholders(enrolmentIds.length)}) GROUP BY c.enrolment_id`,
      enrolmentIds,
    );
    return new Map(rows.map((r) => [r.enrolmentId, Number(r.n)]));
  }

  /** Per enrolment and quiz: the number of attempts and the best score. */
  attemptStatsByEnrolments(
    enrolmentIds: string[],
  ): Promise<Array<{ enrolmentId: string; quizSlug: string; attempts: number; best: number }>> {
    if (!enrolmentIds.length) return Promise.resolve([]);
    return this.db
      .query<{ enrolmentId: string; quizSlug: string; attempts: number | string; best: number | string }>(
        `SELECT enrolment_id AS "enrolmentId", quiz_slug AS "quizSlug", COUNT(*) AS attempts, MAX(score) AS best
         FROM quiz_attempts WHERE enrolment_id IN (${placeholders(enrolmentIds.length)}) GROUP BY enrolment_id, quiz_slug`,
        enrolmentIds,
      )
      .then((rows) => rows.map((r) => ({ ...r, attempts: Number(r.attempts), best: Number(r.best) })));
  }

  attemptsByEnrolments(enrolmentIds: string[], tx?: EntityManager): Promise<QuizAttempt[]> {
    if (!enrolmentIds.length) return Promise.resolve([]);
    return this.db.select(
      QuizAttempt,
      `WHERE t.enrolment_id IN (${placeholders(enrolmentIds.length)}) ORDER BY t.attempt_number, t.id`,
      enrolmentIds,
      tx,
    );
  }

  lastAttempt(enrolmentId: string, quizSlug: string): Promise<QuizAttempt | null> {
    return this.db.manager.findOne(QuizAttempt, {
      where: { enrolmentId, quizSlug },
      order: { attemptNumber: 'DESC' },
    });
  }

  findAttemptBySitting(sittingId: string, tx?: EntityManager): Promise<QuizAttempt | null> {
    return this.m(tx).findOne(QuizAttempt, { where: { sittingId } });
  }

  async insertAttempt(tx: EntityManager, attempt: QuizAttempt): Promise<void> {
    await tx.insert(QuizAttempt, attempt);
  }

  countAttempts(tx: EntityManager, enrolmentId: string, quizSlug: string): Promise<number> {
    return tx.count(QuizAttempt, { where: { enrolmentId, quizSlug } });
  }

  /** The open sitting of one quiz of an enrolment (at most one: a unique constraint). */
  findOpenSitting(enrolmentId: string, quizSlug: string, tx?: EntityManager): Promise<QuizSitting | null> {
    return this.m(tx).findOne(QuizSitting, { where: { enrolmentId, quizSlug } });
  }

  /** Stores a new open sitting unless one exists already (two tabs opening the quiz at once keep the first). */
  async insertSittingIfAbsent(tx: EntityManager, sitting: QuizSitting): Promise<void> {
    await tx.createQueryBuilder().insert().into(QuizSitting).values(sitting).orIgnore().execute();
  }

  /** Closes a sitting; false when another request closed it first (a double submit). */
  async deleteSitting(tx: EntityManager, id: string): Promise<boolean> {
    const result = await tx.delete(QuizSitting, { id });
    return (result.affected ?? 0) > 0;
  }

  recentImports(limit: number): Promise<ContentImport[]> {
    return this.db.manager.find(ContentImport, { order: { at: 'DESC' }, take: limit });
  }

  /** Every contacts row of the given courses (`*` for the all-courses lists): a handful per course. */
  findContactsOfCourses(courseSlugs: string[], tx?: EntityManager): Promise<ReferralContact[]> {
    if (!courseSlugs.length) return Promise.resolve([]);
    return this.m(tx).find(ReferralContact, {
      where: { courseSlug: In(courseSlugs) },
      order: { courseSlug: 'ASC', countryCode: 'ASC' },
    });
  }

  findContact(tx: EntityManager, courseSlug: string, countryCode: string): Promise<ReferralContact | null> {
    return tx.findOne(ReferralContact, { where: { courseSlug, countryCode } });
  }

  /** Inserts or replaces the contacts of a course (or `*`) and country (or `--`). */
  async saveContact(tx: EntityManager, contact: ReferralContact): Promise<void> {
    await tx.save(ReferralContact, contact);
  }

  async deleteContact(tx: EntityManager, courseSlug: string, countryCode: string): Promise<void> {
    await tx.delete(ReferralContact, { courseSlug, countryCode });
  }

  findFacts(courseSlug: string, countryCode: string, keys: string[]): Promise<CountryFact[]> {
    if (!keys.length) return Promise.resolve([]);
    return this.db.manager.find(CountryFact, { where: { courseSlug, countryCode, factKey: In(keys) } });
  }

  findFactsOfCourses(courseSlugs: string[], tx?: EntityManager): Promise<CountryFact[]> {
    if (!courseSlugs.length) return Promise.resolve([]);
    return this.m(tx).find(CountryFact, { where: { courseSlug: In(courseSlugs) } });
  }

  /** Inserts or replaces one admin text of a course, country and fact key. */
  async saveFact(tx: EntityManager, fact: CountryFact): Promise<void> {
    await tx.save(CountryFact, fact);
  }

  async deleteFact(
    tx: EntityManager,
    courseSlug: string,
    countryCode: string,
    factKey: string,
  ): Promise<void> {
    await tx.delete(CountryFact, { courseSlug, countryCode, factKey });
  }

  /** Handouts of versions without their HTML (titles and slugs, for outlines). */
  findHandoutsOfVersions(versionIds: string[]): Promise<Handout[]> {
    if (!versionIds.length) return Promise.resolve([]);
    return this.db.manager.find(Handout, {
      select: { id: true, courseVersionId: true, slug: true, position: true, titleEn: true, titleEs: true },
      where: { courseVersionId: In(versionIds) },
      order: { position: 'ASC' },
    });
  }

  findHandout(versionId: string, slug: string): Promise<Handout | null> {
    return this.db.manager.findOne(Handout, { where: { courseVersionId: versionId, slug } });
  }
}
