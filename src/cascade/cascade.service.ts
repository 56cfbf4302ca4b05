import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/kernel/auth-user';
import { CertificationReadService } from '../certification/certification-read.service';
import { countryScopeOf } from '../common/access/scope';
import { AuditService } from '../common/audit/audit.service';
import { Clock } from '../common/clock';
import { CatalogueService, CourseOutline } from '../courses/catalogue.service';
import { pick } from '../courses/course.view';
import { Database } from '../database/database.service';
import { OutboxService } from '../mail/outbox.service';
import type { School } from '../schools/school.entities';
import { SchoolsService } from '../schools/schools.service';
import { User } from '../users/user.entity';
import { CascadeSession, LoggedBy } from './cascade-session.entity';
import { CascadeError } from './cascade.errors';
import { CascadeRepository, SessionFilter } from './cascade.repository';
import { ListSessionsQuery, LogSessionDto } from './dto/cascade.dto';
import { moduleKey, sessionProblems } from './session-rules';
import { ReachRollupsRepository } from './reach-rollups.repository';
import { IdempotencyService, StoredResponse, TransactionHooks } from './idempotency.service';
import { isUuid } from '../common/ids';

export interface SessionAccess {
  canConfirm: boolean;
  canEdit: boolean;
}

/** Cascade sessions: logging, the rules of DESIGN.md "Cascade session", confirmation by the other side. */
@Injectable()
export class CascadeService {
  constructor(
    private readonly db: Database,
    private readonly sessions: CascadeRepository,
    private readonly rollups: ReachRollupsRepository,
    private readonly idempotency: IdempotencyService,
    private readonly schools: SchoolsService,
    private readonly catalogue: CatalogueService,
    private readonly certifications: CertificationReadService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Logs a session once per `Idempotency-Key` (`key`, scoped to the actor): the first request runs
   * `log` and stores `answer(session)` in its transaction; a retry with the same key and body gets
   * that stored answer back, with another body a 422. Without a key the session is just logged.
   */
  logOnce(
    actor: AuthUser,
    dto: LogSessionDto,
    key: string | undefined,
    answer: (session: CascadeSession) => StoredResponse,
  ): Promise<StoredResponse> {
    return this.idempotency.once(actor.id, key, dto, answer, (hooks) => this.log(actor, dto, hooks));
  }

  /**
   * Logs a session: a coordinator for their schools, a trainer for themselves. Refusals: 422 for an
   * uncertified trainer on that date, a module that is not deliverable, a future date or totals that
   * differ; 409 for an exact duplicate (with the existing session's id). `within` runs first and
   * last inside the write transaction (the Idempotency-Key claim and its stored answer).
   */
  async log(
    actor: AuthUser,
    dto: LogSessionDto,
    within?: TransactionHooks<CascadeSession>,
  ): Promise<CascadeSession> {
    const role = this.loggerRole(actor);
    const school = await this.schools.get(actor, dto.schoolId);
    if (role === 'coordinator') await this.requireOwnSchool(actor, school.id);
    if (role === 'trainer' && dto.trainerId !== actor.id)
      throw new CascadeError('forbidden', 'trainers-log-own', {}, 'trainerId');
    const { outline, trainer } = await this.checkSession(dto, school);
    const row = this.toRow(dto, outline);
    const session = await this.db.transaction(async (tx) => {
      await within?.before(tx);
      await this.refuseDuplicate(tx, { ...row, schoolId: school.id, trainerId: dto.trainerId });
      const now = this.clock.now();
      const created = tx.create(CascadeSession, {
        ...row,
        schoolId: school.id,
        trainerId: dto.trainerId,
        countryCode: school.countryCode,
        municipalityId: school.municipalityId,
        status: 'submitted',
        loggedByRole: role,
        loggedBy: actor.id,
        decidedBy: null,
        decidedAt: null,
        rejectionReason: null,
        createdAt: now,
        updatedAt: now,
      });
      await this.insertOrConflict(tx, created);
      await this.audit.record(
        tx,
        actor.id,
        'session.log',
        { type: 'cascade-session', id: created.id },
        null,
        {
          schoolId: school.id,
          trainerId: dto.trainerId,
          date: dto.date,
          students: created.female + created.male + created.unspecified,
        },
      );
      await this.notify(tx, created, school, outline, trainer, 'session-to-confirm');
      // Shared rollup rows last: on PostgreSQL their row locks are then held for the shortest time.
      await this.rollups.moveSession(tx, null, created);
      await within?.after(tx, created);
      return created;
    });
    return session;
  }

  /** The author edits a session until it is confirmed; audited with before and after. */
  async update(actor: AuthUser, id: string, dto: LogSessionDto): Promise<CascadeSession> {
    const session = await this.readable(actor, id);
    if (session.loggedBy !== actor.id) throw new CascadeError('forbidden', 'only-author-edits');
    if (session.status !== 'submitted') throw new CascadeError('conflict', 'not-editable');
    const school = await this.schools.get(actor, dto.schoolId);
    if (actor.role === 'coordinator') await this.requireOwnSchool(actor, school.id);
    if (actor.role === 'trainer' && dto.trainerId !== actor.id)
      throw new CascadeError('forbidden', 'trainers-log-own', {}, 'trainerId');
    const { outline } = await this.checkSession(dto, school);
    const row = this.toRow(dto, outline);
    return this.db.transaction(async (tx) => {
      await this.refuseDuplicate(tx, { ...row, schoolId: school.id, trainerId: dto.trainerId }, id);
      const before = { ...session };
      const changes = {
        ...row,
        schoolId: school.id,
        trainerId: dto.trainerId,
        countryCode: school.countryCode,
        municipalityId: school.municipalityId,
        updatedAt: this.clock.now(),
      };
      Object.assign(session, changes);
      // Only while still submitted: a decision committed since the read above must not be overwritten.
      if (!(await this.sessions.updateIfSubmitted(tx, id, changes)))
        throw new CascadeError('conflict', 'not-editable');
      await this.audit.record(
        tx,
        actor.id,
        'session.edit',
        { type: 'cascade-session', id },
        this.auditView(before),
        this.auditView(session),
      );
      await this.rollups.moveSession(tx, before, session); // last: shortest rollup row locks
      return session;
    });
  }

  async confirm(actor: AuthUser, id: string): Promise<CascadeSession> {
    return this.decide(actor, id, 'confirmed', null);
  }

  async reject(actor: AuthUser, id: string, reason: string): Promise<CascadeSession> {
    return this.decide(actor, id, 'rejected', reason);
  }

  async list(
    actor: AuthUser,
    query: ListSessionsQuery,
  ): Promise<{ items: CascadeSession[]; total: number; limit: number; offset: number }> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? ((query.page ?? 1) - 1) * limit;
    const filter: SessionFilter = {
      schoolId: query.schoolId,
      trainerId: query.trainerId,
      from: query.from,
      to: query.to,
    };
    if (query.status && query.status !== 'waiting-for-me') filter.status = query.status;
    if (actor.role === 'coordinator') filter.schoolIds = await this.schools.schoolIdsOfCoordinator(actor.id);
    if (actor.role === 'trainer') {
      if (query.trainerId && query.trainerId !== actor.id) return { items: [], total: 0, limit, offset };
      filter.trainerId = actor.id;
    }
    const scope = countryScopeOf(actor);
    if (scope && query.countryCode && query.countryCode !== scope)
      return { items: [], total: 0, limit, offset };
    filter.countryCode = scope ?? query.countryCode ?? null;
    if (query.status === 'waiting-for-me') {
      if (actor.role === 'trainer') filter.waitingFor = { userId: actor.id, role: 'trainer', schoolIds: [] };
      else if (actor.role === 'coordinator')
        filter.waitingFor = { userId: actor.id, role: 'coordinator', schoolIds: filter.schoolIds ?? [] };
      else filter.status = 'submitted';
    }
    const page = await this.sessions.page(filter, limit, offset);
    return { ...page, limit, offset };
  }

