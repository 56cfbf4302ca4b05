import { AuthToken } from '../auth/auth-token.entity';
import { UserSession } from '../auth/user-session.entity';
import { AuditEntry } from '../common/audit/audit-entry.entity';
import { RateLimitBucket } from '../common/http/rate-limit-bucket.entity';
import { OutboxMessage } from '../mail/outbox-message.entity';
import { User } from '../users/user.entity';
import { JobLease } from './job-lease.entity';
import { Course } from '../courses/course.entity';
import { CourseVersion } from '../courses/course-version.entity';
import { Lesson } from '../courses/lesson.entity';
import { Quiz } from '../courses/quiz.entity';
import { ContentImport } from '../courses/content-import.entity';
import { Enrolment } from '../courses/enrolment.entity';
import { LessonCompletion } from '../courses/lesson-completion.entity';
import { QuizAttempt } from '../courses/quiz-attempt.entity';
import { QuizSitting } from '../courses/quiz-sitting.entity';
import { ReferralContact } from '../courses/referral-contact.entity';
import { CountryFact } from '../courses/country-fact.entity';
import { Handout } from '../courses/handout.entity';
import { Cohort } from '../cohorts/cohort.entity';
import {
  Attendance,
  CohortDay,
  CohortFacilitator,
  CohortParticipant,
  PracticumResult,
} from '../cohorts/cohort-member.entities';
import { Certification } from '../certification/certification.entity';
import { Country, Municipality, School, SchoolCoordinator } from '../schools/school.entities';
import { CascadeSession, IdempotencyKey } from '../cascade/cascade-session.entity';
import { Dhis2Mapping } from '../dhis2/dhis2-mapping.entity';

export const entities = [
  User,
  AuthToken,
  UserSession,
  OutboxMessage,
  RateLimitBucket,
  AuditEntry,
  JobLease,
  Course,
  CourseVersion,
  Lesson,
  Quiz,
  ContentImport,
  Enrolment,
  LessonCompletion,
  QuizAttempt,
  QuizSitting,
  ReferralContact,
  CountryFact,
  Handout,
  Cohort,
  CohortFacilitator,
  CohortParticipant,
  CohortDay,
  Attendance,
  PracticumResult,
  Certification,
  Country,
  Municipality,
  School,
  SchoolCoordinator,
  CascadeSession,
  IdempotencyKey,
  Dhis2Mapping,
];
