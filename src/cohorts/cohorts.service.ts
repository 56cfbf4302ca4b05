import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/kernel/auth-user';
import { evaluateEligibility, type Eligibility } from './eligibility';
import { countryScopeOf } from '../common/access/scope';
import { AuditService } from '../common/audit/audit.service';
import { Clock } from '../common/clock';
import { InputError } from '../common/errors/app-errors';
import { CatalogueService, CourseOutline } from '../courses/catalogue.service';
import { pick } from '../courses/course.view';
import { LearningService } from '../courses/learning.service';
import { Database } from '../database/database.service';
import { OutboxService } from '../mail/outbox.service';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { attendancePercent } from './attendance-rate';
import { Attendance, CohortDay, CohortParticipant, PracticumResult } from './cohort-member.entities';
import {
  CERTIFICATION_FACTS,
  type CertificationFacts,
  type CohortCertificate,
} from './certification-facts.types';
import { Cohort } from './cohort.entity';
import { NEXT_STATUSES } from './cohort-status.enum';
import { CohortsError } from './cohorts.errors';
import { CohortsRepository, ParticipantRow } from './cohorts.repository';
import type { RosterRow } from './roster-import';
import {
  AddDayDto,
  AddParticipantDto,
  AttendanceDto,
  CreateCohortDto,
  ListCohortsQuery,
  PracticumDto,
  UpdateCohortDto,
} from './dto/cohort.dto';
import { isUuid } from '../common/ids';

/** Eligibility is part of cohorts' public surface: certification issues on it and words refusals alike. */
export { conditionParams, type Condition, type Eligibility } from './eligibility';

export type CohortAccess = 'manage' | 'facilitate' | 'participate';

export interface ParticipantStanding extends ParticipantRow {
  attendancePercent: number;
  eligibility: Eligibility;
  practicum: PracticumResult | null;
  percent: number;
}

