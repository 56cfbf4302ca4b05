import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { Authenticated, CurrentUser, FormView } from '../common/decorators/access.decorators';
import { Lang } from '../common/decorators/lang.decorator';
import { DomainError, InputError } from '../common/errors/app-errors';
import { sendApiError, statusOf } from '../common/filters/errors.filter';
import { redirectWithFlash } from '../common/http/flash';
import type { Language } from '../common/kernel/user-role.enum';
import { validateDto } from '../common/validation';
import { resolveLanguage } from '../i18n/language';
import { CascadeService } from './cascade.service';
import { AGE_FIELDS, CascadePageModels, COUNT_FIELDS, type SessionFormInput } from './cascade.page-models';
import { ListSessionsQuery, LogSessionDto, RejectSessionDto } from './dto/cascade.dto';
import type { CascadeSession } from './cascade-session.entity';
import { neutralise } from '../reports/export';

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

/** The session form's input: what was typed (on a refused POST), the search boxes, the session edited. */
function formInput(req: Request): SessionFormInput {
  return {
    isPost: req.method === 'POST',
    body: (req.body ?? {}) as Record<string, unknown>,
    schoolSearch: typeof req.query.school === 'string' ? req.query.school : undefined,
    trainerSearch: typeof req.query.trainer === 'string' ? req.query.trainer : undefined,
    editingId: typeof req.params?.id === 'string' ? req.params.id : undefined,
  };
}

@ApiExcludeController()
@Controller('cascade-sessions')
export class CascadePagesController {
  constructor(
    private readonly cascade: CascadeService,
    private readonly pages: CascadePageModels,
  ) {}

  @Get()
  @Authenticated()
  async index(
    @CurrentUser() actor: AuthUser,
    @Query() query: ListSessionsQuery,
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    res.render('cascade/index', await this.pages.indexModel(actor, query, lang));
  }

  @Get('export.csv')
  @Authenticated()
  async exportCsv(
    @CurrentUser() actor: AuthUser,
    @Query() query: ListSessionsQuery,
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    const table = await this.pages.csvTable(actor, query, lang);
    const csv = stringify([table.header, ...table.rows.map((r) => r.map(neutralise))], { bom: true });
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
    @Lang() lang: Language,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    res.render('cascade/form', await this.pages.editModel(actor, id, formInput(req), lang));
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

  // The form views' models (@FormView re-renders them after a refusal, from the request).

  async formModel(req: Request) {
    return this.pages.formModel(req.user as AuthUser, formInput(req), resolveLanguage(req));
  }

  async showModel(req: Request) {
    return this.pages.showModel(req.user as AuthUser, String(req.params.id), resolveLanguage(req));
  }
}
