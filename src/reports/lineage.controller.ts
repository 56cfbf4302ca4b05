import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Transform } from 'class-transformer';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { CurrentUser, Roles } from '../common/decorators/access.decorators';
import { msg } from '../common/validation';
import { t } from '../i18n/i18n';
import { resolveLanguage } from '../i18n/language';
import { Lineage, LineageService } from './lineage.service';
import { toLineageView } from './lineage.view';

/** `status=all` also counts sessions waiting for confirmation, like the reach report. */
export class LineageQuery {
  @Transform(({ value }) => (typeof value === 'string' && value.trim() === '' ? undefined : value))
  @IsOptional()
  @IsIn(['confirmed', 'all'], { message: msg('one-of', { values: 'confirmed, all' }) })
  status?: 'confirmed' | 'all';

  @IsOptional()
  @IsIn(['en', 'es'])
  lang?: string;
}

/**
 * The cascade lineage of a cohort or of a trainer, as a page (/lineage/...) and as JSON
 * (/api/v1/lineage/...), over the same service calls. Trainers may open their own (checked in the
 * service); coordinators are refused.
 */
@ApiTags('lineage')
@Controller()
@Roles('manager', 'admin', 'trainer')
export class LineageController {
  constructor(private readonly lineage: LineageService) {}

  @Get('api/v1/lineage/cohorts/:cohortId')
  @ApiBearerAuth()
  async cohortApi(
    @CurrentUser() actor: AuthUser,
    @Param('cohortId') cohortId: string,
    @Query() query: LineageQuery,
  ) {
    return this.lineage.ofCohort(actor, cohortId, query.status === 'all');
  }

  @Get('api/v1/lineage/trainers/:userId')
  @ApiBearerAuth()
  async trainerApi(
    @CurrentUser() actor: AuthUser,
    @Param('userId') userId: string,
    @Query() query: LineageQuery,
  ) {
    return this.lineage.ofTrainer(actor, userId, query.status === 'all');
  }

  @Get('lineage/cohorts/:cohortId')
  @ApiExcludeEndpoint()
  async cohortPage(
    @CurrentUser() actor: AuthUser,
    @Param('cohortId') cohortId: string,
    @Query() query: LineageQuery,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    this.render(req, res, await this.lineage.ofCohort(actor, cohortId, query.status === 'all'), query);
  }

  @Get('lineage/trainers/:userId')
  @ApiExcludeEndpoint()
  async trainerPage(
    @CurrentUser() actor: AuthUser,
    @Param('userId') userId: string,
    @Query() query: LineageQuery,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    this.render(req, res, await this.lineage.ofTrainer(actor, userId, query.status === 'all'), query);
  }

  private render(req: Request, res: Response, lineage: Lineage, query: LineageQuery) {
    const lang = resolveLanguage(req);
    const view = toLineageView(lineage, lang);
    res.render('lineage/show', {
      ...view,
      path: req.path,
      allSelected: query.status === 'all',
      lead: t(lang, lineage.root.kind === 'cohort' ? 'lineage.lead-cohort' : 'lineage.lead-trainer'),
    });
  }
}
