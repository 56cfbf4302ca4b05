import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { Authenticated, CurrentUser, Roles } from '../common/decorators/access.decorators';
import { t } from '../i18n/i18n';
import { resolveLanguage } from '../i18n/language';
import { toCohortJson, toDayJson } from './cohort.view';
import { CohortsService } from './cohorts.service';
import { conditionParams } from './eligibility';
import {
  AddDayDto,
  AddParticipantDto,
  AttendanceDto,
  CreateCohortDto,
  ListCohortsQuery,
  PracticumDto,
  UpdateCohortDto,
} from './dto/cohort.dto';

@ApiTags('cohorts')
@ApiBearerAuth()
@Controller('api/v1/cohorts')
export class CohortsApiController {
  constructor(private readonly cohorts: CohortsService) {}

  @Post()
  @Roles('manager', 'admin')
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateCohortDto) {
    const cohort = await this.cohorts.create(actor, dto);
    return toCohortJson(cohort, dto.courseSlug, { participants: [], days: [] });
  }

  @Get()
  @Authenticated()
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListCohortsQuery) {
    const page = await this.cohorts.list(actor, query);
    const slugs = await this.cohorts.courseSlugs(page.items.map((c) => c.courseId));
    return {
      items: page.items.map((c) =>
        toCohortJson(c, slugs.get(c.courseId) ?? '', { participantCount: page.counts.get(c.id) ?? 0 }),
      ),
      total: page.total,
    };
  }

  @Get(':id')
  @Authenticated()
  async get(@CurrentUser() actor: AuthUser, @Param('id') id: string) {
    const d = await this.cohorts.detail(actor, id);
    return toCohortJson(d.cohort, d.outline.slug, {
      facilitators: d.facilitators.map((f) => ({ userId: f.id, name: f.name })),
      participants:
        d.access === 'participate'
          ? d.participants.map((p) => ({ userId: p.userId, name: p.name }))
          : d.standings.map((p) => ({
              userId: p.userId,
              name: p.name,
              status: p.status === 'invited' ? 'invited' : 'active',
              enrolmentId: p.enrolmentId,
              percent: p.percent,
              attendancePercent: Math.round(p.attendancePercent),
              eligible: p.eligibility.eligible,
            })),
      days: d.days.map(toDayJson),
    });
  }

  @Put(':id')
  @Roles('manager', 'admin')
  async update(@CurrentUser() actor: AuthUser, @Param('id') id: string, @Body() dto: UpdateCohortDto) {
    return toCohortJson(await this.cohorts.update(actor, id, dto), dto.courseSlug);
  }

  @Post(':id/participants')
  @Roles('manager', 'admin')
  async addParticipant(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() dto: AddParticipantDto,
  ) {
    const { user, created } = await this.cohorts.addParticipant(actor, id, dto);
    return { userId: user.id, name: user.name, email: user.email, invited: created };
  }

  @Post(':id/days')
  @Roles('manager', 'admin')
  async addDay(@CurrentUser() actor: AuthUser, @Param('id') id: string, @Body() dto: AddDayDto) {
    return toDayJson(await this.cohorts.addDay(actor, id, dto));
  }

  @Put(':id/days/:dayId/attendance')
  @Authenticated()
  @HttpCode(200)
  async attendance(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('dayId') dayId: string,
    @Body() dto: AttendanceDto,
  ) {
    await this.cohorts.recordAttendance(actor, id, dayId, dto);
    return { ok: true, recorded: dto.records.length };
  }

  @Put(':id/participants/:userId/practicum')
  @Authenticated()
  @HttpCode(200)
  async practicum(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('userId') userId: string,
    @Body() dto: PracticumDto,
  ) {
    await this.cohorts.recordPracticum(actor, id, userId, dto);
    return { userId, passed: dto.passed, score: dto.score ?? null, notes: dto.notes ?? null };
  }

  @Get(':id/participants/:userId/eligibility')
  @Authenticated()
  async eligibility(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('userId') userId: string,
    @Req() req: Request,
  ) {
    const lang = resolveLanguage(req);
    const { standing } = await this.cohorts.eligibilityOf(actor, id, userId);
    return {
      eligible: standing.eligibility.eligible,
      conditions: standing.eligibility.conditions.map((c) => ({
        code: c.code,
        met: c.met,
        detail: t(lang, `certification.condition.${c.code}.detail`, conditionParams(lang, c.params)),
        values: c.params,
      })),
    };
  }
}
