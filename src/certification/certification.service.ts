import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/kernel/auth-user';
import { CohortsService, ParticipantStanding } from '../cohorts/cohorts.service';
import type { Cohort } from '../cohorts/cohort.entity';
import { countryScopeOf } from '../common/access/scope';
import { AuditService } from '../common/audit/audit.service';
import { Clock } from '../common/clock';
import { InputError } from '../common/errors/app-errors';
import { CatalogueService, CourseOutline } from '../courses/catalogue.service';
import { pick } from '../courses/course.view';
import { Database } from '../database/database.service';
import { OutboxService } from '../mail/outbox.service';
import type { User } from '../users/user.entity';
import { Certification } from './certification.entity';
import { CertificationError, NotEligibleError } from './certification.errors';
import { CertificationFilter, CertificationRepository } from './certification.repository';
import { CodeGenerator, normaliseCode } from './code-generator';
import { IssueCertificationDto, ListCertificationsQuery } from './dto/certification.dto';
import { addDays, addMonths, isDate, statusOn } from './validity';

export interface CertificationView {
  certification: Certification;
  holder: Pick<User, 'id' | 'name' | 'email' | 'language'> | null;
  courseSlug: string;
  courseTitle: { en: string; es: string };
  cohort: Pick<Cohort, 'id' | 'name' | 'countryCode' | 'endsOn'> | null;
  facilitatorName: string | null;
  status: Certification['status'];
}

/** Issue, renew, revoke and verify certifications (DESIGN.md "Certification"). */
@Injectable()
export class CertificationService {
  constructor(
    private readonly db: Database,
    private readonly repo: CertificationRepository,
    private readonly cohorts: CohortsService,
    private readonly catalogue: CatalogueService,
    private readonly codes: CodeGenerator,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Issues one certification when the participant meets the course rule; 422 lists what is unmet. */
  async issue(actor: AuthUser, dto: IssueCertificationDto): Promise<Certification> {
    const cohort = await this.cohorts.manageable(actor, dto.cohortId);
    const outline = await this.cohorts.outlineOf(cohort);
    const issuedOn = this.issueDate(cohort, dto.issuedOn);
    const standing = (await this.cohorts.standings(cohort, outline)).find((s) => s.userId === dto.userId);
    if (!standing) throw new CertificationError('not-found', 'participant-not-found');
    if (!standing.eligibility.eligible) {
      throw new NotEligibleError(standing.eligibility.conditions.filter((c) => !c.met));
    }
    return this.db.transaction((tx) => this.issueInTx(tx, actor, cohort, outline, standing, issuedOn));
  }

  /** Certifies every eligible participant not yet certified, in one transaction. */
  async issueAllEligible(
    actor: AuthUser,
    cohortId: string,
    issuedOnInput?: string,
  ): Promise<Certification[]> {
    const cohort = await this.cohorts.manageable(actor, cohortId);
    const outline = await this.cohorts.outlineOf(cohort);
    const issuedOn = this.issueDate(cohort, issuedOnInput);
    const eligible = (await this.cohorts.standings(cohort, outline)).filter((s) => s.eligibility.eligible);
    return this.db.transaction(async (tx) => {
      const holders = await this.repo.activeOfUsersInCourse(
        eligible.map((s) => s.userId),
        cohort.courseId,
        tx,
      );
      // The same rule as issuing one by one: a certification past its expiry date no longer counts,
      // even before the daily job has marked it expired.
      const already = new Set(
        holders.filter((c) => statusOn(c, this.clock.today()) === 'active').map((c) => c.userId),
      );
      const issued: Certification[] = [];
      for (const standing of eligible.filter((s) => !already.has(s.userId)))
        issued.push(await this.issueInTx(tx, actor, cohort, outline, standing, issuedOn));
      return issued;
    });
  }

  async list(
    actor: AuthUser,
    query: ListCertificationsQuery,
  ): Promise<{ items: CertificationView[]; total: number }> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? ((query.page ?? 1) - 1) * limit;
    const filter: CertificationFilter = { status: query.status, cohortId: query.cohortId };
    if (actor.role === 'trainer' || actor.role === 'coordinator') filter.userId = actor.id;
    else {
      filter.userId = query.userId;
      filter.countryCode = countryScopeOf(actor);
    }
    if (query.courseSlug) {
      const outline = await this.catalogue.currentOutline(query.courseSlug);
      if (!outline) return { items: [], total: 0 };
      filter.courseId = outline.courseId;
    }
    const page = await this.repo.page(filter, limit, offset);
    return { items: await this.views(page.items), total: page.total };
  }

  /**
   * Active certifications expiring within `days` from today, soonest first (the manager dashboard).
   * Managers see their country scope; other roles nothing.
   */
  async expiringWithin(actor: AuthUser, days: number, limit = 10): Promise<CertificationView[]> {
    if (actor.role !== 'manager' && actor.role !== 'admin') return [];
    const today = this.clock.today();
    const rows = await this.repo.expiringBetween(today, addDays(today, days), countryScopeOf(actor), limit);
    return this.views(rows);
  }

