import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { CascadeSession } from '../cascade/cascade-session.entity';
import { Certification } from '../certification/certification.entity';
import {
  Attendance,
  CohortDay,
  CohortFacilitator,
  CohortParticipant,
  PracticumResult,
} from '../cohorts/cohort-member.entities';
import { Cohort } from '../cohorts/cohort.entity';
import { CourseVersion } from '../courses/course-version.entity';
import { Course } from '../courses/course.entity';
import { Enrolment } from '../courses/enrolment.entity';
import { LessonCompletion } from '../courses/lesson-completion.entity';
import { QuizAttempt } from '../courses/quiz-attempt.entity';
import { Database } from '../database/database.service';
import { School, SchoolCoordinator } from '../schools/school.entities';

/**
 * Cross-module reads (and one write) for a person's data export and anonymisation (DESIGN.md
 * "Privacy"): rows of courses, cohorts, certification, cascade and schools that concern one person.
 * They belong behind those modules' services; they are kept here, in one place and named, until
 * those services offer them (issue 14). Each method is one query; empty id lists query nothing.
 */
@Injectable()
export class PersonalDataRepository {
  constructor(private readonly db: Database) {}

  enrolmentsOf(userId: string): Promise<Enrolment[]> {
    return this.db.manager.findBy(Enrolment, { userId });
  }

  async coursesByIds(ids: string[]): Promise<Course[]> {
    return ids.length ? this.db.manager.findBy(Course, { id: In([...new Set(ids)]) }) : [];
  }

  async courseVersionsByIds(ids: string[]): Promise<CourseVersion[]> {
    return ids.length ? this.db.manager.findBy(CourseVersion, { id: In([...new Set(ids)]) }) : [];
  }

  async lessonCompletionsOfEnrolments(enrolmentIds: string[]): Promise<LessonCompletion[]> {
    return enrolmentIds.length
      ? this.db.manager.findBy(LessonCompletion, { enrolmentId: In(enrolmentIds) })
      : [];
  }

  async quizAttemptsOfEnrolments(enrolmentIds: string[]): Promise<QuizAttempt[]> {
    return enrolmentIds.length ? this.db.manager.findBy(QuizAttempt, { enrolmentId: In(enrolmentIds) }) : [];
  }

  participationsOf(userId: string): Promise<CohortParticipant[]> {
    return this.db.manager.findBy(CohortParticipant, { userId });
  }

  facilitationsOf(userId: string): Promise<CohortFacilitator[]> {
    return this.db.manager.findBy(CohortFacilitator, { userId });
  }

  attendanceOf(userId: string): Promise<Attendance[]> {
    return this.db.manager.findBy(Attendance, { userId });
  }

  practicumResultsOf(userId: string): Promise<PracticumResult[]> {
    return this.db.manager.findBy(PracticumResult, { userId });
  }

  certificationsOf(userId: string): Promise<Certification[]> {
    return this.db.manager.findBy(Certification, { userId });
  }

  /** Sessions the person delivered or logged, by date. */
  cascadeSessionsOf(userId: string): Promise<CascadeSession[]> {
    return this.db.manager.find(CascadeSession, {
      where: [{ trainerId: userId }, { loggedBy: userId }],
      order: { date: 'ASC' },
    });
  }

  schoolsCoordinatedBy(userId: string): Promise<SchoolCoordinator[]> {
    return this.db.manager.findBy(SchoolCoordinator, { userId });
  }

  async cohortsByIds(ids: string[]): Promise<Cohort[]> {
    return ids.length ? this.db.manager.findBy(Cohort, { id: In(ids) }) : [];
  }

  async schoolsByIds(ids: string[]): Promise<School[]> {
    return ids.length ? this.db.manager.findBy(School, { id: In(ids) }) : [];
  }

  async cohortDaysByIds(ids: string[]): Promise<CohortDay[]> {
    return ids.length ? this.db.manager.findBy(CohortDay, { id: In(ids) }) : [];
  }

  /** Facilitator notes about the person are cleared; results themselves stay (they are counted). */
  async clearPracticumNotesAbout(tx: EntityManager, userId: string): Promise<void> {
    await tx.update(PracticumResult, { userId }, { notes: null });
  }
}
