import { t, formatNumber } from '../i18n/i18n';
import type { Language } from '../common/kernel/user-role.enum';
import type { Column } from './export';
import type { ReportFilters, ReportQuery } from './report-filters';
import type { ReportsService } from './reports.service';
import { barChart } from './svg-chart';

export const REPORTS = ['completion', 'knowledge-gain', 'certifications', 'cascade', 'donor'] as const;
export type ReportName = (typeof REPORTS)[number];

export interface ReportResult {
  /** The JSON body of the API (API.md "Reports"). */
  json: Record<string, unknown>;
  columns: Column[];
  rows: Array<object>;
  totals?: Record<string, unknown>;
  chart: string;
  extra?: Record<string, unknown>;
}

const col = (lang: Language, key: string, numeric = true): Column => ({
  key,
  header: t(lang, `reports.col.${key}`),
  numeric,
});

/** Runs one report and shapes it for the page, the API and the exports. */
export async function runReport(
  name: ReportName,
  service: ReportsService,
  f: ReportFilters,
  query: ReportQuery,
  lang: Language,
): Promise<ReportResult> {
  const fmt = (n: number) => formatNumber(lang, n);
  const pct = (n: number) => `${formatNumber(lang, n)} %`;
  switch (name) {
    case 'completion': {
      const rows = await service.completion(f, lang);
      const keys = [
        'enrolled',
        'started',
        'lessonsComplete',
        'passedPost',
        'attendanceMet',
        'certified',
      ] as const;
      const totals = Object.fromEntries(keys.map((k) => [k, rows.reduce((s, r) => s + r[k], 0)]));
      return {
        json: { rows: rows.map(({ key, label, ...r }) => ({ key, label, ...r })), totals },
        columns: [col(lang, 'label', false), ...keys.map((k) => col(lang, k))],
        rows,
        totals: { label: t(lang, 'reports.total'), ...totals },
        chart: barChart({
          id: 'chart-completion',
          title: t(lang, 'reports.completion.title'),
          description: t(lang, 'reports.completion.chart'),
          categories: keys.map((k) => t(lang, `reports.col.${k}`)),
          series: [
            {
              name: t(lang, 'reports.people'),
              values: keys.map((k) => totals[k] as number),
              className: 'c1',
            },
          ],
          format: fmt,
        }),
      };
    }
    case 'knowledge-gain': {
      const { rows, questions, anchors } = await service.knowledgeGain(f, lang);
      return {
        json: { rows, questions },
        columns: [
          col(lang, 'label', false),
          col(lang, 'preAverage'),
          col(lang, 'postAverage'),
          col(lang, 'gain'),
          col(lang, 'n'),
        ],
        rows,
        chart: barChart({
          id: 'chart-gain',
          title: t(lang, 'reports.knowledge-gain.title'),
          description: t(lang, 'reports.knowledge-gain.chart'),
          categories: rows.map((r) => r.label),
          stacked: false,
          series: [
            {
              name: t(lang, 'reports.col.preAverage'),
              values: rows.map((r) => r.preAverage ?? 0),
              className: 'c3',
            },
            {
              name: t(lang, 'reports.col.postAverage'),
              values: rows.map((r) => r.postAverage ?? 0),
              className: 'c1',
            },
          ],
          format: pct,
        }),
        extra: { questions: questions.slice(0, 40), anchors },
      };
    }
    case 'certifications': {
      const rows = await service.certifications(f, lang);
      const keys = ['active', 'expiringSoon', 'expired', 'revoked'] as const;
      const totals = Object.fromEntries(keys.map((k) => [k, rows.reduce((s, r) => s + r[k], 0)]));
      return {
        json: {
          rows: rows.map((r) => ({
            key: r.key,
            label: r.label,
            countryCode: r.countryCode,
            courseSlug: r.courseSlug,
            active: r.active,
            expiringSoon: r.expiringSoon,
            expired: r.expired,
            revoked: r.revoked,
          })),
          totals,
        },
        columns: [col(lang, 'label', false), ...keys.map((k) => col(lang, k))],
        rows,
        totals: { label: t(lang, 'reports.total'), ...totals },
        chart: barChart({
          id: 'chart-certs',
          title: t(lang, 'reports.certifications.title'),
          description: t(lang, 'reports.certifications.chart'),
          categories: rows.map((r) => r.label),
          stacked: true,
          series: [
            {
              name: t(lang, 'reports.col.active'),
              values: rows.map((r) => r.active - r.expiringSoon),
              className: 'c1',
            },
            {
              name: t(lang, 'reports.col.expiringSoon'),
              values: rows.map((r) => r.expiringSoon),
              className: 'c4',
            },
            { name: t(lang, 'reports.col.expired'), values: rows.map((r) => r.expired), className: 'c3' },
            { name: t(lang, 'reports.col.revoked'), values: rows.map((r) => r.revoked), className: 'c5' },
          ],
          format: fmt,
        }),
      };
    }
    case 'cascade':
    case 'donor': {
      const groupBy = query.groupBy ?? (name === 'donor' ? 'country' : 'country');
      const reach = await service.cascade(f, groupBy, query.status === 'all', lang);
      const keys = [
        'sessions',
        'schools',
        'students',
        'female',
        'male',
        'unspecified',
        'under_10',
        '10_14',
        '15_17',
        '18_plus',
        'teachers',
        'parents',
      ] as const;
      const chart = barChart({
        id: 'chart-reach',
        title: t(lang, 'reports.cascade.title'),
        description: t(lang, 'reports.cascade.chart'),
        categories: reach.rows.map((r) => r.label),
        stacked: true,
        maxBars: 60,
        series: [
          { name: t(lang, 'reports.col.female'), values: reach.rows.map((r) => r.female), className: 'c1' },
          { name: t(lang, 'reports.col.male'), values: reach.rows.map((r) => r.male), className: 'c2' },
          {
            name: t(lang, 'reports.col.unspecified'),
            values: reach.rows.map((r) => r.unspecified),
            className: 'c3',
          },
        ],
        format: fmt,
      });
      if (name === 'donor') {
        const donor = await service.donor(f, lang);
        return {
          json: {
            trained: donor.trained,
            certified: donor.certified,
            reach: donor.reach,
            studentsPerCertifiedTrainer: donor.multiplier,
            rows: reach.rows,
          },
          columns: [col(lang, 'label', false), ...keys.map((k) => col(lang, k))],
          rows: reach.rows,
          totals: { label: t(lang, 'reports.total'), ...reach.totals },
          chart,
          extra: { donor },
        };
      }
      return {
        json: {
          rows: reach.rows,
          totals: reach.totals,
          certifiedTrainers: reach.certifiedTrainers,
          studentsPerCertifiedTrainer: reach.studentsPerCertifiedTrainer,
          notDelivering: reach.notDelivering,
        },
        columns: [col(lang, 'label', false), ...keys.map((k) => col(lang, k))],
        rows: reach.rows,
        totals: { label: t(lang, 'reports.total'), ...reach.totals },
        chart,
        extra: {
          certifiedTrainers: reach.certifiedTrainers,
          multiplier: reach.studentsPerCertifiedTrainer,
          notDelivering: reach.notDelivering,
        },
      };
    }
  }
}