  /** One certification: its holder, managers in scope, admins. */
  async get(actor: AuthUser, code: string): Promise<CertificationView> {
    const cert = await this.find(code);
    const [view] = await this.views([cert]);
    if (actor.role === 'admin' || cert.userId === actor.id) return view;
    if (actor.role === 'manager') {
      const scope = countryScopeOf(actor);
      if (scope === null || view.cohort?.countryCode === scope) return view;
    }
    throw new CertificationError('forbidden', 'not-yours');
  }

  /**
   * Renews: an active certification is extended by the rule's validity from its expiry; an expired
   * one gets a new certification from today (so the gap stays uncovered). Revoked ones cannot be renewed.
   */
  async renew(actor: AuthUser, code: string): Promise<Certification> {
    const view = await this.manageable(actor, code);
    const cert = view.certification;
    const today = this.clock.today();
    const state = statusOn(cert, today);
    if (state === 'revoked') throw new CertificationError('unprocessable', 'revoked-cannot-renew');
    const outline = await this.catalogue
      .currentOutlines()
      .then((all) => all.find((o) => o.courseId === cert.courseId));
    const months = outline?.manifest.certification.validityMonths ?? 24;
    return this.db.transaction(async (tx) => {
      let result: Certification;
      if (state === 'active') {
        const before = { expiresOn: cert.expiresOn };
        cert.expiresOn = addMonths(cert.expiresOn, months);
        cert.reminderSentAt = null;
        await this.repo.extendExpiry(tx, cert.id, cert.expiresOn);
        await this.audit.record(
          tx,
          actor.id,
          'certification.renew',
          { type: 'certification', id: cert.code },
          before,
          { expiresOn: cert.expiresOn },
        );
        result = cert;
      } else {
        if (cert.status !== 'expired') await this.repo.markExpired(tx, [cert.id]);
        result = tx.create(Certification, {
          code: await this.uniqueCode(tx),
          statusListIndex: await this.uniqueStatusIndex(tx),
          userId: cert.userId,
          courseId: cert.courseId,
          cohortId: cert.cohortId,
          facilitatorId: cert.facilitatorId,
          issuedBy: actor.id,
          issuedOn: today,
          expiresOn: addMonths(today, months),
          status: 'active',
          revokedOn: null,
          revokedReason: null,
          reminderSentAt: null,
          createdAt: this.clock.now(),
        });
        await this.repo.insert(tx, result);
        await this.audit.record(
          tx,
          actor.id,
          'certification.renew',
          { type: 'certification', id: result.code },
          { code: cert.code, expiresOn: cert.expiresOn },
          { code: result.code, expiresOn: result.expiresOn },
        );
      }
      await this.mailHolder(tx, { ...view, certification: result }, 'certification-renewed');
      return result;
    });
  }

  /** Revokes from today; sessions before today keep their credit. Reason required, audited, holder mailed. */
  async revoke(actor: AuthUser, code: string, reason: string): Promise<Certification> {
    const view = await this.manageable(actor, code);
    const cert = view.certification;
    if (cert.revokedOn) throw new CertificationError('conflict', 'already-revoked');
    const today = this.clock.today();
    return this.db.transaction(async (tx) => {
      await this.repo.markRevoked(tx, cert.id, today, reason);
      Object.assign(cert, { status: 'revoked', revokedOn: today, revokedReason: reason });
      await this.audit.record(
        tx,
        actor.id,
        'certification.revoke',
        { type: 'certification', id: cert.code },
        { status: statusOn({ ...cert, revokedOn: null }, today) },
        { status: 'revoked', revokedOn: today, reason },
      );
      await this.mailHolder(tx, { ...view, certification: cert }, 'certification-revoked', { reason });
      return cert;
    });
  }

  /** Public verification: only status, holder name, course and dates. Undefined when unknown. */
  async verify(codeInput: string): Promise<CertificationView | undefined> {
    const code = normaliseCode(codeInput);
    if (!/^CSC-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(code)) return undefined;
    const cert = await this.repo.findByCode(code);
    if (!cert) return undefined;
    return (await this.views([cert]))[0];
  }

  byCohortViews(certs: Certification[]): Promise<CertificationView[]> {
    return this.views(certs);
  }

  async ofCohort(actor: AuthUser, cohortId: string): Promise<{ cohort: Cohort; views: CertificationView[] }> {
    const cohort = await this.cohorts.manageable(actor, cohortId);
    return { cohort, views: await this.views(await this.repo.byCohort(cohortId)) };
  }

  private async manageable(actor: AuthUser, code: string): Promise<CertificationView> {
    const view = await this.get(actor, code);
    if (actor.role !== 'admin' && actor.role !== 'manager')
      throw new CertificationError('forbidden', 'not-yours');
    return view;
  }

  private async find(codeInput: string): Promise<Certification> {
    const code = normaliseCode(codeInput);
    const cert = /^CSC-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(code) ? await this.repo.findByCode(code) : null;
    if (!cert) throw new CertificationError('not-found', 'not-found');
    return cert;
  }

