import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { Authenticated, CurrentUser, FormView, Roles } from '../common/decorators/access.decorators';
import { countryScopeOf } from '../common/access/scope';
import { InputError } from '../common/errors/app-errors';
import { redirectWithFlash } from '../common/http/flash';
import { msg } from '../common/validation';
import { pick } from '../courses/course.view';
import { CatalogueService } from '../courses/catalogue.service';
import { t } from '../i18n/i18n';
import { resolveLanguage } from '../i18n/language';
import { LANGUAGES, SEXES } from '../common/kernel/user-role.enum';
import type { Language } from '../common/kernel/user-role.enum';
import { conditionParams } from './eligibility';
import { ATTENDANCE_STATUSES, COHORT_STATUSES, NEXT_STATUSES } from './cohort-status.enum';
import { CohortsService } from './cohorts.service';
import {
  AddDayDto,
  AddParticipantDto,
  CreateCohortDto,
  ListCohortsQuery,
  PracticumDto,
  UpdateCohortDto,
} from './dto/cohort.dto';
import { parseRoster, RosterRow } from './roster-import';
import { refuseFailedUpload } from '../common/http/csv-upload';

export class RosterCsvDto {
  @IsString({ message: msg('required') })
  @MaxLength(200_000, { message: msg('max-length', { max: 200000 }) })
  csv: string;
}

const PAGE = 25;

