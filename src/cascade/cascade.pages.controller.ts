import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { Clock } from '../common/clock';
import { Authenticated, CurrentUser, FormView } from '../common/decorators/access.decorators';
import { DomainError, InputError } from '../common/errors/app-errors';
import { sendApiError, statusOf } from '../common/filters/errors.filter';
import { redirectWithFlash } from '../common/http/flash';
import { validateDto } from '../common/validation';
import { pick } from '../courses/course.view';
import { CatalogueService } from '../courses/catalogue.service';
import { t } from '../i18n/i18n';
import { resolveLanguage } from '../i18n/language';
import { SchoolsService } from '../schools/schools.service';
import type { Language } from '../common/kernel/user-role.enum';
import { CascadeService } from './cascade.service';
import { ListSessionsQuery, LogSessionDto, RejectSessionDto } from './dto/cascade.dto';
import type { CascadeSession } from './cascade-session.entity';
import { neutralise } from '../reports/export';

const COUNT_FIELDS = ['female', 'male', 'unspecified'] as const;
const AGE_FIELDS = ['under_10', '10_14', '15_17', '18_plus'] as const;

/** The flat HTML form → the API's nested body. */
function formToBody(body: Record<string, unknown>, actor: AuthUser): Record<string, unknown> {
  const num = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : '0');
  return {
    schoolId: body.schoolId,
    trainerId: actor.role === 'trainer' ? actor.id : body.trainerId,
    courseSlug: body.courseSlug,
    moduleSlugs: body.moduleSlugs === undefined ? [] : ([] as unknown[]).concat(body.moduleSlugs),
    date: body.date,
    durationMinutes: body.durationMinutes,
    participants: Object.fromEntries(COUNT_FIELDS.map((f) => [f, num(body[`p_${f}`])])),
    ageBands: Object.fromEntries(AGE_FIELDS.map((f) => [f, num(body[`a_${f}`])])),
    teachers: num(body.teachers),
    parents: num(body.parents),
    notes: typeof body.notes === 'string' ? body.notes : undefined,
  };
}