  async get(actor: AuthUser, id: string): Promise<{ session: CascadeSession; access: SessionAccess }> {
    const session = await this.readable(actor, id);
    return {
      session,
      access: {
        canConfirm: session.status === 'submitted' && (await this.mayDecide(actor, session)),
        canEdit: session.status === 'submitted' && session.loggedBy === actor.id,
      },
    };
  }

  /** Names for lists: schools, trainers, courses (a fixed number of queries). */
  async labels(sessions: CascadeSession[]) {
    const [schools, trainers, outlines] = await Promise.all([
      this.schools.schoolsByIds([...new Set(sessions.map((s) => s.schoolId))]),
      this.sessions.findNamesByIds([...new Set(sessions.map((s) => s.trainerId))]),
      this.catalogue.currentOutlines(),
    ]);
    return {
      school: new Map(schools.map((s) => [s.id, s])),
      trainer: new Map(trainers.map((t) => [t.id, t.name])),
      outlines,
    };
  }

  /** Certified trainers of a course today (for the logging form's list). */
  async certifiedTrainers(courseId: string): Promise<User[]> {
    const ids = [...(await this.certifications.certifiedTrainersOf(courseId))];
    return this.sessions.findTrainersOrderedByName(ids);
  }

  private async decide(
    actor: AuthUser,
    id: string,
    status: 'confirmed' | 'rejected',
    reason: string | null,
  ): Promise<CascadeSession> {
    const session = await this.readable(actor, id);
    if (!(await this.mayDecide(actor, session))) throw new CascadeError('forbidden', 'not-other-side');
    return this.db.transaction(async (tx) => {
      const fresh = await this.sessions.findById(id, tx);
      if (!fresh || fresh.status !== 'submitted')
        throw new CascadeError('conflict', 'already-decided', { status: fresh?.status ?? '' });
      const before = { ...fresh };
      Object.assign(fresh, {
        status,
        decidedBy: actor.id,
        decidedAt: this.clock.now(),
        rejectionReason: reason,
        updatedAt: this.clock.now(),
      });
      const decided = await this.sessions.updateIfSubmitted(tx, id, {
        status,
        decidedBy: actor.id,
        decidedAt: fresh.decidedAt,
        rejectionReason: reason,
        updatedAt: fresh.updatedAt,
      });
      // A concurrent decision committed between the read and this update (PostgreSQL): decide once.
      if (!decided) throw new CascadeError('conflict', 'already-decided', { status: '' });
      await this.audit.record(
        tx,
        actor.id,
        `session.${status === 'confirmed' ? 'confirm' : 'reject'}`,
        { type: 'cascade-session', id },
        { status: 'submitted' },
        { status, reason },
      );
      const school = (await this.sessions.schoolOf(fresh.schoolId, tx)) as School;
      const outline = (await this.catalogue.currentOutlines()).find((o) => o.courseId === fresh.courseId);
      const trainer = await this.sessions.findUserById(fresh.trainerId, tx);
      if (outline && trainer)
        await this.notify(
          tx,
          fresh,
          school,
          outline,
          trainer,
          status === 'confirmed' ? 'session-confirmed' : 'session-rejected',
          true,
        );
      await this.rollups.moveSession(tx, before, fresh); // last: shortest rollup row locks
      return fresh;
    });
  }

