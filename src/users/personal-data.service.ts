import { Injectable } from '@nestjs/common';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { EntityManager, In, Not } from 'typeorm';
import { AuthToken } from '../auth/auth-token.entity';
import type { AuthUser } from '../common/kernel/auth-user';
import { SessionsService } from '../auth/sessions.service';
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
import { AuditEntry } from '../common/audit/audit-entry.entity';
import { AuditService } from '../common/audit/audit.service';
import { Clock } from '../common/clock';
import { conflict, forbidden, notFound } from '../common/errors/app-errors';
import { CourseVersion } from '../courses/course-version.entity';
import { Course } from '../courses/course.entity';
import { Enrolment } from '../courses/enrolment.entity';
import { LessonCompletion } from '../courses/lesson-completion.entity';
import { QuizAttempt } from '../courses/quiz-attempt.entity';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { Inject } from '@nestjs/common';
import { Database } from '../database/database.service';
import { OutboxMessage } from '../mail/outbox-message.entity';
import { School, SchoolCoordinator } from '../schools/school.entities';
import { User } from './user.entity';
import { isUuid } from '../common/ids';

/** What an anonymised account is called: "Anon." reads the same in Spanish and English. */
export const anonymisedName = (id: string) => `Anon. ${id.slice(0, 8)}`;
/** `.invalid` is reserved (RFC 2606): no mail can ever reach it, and it stays unique per account. */
export const anonymisedEmail = (id: string) => `anon-${id}@anonymised.invalid`;

export interface PersonalDataExport {
  format: 'cascada-personal-data/1';
  exportedAt: string;
  account: Record<string, unknown>;
  enrolments: Array<Record<string, unknown>>;
  cohorts: Array<Record<string, unknown>>;
  certifications: Array<Record<string, unknown>>;
  cascadeSessions: Array<Record<string, unknown>>;
  schoolsCoordinated: Array<Record<string, unknown>>;
  mail: Array<Record<string, unknown>>;
}

/**
 * DESIGN.md "Privacy": a person's own data as JSON, and anonymisation. Anonymising disables the
 * account and replaces what identifies the person (name, email, organisation, facilitator notes
 * about them, their mail), while every row that counts (enrolments, attendance, practicum results,
 * certifications, sessions) stays, so no report total changes.
 */