@ApiExcludeController()
@Controller('cascade-sessions')
export class CascadePagesController {
  constructor(
    private readonly cascade: CascadeService,
    private readonly schools: SchoolsService,
    private readonly catalogue: CatalogueService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Authenticated()
  async index(
    @CurrentUser() actor: AuthUser,
    @Query() query: ListSessionsQuery,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = resolveLanguage(req);
    const pageNo = query.page ?? 1;
    const page = await this.cascade.list(actor, { ...query, limit: 50, offset: (pageNo - 1) * 50 });
    const rows = await this.rows(page.items, lang);
    const params = new URLSearchParams(
      Object.entries(query)
        .filter(([k, v]) => v !== undefined && k !== 'page')
        .map(([k, v]) => [k, String(v)]),
    );
    const pages = Math.max(1, Math.ceil(page.total / 50));
    res.render('cascade/index', {
      title: t(lang, actor.role === 'trainer' ? 'cascade.mine' : 'cascade.title'),
      rows,
      total: page.total,
      query,
      canLog: actor.role === 'trainer' || actor.role === 'coordinator',
      statuses: ['waiting-for-me', 'submitted', 'confirmed', 'rejected'].map((s) => ({
        value: s,
        selected: s === query.status,
      })),
      csvHref: `/cascade-sessions/export.csv?${params}`,
      page: pageNo,
      pages,
      prev: pageNo > 1 ? `/cascade-sessions?${params}&page=${pageNo - 1}` : null,
      next: pageNo < pages ? `/cascade-sessions?${params}&page=${pageNo + 1}` : null,
    });
  }

  @Get('export.csv')
  @Authenticated()
  async exportCsv(
    @CurrentUser() actor: AuthUser,
    @Query() query: ListSessionsQuery,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = resolveLanguage(req);
    const page = await this.cascade.list(actor, { ...query, limit: 500, offset: 0 });
    let all = page.items;
    for (let offset = 500; offset < Math.min(page.total, 100_000); offset += 500)
      all = all.concat((await this.cascade.list(actor, { ...query, limit: 500, offset })).items);
    const rows = await this.rows(all, lang);
    const header = [
      'date',
      'status',
      'school',
      'school_code',
      'municipality',
      'country',
      'trainer',
      'course',
      'modules',
      'minutes',
      'female',
      'male',
      'unspecified',
      'under_10',
      '10_14',
      '15_17',
      '18_plus',
      'teachers',
      'parents',
    ];
    const csv = stringify(
      [
        header.map((h) => t(lang, `cascade.csv.${h}`)),
        ...rows.map((r) =>
          [
            r.date,
            t(lang, r.statusKey),
            r.schoolName,
            r.schoolCode,
            r.municipality,
            r.countryCode,
            r.trainerName,
            r.courseTitle,
            r.modules,
            r.s.durationMinutes,
            r.s.female,
            r.s.male,
            r.s.unspecified,
            r.s.ageUnder10,
            r.s.age10To14,
            r.s.age15To17,
            r.s.age18Plus,
            r.s.teachers,
            r.s.parents,
          ].map(neutralise),
        ),
      ],
      { bom: true },
    );
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    // Trainer names are personal data: the file name says so (DESIGN.md "Privacy").
    res.setHeader('Content-Disposition', 'attachment; filename="cascade-sessions-with-names.csv"');
    res.end(csv);
  }

  @Get('new')
  @Authenticated()
  async newForm(@Req() req: Request, @Res() res: Response) {
    res.render('cascade/form', await this.formModel(req));
  }

  @Post()
  @Authenticated()
  @FormView('cascade/form', 'formModel')
  async create(
    @CurrentUser() actor: AuthUser,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const wantsJson = (req.get('accept') ?? '').includes('application/json');
    try {
      const dto = await validateDto(LogSessionDto, formToBody(body, actor));
      const key = typeof body.idempotencyKey === 'string' ? body.idempotencyKey : undefined;
      const response = await this.cascade.logOnce(
        actor,
        dto,
        key ? `form:${key}` : undefined,
        (session: CascadeSession) => ({ status: 201, body: { id: session.id } }),
      );
      const id = (response.body as { id: string }).id;
      if (wantsJson) return res.status(201).json({ id, url: `/cascade-sessions/${id}` });
      redirectWithFlash(res, `/cascade-sessions/${id}`, 'cascade.logged');
    } catch (error) {
      // The offline queue (views/assets/js/offline.js) posts with Accept: application/json.
      if (wantsJson && (error instanceof DomainError || error instanceof InputError))
        return sendApiError(res, resolveLanguage(req), error, statusOf(error));
      throw error;
    }
  }

  @Get(':id')
  @Authenticated()
  async show(@Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    res.render('cascade/show', await this.showModel(req));
  }

  @Get(':id/edit')
  @Authenticated()
  async edit(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const { session, access } = await this.cascade.get(actor, id);
    if (!access.canEdit) throw new DomainError('forbidden', 'cascade.only-author-edits');
    const outline = (await this.catalogue.currentOutlines()).find((o) => o.courseId === session.courseId);
    res.render('cascade/form', {
      ...(await this.formModel(req)),
      action: `/cascade-sessions/${id}/edit`,
      editing: true,
      values: {
        schoolId: session.schoolId,
        trainerId: session.trainerId,
        courseSlug: outline?.slug,
        moduleSlugs: session.moduleSlugs.split(','),
        date: session.date,
        durationMinutes: session.durationMinutes,
        p_female: session.female,
        p_male: session.male,
        p_unspecified: session.unspecified,
        a_under_10: session.ageUnder10,
        a_10_14: session.age10To14,
        a_15_17: session.age15To17,
        a_18_plus: session.age18Plus,
        teachers: session.teachers,
        parents: session.parents,
        notes: session.notes ?? '',
      },
    });
  }

  @Post(':id/edit')
  @Authenticated()
  @FormView('cascade/form', 'formModel')
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const dto = await validateDto(LogSessionDto, formToBody(body, actor));
    await this.cascade.update(actor, id, dto);
    redirectWithFlash(res, `/cascade-sessions/${id}`, 'cascade.saved');
  }

  @Post(':id/confirm')
  @Authenticated()
  async confirm(@CurrentUser() actor: AuthUser, @Param('id') id: string, @Res() res: Response) {
    await this.cascade.confirm(actor, id);
    redirectWithFlash(res, `/cascade-sessions/${id}`, 'cascade.confirmed');
  }

  @Post(':id/reject')
  @Authenticated()
  @FormView('cascade/show', 'showModel')
  async reject(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() dto: RejectSessionDto,
    @Res() res: Response,
  ) {
    await this.cascade.reject(actor, id, dto.reason);
    redirectWithFlash(res, `/cascade-sessions/${id}`, 'cascade.rejected');
  }