/** TOT workshops: the rules of DESIGN.md "Cohort" (capacity, status steps, who may record what). */
@Injectable()
export class CohortsService {
  constructor(
    private readonly db: Database,
    private readonly cohorts: CohortsRepository,
    private readonly catalogue: CatalogueService,
    private readonly learning: LearningService,
    private readonly users: UsersService,
    @Inject(CERTIFICATION_FACTS) private readonly certifications: CertificationFacts,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(actor: AuthUser, dto: CreateCohortDto): Promise<Cohort> {
    const outline = await this.courseOf(dto.courseSlug);
    this.requireCountryScope(actor, dto.countryCode);
    this.checkDates(dto.startsOn, dto.endsOn);
    const facilitatorIds = await this.checkFacilitators(dto.facilitatorIds ?? [], outline.courseId);
    return this.db.transaction(async (tx) => {
      const cohort = tx.create(Cohort, {
        courseId: outline.courseId,
        name: dto.name,
        countryCode: dto.countryCode,
        municipality: dto.municipality ?? null,
        venue: dto.venue ?? null,
        startsOn: dto.startsOn,
        endsOn: dto.endsOn,
        capacity: dto.capacity,
        status: 'planned',
        createdBy: actor.id,
        createdAt: this.clock.now(),
      });
      await this.cohorts.insertCohort(tx, cohort);
      await this.cohorts.setFacilitators(tx, cohort.id, facilitatorIds);
      await this.audit.record(tx, actor.id, 'cohort.create', { type: 'cohort', id: cohort.id }, null, {
        name: cohort.name,
        countryCode: cohort.countryCode,
      });
      return cohort;
    });
  }

  async update(actor: AuthUser, id: string, dto: UpdateCohortDto): Promise<Cohort> {
    const cohort = await this.manageable(actor, id);
    const outline = await this.courseOf(dto.courseSlug);
    this.requireCountryScope(actor, dto.countryCode);
    this.checkDates(dto.startsOn, dto.endsOn);
    const facilitatorIds = await this.checkFacilitators(dto.facilitatorIds ?? [], outline.courseId);
    return this.db.transaction(async (tx) => {
      const participants = await this.cohorts.countParticipants(id, tx);
      if (outline.courseId !== cohort.courseId && participants > 0)
        throw new CohortsError('conflict', 'course-locked', {}, 'courseSlug');
      if (dto.capacity < participants)
        throw new CohortsError('unprocessable', 'capacity-below-roster', { count: participants }, 'capacity');
      const status = dto.status ?? cohort.status;
      if (status !== cohort.status && !NEXT_STATUSES[cohort.status].includes(status)) {
        throw new CohortsError(
          'unprocessable',
          'bad-transition',
          { from: cohort.status, to: status },
          'status',
        );
      }
      const before = {
        status: cohort.status,
        startsOn: cohort.startsOn,
        endsOn: cohort.endsOn,
        capacity: cohort.capacity,
      };
      Object.assign(cohort, {
        courseId: outline.courseId,
        name: dto.name,
        countryCode: dto.countryCode,
        municipality: dto.municipality ?? null,
        venue: dto.venue ?? null,
        startsOn: dto.startsOn,
        endsOn: dto.endsOn,
        capacity: dto.capacity,
        status,
      });
      await this.cohorts.saveCohort(tx, cohort);
      await this.cohorts.setFacilitators(tx, cohort.id, facilitatorIds);
      await this.audit.record(tx, actor.id, 'cohort.update', { type: 'cohort', id }, before, {
        status,
        startsOn: cohort.startsOn,
        endsOn: cohort.endsOn,
        capacity: cohort.capacity,
      });
      return cohort;
    });
  }

  async list(actor: AuthUser, query: ListCohortsQuery) {
    const limit = query.limit ?? 25;
    const offset = query.offset ?? ((query.page ?? 1) - 1) * limit;
    const scope = countryScopeOf(actor);
    if (scope && query.countryCode && query.countryCode !== scope)
      return { items: [], total: 0, limit, offset, counts: new Map<string, number>() };
    let courseId: string | undefined;
    if (query.courseSlug) {
      const outline = await this.catalogue.currentOutline(query.courseSlug);
      if (!outline) return { items: [], total: 0, limit, offset, counts: new Map<string, number>() };
      courseId = outline.courseId;
    }
    const isStaff = actor.role === 'admin' || actor.role === 'manager';
    const page = await this.cohorts.page(
      {
        countryCode: scope ?? query.countryCode ?? null,
        courseId,
        status: query.status,
        memberId: isStaff ? undefined : actor.id,
      },
      limit,
      offset,
    );
    const counts = await this.cohorts.participantCounts(page.items.map((c) => c.id));
    return { ...page, limit, offset, counts };
  }

  /** The cohort and what the actor may do with it; 403 outside scope, 404 unknown. */
  async get(actor: AuthUser, id: string): Promise<{ cohort: Cohort; access: CohortAccess }> {
    const cohort = await this.find(id);
    if (this.canManage(actor, cohort)) return { cohort, access: 'manage' };
    if (await this.cohorts.isFacilitator(id, actor.id)) return { cohort, access: 'facilitate' };
    if (await this.cohorts.isParticipant(id, actor.id)) return { cohort, access: 'participate' };
    throw new CohortsError('forbidden', 'not-yours');
  }

  async detail(actor: AuthUser, id: string) {
    const { cohort, access } = await this.get(actor, id);
    const [outline] = await this.catalogue.outlines([await this.versionOf(cohort)]);
    const [facilitators, days] = await Promise.all([this.cohorts.facilitators(id), this.cohorts.days(id)]);
    const standings = access === 'participate' ? [] : await this.standings(cohort, outline, days);
    const participants = access === 'participate' ? await this.cohorts.participants(id) : standings;
    return { cohort, access, outline, facilitators, days, participants, standings };
  }

  /** Adds a participant by email: existing trainers join, new people are invited; all are enrolled. */
  async addParticipant(
    actor: AuthUser,
    id: string,
    dto: AddParticipantDto,
  ): Promise<{ user: User; created: boolean }> {
    const cohort = await this.manageable(actor, id);
    const outline = await this.outlineOf(cohort);
    return this.db.transaction(async (tx) => {
      const result = await this.addInTx(tx, actor, cohort, outline, dto);
      return result;
    });
  }

  /** All-or-nothing: every row is added, or none (used by the CSV import after its preview). */
  async addMany(actor: AuthUser, id: string, rows: AddParticipantDto[]): Promise<number> {
    const cohort = await this.manageable(actor, id);
    const outline = await this.outlineOf(cohort);
    return this.db.transaction(async (tx) => {
      for (const row of rows) await this.addInTx(tx, actor, cohort, outline, row);
      return rows.length;
    });
  }

  /** Adds database checks to parsed CSV rows: already in the cohort, existing non-trainer or disabled accounts, capacity. */
  async previewRoster(
    actor: AuthUser,
    id: string,
    rows: RosterRow[],
  ): Promise<{ cohort: Cohort; rows: RosterRow[]; free: number }> {
    const cohort = await this.manageable(actor, id);
    const existing = await this.cohorts.usersByEmails(rows.map((r) => r.email).filter(Boolean));
    const byEmail = new Map(existing.map((u) => [u.email, u]));
    const inCohort = new Set((await this.cohorts.participants(id)).map((p) => p.userId));
    const free = cohort.capacity - inCohort.size;
    let accepted = 0;
    for (const row of rows) {
      const user = byEmail.get(row.email);
      if (user && user.role !== 'trainer')
        row.problems.push({ key: 'not-a-trainer', params: { role: user.role } });
      else if (user && user.status === 'disabled') row.problems.push({ key: 'account-disabled' });
      else if (user && inCohort.has(user.id)) row.problems.push({ key: 'already-in-cohort' });
      if (row.problems.length === 0 && ++accepted > free)
        row.problems.push({ key: 'over-capacity', params: { capacity: cohort.capacity } });
    }
    if (cohort.status === 'completed') for (const row of rows) row.problems.push({ key: 'cohort-completed' });
    return { cohort, rows, free };
  }

  async removeParticipant(actor: AuthUser, id: string, userId: string): Promise<void> {
    await this.manageable(actor, id);
    await this.db.transaction(async (tx) => {
      const participant = await this.cohorts.findParticipant(id, userId, tx);
      if (!participant) throw new CohortsError('not-found', 'participant-not-found');
      await this.cohorts.removeParticipant(tx, participant);
      await this.audit.record(
        tx,
        actor.id,
        'cohort.remove-participant',
        { type: 'cohort', id },
        { userId },
        null,
      );
    });
  }

  async addDay(actor: AuthUser, id: string, dto: AddDayDto): Promise<CohortDay> {
    const cohort = await this.manageable(actor, id);
    if (dto.date < cohort.startsOn || dto.date > cohort.endsOn) {
      throw new InputError({
        date: [{ key: 'date-in-range', params: { from: cohort.startsOn, to: cohort.endsOn } }],
      });
    }
    return this.db.transaction(async (tx) => {
      const days = await this.cohorts.days(id, tx);
      if (days.some((d) => d.date === dto.date))
        throw new CohortsError('conflict', 'day-exists', { date: dto.date }, 'date');
      const day = tx.create(CohortDay, { cohortId: id, date: dto.date, title: dto.title ?? null });
      await this.cohorts.insertDay(tx, day);
      return day;
    });
  }

  /** Records attendance for one day (managers in scope and the cohort's facilitators); audited. */
  async recordAttendance(actor: AuthUser, id: string, dayId: string, dto: AttendanceDto): Promise<void> {
    const cohort = await this.recordable(actor, id);
    if (!isUuid(dayId)) throw new CohortsError('not-found', 'day-not-found');
    await this.db.transaction(async (tx) => {
      const day = await this.cohorts.findDay(cohort.id, dayId, tx);
      if (!day) throw new CohortsError('not-found', 'day-not-found');
      const participants = new Set((await this.cohorts.participants(id, tx)).map((p) => p.userId));
      const problems = dto.records
        .map((r, i) => (participants.has(r.userId) ? null : i))
        .filter((i): i is number => i !== null);
      if (problems.length)
        throw new InputError(
          Object.fromEntries(
            problems.map((i) => [`records.${i}.userId`, [{ key: 'not-a-participant', params: {} }]]),
          ),
        );
      const existing = new Map((await this.cohorts.attendanceOfDay(dayId, tx)).map((a) => [a.userId, a]));
      const now = this.clock.now();
      for (const record of dto.records) {
        const before = existing.get(record.userId);
        if (before?.status === record.status) continue;
        if (before)
          await this.cohorts.updateAttendance(tx, before.id, {
            status: record.status,
            recordedBy: actor.id,
            recordedAt: now,
          });
        else
          await this.cohorts.insertAttendance(
            tx,
            tx.create(Attendance, {
              cohortId: id,
              dayId,
              userId: record.userId,
              status: record.status,
              recordedBy: actor.id,
              recordedAt: now,
            }),
          );
        // Audited on the cohort (audit entity ids hold 64 characters: "<dayId>:<userId>" does not fit on PostgreSQL).
        const who = { userId: record.userId, date: day.date };
        await this.audit.record(
          tx,
          actor.id,
          'attendance.record',
          { type: 'cohort', id },
          before ? { ...who, status: before.status } : null,
          { ...who, status: record.status },
        );
      }
    });
  }

  async recordPracticum(actor: AuthUser, id: string, userId: string, dto: PracticumDto): Promise<void> {
    await this.recordable(actor, id);
    await this.db.transaction(async (tx) => {
      if (!(isUuid(userId) && (await this.cohorts.isParticipant(id, userId, tx))))
        throw new CohortsError('not-found', 'participant-not-found');
      const before = await this.cohorts.findPracticum(id, userId, tx);
      const row = tx.create(PracticumResult, {
        cohortId: id,
        userId,
        passed: dto.passed,
        score: dto.score ?? null,
        notes: dto.notes ?? null,
        recordedBy: actor.id,
        recordedAt: this.clock.now(),
      });
      await this.cohorts.savePracticum(tx, row);
      await this.audit.record(
        tx,
        actor.id,
        'practicum.record',
        { type: 'cohort', id },
        before ? { userId, passed: before.passed, score: before.score } : null,
        { userId, passed: dto.passed, score: dto.score ?? null },
      );
    });
  }

  /** Eligibility of one participant: managers, admins, facilitators and the participant themselves. */
  async eligibilityOf(
    actor: AuthUser,
    id: string,
    userId: string,
  ): Promise<{ cohort: Cohort; standing: ParticipantStanding; outline: CourseOutline }> {
    const { cohort, access } = await this.get(actor, id);
    if (access === 'participate' && actor.id !== userId) throw new CohortsError('forbidden', 'not-yours');
    const outline = await this.outlineOf(cohort);
    const standing = (await this.standings(cohort, outline)).find((s) => s.userId === userId);
    if (!standing) throw new CohortsError('not-found', 'participant-not-found');
    return { cohort, standing, outline };
  }

  /** Every participant's attendance, progress, practicum and eligibility (a fixed number of queries). */
  async standings(
    cohort: Cohort,
    outline?: CourseOutline,
    knownDays?: CohortDay[],
  ): Promise<ParticipantStanding[]> {
    const course = outline ?? (await this.outlineOf(cohort));
    const [participants, days, attendance, practicum] = await Promise.all([
      this.cohorts.participants(cohort.id),
      knownDays ?? this.cohorts.days(cohort.id),
      this.cohorts.attendanceOf(cohort.id),
      this.cohorts.practicumOf(cohort.id),
    ]);
    const progress = await this.learning.summariesOfEnrolments(participants.map((p) => p.enrolmentId));
    const progressOf = new Map(progress.map((p) => [p.enrolment.id, p]));
    const dayIds = new Set(days.map((d) => d.id));
    return participants.map((p) => {
      const statuses = attendance
        .filter((a) => a.userId === p.userId && dayIds.has(a.dayId))
        .map((a) => a.status);
      const rate = attendancePercent(statuses, days.length);
      const prog = progressOf.get(p.enrolmentId);
      const post = prog?.outline.quizzes.find((q) => q.kind === 'post');
      const postResult = prog?.quizResults.find((r) => r.kind === 'post');
      const result = practicum.find((r) => r.userId === p.userId) ?? null;
      const eligibility = evaluateEligibility(course.manifest.certification, {
        lessonsTotal: prog?.outline.lessons.length ?? 0,
        lessonsCompleted: prog?.completedCount ?? 0,
        postTestBest: postResult?.bestScore ?? null,
        postTestPassMark: post ? post.passMark : null,
        attendancePercent: rate,
        practicumPassed: result ? result.passed : null,
      });
      return { ...p, attendancePercent: rate, eligibility, practicum: result, percent: prog?.percent ?? 0 };
    });
  }

  async manageable(actor: AuthUser, id: string): Promise<Cohort> {
    const cohort = await this.find(id);
    if (!this.canManage(actor, cohort))
      throw new CohortsError('forbidden', actor.role === 'manager' ? 'out-of-scope' : 'not-yours');
    return cohort;
  }

  /** Managers in scope, admins and the cohort's facilitators record attendance and practicum. */
  async recordable(actor: AuthUser, id: string): Promise<Cohort> {
    const cohort = await this.find(id);
    if (this.canManage(actor, cohort) || (await this.cohorts.isFacilitator(id, actor.id))) return cohort;
    throw new CohortsError('forbidden', 'not-facilitator');
  }

  async outlineOf(cohort: Cohort): Promise<CourseOutline> {
    const [outline] = await this.catalogue.outlines([await this.versionOf(cohort)]);
    return outline;
  }

  private async addInTx(
    tx: EntityManager,
    actor: AuthUser,
    cohort: Cohort,
    outline: CourseOutline,
    dto: AddParticipantDto,
  ) {
    if (cohort.status === 'completed') throw new CohortsError('unprocessable', 'cohort-completed');
    const count = await this.cohorts.countParticipants(cohort.id, tx);
    if (count >= cohort.capacity)
      throw new CohortsError(
        'conflict',
        'full',
        { capacity: cohort.capacity, count: cohort.capacity },
        'email',
      );
    const { user, created } = await this.users.findOrInviteTrainer(tx, actor, {
      ...dto,
      countryCode: cohort.countryCode,
    });
    if (await this.cohorts.isParticipant(cohort.id, user.id, tx))
      throw new CohortsError('conflict', 'already-in', { email: user.email }, 'email');
    const { enrolment } = await this.learning.enrolUser(tx, user.id, outline.slug);
    await this.cohorts.insertParticipant(
      tx,
      tx.create(CohortParticipant, {
        cohortId: cohort.id,
        userId: user.id,
        enrolmentId: enrolment.id,
        addedAt: this.clock.now(),
      }),
    );
    await this.outbox.enqueue(tx, {
      to: user.email,
      template: 'cohort-welcome',
      language: user.language,
      data: {
        name: user.name,
        cohortName: cohort.name,
        courseTitle: pick(outline.manifest.title, user.language),
        startsOn: cohort.startsOn,
        endsOn: cohort.endsOn,
        venue: cohort.venue ?? '',
        link: this.outbox.link(created ? '/login' : `/learn/${enrolment.id}`),
        isNew: created,
      },
    });
    return { user, created };
  }

  private async find(id: string): Promise<Cohort> {
    const cohort = isUuid(id) ? await this.cohorts.findById(id) : null;
    if (!cohort) throw new CohortsError('not-found', 'not-found');
    return cohort;
  }

  private canManage(actor: AuthUser, cohort: Cohort): boolean {
    if (actor.role === 'admin') return true;
    if (actor.role !== 'manager') return false;
    const scope = countryScopeOf(actor);
    return scope === null || scope === cohort.countryCode;
  }

  private requireCountryScope(actor: AuthUser, countryCode: string): void {
    const scope = countryScopeOf(actor);
    if (scope !== null && scope !== countryCode) throw new CohortsError('forbidden', 'out-of-scope');
  }

  private checkDates(startsOn: string, endsOn: string): void {
    const valid = (d: string) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
    const fields: Record<string, { key: string; params: Record<string, string> }[]> = {};
    if (!valid(startsOn)) fields.startsOn = [{ key: 'date', params: {} }];
    if (!valid(endsOn)) fields.endsOn = [{ key: 'date', params: {} }];
    else if (valid(startsOn) && endsOn < startsOn) fields.endsOn = [{ key: 'ends-before-start', params: {} }];
    if (Object.keys(fields).length) throw new InputError(fields);
  }

  /** Facilitators are managers or admins, or trainers certified in the course today. */
  private async checkFacilitators(ids: string[], courseId: string): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (!unique.length) return [];
    const users = await this.cohorts.usersByIds(unique);
    const certified = await this.certifications.certifiedToday(
      users.filter((u) => u.role === 'trainer').map((u) => u.id),
      courseId,
    );
    const ok = (u: User) =>
      u.status === 'active' &&
      (u.role === 'manager' || u.role === 'admin' || (u.role === 'trainer' && certified.has(u.id)));
    if (users.length !== unique.length || !users.every(ok))
      throw new InputError({ facilitatorIds: [{ key: 'facilitator', params: {} }] });
    return unique;
  }