@Injectable()
export class PersonalDataService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The export of one person's data: admins for anyone, everyone else only for themselves. */
  async export(actor: AuthUser, userId: string): Promise<PersonalDataExport> {
    if (actor.role !== 'admin' && actor.id !== userId) throw forbidden('users.export-not-allowed');
    const tx = this.db.manager;
    const user = isUuid(userId) ? await tx.findOneBy(User, { id: userId }) : null;
    if (!user) throw notFound();

    const enrolments = await tx.findBy(Enrolment, { userId });
    const enrolmentIds = enrolments.map((e) => e.id);
    const [courses, versions, lessons, attempts] = await Promise.all([
      enrolments.length ? tx.findBy(Course, { id: In([...new Set(enrolments.map((e) => e.courseId))]) }) : [],
      enrolments.length
        ? tx.findBy(CourseVersion, { id: In([...new Set(enrolments.map((e) => e.courseVersionId))]) })
        : [],
      enrolmentIds.length ? tx.findBy(LessonCompletion, { enrolmentId: In(enrolmentIds) }) : [],
      enrolmentIds.length ? tx.findBy(QuizAttempt, { enrolmentId: In(enrolmentIds) }) : [],
    ]);
    const [
      participations,
      facilitations,
      attendance,
      practicum,
      certifications,
      sessions,
      coordinated,
      mail,
    ] = await Promise.all([
      tx.findBy(CohortParticipant, { userId }),
      tx.findBy(CohortFacilitator, { userId }),
      tx.findBy(Attendance, { userId }),
      tx.findBy(PracticumResult, { userId }),
      tx.findBy(Certification, { userId }),
      tx.find(CascadeSession, {
        where: [{ trainerId: userId }, { loggedBy: userId }],
        order: { date: 'ASC' },
      }),
      tx.findBy(SchoolCoordinator, { userId }),
      tx.find(OutboxMessage, { where: { toAddress: user.email }, order: { createdAt: 'ASC' } }),
    ]);
    const cohortIds = [
      ...new Set([...participations.map((p) => p.cohortId), ...facilitations.map((f) => f.cohortId)]),
    ];
    const schoolIds = [
      ...new Set([...sessions.map((s) => s.schoolId), ...coordinated.map((c) => c.schoolId)]),
    ];
    const dayIds = [...new Set(attendance.map((a) => a.dayId))];
    const certCourseIds = certifications
      .map((c) => c.courseId)
      .filter((id) => !courses.some((c) => c.id === id));
    const sessionCourseIds = sessions
      .map((s) => s.courseId)
      .filter((id) => !courses.some((c) => c.id === id));
    const [cohorts, schools, days, moreCourses] = await Promise.all([
      cohortIds.length ? tx.findBy(Cohort, { id: In(cohortIds) }) : [],
      schoolIds.length ? tx.findBy(School, { id: In(schoolIds) }) : [],
      dayIds.length ? tx.findBy(CohortDay, { id: In(dayIds) }) : [],
      certCourseIds.length + sessionCourseIds.length
        ? tx.findBy(Course, { id: In([...new Set([...certCourseIds, ...sessionCourseIds])]) })
        : [],
    ]);
    const slugOf = new Map([...courses, ...moreCourses].map((c) => [c.id, c.slug]));
    const versionOf = new Map(versions.map((v) => [v.id, v.version]));
    const dayOf = new Map(days.map((d) => [d.id, d.date]));
    const schoolOf = new Map(schools.map((s) => [s.id, s.name]));
    const iso = (d: Date | null) => (d ? d.toISOString() : null);

    return {
      format: 'cascada-personal-data/1',
      exportedAt: this.clock.now().toISOString(),
      account: {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        sex: user.sex,
        language: user.language,
        countryCode: user.countryCode,
        organisation: user.organisation,
        status: user.status,
        createdAt: iso(user.createdAt),
        lastLoginAt: iso(user.lastLoginAt),
        anonymisedAt: iso(user.anonymisedAt),
      },
      enrolments: enrolments.map((e) => ({
        id: e.id,
        courseSlug: slugOf.get(e.courseId) ?? null,
        version: versionOf.get(e.courseVersionId) ?? null,
        status: e.status,
        enrolledAt: iso(e.enrolledAt),
        startedAt: iso(e.startedAt),
        completedAt: iso(e.completedAt),
        lessonsCompleted: lessons
          .filter((l) => l.enrolmentId === e.id)
          .map((l) => ({ lessonSlug: l.lessonSlug, completedAt: iso(l.completedAt) })),
        quizAttempts: attempts
          .filter((a) => a.enrolmentId === e.id)
          .map((a) => ({
            quizSlug: a.quizSlug,
            kind: a.kind,
            attemptNumber: a.attemptNumber,
            score: a.score,
            passed: a.passed,
            submittedAt: iso(a.submittedAt),
          })),
      })),
      cohorts: cohorts.map((c) => {
        const result = practicum.find((p) => p.cohortId === c.id);
        return {
          id: c.id,
          name: c.name,
          startsOn: c.startsOn,
          endsOn: c.endsOn,
          roles: [
            participations.some((p) => p.cohortId === c.id) && 'participant',
            facilitations.some((f) => f.cohortId === c.id) && 'facilitator',
          ].filter(Boolean),
          attendance: attendance
            .filter((a) => a.cohortId === c.id)
            .map((a) => ({ date: dayOf.get(a.dayId) ?? null, status: a.status })),
          practicum: result ? { passed: result.passed, score: result.score, notes: result.notes } : null,
        };
      }),
      certifications: certifications.map((c) => ({
        code: c.code,
        courseSlug: slugOf.get(c.courseId) ?? null,
        cohortId: c.cohortId,
        issuedOn: c.issuedOn,
        expiresOn: c.expiresOn,
        status: c.status,
        revokedOn: c.revokedOn,
        revokedReason: c.revokedReason,
      })),
      cascadeSessions: sessions.map((s) => ({
        id: s.id,
        date: s.date,
        school: schoolOf.get(s.schoolId) ?? null,
        courseSlug: slugOf.get(s.courseId) ?? null,
        status: s.status,
        deliveredByMe: s.trainerId === userId,
        loggedByMe: s.loggedBy === userId,
        durationMinutes: s.durationMinutes,
        notes: s.notes,
      })),
      schoolsCoordinated: coordinated.map((c) => ({
        id: c.schoolId,
        name: schoolOf.get(c.schoolId) ?? null,
      })),
      mail: mail.map((m) => ({
        template: m.template,
        subject: m.subject,
        status: m.status,
        createdAt: iso(m.createdAt),
      })),
    };
  }

  /**
   * Anonymises an account (admins only, never their own): disables it, ends its sessions and link
   * tokens, replaces name, email and organisation, clears facilitator notes about the person and
   * their mail, and records who did it. Counted rows stay as they are.
   */
  async anonymise(actor: AuthUser, userId: string): Promise<User> {
    if (actor.role !== 'admin') throw forbidden('users.anonymise-not-allowed');
    if (actor.id === userId) throw forbidden('users.cannot-anonymise-self');
    const { user, mailIds } = await this.db.transaction(async (tx) => {
      const user = isUuid(userId) ? await tx.findOneBy(User, { id: userId }) : null;
      if (!user) throw notFound();
      if (user.anonymisedAt) throw conflict('users.already-anonymised');
      if (
        user.role === 'admin' &&
        (await tx.countBy(User, { role: 'admin', status: 'active', id: Not(user.id) })) === 0
      ) {
        throw conflict('users.last-admin');
      }
      const oldEmail = user.email;
      const now = this.clock.now();
      Object.assign(user, {
        name: anonymisedName(user.id),
        email: anonymisedEmail(user.id),
        organisation: null,
        passwordHash: null,
        status: 'disabled',
        anonymisedAt: now,
        updatedAt: now,
      });
      await tx.save(User, user);
      await this.sessions.closeAllFor(tx, user.id);
      await tx.delete(AuthToken, { userId: user.id });
      await tx.update(PracticumResult, { userId: user.id }, { notes: null });
      const mailIds = await this.forgetMail(tx, oldEmail, user.email);
      await this.scrubAudit(tx, user.id);
      await this.audit.record(tx, actor.id, 'user.anonymise', { type: 'user', id: user.id }, null, {
        anonymisedAt: now.toISOString(),
      });
      return { user, mailIds };
    });
    // Copies of sent mail on disk (no SMTP configured) carry the old name and address: remove them after commit.
    await Promise.all(
      mailIds.map((id) => unlink(join(this.config.dataDir, 'outbox', `${id}.eml`)).catch(() => undefined)),
    );
    return user;
  }

  /** Mail not yet sent is dropped; sent mail keeps its row (the outbox's history) without address or body. */
  private async forgetMail(tx: EntityManager, oldEmail: string, newEmail: string): Promise<string[]> {
    const messages = await tx.findBy(OutboxMessage, { toAddress: oldEmail });
    const unsent = messages.filter((m) => m.status === 'pending' || m.status === 'sending').map((m) => m.id);
    const kept = messages.filter((m) => !unsent.includes(m.id)).map((m) => m.id);
    if (unsent.length) await tx.delete(OutboxMessage, { id: In(unsent) });
    if (kept.length)
      await tx.update(
        OutboxMessage,
        { id: In(kept) },
        { toAddress: newEmail, subject: '—', textBody: '', htmlBody: '' },
      );
    return messages.map((m) => m.id);
  }

  /** Audit entries about the account keep what changed, not the old name or email. */
  private async scrubAudit(tx: EntityManager, userId: string): Promise<void> {
    const entries = await tx.findBy(AuditEntry, { entityType: 'user', entityId: userId });
    for (const entry of entries) {
      const scrub = (json: string | null) => {
        if (!json) return json;
        const value = JSON.parse(json) as Record<string, unknown>;
        for (const key of ['name', 'email', 'organisation']) if (key in value) value[key] = '—';
        return JSON.stringify(value);
      };
      const before = scrub(entry.before);
      const after = scrub(entry.after);
      if (before !== entry.before || after !== entry.after)
        await tx.update(AuditEntry, { id: entry.id }, { before, after });
    }
  }
}