  async formModel(req: Request) {
    const lang = resolveLanguage(req);
    const actor = req.user as AuthUser;
    if (actor.role !== 'trainer' && actor.role !== 'coordinator')
      throw new DomainError('forbidden', 'cascade.who-logs');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const search = typeof req.query.school === 'string' ? req.query.school.slice(0, 100) : undefined;
    const schools = await this.schools.list(actor, { q: search, limit: 200 });
    const outlines = (await this.catalogue.currentOutlines()).filter((o) =>
      o.manifest.modules.some((m) => m.deliverable),
    );
    const trainerSearch =
      typeof req.query.trainer === 'string' ? req.query.trainer.trim().toLowerCase().slice(0, 100) : '';
    const trainers =
      actor.role === 'coordinator'
        ? await Promise.all(
            outlines.map(async (o) => ({
              course: pick(o.manifest.title, lang),
              people: (await this.cascade.certifiedTrainers(o.courseId)).filter(
                (p) => !trainerSearch || p.name.toLowerCase().includes(trainerSearch),
              ),
            })),
          )
        : [];
    const values = req.method === 'POST' ? body : { date: this.clock.today(), durationMinutes: 50 };
    const chosen = ([] as unknown[]).concat(values.moduleSlugs ?? []);
    // A refused edit (POST :id/edit) is shown again as the edit form, not as a new session.
    const editingId = req.method === 'POST' && typeof req.params?.id === 'string' ? req.params.id : undefined;
    return {
      title: t(lang, editingId ? 'cascade.edit' : 'cascade.new'),
      action: editingId ? `/cascade-sessions/${editingId}/edit` : '/cascade-sessions',
      editing: editingId !== undefined,
      isCoordinator: actor.role === 'coordinator',
      schoolSearch: search ?? '',
      trainerSearch,
      schools: schools.items.map((s) => ({
        id: s.id,
        label: `${s.name} (${s.code})`,
        selected: s.id === values.schoolId,
      })),
      moreSchools: schools.total > schools.items.length,
      trainerGroups: trainers.map((g) => ({
        course: g.course,
        people: g.people.map((p) => ({ id: p.id, name: p.name, selected: p.id === values.trainerId })),
      })),
      courses: outlines.map((o) => ({
        slug: o.slug,
        title: pick(o.manifest.title, lang),
        selected: o.slug === values.courseSlug || outlines.length === 1,
        modules: o.manifest.modules
          .filter((m) => m.deliverable)
          .map((m) => ({ slug: m.slug, title: pick(m.title, lang), checked: chosen.includes(m.slug) })),
      })),
      idempotencyKey:
        typeof body.idempotencyKey === 'string' && body.idempotencyKey.length <= 100
          ? body.idempotencyKey
          : randomUUID(),
      values,
      sexFields: COUNT_FIELDS.map((f) => ({
        name: `p_${f}`,
        label: `cascade.sex.${f}`,
        value: values[`p_${f}`] ?? '',
      })),
      ageFields: AGE_FIELDS.map((f) => ({
        name: `a_${f}`,
        label: `cascade.age.${f}`,
        value: values[`a_${f}`] ?? '',
      })),
    };
  }

  async showModel(req: Request) {
    const lang = resolveLanguage(req);
    const actor = req.user as AuthUser;
    const { session, access } = await this.cascade.get(actor, String(req.params.id));
    const [row] = await this.rows([session], lang);
    return { title: t(lang, 'cascade.session'), row, s: session, access, values: {} };
  }

  private async rows(sessions: Awaited<ReturnType<CascadeService['list']>>['items'], lang: Language) {
    const labels = await this.cascade.labels(sessions);
    const municipalities = new Map(
      (
        await this.schools.municipalitiesByIds([
          ...new Set([...labels.school.values()].map((s) => s.municipalityId)),
        ])
      ).map((m) => [m.id, m.name]),
    );
    return sessions.map((s) => {
      const school = labels.school.get(s.schoolId);
      const outline = labels.outlines.find((o) => o.courseId === s.courseId);
      return {
        s,
        id: s.id,
        date: s.date,
        statusKey: `cascade.status.${s.status}`,
        status: s.status,
        schoolName: school?.name ?? '',
        schoolCode: school?.code ?? '',
        countryCode: school?.countryCode ?? '',
        municipality: school ? (municipalities.get(school.municipalityId) ?? '') : '',
        trainerName: labels.trainer.get(s.trainerId) ?? '',
        courseTitle: outline ? pick(outline.manifest.title, lang) : '',
        modules: s.moduleSlugs
          .split(',')
          .map((slug) => pick(outline?.manifest.modules.find((m) => m.slug === slug)?.title, lang) || slug)
          .join('; '),
        students: s.female + s.male + s.unspecified,
      };
    });
  }
}
