import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Database } from '../database/database.service';
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
    return this.db.manager.find(Course, { order: { slug: 'ASC' } });
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
    return ids.length ? this.db.manager.find(Enrolment, { where: { id: In(ids) } }) : Promise.resolve([]);
  }

  findEnrolmentsOfUser(userId: string): Promise<Enrolment[]> {
    return this.db.manager.find(Enrolment, { where: { userId }, order: { enrolledAt: 'ASC' } });
  }

  completedSlugsByEnrolments(
    enrolmentIds: string[],
    tx?: EntityManager,
  ): Promise<Pick<LessonCompletion, 'enrolmentId' | 'lessonSlug'>[]> {
    if (!enrolmentIds.length) return Promise.resolve([]);
    return this.m(tx).find(LessonCompletion, {
      select: { enrolmentId: true, lessonSlug: true },
      where: { enrolmentId: In(enrolmentIds) },
    });
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

  attemptsByEnrolments(enrolmentIds: string[], tx?: EntityManager): Promise<QuizAttempt[]> {
    if (!enrolmentIds.length) return Promise.resolve([]);
    return this.m(tx).find(QuizAttempt, {
      where: { enrolmentId: In(enrolmentIds) },
      order: { attemptNumber: 'ASC' },
    });
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
