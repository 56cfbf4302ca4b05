import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { countryScopeOf } from '../common/access/scope';
import { Authenticated, CurrentUser, FormView, Roles } from '../common/decorators/access.decorators';
import { InputError } from '../common/errors/app-errors';
import { redirectWithFlash } from '../common/http/flash';
import { counted, t } from '../i18n/i18n';
import { resolveLanguage } from '../i18n/language';
import { Lang } from '../common/decorators/lang.decorator';
import { paginate } from '../common/view/paginate';
import type { Language } from '../common/kernel/user-role.enum';
import { CoordinatorsDto, CreateSchoolDto, ListSchoolsQuery, SchoolsCsvDto } from './dto/school.dto';
import { refuseFailedUpload } from '../common/http/csv-upload';
import { SCHOOL_LEVELS } from './school.entities';
import { parseSchools } from './schools-import';
import { SchoolsService } from './schools.service';

const PAGE = 25;

@ApiExcludeController()
@Controller('schools')
export class SchoolsPagesController {
  constructor(private readonly schools: SchoolsService) {}

  @Get()
  @Authenticated()
  async index(
    @CurrentUser() actor: AuthUser,
    @Query() query: ListSchoolsQuery,
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    const paging = paginate(query.page, PAGE);
    const page = await this.schools.list(actor, { ...query, limit: paging.limit, offset: paging.offset });
    const municipalities = new Map(
      (await this.schools.municipalitiesByIds([...new Set(page.items.map((s) => s.municipalityId))])).map(
        (m) => [m.id, m.name],
      ),
    );
    res.render('schools/index', {
      title: t(lang, actor.role === 'coordinator' ? 'schools.mine' : 'schools.title'),
      schools: page.items.map((s) => ({
        ...s,
        municipality: municipalities.get(s.municipalityId) ?? '',
        levelKey: s.level ? `schools.level.${s.level}` : null,
      })),
      total: page.total,
      q: query.q ?? '',
      countryCode: query.countryCode ?? '',
      canManage: actor.role === 'admin' || actor.role === 'manager',
      ...paging.pager(page.total, '/schools', { q: query.q, countryCode: query.countryCode }),
    });
  }

  @Get('new')
  @Roles('admin', 'manager')
  async newForm(@Req() req: Request, @Res() res: Response) {
    res.render('schools/form', {
      ...(await this.formModel(req)),
      values: { countryCode: countryScopeOf(req.user as AuthUser) ?? '' },
    });
  }

  @Post()
  @Roles('admin', 'manager')
  @FormView('schools/form', 'formModel')
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateSchoolDto, @Res() res: Response) {
    const school = await this.schools.create(actor, dto);
    redirectWithFlash(res, `/schools/${school.id}`, 'schools.created');
  }

  @Get('import')
  @Roles('admin', 'manager')
  importForm(@Req() req: Request, @Res() res: Response) {
    res.render('schools/import', { title: t(resolveLanguage(req), 'schools.import.title'), values: {} });
  }

  @Post('import')
  @HttpCode(200) // a preview: nothing is created
  @Roles('admin', 'manager')
  @FormView('schools/import')
  async importPreview(
    @CurrentUser() actor: AuthUser,
    @Body() dto: SchoolsCsvDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    refuseFailedUpload(res);
    res.render('schools/import', await this.preview(actor, dto.csv, req));
  }

  @Post('import/confirm')
  @Roles('admin', 'manager')
  @FormView('schools/import')
  async importConfirm(
    @CurrentUser() actor: AuthUser,
    @Body() dto: SchoolsCsvDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const model = await this.preview(actor, dto.csv, req);
    if (!model.canImport) return res.status(400).render('schools/import', model);
    const result = await this.schools.importRows(actor, model.parsed);
    redirectWithFlash(res, '/schools', 'schools.import.done', 'success', {
      schools: counted('schools.count', result.schools),
      municipalities: counted('schools.import.new-municipalities', result.municipalities),
    });
  }

  @Get(':id')
  @Authenticated()
  async show(@Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    res.render('schools/show', await this.showModel(req));
  }

  @Post(':id/coordinators')
  @Roles('admin', 'manager')
  @FormView('schools/show', 'showModel')
  async coordinators(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() dto: CoordinatorsDto,
    @Res() res: Response,
  ) {
    await this.schools.setCoordinators(actor, id, dto.userIds);
    redirectWithFlash(res, `/schools/${id}`, 'schools.coordinators-saved');
  }

  async formModel(req: Request) {
    const lang = resolveLanguage(req);
    const actor = req.user as AuthUser;
    return {
      title: t(lang, 'schools.new'),
      levels: SCHOOL_LEVELS,
      countryLocked: countryScopeOf(actor),
      municipalities: await this.schools.municipalities(actor),
    };
  }

  async showModel(req: Request) {
    const actor = req.user as AuthUser;
    const school = await this.schools.get(actor, String(req.params.id));
    const [municipality] = await this.schools.municipalitiesByIds([school.municipalityId]);
    const coordinators = (await this.schools.coordinatorsOf([school.id])).map((c) => c.user);
    const canManage = actor.role === 'admin' || actor.role === 'manager';
    const candidates = await this.schools.coordinatorCandidates(actor);
    const ids = new Set(coordinators.map((c) => c.id));
    const totals = await this.schools.confirmedTotals(school.id);
    return {
      title: school.name,
      school,
      municipality: municipality?.name ?? '',
      levelKey: school.level ? `schools.level.${school.level}` : null,
      coordinators,
      canManage,
      candidates: candidates.map((u) => ({ id: u.id, name: u.name, email: u.email, checked: ids.has(u.id) })),
      totals,
      canLog: actor.role === 'coordinator' || actor.role === 'trainer',
      values: {},
    };
  }

  private async preview(actor: AuthUser, csv: string, req: Request) {
    const lang = resolveLanguage(req);
    const parsed = parseSchools(csv);
    if (parsed.fileProblem)
      throw new InputError({ csv: [{ key: parsed.fileProblem, params: { max: 5000 } }] });
    const rows = await this.schools.previewImport(actor, parsed.rows);
    const bad = rows.filter((r) => r.problems.length).length;
    return {
      title: t(lang, 'schools.import.title'),
      csv,
      parsed: rows,
      rows: rows.map((r) => ({
        ...r,
        problemTexts: r.problems.map((p) => t(lang, `validation.${p.key}`, p.params)),
      })),
      bad,
      good: rows.length - bad,
      canImport: bad === 0 && rows.length > 0,
      values: { csv },
    };
  }
}
