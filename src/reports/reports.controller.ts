import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { CurrentUser, Roles } from '../common/decorators/access.decorators';
import { DomainError } from '../common/errors/app-errors';
import { isApiRequest } from '../common/http/request-kind';
import { formatDate, t } from '../i18n/i18n';
import { resolveLanguage } from '../i18n/language';
import type { Language } from '../common/kernel/user-role.enum';
import { toCsv, toXlsx } from './export';
import { DonorFacts, renderDonorPdf } from './donor-pdf';
import { ReportName, REPORTS, ReportResult, runReport } from './report-definitions';
import { GROUP_BYS, NO_MATCH, ReportQuery } from './report-filters';
import { ReportsService } from './reports.service';
import { pick } from '../courses/course.view';

function parseName(raw: string): { name: ReportName; format: 'html' | 'csv' | 'xlsx' | 'pdf' } {
  const match = /^([a-z-]+)(?:\.(csv|xlsx|pdf))?$/.exec(raw);
  const name = match?.[1] as ReportName | undefined;
  if (!match || !name || !(REPORTS as readonly string[]).includes(name))
    throw new DomainError('not-found', 'not-found');
  // Only the donor summary has a PDF (a one-page document to hand on).
  if (match[2] === 'pdf' && name !== 'donor') throw new DomainError('not-found', 'not-found');
  return { name, format: (match[2] as 'csv' | 'xlsx' | 'pdf' | undefined) ?? 'html' };
}

/** Report pages (/reports/...) and the JSON API (/api/v1/reports/...), with CSV and XLSX exports. */
@ApiTags('reports')
@Controller()
@Roles('manager', 'admin')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('reports')
  @ApiExcludeEndpoint()
  index(@Req() req: Request, @Res() res: Response) {
    const lang = resolveLanguage(req);
    res.render('reports/index', {
      title: t(lang, 'reports.title'),
      reports: REPORTS.map((r) => ({
        name: r,
        titleKey: `reports.${r}.title`,
        introKey: `reports.${r}.intro`,
      })),
    });
  }

  @Get('reports/:name')
  @ApiExcludeEndpoint()
  async page(
    @CurrentUser() actor: AuthUser,
    @Param('name') raw: string,
    @Query() query: ReportQuery,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.respond(actor, raw, query, req, res);
  }

  @Get('api/v1/reports/:name')
  @ApiBearerAuth()
  async api(
    @CurrentUser() actor: AuthUser,
    @Param('name') raw: string,
    @Query() query: ReportQuery,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.respond(actor, raw, query, req, res);
  }

  private async respond(actor: AuthUser, raw: string, query: ReportQuery, req: Request, res: Response) {
    const lang = resolveLanguage(req);
    const parsed = parseName(raw);
    const format =
      parsed.format === 'html' && (req.get('accept') ?? '').includes('text/csv') ? 'csv' : parsed.format;
    const filters = await this.reports.filters(actor, query);
    const result: ReportResult = await runReport(parsed.name, this.reports, filters ?? NO_MATCH, query, lang);
    const fileBase = `cascada-${parsed.name}-${new Date().toISOString().slice(0, 10)}`;
    if (format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${fileBase}.csv"`);
      return res.end(toCsv(result.columns, result.totals ? [...result.rows, result.totals] : result.rows));
    }
    if (format === 'xlsx') {
      const book = await toXlsx(
        t(lang, `reports.${parsed.name}.title`),
        result.columns,
        result.totals ? [...result.rows, result.totals] : result.rows,
        this.filterList(query, lang),
        t(lang, 'reports.filters'),
      );
      res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('Content-Disposition', `attachment; filename="${fileBase}.xlsx"`);
      return res.end(book);
    }
    if (format === 'pdf') {
      const donor = (result.extra as { donor: Omit<DonorFacts, 'period' | 'countryName'> }).donor;
      const pdf = await renderDonorPdf(
        {
          ...donor,
          period: this.period(query, lang),
          countryName: await this.reports.countryName(filters?.countryCode ?? query.countryCode, lang),
        },
        lang,
      );
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="${fileBase}.pdf"`);
      return res.end(pdf);
    }
    if (isApiRequest(req)) return res.json(result.json);
    const outlines = await this.reports.outlines();
    const params = new URLSearchParams(
      Object.entries(query)
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => [k, String(v)]),
    );
    const sort = query.sort ?? '';
    const desc = sort.startsWith('-');
    const sortKey = sort.replace(/^-/, '');
    const rows =
      sortKey && result.columns.some((c) => c.key === sortKey)
        ? [...result.rows].sort((a, b) => {
            const x = (a as Record<string, number | string>)[sortKey];
            const y = (b as Record<string, number | string>)[sortKey];
            return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1);
          })
        : result.rows;
    const sortLink = (key: string) => {
      const p = new URLSearchParams(params);
      p.set('sort', sortKey === key && !desc ? `-${key}` : key);
      return `/reports/${parsed.name}?${p}`;
    };
    res.render(parsed.name === 'donor' ? 'reports/donor' : 'reports/show', {
      title: t(lang, `reports.${parsed.name}.title`),
      layout: parsed.name === 'donor' && req.query.print === '1' ? 'layouts/print' : undefined,
      period: this.period(query, lang),
      /** The country the figures cover: the asked one or the manager's scope (a printed summary must say so). */
      countryName: await this.reports.countryName(filters?.countryCode ?? query.countryCode, lang),
      name: parsed.name,
      introKey: `reports.${parsed.name}.intro`,
      query,
      isCascade: parsed.name === 'cascade',
      groupBys: GROUP_BYS.map((g) => ({ value: g, selected: g === (query.groupBy ?? 'country') })),
      courses: outlines.map((o) => ({
        value: o.slug,
        label: pick(o.manifest.title, lang),
        selected: o.slug === query.courseSlug,
      })),
      chart: result.chart,
      headers: result.columns.map((c) => ({
        ...c,
        sortHref: sortLink(c.key),
        sorted: sortKey === c.key ? (desc ? 'descending' : 'ascending') : null,
      })),
      rows: rows.map((r) => ({
        cells: result.columns.map((c) => ({
          value: (r as Record<string, unknown>)[c.key],
          numeric: c.numeric,
        })),
      })),
      totals: result.totals
        ? result.columns.map((c) => ({ value: result.totals?.[c.key], numeric: c.numeric }))
        : null,
      extra: result.extra,
      csvHref: `/reports/${parsed.name}.csv?${params}`,
      xlsxHref: `/reports/${parsed.name}.xlsx?${params}`,
      printHref: `/reports/donor?${params}${params.toString() ? '&' : ''}print=1`,
      pdfHref: `/reports/donor.pdf?${params}`,
      empty: result.rows.length === 0,
    });
  }

  private filterList(query: ReportQuery, lang: Language): Array<[string, string]> {
    const keys = [
      'from',
      'to',
      'countryCode',
      'municipality',
      'courseSlug',
      'cohortId',
      'groupBy',
      'status',
    ] as const;
    return keys.map(
      (k) => [t(lang, `reports.filter.${k}`), query[k] ?? t(lang, 'reports.filter.all')] as [string, string],
    );
  }

  /** The period a summary covers, in the user's language; a dash for an open end. */
  private period(query: ReportQuery, lang: Language): { from: string; to: string } {
    return {
      from: query.from ? formatDate(lang, query.from, 'long') : '—',
      to: query.to ? formatDate(lang, query.to, 'long') : '—',
    };
  }
}
