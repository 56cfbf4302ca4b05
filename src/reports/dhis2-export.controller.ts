import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { countryScopeOf } from '../common/access/scope';
import { CurrentUser, Roles } from '../common/decorators/access.decorators';
import { InputError, unprocessable } from '../common/errors/app-errors';
import { translateFields } from '../common/filters/errors.filter';
import { t } from '../i18n/i18n';
import { resolveLanguage } from '../i18n/language';
import { checkDhis2Query, DHIS2_LEVELS, Dhis2ExportQuery } from './dhis2-export.query';
import { Dhis2ExportService } from './dhis2-export.service';
import { toDataValueSet } from './dhis2-export';

const ADX_TYPE = 'application/adx+xml; charset=utf-8';

/**
 * The DHIS2 export: dataValueSets JSON and ADX XML per period and org unit, and the values that could
 * not be sent for want of a mapping. The JSON is exactly what DHIS2 imports; the unmapped values have
 * their own endpoint, and their count travels in the `X-Dhis2-Unmapped` header with a `Link` to it.
 */
@ApiTags('exports')
@Controller()
@Roles('manager', 'admin')
export class Dhis2ExportController {
  constructor(private readonly exports: Dhis2ExportService) {}

  @Get('reports/dhis2')
  @ApiExcludeEndpoint()
  async page(
    @CurrentUser() actor: AuthUser,
    @Query() query: Dhis2ExportQuery,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = resolveLanguage(req);
    const scope = countryScopeOf(actor);
    const model = {
      title: t(lang, 'dhis2.export.title'),
      countryLocked: scope,
      values: { period: query.period ?? '', countryCode: scope ?? query.countryCode ?? '' },
      levels: DHIS2_LEVELS.map((l) => ({
        value: l,
        labelKey: `dhis2.level.${l}`,
        selected: l === (query.level ?? 'municipality'),
      })),
    };
    if (!query.period && !query.countryCode && !query.level) return res.render('reports/dhis2', model);
    const checked = checkDhis2Query(query);
    if ('errors' in checked) {
      const errors = translateFields(lang, new InputError(checked.errors));
      return res.status(400).render('reports/dhis2', {
        ...model,
        errors,
        errorList: Object.entries(errors).map(([field, messages]) => ({ field, message: messages[0] })),
      });
    }
    const result = await this.exports.build(actor, checked.period, checked.countryCode, checked.level);
    const params = new URLSearchParams({
      period: checked.period.id,
      level: checked.level,
      ...(result.countryCode ? { countryCode: result.countryCode } : {}),
    });
    res.render('reports/dhis2', {
      ...model,
      result: {
        periodId: checked.period.id,
        from: checked.period.from,
        to: checked.period.to,
        dataValues: result.dataValues.length,
        unmapped: result.unmapped.map((u) => ({
          ...u,
          kindKey: `dhis2.kind.${u.orgUnitKind}`,
          missingKeys: u.missing.map((m) => `dhis2.missing.${m}`),
        })),
        hasDataSet: Boolean(result.dataSet),
      },
      jsonHref: `/reports/dhis2/data-value-sets.json?${params}`,
      adxHref: result.dataValues.length ? `/reports/dhis2/adx.xml?${params}` : null,
    });
  }

  @Get('reports/dhis2/data-value-sets.json')
  @ApiExcludeEndpoint()
  async pageJson(@CurrentUser() actor: AuthUser, @Query() query: Dhis2ExportQuery, @Res() res: Response) {
    await this.sendJson(actor, query, res, true);
  }

  @Get('reports/dhis2/adx.xml')
  @ApiExcludeEndpoint()
  async pageAdx(@CurrentUser() actor: AuthUser, @Query() query: Dhis2ExportQuery, @Res() res: Response) {
    await this.sendAdx(actor, query, res, true);
  }

  @Get('api/v1/exports/dhis2/data-value-sets')
  @ApiBearerAuth()
  async apiJson(@CurrentUser() actor: AuthUser, @Query() query: Dhis2ExportQuery, @Res() res: Response) {
    await this.sendJson(actor, query, res, false);
  }

  @Get('api/v1/exports/dhis2/adx')
  @ApiBearerAuth()
  async apiAdx(@CurrentUser() actor: AuthUser, @Query() query: Dhis2ExportQuery, @Res() res: Response) {
    await this.sendAdx(actor, query, res, false);
  }

  /** The values that had no mapping (never silently dropped): `{period, level, countryCode, unmapped:[...], total}`. */
  @Get('api/v1/exports/dhis2/unmapped')
  @ApiBearerAuth()
  async apiUnmapped(@CurrentUser() actor: AuthUser, @Query() query: Dhis2ExportQuery, @Res() res: Response) {
    const { result } = await this.run(actor, query);
    res.json({
      period: result.period.id,
      level: result.level,
      countryCode: result.countryCode ?? null,
      unmapped: result.unmapped,
      total: result.unmapped.length,
    });
  }

  private async run(actor: AuthUser, query: Dhis2ExportQuery) {
    const checked = checkDhis2Query(query);
    if ('errors' in checked) throw new InputError(checked.errors);
    const result = await this.exports.build(actor, checked.period, checked.countryCode, checked.level);
    const params = new URLSearchParams({
      period: checked.period.id,
      level: checked.level,
      ...(result.countryCode ? { countryCode: result.countryCode } : {}),
    });
    return { result, params };
  }

  private unmappedHeaders(res: Response, count: number, params: URLSearchParams) {
    res.setHeader('X-Dhis2-Unmapped', String(count));
    res.setHeader('Link', `</api/v1/exports/dhis2/unmapped?${params}>; rel="unmapped"`);
  }

  private async sendJson(actor: AuthUser, query: Dhis2ExportQuery, res: Response, download: boolean) {
    const { result, params } = await this.run(actor, query);
    this.unmappedHeaders(res, result.unmapped.length, params);
    if (download)
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="cascada-dhis2-${result.period.id}-${result.level}.json"`,
      );
    res.json(toDataValueSet(result));
  }

  private async sendAdx(actor: AuthUser, query: Dhis2ExportQuery, res: Response, download: boolean) {
    const { result, params } = await this.run(actor, query);
    // ADX needs at least one group: with nothing mapped there is nothing to send.
    if (!result.dataValues.length) throw unprocessable('dhis2.nothing-to-export');
    this.unmappedHeaders(res, result.unmapped.length, params);
    res.setHeader('Content-Type', ADX_TYPE);
    if (download)
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="cascada-dhis2-${result.period.id}-${result.level}.adx.xml"`,
      );
    res.end(this.exports.adx(result));
  }
}
