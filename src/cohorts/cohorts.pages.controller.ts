import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { Authenticated, CurrentUser, FormView, Roles } from '../common/decorators/access.decorators';
import { Lang } from '../common/decorators/lang.decorator';
import { redirectWithFlash } from '../common/http/flash';
import { refuseFailedUpload } from '../common/http/csv-upload';
import type { Language } from '../common/kernel/user-role.enum';
import { msg } from '../common/validation';
import { resolveLanguage } from '../i18n/language';
import { CohortsPageModels, rosterEntries } from './cohorts.page-models';
import { CohortsService } from './cohorts.service';
import {
  AddDayDto,
  AddParticipantDto,
  CreateCohortDto,
  ListCohortsQuery,
  PracticumDto,
  UpdateCohortDto,
} from './dto/cohort.dto';

export class RosterCsvDto {
  @IsString({ message: msg('required') })
  @MaxLength(200_000, { message: msg('max-length', { max: 200000 }) })
  csv: string;
}

@ApiExcludeController()
@Controller('cohorts')
export class CohortsPagesController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly pages: CohortsPageModels,
  ) {}

  @Get()
  @Authenticated()
  async index(
    @CurrentUser() actor: AuthUser,
    @Query() query: ListCohortsQuery,
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    res.render('cohorts/index', await this.pages.indexModel(actor, query, lang));
  }

  @Get('new')
  @Roles('manager', 'admin')
  async newForm(@CurrentUser() actor: AuthUser, @Lang() lang: Language, @Res() res: Response) {
    res.render('cohorts/form', await this.pages.newModel(actor, lang));
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
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    res.render('cohorts/form', await this.pages.editModel(actor, id, lang));
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
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    res.render('cohorts/import', { ...(await this.pages.importModel(actor, id, lang)), values: {} });
  }

  @Post(':id/import')
  @Roles('manager', 'admin')
  @HttpCode(200) // the preview writes nothing: a page, not "201 Created"
  @FormView('cohorts/import', 'importModel')
  async importPreview(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() dto: RosterCsvDto,
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    refuseFailedUpload(res);
    res.render('cohorts/import', await this.pages.previewModel(actor, id, dto.csv, lang));
  }

  @Post(':id/import/confirm')
  @Roles('manager', 'admin')
  @FormView('cohorts/import', 'importModel')
  async importConfirm(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() dto: RosterCsvDto,
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    const model = await this.pages.previewModel(actor, id, dto.csv, lang);
    if (!model.canImport) return res.status(400).render('cohorts/import', model);
    const count = await this.cohorts.addMany(actor, id, rosterEntries(model.parsed));
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
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    res.render('cohorts/attendance', await this.pages.attendanceModel(actor, id, dayId, lang));
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
    const { markAll, records } = await this.pages.attendanceForm(actor, id, body);
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
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    res.render('cohorts/sign-in', {
      ...(await this.pages.attendanceModel(actor, id, dayId, lang)),
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

  // The form views' models (@FormView re-renders them after a refusal, from the request).

  async formModel(req: Request) {
    const id = typeof req.params?.id === 'string' ? req.params.id : null;
    const typed = (req.body ?? {}) as Record<string, unknown>;
    return this.pages.formModel(req.user as AuthUser, id, typed, resolveLanguage(req));
  }

  async showModel(req: Request) {
    return this.pages.showModel(req.user as AuthUser, String(req.params.id), resolveLanguage(req));
  }

  async importModel(req: Request) {
    return this.pages.importModel(req.user as AuthUser, String(req.params.id), resolveLanguage(req));
  }

  async participantModel(req: Request) {
    const [id, userId] = [String(req.params.id), String(req.params.userId)];
    return this.pages.participantModel(req.user as AuthUser, id, userId, resolveLanguage(req));
  }
}