  /** The other side decides: the school's coordinator for trainer-logged sessions, the trainer for coordinator-logged ones; managers in scope either. */
  private async mayDecide(actor: AuthUser, session: CascadeSession): Promise<boolean> {
    if (actor.role === 'admin' || actor.role === 'manager') return true; // readable() already applied the country scope
    if (actor.role === 'trainer')
      return session.loggedByRole === 'coordinator' && session.trainerId === actor.id;
    if (actor.role === 'coordinator')
      return (
        session.loggedByRole === 'trainer' &&
        (await this.schools.schoolIdsOfCoordinator(actor.id)).includes(session.schoolId)
      );
    return false;
  }

  private async readable(actor: AuthUser, id: string): Promise<CascadeSession> {
    const session = isUuid(id) ? await this.sessions.findById(id) : null;
    if (!session) throw new CascadeError('not-found', 'not-found');
    if (actor.role === 'admin') return session;
    if (actor.role === 'trainer' && session.trainerId === actor.id) return session;
    if (
      actor.role === 'coordinator' &&
      (await this.schools.schoolIdsOfCoordinator(actor.id)).includes(session.schoolId)
    )
      return session;
    if (actor.role === 'manager') {
      const scope = countryScopeOf(actor);
      const school = await this.sessions.schoolOf(session.schoolId);
      if (scope === null || school?.countryCode === scope) return session;
    }
    throw new CascadeError('forbidden', 'not-yours');
  }

  private loggerRole(actor: AuthUser): LoggedBy {
    if (actor.role === 'trainer' || actor.role === 'coordinator') return actor.role;
    throw new CascadeError('forbidden', 'who-logs');
  }

  private async requireOwnSchool(actor: AuthUser, schoolId: string): Promise<void> {
    if (!(await this.schools.schoolIdsOfCoordinator(actor.id)).includes(schoolId))
      throw new CascadeError('forbidden', 'not-your-school', {}, 'schoolId');
  }

