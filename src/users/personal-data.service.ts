import { Inject, Injectable } from '@nestjs/common';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthUser } from '../common/kernel/auth-user';
import { AuditService } from '../common/audit/audit.service';
import { Clock } from '../common/clock';
import { conflict, forbidden, notFound } from '../common/errors/app-errors';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { Database } from '../database/database.service';
import { OutboxService } from '../mail/outbox.service';
import { isUuid } from '../common/ids';
import { ACCOUNT_ACCESS, type AccountAccess } from './account-access.types';
import { PersonalDataRepository } from './personal-data.repository';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

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
    private readonly users: UsersRepository,
    private readonly rows: PersonalDataRepository,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(ACCOUNT_ACCESS) private readonly access: AccountAccess,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The export of one person's data: admins for anyone, everyone else only for themselves. */
  async export(actor: AuthUser, userId: string): Promise<PersonalDataExport> {
    if (actor.role !== 'admin' && actor.id !== userId) throw forbidden('users.export-not-allowed');
    const user = isUuid(userId) ? await this.users.findById(userId) : null;
    if (!user) throw notFound();

    const enrolments = await this.rows.enrolmentsOf(userId);
    const enrolmentIds = enrolments.map((e) => e.id);
    const [courses, versions, lessons, attempts] = await Promise.all([
      this.rows.coursesByIds(enrolments.map((e) => e.courseId)),
      this.rows.courseVersionsByIds(enrolments.map((e) => e.courseVersionId)),
      this.rows.lessonCompletionsOfEnrolments(enrolmentIds),
      this.rows.quizAttemptsOfEnrolments(enrolmentIds),
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
      this.rows.participationsOf(userId),
      this.rows.facilitationsOf(userId),
      this.rows.attendanceOf(userId),
      this.rows.practicumResultsOf(userId),
      this.rows.certificationsOf(userId),
      this.rows.cascadeSessionsOf(userId),
      this.rows.schoolsCoordinatedBy(userId),
      this.outbox.messagesTo(user.email),
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
      this.rows.cohortsByIds(cohortIds),
      this.rows.schoolsByIds(schoolIds),
      this.rows.cohortDaysByIds(dayIds),
      this.rows.coursesByIds([...certCourseIds, ...sessionCourseIds]),
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
      const user = isUuid(userId) ? await this.users.findById(userId, tx) : null;
      if (!user) throw notFound();
      if (user.anonymisedAt) throw conflict('users.already-anonymised');
      if (user.role === 'admin' && (await this.users.countOtherActiveAdmins(user.id, tx)) === 0) {
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
      await this.users.saveAccount(user, tx);
      await this.access.endSessions(tx, user.id);
      await this.access.forgetLinkTokens(tx, user.id);
      await this.rows.clearPracticumNotesAbout(tx, user.id);
      // Mail not yet sent is dropped; sent mail keeps its row (the outbox's history) without address or body.
      const mailIds = await this.outbox.forgetRecipient(tx, oldEmail, user.email);
      // Audit entries about the account keep what changed, not the old name or email.
      await this.audit.scrubValues(tx, { type: 'user', id: user.id }, ['name', 'email', 'organisation']);
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
}
