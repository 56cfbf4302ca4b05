/**
 * The program manager's reports in a real browser, in Spanish and English on a 360 px phone and a
 * desktop: every report page from the reports index (completion funnel, knowledge gain,
 * certifications, cascade reach, donor indicators) with its figures, the filter form (date range,
 * country, grouping) whose choices the URL keeps, the CSV export (UTF-8 BOM, header row in the
 * page's language) and XLSX export (a zip file, the same header row) of each, and the printable
 * donor summary with its PDF. Every page is audited (axe-core, weight).
 *
 * Each variant seeds its own small program through the API, in its own country, read by a manager
 * scoped to that country: two schools, a workshop of two trainers (one certified, pre-test 50 %,
 * post-test 100 %; one only enrolled), and three sessions (two confirmed, one still waiting).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { REPORTS, type ReportName } from '../../src/reports/report-definitions';
import type { Language } from '../../src/common/kernel/user-role.enum';
import type { User } from '../../src/users/user.entity';
import { TEST_PASSWORD, type TestApp } from '../support/create-test-app';
import { Journey, useJourneyApp, VARIANTS } from './support/journey';
import {
  CONTENT_DIR,
  Driver,
  field,
  fixtureCourse,
  HALF_RIGHT_ANSWERS,
  heading,
  journeySteps,
  literally,
  Program,
  RIGHT_ANSWERS,
  say,
} from './support/journeys-field';

const COUNTRIES = ['SV', 'PA', 'DO', 'BZ'];
/** Each step visits several pages, each audited by axe-core (about a second each on a 2-core machine). */
const STEP_TIMEOUT = 120_000;
/** The filter window: the second and third sessions' days (the first is on 2026-02-27). */
const FROM = '2026-02-28';
const TO = '2026-03-02';
/** A date as the pages print it (Intl, long style, UTC). */
const longDate = (lang: 'es' | 'en', date: string) =>
  new Intl.DateTimeFormat(lang === 'es' ? 'es-419' : 'en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );

/** The columns of each report's table and exports, in order (src/reports/report-definitions.ts). */
const REACH_COLUMNS = [
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
];
const COLUMNS: Record<ReportName, string[]> = {
  completion: ['label', 'enrolled', 'started', 'lessonsComplete', 'passedPost', 'attendanceMet', 'certified'],
  'knowledge-gain': ['label', 'preAverage', 'postAverage', 'gain', 'n'],
  certifications: ['label', 'active', 'expiringSoon', 'expired', 'revoked'],
  cascade: ['label', ...REACH_COLUMNS],
  donor: ['label', ...REACH_COLUMNS],
};
const headers = (lang: Language, report: ReportName) =>
  COLUMNS[report].map((key) => say(lang, `reports.col.${key}`));

describe('the manager reports journey (Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  useJourneyApp({ CONTENT_DIR }, (started) => ({ t, base, browser } = started));

  describe.each(VARIANTS.map((v, i) => ({ ...v, index: i, countryCode: COUNTRIES[i] })))(
    '$name ($countryCode)',
    (variant) => {
      const lang = variant.lang;
      const step = journeySteps(STEP_TIMEOUT);
      const course = fixtureCourse(lang);
      const workshop = `TOT ${variant.name}`;
      const schoolA = `Escuela A ${variant.name}`;
      const schoolB = `Escuela B ${variant.name}`;
      let manager: User;
      let journey: Journey;
      let ui: Driver;
      let countryName: string;

      /** The report table's body rows, as arrays of cell texts. */
      const tableRows = () =>
        ui.page
          .locator('table.report tbody tr')
          .evaluateAll((trs) =>
            trs.map((tr) => [...tr.querySelectorAll('td, th')].map((c) => (c.textContent ?? '').trim())),
          );

      /** Downloads the page's CSV and XLSX exports and checks both carry the report's header row in the page's language. */
      async function exportsOf(report: ReportName): Promise<string[][]> {
        const csv = await ui.download(ui.page.getByRole('link', { name: say(lang, 'reports.export-csv') }));
        expect(csv.name).toMatch(new RegExp(`^cascada-${report}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
        expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const table = parseCsv(csv.bytes.subarray(3).toString('utf8')) as string[][];
        expect(table[0]).toEqual(headers(lang, report));

        const xlsx = await ui.download(ui.page.getByRole('link', { name: say(lang, 'reports.export-xlsx') }));
        expect(xlsx.name).toMatch(new RegExp(`^cascada-${report}-\\d{4}-\\d{2}-\\d{2}\\.xlsx$`));
        expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
        expect((book.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual(headers(lang, report));
        return table.slice(1);
      }

      beforeAll(async () => {
        const program = await Program.start(t, { lang, countryCode: variant.countryCode, tag: variant.name });
        manager = program.manager;
        const countries = (await program.api.get('/countries').expect(200)).body.items as Array<{
          code: string;
          name: Record<Language, string>;
        }>;
        countryName = countries.find((c) => c.code === variant.countryCode)!.name[lang];
        const a = await program.school(schoolA, `40${variant.index}01`, `Municipio A ${variant.name}`);
        const b = await program.school(schoolB, `40${variant.index}02`, `Municipio B ${variant.name}`);
        const coordinator = await program.coordinator(`Coordinator ${variant.name}`, [a, b]);
        const cohortId = await program.workshop(workshop);
        const certified = await program.participant(cohortId, `Ana ${variant.name}`, 'female');
        await program.participant(cohortId, `Beto ${variant.name}`, 'male');
        await program.study(certified, HALF_RIGHT_ANSWERS, RIGHT_ANSWERS);
        await program.runWorkshop(cohortId, [certified.id]);
        await program.certify(cohortId, certified.id);

        // Sessions logged by the coordinator; the trainer confirms the first two.
        const byCoordinator = await program.as(coordinator);
        const byTrainer = await program.as(certified);
        const s1 = await program.logSession(byCoordinator, a, certified.id, '2026-02-27', {
          female: 10,
          male: 12,
          '10_14': 22,
          teachers: 1,
        });
        const s2 = await program.logSession(byCoordinator, b, certified.id, '2026-03-01', {
          female: 8,
          male: 6,
          unspecified: 1,
          under_10: 5,
          '10_14': 10,
          parents: 2,
        });
        await program.logSession(byCoordinator, a, certified.id, '2026-03-02', {
          female: 5,
          male: 5,
          '15_17': 10,
        });
        for (const id of [s1, s2]) await byTrainer.post(`/cascade-sessions/${id}/confirm`).expect(200);

        journey = await Journey.open(browser, base, 'reports', variant);
        ui = new Driver(journey, 'pointer');
      }, 60_000);

      afterAll(async () => {
        await journey?.finish();
      });

      step(
        'opens the completion, knowledge-gain and certifications reports from the index, with their figures and exports',
        async () => {
          await ui.signIn(manager.email, TEST_PASSWORD);
          await ui.go(ui.page.getByRole('navigation').getByRole('link', { name: say(lang, 'nav.reports') }));
          expect(await heading(ui.page)).toBe(say(lang, 'reports.title'));
          const links = ui.page.getByRole('main').getByRole('link');
          // Every report, then the DHIS2 export.
          expect(await links.allTextContents()).toEqual([
            ...REPORTS.map((r) => say(lang, `reports.${r}.title`)),
            say(lang, 'dhis2.export.title'),
          ]);
          expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
            ...REPORTS.map((r) => `/reports/${r}`),
            '/reports/dhis2',
          ]);

          // Completion funnel: two enrolled, one who did everything and was certified.
          await ui.go(links.filter({ hasText: say(lang, 'reports.completion.title') }));
          expect(await heading(ui.page)).toBe(say(lang, 'reports.completion.title'));
          expect(await tableRows()).toEqual([
            [`${workshop} · ${course.title}`, '2', '1', '1', '1', '1', '1'],
          ]);
          expect(await exportsOf('completion')).toEqual([
            [`${workshop} · ${course.title}`, '2', '1', '1', '1', '1', '1'],
            [say(lang, 'reports.total'), '2', '1', '1', '1', '1', '1'],
          ]);

          // Knowledge gain: 50 % before, 100 % after, for the one person with both tests.
          await ui.open('/reports/knowledge-gain');
          expect(await heading(ui.page)).toBe(say(lang, 'reports.knowledge-gain.title'));
          expect(await tableRows()).toEqual([[`${workshop} · ${course.title}`, '50', '100', '50', '1']]);
          expect(await exportsOf('knowledge-gain')).toEqual([
            [`${workshop} · ${course.title}`, '50', '100', '50', '1'],
          ]);
          // Per shared (anchor) question, the same person before and after: q1 right both times, q2 wrong then right.
          const gainRows = await ui.page
            .locator('table.gain tbody tr')
            .evaluateAll((trs) =>
              trs.map((tr) => [...tr.querySelectorAll('td, th')].map((c) => (c.textContent ?? '').trim())),
            );
          expect(gainRows).toEqual([
            [course.question('q1'), '1', '100 %', '100 %', '0'],
            [course.question('q2'), '1', '0 %', '100 %', '100'],
          ]);

          // Certifications: one valid, in the workshop's country.
          await ui.open('/reports/certifications');
          expect(await heading(ui.page)).toBe(say(lang, 'reports.certifications.title'));
          expect(await tableRows()).toEqual([[`${countryName} · ${course.title}`, '1', '0', '0', '0']]);
          expect(await exportsOf('certifications')).toEqual([
            [`${countryName} · ${course.title}`, '1', '0', '0', '0'],
            [say(lang, 'reports.total'), '1', '0', '0', '0'],
          ]);
        },
      );

      step(
        'filters the cascade reach by date range, country and grouping, keeps the filters in the URL and exports what it shows',
        async () => {
          await ui.open('/reports/cascade');
          expect(await heading(ui.page)).toBe(say(lang, 'reports.cascade.title'));
          // Unfiltered, by country: the two confirmed sessions (the third still waits for confirmation).
          expect((await tableRows()).map((r) => r.slice(0, 4))).toEqual([[countryName, '2', '2', '37']]);

          await ui.type(field(ui.page, say(lang, 'reports.filter.from')), FROM);
          await ui.type(field(ui.page, say(lang, 'reports.filter.to')), TO);
          await ui.type(field(ui.page, say(lang, 'reports.filter.countryCode')), variant.countryCode);
          await ui.select(
            field(ui.page, say(lang, 'reports.filter.groupBy')),
            say(lang, 'reports.group.school'),
          );
          await ui.go(ui.page.getByRole('button', { name: say(lang, 'forms.filter') }));

          const query = new URL(ui.page.url()).searchParams;
          expect(
            Object.fromEntries(
              ['from', 'to', 'countryCode', 'groupBy', 'status'].map((k) => [k, query.get(k)]),
            ),
          ).toEqual({
            from: FROM,
            to: TO,
            countryCode: variant.countryCode,
            groupBy: 'school',
            status: 'confirmed',
          });
          // The form shows the filters it applied.
          expect(await field(ui.page, say(lang, 'reports.filter.from')).inputValue()).toBe(FROM);
          expect(await field(ui.page, say(lang, 'reports.filter.groupBy')).inputValue()).toBe('school');
          // In the window, by school: only school B's confirmed session of 2026-03-01.
          expect(await tableRows()).toEqual([
            [schoolB, '1', '1', '15', '8', '6', '1', '5', '10', '0', '0', '0', '2'],
          ]);
          const exported = await exportsOf('cascade');
          expect(exported).toEqual([
            [schoolB, '1', '1', '15', '8', '6', '1', '5', '10', '0', '0', '0', '2'],
            [say(lang, 'reports.total'), '1', '1', '15', '8', '6', '1', '5', '10', '0', '0', '0', '2'],
          ]);
        },
      );

      step(
        'filters the donor indicators, exports them and opens the printable summary and its PDF',
        async () => {
          await ui.open('/reports/donor');
          expect(await heading(ui.page)).toBe(say(lang, 'reports.donor.title'));
          await ui.type(field(ui.page, say(lang, 'reports.filter.from')), '2026-02-27');
          await ui.type(field(ui.page, say(lang, 'reports.filter.to')), TO);
          await ui.type(field(ui.page, say(lang, 'reports.filter.countryCode')), variant.countryCode);
          await ui.go(ui.page.getByRole('button', { name: say(lang, 'forms.filter') }));
          const query = new URL(ui.page.url()).searchParams;
          expect([query.get('from'), query.get('to'), query.get('countryCode')]).toEqual([
            '2026-02-27',
            TO,
            variant.countryCode,
          ]);
          await expect(ui.page.locator('main .lead').textContent()).resolves.toBe(
            `${say(lang, 'reports.donor.period', { from: longDate(lang, '2026-02-27'), to: longDate(lang, TO) })} · ${countryName}`,
          );

          // Students reached: both confirmed sessions (37: 18 girls, 18 boys, 1 not specified); one person certified.
          const indicator = (key: string) =>
            ui.page
              .getByRole('row', { name: new RegExp(`^${literally(say(lang, key)).source} `) })
              .getByRole('cell');
          expect(await indicator('reports.donor.students').allTextContents()).toEqual([
            '37',
            '18',
            '18',
            '1',
          ]);
          expect(await indicator('reports.donor.certified').allTextContents()).toEqual(['1', '1', '0', '0']);
          const exported = await exportsOf('donor');
          expect(exported.at(-1)?.slice(0, 4)).toEqual([say(lang, 'reports.total'), '2', '2', '37']);

          const pdf = await ui.download(ui.page.getByRole('link', { name: say(lang, 'reports.donor.pdf') }));
          expect(pdf.name).toMatch(/^cascada-donor-\d{4}-\d{2}-\d{2}\.pdf$/);
          expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

          await ui.go(ui.page.getByRole('link', { name: say(lang, 'reports.donor.print') }));
          const printed = new URL(ui.page.url()).searchParams;
          expect([
            printed.get('from'),
            printed.get('to'),
            printed.get('countryCode'),
            printed.get('print'),
          ]).toEqual(['2026-02-27', TO, variant.countryCode, '1']);
          expect(await heading(ui.page)).toBe(say(lang, 'reports.donor.title'));
          // The one-page layout: the figures without the site's navigation or the filter form.
          expect(await ui.page.getByRole('navigation').count()).toBe(0);
          expect(await ui.page.locator('form').count()).toBe(0);
          expect(await indicator('reports.donor.students').allTextContents()).toEqual([
            '37',
            '18',
            '18',
            '1',
          ]);
        },
      );
    },
  );
});
