import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { CascadeService } from '../cascade/cascade.service';
import { CertificationService } from '../certification/certification.service';
import { validityOf } from '../certification/certification.view';
import { CohortsService } from '../cohorts/cohorts.service';
import { Authenticated, CurrentUser } from '../common/decorators/access.decorators';
import { Lang } from '../common/decorators/lang.decorator';
import type { Language } from '../common/kernel/user-role.enum';
import { Clock } from '../common/clock';
import { LearningService } from '../courses/learning.service';
import { addDays } from '../certification/validity';
import { pick } from '../i18n/localised';
import { ReportsService } from '../reports/reports.service';

/** The dashboard per role: what each person needs to see first. */
@ApiExcludeController()
@Controller()
export class HomePagesController {
  constructor(
    private readonly learning: LearningService,
    private readonly certifications: CertificationService,
    private readonly cascade: CascadeService,
    private readonly cohorts: CohortsService,
    private readonly reports: ReportsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Authenticated()
  async home(@CurrentUser() actor: AuthUser, @Lang() lang: Language, @Res() res: Response) {
    const model: Record<string, unknown> = {
      isAdmin: actor.role === 'admin',
      isManager: actor.role === 'manager',
      isStaff: actor.role === 'admin' || actor.role === 'manager',
      isTrainer: actor.role === 'trainer',
      isCoordinator: actor.role === 'coordinator',
      roleKey: `roles.${actor.role}`,
    };
    if (actor.role === 'trainer' || actor.role === 'coordinator') {
      const waiting = await this.cascade.list(actor, { status: 'waiting-for-me', limit: 10 });
      const labels = await this.cascade.labels(waiting.items);
      model.waiting = waiting.items.map((s) => ({
        id: s.id,
        date: s.date,
        school: labels.school.get(s.schoolId)?.name ?? '',
        trainer: labels.trainer.get(s.trainerId) ?? '',
      }));
      model.waitingTotal = waiting.total;
    }
    if (actor.role === 'trainer') {
      const mine = await this.learning.enrolmentsOf(actor.id);
      model.enrolments = mine.map((p) => ({
        id: p.enrolment.id,
        title: pick(p.outline.manifest.title, lang),
        percent: p.percent,
      }));
      const certs = await this.certifications.list(actor, { limit: 10 });
      model.certifications = certs.items.map((v) => {
        const validity = validityOf(v.status, v.certification);
        return {
          code: v.certification.code,
          title: v.courseTitle[lang] || v.courseTitle.en,
          statusKey: `certification.status.${v.status}`,
          status: v.status,
          validityKey: `certification.${validity.kind}`,
          validityOn: validity.on,
        };
      });
      const reach = await this.reports.trainerReach(actor.id);
      model.reach = reach;
      model.lineageHref = `/lineage/trainers/${actor.id}`;
    }
    if (actor.role === 'manager' || actor.role === 'admin') {
      const today = this.clock.today();
      const yearAgo = addDays(today, -365);
      const twoYearsAgo = addDays(today, -730);
      const filters = (await this.reports.filters(actor, {})) ?? {};
      const [current, previous, expiring, inProgress, waiting] = await Promise.all([
        this.reports.cascade({ ...filters, from: yearAgo, to: today }, 'country', false, lang),
        this.reports.cascade(
          { ...filters, from: twoYearsAgo, to: addDays(yearAgo, -1) },
          'country',
          false,
          lang,
        ),
        this.certifications.expiringWithin(actor, 90, 10),
        this.cohorts.list(actor, { status: 'in_progress', limit: 10 }),
        this.cascade.list(actor, { status: 'submitted', limit: 1 }),
      ]);
      const trend = (now: number, before: number) =>
        before === 0 ? null : Math.round(((now - before) / before) * 100);
      model.kpis = [
        {
          key: 'home.kpi.sessions',
          value: current.totals.sessions,
          trend: trend(current.totals.sessions, previous.totals.sessions),
        },
        {
          key: 'home.kpi.students',
          value: current.totals.students,
          trend: trend(current.totals.students, previous.totals.students),
        },
        {
          key: 'home.kpi.schools',
          value: current.totals.schools,
          trend: trend(current.totals.schools, previous.totals.schools),
        },
        { key: 'home.kpi.certified', value: current.certifiedTrainers, trend: null },
      ];
      model.expiring = expiring.map((v) => ({
        code: v.certification.code,
        holder: v.holder?.name ?? '',
        expiresOn: v.certification.expiresOn,
      }));
      model.cohortsInProgress = inProgress.items.map((c) => ({ id: c.id, name: c.name, endsOn: c.endsOn }));
      model.sessionsWaiting = waiting.total;
    }
    res.render('home/index', model);
  }
}