  private async checkSession(
    dto: LogSessionDto,
    school: School,
  ): Promise<{ outline: CourseOutline; trainer: User }> {
    const outline = await this.catalogue.currentOutline(dto.courseSlug);
    if (!outline) throw new CascadeError('unprocessable', 'course-unknown', {}, 'courseSlug');
    const deliverable = new Set(outline.manifest.modules.filter((m) => m.deliverable).map((m) => m.slug));
    const bad = dto.moduleSlugs.find((m) => !deliverable.has(m));
    if (bad)
      throw new CascadeError('unprocessable', 'module-not-deliverable', { module: bad }, 'moduleSlugs');
    const counts = {
      ...dto.participants,
      ...dto.ageBands,
      teachers: dto.teachers ?? 0,
      parents: dto.parents ?? 0,
    };
    const problems = sessionProblems(dto.date, counts, this.clock.today());
    const [field, messages] = Object.entries(problems)[0] ?? [];
    if (field && messages)
      throw new CascadeError('unprocessable', messages[0].key, messages[0].params, field);
    const trainer = await this.sessions.findUserById(dto.trainerId);
    if (!trainer || trainer.role !== 'trainer')
      throw new CascadeError('unprocessable', 'trainer-unknown', {}, 'trainerId');
    if (!(await this.certifications.isValidOn(trainer.id, outline.courseId, dto.date))) {
      throw new CascadeError(
        'unprocessable',
        'trainer-not-certified',
        { name: trainer.name, date: dto.date },
        'trainerId',
      );
    }
    void school;
    return { outline, trainer };
  }

  private toRow(dto: LogSessionDto, outline: CourseOutline) {
    return {
      courseId: outline.courseId,
      moduleSlugs: moduleKey(dto.moduleSlugs),
      date: dto.date,
      durationMinutes: dto.durationMinutes,
      female: dto.participants.female,
      male: dto.participants.male,
      unspecified: dto.participants.unspecified,
      ageUnder10: dto.ageBands.under_10,
      age10To14: dto.ageBands['10_14'],
      age15To17: dto.ageBands['15_17'],
      age18Plus: dto.ageBands['18_plus'],
      teachers: dto.teachers ?? 0,
      parents: dto.parents ?? 0,
      notes: dto.notes ?? null,
    };
  }

  private async refuseDuplicate(
    tx: EntityManager,
    s: Pick<CascadeSession, 'schoolId' | 'trainerId' | 'moduleSlugs' | 'date'>,
    exceptId?: string,
  ): Promise<void> {
    const existing = await this.sessions.findDuplicate(tx, s, exceptId);
    if (existing) {
      const error = new CascadeError('conflict', 'duplicate', { date: s.date });
      error.details = { existingId: existing.id, existingUrl: `/cascade-sessions/${existing.id}` };
      throw error;
    }
  }

  private async insertOrConflict(tx: EntityManager, session: CascadeSession): Promise<void> {
    // A concurrent identical submission won the race (partial unique index).
    if (!(await this.sessions.insertUnlessDuplicate(tx, session)))
      throw new CascadeError('conflict', 'duplicate', { date: session.date });
  }

  private auditView(s: CascadeSession) {
    return {
      schoolId: s.schoolId,
      trainerId: s.trainerId,
      modules: s.moduleSlugs,
      date: s.date,
      female: s.female,
      male: s.male,
      unspecified: s.unspecified,
      teachers: s.teachers,
      parents: s.parents,
    };
  }

  /** Mails the side that must act (on logging) or both sides (on a decision). */
  private async notify(
    tx: EntityManager,
    session: CascadeSession,
    school: School,
    outline: CourseOutline,
    trainer: User,
    template: string,
    bothSides = false,
  ): Promise<void> {
    const coordinatorRows = await this.schools.coordinatorsOf([school.id], tx);
    const coordinators = coordinatorRows.map((r) => r.user).filter((u) => u.status === 'active');
    let recipients: User[];
    if (bothSides) recipients = [trainer, ...coordinators];
    else recipients = session.loggedByRole === 'trainer' ? coordinators : [trainer];
    for (const person of recipients) {
      if (person.status !== 'active') continue;
      await this.outbox.enqueue(tx, {
        to: person.email,
        template,
        language: person.language,
        data: {
          name: person.name,
          trainerName: trainer.name,
          schoolName: school.name,
          date: session.date,
          courseTitle: pick(outline.manifest.title, person.language),
          students: session.female + session.male + session.unspecified,
          reason: session.rejectionReason ?? '',
          link: this.outbox.link(`/cascade-sessions/${session.id}`),
        },
      });
    }
  }
}
