import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { CurrentUser, FormView, Roles } from '../common/decorators/access.decorators';
import { Lang } from '../common/decorators/lang.decorator';
import type { Language } from '../common/kernel/user-role.enum';
import { redirectWithFlash } from '../common/http/flash';
import { refuseFailedUpload } from '../common/http/csv-upload';
import { toCsv } from '../reports/export';
import { t } from '../i18n/i18n';
import { resolveLanguage } from '../i18n/language';
import { ORG_UNIT_KINDS } from './dhis2-codes';
import { Dhis2MappingCsvDto } from './dhis2-mapping.dto';
import { Dhis2MappingService } from './dhis2-mapping.service';

/** /admin/dhis2: the mapping to DHIS2 uids, shown, downloaded as a CSV template and saved from CSV. */
@ApiExcludeController()
@Controller('admin/dhis2')
@Roles('admin')
export class Dhis2AdminPagesController {
  constructor(private readonly mapping: Dhis2MappingService) {}

  @Get()
  async index(@Req() req: Request, @Res() res: Response) {
    res.render('admin/dhis2/index', await this.pageModel(req));
  }

  @Get('mapping.csv')
  async template(@Res() res: Response) {
    const rows = await this.mapping.template();
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="cascada-dhis2-mapping.csv"');
    res.end(
      toCsv(
        ['kind', 'key', 'label', 'uid'].map((k) => ({ key: k, header: k })),
        rows,
      ),
    );
  }

  @Post()
  @Roles('admin')
  @FormView('admin/dhis2/index', 'pageModel')
  async save(
    @CurrentUser() actor: AuthUser,
    @Body() dto: Dhis2MappingCsvDto,
    @Lang() lang: Language,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    refuseFailedUpload(res);
    const rows = await this.mapping.check(dto.csv);
    const bad = rows.filter((r) => r.problems.length);
    if (bad.length) {
      // Nothing is saved: the page shows every line with its problems, and keeps the text.
      return res.status(400).render('admin/dhis2/index', {
        ...(await this.pageModel(req)),
        values: { csv: dto.csv },
        summary: t(lang, 'validation.csv-has-problems'),
        problemRows: bad.map((r) => ({
          ...r,
          problemTexts: r.problems.map((p) => t(lang, `validation.${p.key}`, p.params)),
        })),
      });
    }
    const result = await this.mapping.apply(actor, rows);
    redirectWithFlash(res, '/admin/dhis2', 'dhis2.admin.saved', 'success', {
      saved: result.saved,
      removed: result.removed,
      unchanged: result.unchanged,
    });
  }

  async pageModel(req: Request) {
    const lang = resolveLanguage(req);
    const rows = await this.mapping.template();
    const settings = rows.filter((r) => !(ORG_UNIT_KINDS as readonly string[]).includes(r.kind));
    const places = ORG_UNIT_KINDS.map((kind) => {
      const list = rows.filter((r) => r.kind === kind);
      return { kindKey: `dhis2.kind.${kind}`, total: list.length, mapped: list.filter((r) => r.uid).length };
    });
    const mappedPlaces = rows.filter((r) => (ORG_UNIT_KINDS as readonly string[]).includes(r.kind) && r.uid);
    return {
      title: t(lang, 'dhis2.admin.title'),
      mappingSettings: settings.map((r) => ({
        ...r,
        kindKey: `dhis2.kind.${r.kind}`,
        // What the row is, in the page's language: the indicator or disaggregation's name, or the kind itself.
        nameKey:
          r.kind === 'indicator'
            ? `dhis2.indicator.${r.key}`
            : r.kind === 'disaggregation'
              ? `dhis2.disaggregation.${r.key}`
              : `dhis2.kind.${r.kind}`,
      })),
      places,
      // A page stays light: the first 200 mapped places; the CSV has them all.
      mappedPlaces: mappedPlaces.slice(0, 200).map((r) => ({ ...r, kindKey: `dhis2.kind.${r.kind}` })),
      moreMapped: Math.max(0, mappedPlaces.length - 200),
      values: {},
    };
  }
}