  private issueDate(cohort: Cohort, input?: string): string {
    const today = this.clock.today();
    const issuedOn = input ?? today;
    if (!isDate(issuedOn)) throw new InputError({ issuedOn: [{ key: 'date', params: {} }] });
    if (issuedOn > today) throw new InputError({ issuedOn: [{ key: 'issued-in-future', params: {} }] });
    if (issuedOn < cohort.endsOn)
      throw new InputError({ issuedOn: [{ key: 'issued-before-end', params: { date: cohort.endsOn } }] });
    return issuedOn;
  }

  private async issueInTx(
    tx: EntityManager,
    actor: AuthUser,
    cohort: Cohort,
    outline: CourseOutline,
    standing: ParticipantStanding,
    issuedOn: string,
  ): Promise<Certification> {
    await this.repo.lockHolder(tx, standing.userId); // concurrent issues for one trainer: one certification
    const active = (await this.repo.findActiveFor(standing.userId, cohort.courseId, tx)).filter(
      (c) => statusOn(c, this.clock.today()) === 'active',
    );
    if (active.length)
      throw new CertificationError('conflict', 'already-certified', { code: active[0].code });
    const facilitators = await this.cohorts.facilitatorIds(cohort.id, tx);
    const cert = tx.create(Certification, {
      code: await this.uniqueCode(tx),
      statusListIndex: await this.uniqueStatusIndex(tx),
      userId: standing.userId,
      courseId: cohort.courseId,
      cohortId: cohort.id,
      facilitatorId: facilitators[0] ?? actor.id,
      issuedBy: actor.id,
      issuedOn,
      expiresOn: addMonths(issuedOn, outline.manifest.certification.validityMonths),
      status: 'active',
      revokedOn: null,
      revokedReason: null,
      reminderSentAt: null,
      createdAt: this.clock.now(),
    });
    await this.repo.insert(tx, cert);
    await this.audit.record(
      tx,
      actor.id,
      'certification.issue',
      { type: 'certification', id: cert.code },
      null,
      { userId: cert.userId, cohortId: cohort.id, issuedOn, expiresOn: cert.expiresOn },
    );
    const holder = await this.repo.userById(standing.userId, tx);
    await this.mailHolder(
      tx,
      {
        certification: cert,
        holder,
        courseSlug: outline.slug,
        courseTitle: outline.manifest.title,
        cohort,
        facilitatorName: null,
        status: 'active',
      },
      'certification-issued',
    );
    return cert;
  }

  private async uniqueCode(tx: EntityManager): Promise<string> {
    for (let i = 0; i < 20; i++) {
      const code = this.codes.next();
      if (!(await this.repo.codeExists(code, tx))) return code;
    }
    throw new Error('could not find a free certificate code');
  }

  /** A free bit of the revocation status list (the unique index is the last word under a race). */
  private async uniqueStatusIndex(tx: EntityManager): Promise<number> {
    for (let i = 0; i < 50; i++) {
      const index = this.codes.nextStatusIndex();
      if (!(await this.repo.statusIndexTaken(index, tx))) return index;
    }
    throw new Error('the revocation status list has no free entry left');
  }

  private async mailHolder(
    tx: EntityManager,
    view: CertificationView,
    template: string,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const holder = view.holder;
    if (!holder) return;
    const cert = view.certification;
    await this.outbox.enqueue(tx, {
      to: holder.email,
      template,
      language: holder.language,
      data: {
        name: holder.name,
        courseTitle: view.courseTitle[holder.language] || view.courseTitle.en,
        code: cert.code,
        issuedOn: cert.issuedOn,
        expiresOn: cert.expiresOn,
        verifyLink: this.outbox.link(`/verify/${cert.code}`),
        pdfLink: this.outbox.link(`/certifications/${cert.code}/certificate.pdf`),
        ...extra,
      },
    });
  }

  /** Certifications with holder, course, cohort and facilitator, in a fixed number of queries. */
  private async views(certs: Certification[]): Promise<CertificationView[]> {
    if (!certs.length) return [];
    const today = this.clock.today();
    const userIds = [
      ...new Set(certs.flatMap((c) => [c.userId, c.facilitatorId].filter((id): id is string => !!id))),
    ];
    const cohortIds = [...new Set(certs.map((c) => c.cohortId))];
    const [users, cohorts, outlines] = await Promise.all([
      this.repo.peopleByIds(userIds),
      this.cohorts.byIds(cohortIds),
      this.catalogue.currentOutlines(),
    ]);
    const user = new Map(users.map((u) => [u.id, u]));
    const cohort = new Map(cohorts.map((c) => [c.id, c]));
    return certs.map((c) => {
      const outline = outlines.find((o) => o.courseId === c.courseId);
      return {
        certification: c,
        holder: user.get(c.userId) ?? null,
        courseSlug: outline?.slug ?? '',
        courseTitle: outline?.manifest.title ?? { en: '', es: '' },
        cohort: cohort.get(c.cohortId) ?? null,
        facilitatorName: c.facilitatorId ? (user.get(c.facilitatorId)?.name ?? null) : null,
        status: statusOn(c, today),
      };
    });
  }

  /** For other modules' pages: a course title in a language. */
  titleOf(view: CertificationView, lang: 'en' | 'es'): string {
    return pick(view.courseTitle, lang);
  }
}
