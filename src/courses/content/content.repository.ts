import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContentImport } from '../content-import.entity';
import { CourseVersion } from '../course-version.entity';
import { Course } from '../course.entity';
import { Handout } from '../handout.entity';
import { Lesson } from '../lesson.entity';
import { Quiz } from '../quiz.entity';

type Fields<T> = Omit<T, 'id'>;

/**
 * The content importer's writes: a course, a new version with its lessons, handouts and quizzes,
 * and the log of import runs. Each runs in the importer's transaction `tx`; reads of the same tables
 * for pages are CoursesRepository's.
 */
@Injectable()
export class ContentRepository {
  findCourseBySlug(tx: EntityManager, slug: string): Promise<Course | null> {
    return tx.findOne(Course, { where: { slug } });
  }

  async insertCourse(tx: EntityManager, fields: Fields<Course>): Promise<Course> {
    const course = tx.create(Course, fields);
    await tx.insert(Course, course);
    return course;
  }

  /** Every imported version of a course, without manifests: number and checksum decide what to import. */
  findVersionsOfCourse(
    tx: EntityManager,
    courseId: string,
  ): Promise<Pick<CourseVersion, 'id' | 'version' | 'checksum'>[]> {
    return tx.find(CourseVersion, {
      select: { id: true, version: true, checksum: true },
      where: { courseId },
    });
  }

  async insertVersion(tx: EntityManager, fields: Fields<CourseVersion>): Promise<CourseVersion> {
    const version = tx.create(CourseVersion, fields);
    await tx.insert(CourseVersion, version);
    return version;
  }

  /** Inserts a version's lessons one row each (lesson HTML is large: no multi-row statement). */
  async insertLessons(tx: EntityManager, rows: Fields<Lesson>[]): Promise<void> {
    for (const row of rows) await tx.insert(Lesson, tx.create(Lesson, row));
  }

  async insertHandouts(tx: EntityManager, rows: Fields<Handout>[]): Promise<void> {
    for (const row of rows) await tx.insert(Handout, tx.create(Handout, row));
  }

  async insertQuizzes(tx: EntityManager, rows: Fields<Quiz>[]): Promise<void> {
    for (const row of rows) await tx.insert(Quiz, tx.create(Quiz, row));
  }

  /** Publishes a version: new enrolments and the catalogue use it from now on. */
  async setCurrentVersion(tx: EntityManager, courseId: string, versionId: string): Promise<void> {
    await tx.update(Course, { id: courseId }, { currentVersionId: versionId });
  }

  /** Logs one package's result of an import run (the admin content page lists them). */
  async recordImport(tx: EntityManager, fields: Fields<ContentImport>): Promise<void> {
    await tx.insert(ContentImport, tx.create(ContentImport, fields));
  }
}