  private async courseOf(slug: string): Promise<CourseOutline> {
    const outline = await this.catalogue.currentOutline(slug);
    if (!outline) throw new InputError({ courseSlug: [{ key: 'course', params: {} }] });
    return outline;
  }

  private async versionOf(cohort: Cohort): Promise<string> {
    const courses = await this.catalogue.currentOutlines();
    const outline = courses.find((o) => o.courseId === cohort.courseId);
    if (!outline) throw new CohortsError('not-found', 'not-found');
    return outline.versionId;
  }

  /** People who may facilitate: managers and admins, and trainers certified today (checked per course on save). */
  async facilitatorCandidates(): Promise<User[]> {
    const trainers = await this.certifications.certifiedTrainerIds();
    const staff = await this.cohorts.activeStaff(200);
    const certified = await this.cohorts.usersByIds(trainers);
    return [
      ...staff,
      ...certified.filter((u) => u.status === 'active').sort((a, b) => a.name.localeCompare(b.name)),
    ];
  }

  attendanceOfDay(dayId: string) {
    return this.cohorts.attendanceOfDay(dayId);
  }

  /** Course slugs by course id (for lists). */
  async courseSlugs(courseIds: string[]): Promise<Map<string, string>> {
    const outlines = await this.catalogue.currentOutlines();
    return new Map(outlines.filter((o) => courseIds.includes(o.courseId)).map((o) => [o.courseId, o.slug]));
  }

  /** Cohort ids, for lists and reports that need them in bulk. */
  byIds(ids: string[], tx?: EntityManager): Promise<Cohort[]> {
    return this.cohorts.findByIds(ids, tx);
  }

  /** The cohort's facilitators' user ids in id order (certification names the first on a certificate). */
  facilitatorIds(cohortId: string, tx?: EntityManager): Promise<string[]> {
    return this.cohorts.facilitatorIds(cohortId, tx);
  }

  /** Certifications issued from the cohort, newest first (the roster shows each holder's code). */
  issuedCertificates(cohortId: string): Promise<CohortCertificate[]> {
    return this.certifications.byCohorts([cohortId]);
  }
}