@ApiExcludeController()
@Controller('cohorts')
export class CohortsPagesController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly catalogue: CatalogueService,
  ) {}

  @Get()
  @Authenticated()
  async index(
    @CurrentUser() actor: AuthUser,
    @Query() query: ListCohortsQuery,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = resolveLanguage(req);
    const pageNo = query.page ?? 1;
    const result = await this.cohorts.list(actor, { ...query, limit: PAGE, offset: (pageNo - 1) * PAGE });
    const outlines = await this.catalogue.currentOutlines();
    const pages = Math.max(1, Math.ceil(result.total / PAGE));
    const link = (p: number) =>
      `/cohorts?${new URLSearchParams({ ...(query.status ? { status: query.status } : {}), ...(query.courseSlug ? { courseSlug: query.courseSlug } : {}), page: String(p) })}`;
    res.render('cohorts/index', {
      title: t(lang, 'cohorts.title'),
      canCreate: actor.role === 'manager' || actor.role === 'admin',
      cohorts: result.items.map((c) => ({
        ...c,
        courseTitle: pick(outlines.find((o) => o.courseId === c.courseId)?.manifest.title, lang),
        participants: result.counts.get(c.id) ?? 0,
        statusKey: `cohorts.status.${c.status}`,
      })),
      total: result.total,
      statuses: COHORT_STATUSES.map((s) => ({ value: s, selected: s === query.status })),
      courses: outlines.map((o) => ({
        value: o.slug,
        label: pick(o.manifest.title, lang),
        selected: o.slug === query.courseSlug,
      })),
      page: pageNo,
      pages,
      prev: pageNo > 1 ? link(pageNo - 1) : null,
      next: pageNo < pages ? link(pageNo + 1) : null,
    });
  }

  @Get('new')
  @Roles('manager', 'admin')
  async newForm(@Req() req: Request, @Res() res: Response) {
    const actor = req.user as AuthUser;
    res.render('cohorts/form', {
      ...(await this.formModel(req)),
      values: { countryCode: countryScopeOf(actor) ?? '', capacity: 30 },
    });
  }

  @Post()
  @Roles('manager', 'admin')
  @FormView('cohorts/form', 'formModel')
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateCohortDto, @Res() res: Response) {
    const cohort = await this.cohorts.create(actor, dto);
    redirectWithFlash(res, `/cohorts/${cohort.id}`, 'cohorts.created');
  }

  @Get(':id')
  @Authenticated()
  async show(@Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    res.render('cohorts/show', await this.showModel(req));
  }

  @Get(':id/edit')
  @Roles('manager', 'admin')
  async edit(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const d = await this.cohorts.detail(actor, id);
    res.render('cohorts/form', {
      ...(await this.formModel(req)),
      values: { ...d.cohort, courseSlug: d.outline.slug, facilitatorIds: d.facilitators.map((f) => f.id) },
    });
  }

  @Post(':id')
  @Roles('manager', 'admin')
  @FormView('cohorts/form', 'formModel')
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateCohortDto,
    @Res() res: Response,
  ) {
    await this.cohorts.update(actor, id, dto);
    redirectWithFlash(res, `/cohorts/${id}`, 'cohorts.saved');
  }

  @Post(':id/participants')
  @Roles('manager', 'admin')
  @FormView('cohorts/show', 'showModel')
  async addParticipant(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() dto: AddParticipantDto,
    @Res() res: Response,
  ) {
    const { user, created } = await this.cohorts.addParticipant(actor, id, dto);
    redirectWithFlash(
      res,
      `/cohorts/${id}#roster`,
      created ? 'cohorts.participant-invited' : 'cohorts.participant-added',
      'success',
      { name: user.name },
    );
  }

  @Post(':id/participants/:userId/remove')
  @Roles('manager', 'admin')
  async removeParticipant(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('userId') userId: string,
    @Res() res: Response,
  ) {
    await this.cohorts.removeParticipant(actor, id, userId);
    redirectWithFlash(res, `/cohorts/${id}#roster`, 'cohorts.participant-removed');
  }

  @Get(':id/import')
  @Roles('manager', 'admin')
  async importForm(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const cohort = await this.cohorts.manageable(actor, id);
    res.render('cohorts/import', {
      title: t(resolveLanguage(req), 'cohorts.import.title'),
      cohort,
      values: {},
    });
  }

  @Post(':id/import')
  @Roles('manager', 'admin')
  @HttpCode(200) // the preview writes nothing: a page, not "201 Created"
  @FormView('cohorts/import', 'importModel')
  async importPreview(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() dto: RosterCsvDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    refuseFailedUpload(res);
    res.render('cohorts/import', await this.preview(actor, id, dto.csv, resolveLanguage(req)));
  }

  @Post(':id/import/confirm')
  @Roles('manager', 'admin')
  @FormView('cohorts/import', 'importModel')
  async importConfirm(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() dto: RosterCsvDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const model = await this.preview(actor, id, dto.csv, resolveLanguage(req));
    if (!model.canImport) return res.status(400).render('cohorts/import', model);
    const rows = model.parsed as RosterRow[];
    const count = await this.cohorts.addMany(
      actor,
      id,
      rows.map((r) => ({
        email: r.email,
        name: r.name,
        sex: r.sex,
        organisation: r.organisation || undefined,
        language: r.language ?? undefined,
      })),
    );
    redirectWithFlash(res, `/cohorts/${id}#roster`, 'cohorts.import.done', 'success', { count });
  }

  @Post(':id/days')
  @Roles('manager', 'admin')
  @FormView('cohorts/show', 'showModel')
  async addDay(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() dto: AddDayDto,
    @Res() res: Response,
  ) {
    const day = await this.cohorts.addDay(actor, id, dto);
    redirectWithFlash(res, `/cohorts/${id}/days/${day.id}`, 'cohorts.day-added');
  }

  @Get(':id/days/:dayId')
  @Authenticated()
  async attendanceSheet(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('dayId') dayId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    res.render('cohorts/attendance', await this.attendanceModel(actor, id, dayId, resolveLanguage(req)));
  }

  @Post(':id/days/:dayId')
  @Authenticated()
  async saveAttendance(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('dayId') dayId: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    // Fields `s.<userId>` = status; the "mark all present" button sends `all=present`.
    const participants = (await this.cohorts.detail(actor, id)).standings;
    const markAll = body.all === 'present';
    const records = participants
      .map((p) => ({ userId: p.userId, status: markAll ? 'present' : body[`s.${p.userId}`] }))
      .filter(
        (r): r is { userId: string; status: (typeof ATTENDANCE_STATUSES)[number] } =>
          typeof r.status === 'string' && (ATTENDANCE_STATUSES as readonly string[]).includes(r.status),
      );
    await this.cohorts.recordAttendance(actor, id, dayId, { records });
    redirectWithFlash(
      res,
      `/cohorts/${id}/days/${dayId}`,
      markAll ? 'cohorts.attendance.all-present' : 'cohorts.attendance.saved',
    );
  }

  @Get(':id/days/:dayId/sign-in')
  @Authenticated()
  async signInSheet(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('dayId') dayId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    res.render('cohorts/sign-in', {
      ...(await this.attendanceModel(actor, id, dayId, resolveLanguage(req))),
      layout: 'layouts/print',
    });
  }

  @Get(':id/participants/:userId')
  @Authenticated()
  async participant(
    @Param('id') id: string,
    @Param('userId') userId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    res.render('cohorts/participant', await this.participantModel(req));
  }

  @Post(':id/participants/:userId/practicum')
  @Authenticated()
  @FormView('cohorts/participant', 'participantModel')
  async practicum(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('userId') userId: string,
    @Body() dto: PracticumDto,
    @Res() res: Response,
  ) {
    await this.cohorts.recordPracticum(actor, id, userId, dto);
    redirectWithFlash(res, `/cohorts/${id}/participants/${userId}`, 'cohorts.practicum.saved');
  }

  async formModel(req: Request) {
    const lang = resolveLanguage(req);
    const actor = req.user as AuthUser;
    const outlines = await this.catalogue.currentOutlines();
    const values = (req.body ?? {}) as Record<string, unknown>;
    const id = typeof req.params?.id === 'string' ? req.params.id : null;
    let cohort = null;
    let current: string[] = [];
    if (id) {
      const detail = await this.cohorts.detail(actor, id);
      cohort = detail.cohort;
      current = detail.facilitators.map((f) => f.id);
    }
    return {
      title: t(lang, cohort ? 'cohorts.edit' : 'cohorts.new'),
      cohort,
      action: cohort ? `/cohorts/${cohort.id}` : '/cohorts',
      courses: outlines.map((o) => ({ value: o.slug, label: pick(o.manifest.title, lang) })),
      statuses: cohort
        ? [cohort.status, ...NEXT_STATUSES[cohort.status]].map((s) => ({
            value: s,
            label: t(lang, `cohorts.status.${s}`),
          }))
        : [],
      countryLocked: countryScopeOf(actor),
      facilitatorOptions: (await this.cohorts.facilitatorCandidates()).map((u) => ({
        id: u.id,
        label: `${u.name} · ${t(lang, `roles.${u.role}`)}`,
        checked: ([] as unknown[]).concat(values.facilitatorIds ?? current).includes(u.id),
      })),
    };
  }

  async showModel(req: Request) {
    const lang = resolveLanguage(req);
    const actor = req.user as AuthUser;
    const d = await this.cohorts.detail(actor, String(req.params.id));
    const certs = await this.cohorts.issuedCertificates(d.cohort.id);
    const certOf = new Map(certs.filter((c) => !c.revokedOn).map((c) => [c.userId, c]));
    const canManage = d.access === 'manage';
    const canRecord = canManage || d.access === 'facilitate';
    const eligibleUncertified = d.standings.filter(
      (s) => s.eligibility.eligible && !certOf.has(s.userId),
    ).length;
    return {
      title: d.cohort.name,
      cohort: d.cohort,
      statusKey: `cohorts.status.${d.cohort.status}`,
      courseTitle: pick(d.outline.manifest.title, lang),
      courseSlug: d.outline.slug,
      facilitators: d.facilitators,
      days: d.days,
      canManage,
      canRecord,
      isParticipant: d.access === 'participate',
      myEligibilityHref:
        d.access === 'participate' ? `/cohorts/${d.cohort.id}/participants/${actor.id}` : null,
      participantCount: d.participants.length,
      roster: d.standings.map((s) => ({
        ...s,
        attendance: Math.round(s.attendancePercent),
        practicumKey: s.practicum
          ? s.practicum.passed
            ? 'cohorts.practicum.passed'
            : 'cohorts.practicum.failed'
          : 'cohorts.practicum.none',
        eligible: s.eligibility.eligible,
        unmet: s.eligibility.conditions
          .filter((c) => !c.met)
          .map((c) => t(lang, `certification.condition.${c.code}.label`))
          .join(', '),
        certificate: certOf.get(s.userId)?.code ?? null,
        invited: s.status === 'invited',
      })),
      eligibleUncertified,
      certifiedCount: certOf.size,
      sexes: SEXES,
      languages: LANGUAGES,
      today: d.cohort.endsOn,
      values: {},
    };
  }

  async importModel(req: Request) {
    const actor = req.user as AuthUser;
    const cohort = await this.cohorts.manageable(actor, String(req.params.id));
    return { title: t(resolveLanguage(req), 'cohorts.import.title'), cohort };
  }

  async participantModel(req: Request) {
    const lang = resolveLanguage(req);
    const actor = req.user as AuthUser;
    const { cohort, standing } = await this.cohorts.eligibilityOf(
      actor,
      String(req.params.id),
      String(req.params.userId),
    );
    const { access } = await this.cohorts.get(actor, cohort.id);
    return {
      title: standing.name,
      cohort,
      participant: standing,
      attendance: Math.round(standing.attendancePercent),
      eligible: standing.eligibility.eligible,
      conditions: standing.eligibility.conditions.map((c) => ({
        met: c.met,
        label: t(lang, `certification.condition.${c.code}.label`),
        detail: t(lang, `certification.condition.${c.code}.detail`, conditionParams(lang, c.params)),
      })),
      canRecord: access === 'manage' || access === 'facilitate',
      canCertify: access === 'manage',
      practicum: standing.practicum,
      values: standing.practicum
        ? {
            passed: String(standing.practicum.passed),
            score: standing.practicum.score ?? '',
            notes: standing.practicum.notes ?? '',
          }
        : {},
    };
  }

  private async attendanceModel(actor: AuthUser, id: string, dayId: string, lang: Language) {
    const d = await this.cohorts.detail(actor, id);
    if (d.access === 'participate') await this.cohorts.recordable(actor, id); // participants see their own page, not the sheet
    const day = d.days.find((x) => x.id === dayId);
    if (!day) throw new InputError({ dayId: [{ key: 'id', params: {} }] });
    const records = await this.cohorts.attendanceOfDay(dayId);
    const statusOf = new Map(records.map((r) => [r.userId, r.status]));
    return {
      title: t(lang, 'cohorts.attendance.title'),
      cohort: d.cohort,
      courseTitle: pick(d.outline.manifest.title, lang),
      day,
      statuses: ATTENDANCE_STATUSES,
      rows: d.standings.map((s) => ({
        userId: s.userId,
        name: s.name,
        organisation: s.organisation,
        status: statusOf.get(s.userId) ?? '',
        attendance: Math.round(s.attendancePercent),
      })),
    };
  }

  private async preview(actor: AuthUser, id: string, csv: string, lang: Language) {
    const parsed = parseRoster(csv);
    if (parsed.fileProblem)
      throw new InputError({ csv: [{ key: parsed.fileProblem, params: { max: 500 } }] });
    const { cohort, rows, free } = await this.cohorts.previewRoster(actor, id, parsed.rows);
    const bad = rows.filter((r) => r.problems.length).length;
    return {
      title: t(lang, 'cohorts.import.title'),
      cohort,
      csv,
      free,
      parsed: rows,
      rows: rows.map((r) => ({
        ...r,
        sexKey: `sexes.${r.sex}`,
        problemTexts: r.problems.map((p) => t(lang, `validation.${p.key}`, p.params)),
      })),
      bad,
      good: rows.length - bad,
      canImport: bad === 0 && rows.length > 0,
      values: { csv },
    };
  }
}
