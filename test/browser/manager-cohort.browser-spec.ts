/**
 * A program manager runs a TOT workshop in a real browser, in Spanish and English on a phone and a
 * desktop: creates the cohort, imports its roster from a CSV file (English headers with commas, or
 * Spanish headers with semicolons; the import form takes the file's text pasted, it has no file
 * upload), takes attendance on each workshop day, records the practicum,
 * certifies every eligible participant and downloads the ZIP of certificates. The participants'
 * own learning (accepting the invitation, lessons, post-test) happens through the JSON API; every
 * step of the manager goes through the pages, each audited (axe-core, HTML weight) by the kit.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { fileSafe } from '../../src/certification/certificate-pdf';
import { Certification } from '../../src/certification/certification.entity';
import { Attendance, CohortDay, CohortParticipant } from '../../src/cohorts/cohort-member.entities';
import { Cohort } from '../../src/cohorts/cohort.entity';
import { counted, formatDate } from '../../src/i18n/i18n';
import { User } from '../../src/users/user.entity';
import type { TestApp } from '../support/create-test-app';
import { Journey, useJourneyApp, VARIANTS } from './support/journey';
import {
  acceptAndStudy,
  field,
  flashText,
  follow,
  literally,
  navLink,
  signIn,
  text,
  zipEntries,
} from './support/journeys-admin';

const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const FIXTURES = join(__dirname, 'fixtures');
const DAYS = ['2026-02-26', '2026-02-27'];
/** The course's title in test/fixtures/content/tiny-course/course.yaml. */
const COURSE_TITLE = { en: 'Tiny course', es: 'Curso mínimo' };
/** The people of test/browser/fixtures/roster.{en,es}.csv. */
const PEOPLE = {
  ana: { name: 'Ana Pérez', local: 'ana.perez', sex: 'female' },
  luis: { name: 'Luis Gómez', local: 'luis.gomez', sex: 'male' },
  marta: { name: 'Marta Ríos', local: 'marta.rios', sex: 'unspecified' },
} as const;

describe('manager journey: a workshop from roster to certificates (Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  useJourneyApp({ CONTENT_DIR: CONTENT }, (started) => ({ t, base, browser } = started));

  // Two variants at a time, one per CI core: the phones side by side, then the desktops; each in its
  // own browser context with its own manager, cohort and people. The timeout only guards against a hang.
  describe.each(['phone', 'desktop'])('%s', (device) => {
    it.concurrent.each(VARIANTS.filter((v) => v.name.endsWith(device)))(
      '$name: creates a cohort, imports the roster, takes attendance, records the practicum, certifies and downloads the certificates',
      async (variant) => {
        const lang = variant.lang;
        const cohortName = `TOT Santa Tecla ${variant.name}`;
        // Fresh people per variant: the fixture's addresses get a domain of their own.
        const emailOf = (local: string) => `${local}@${variant.name}.example.org`;
        const csv = readFileSync(join(FIXTURES, `roster.${lang}.csv`), 'utf8').replaceAll(
          '@example.org',
          `@${variant.name}.example.org`,
        );
        const manager = await t.createUser('manager', {
          name: `Manager ${variant.name}`,
          language: lang,
          countryCode: 'SV',
        });
        const journey = await Journey.open(browser, base, 'manager-cohort', variant);
        const { page } = journey;
        const h1 = () => page.getByRole('heading', { level: 1 }).textContent();
        const button = (key: string, params?: Record<string, unknown>) =>
          page.getByRole('button', { name: text(lang, key, params), exact: true });
        const backToCohort = () =>
          follow(journey, page.getByRole('main').getByRole('link', { name: cohortName, exact: true }));
        try {
          await signIn(journey, manager.email);

          // A new cohort (the manager's country is fixed by their scope).
          await follow(journey, navLink(journey, 'nav.cohorts'));
          expect(await h1()).toBe(text(lang, 'cohorts.title'));
          await follow(journey, page.getByRole('link', { name: text(lang, 'cohorts.new'), exact: true }));
          expect(await h1()).toBe(text(lang, 'cohorts.new'));
          await field(journey, text(lang, 'cohorts.course')).selectOption({ label: COURSE_TITLE[lang] });
          await field(journey, text(lang, 'cohorts.name')).fill(cohortName);
          await field(journey, text(lang, 'cohorts.municipality')).fill('Santa Tecla');
          await field(journey, text(lang, 'cohorts.venue')).fill('Casa de la Cultura');
          await field(journey, text(lang, 'cohorts.starts-on')).fill(DAYS[0]);
          await field(journey, text(lang, 'cohorts.ends-on')).fill(DAYS[1]);
          await field(journey, text(lang, 'cohorts.capacity')).fill('25');
          await follow(journey, button('forms.save'));
          expect(await flashText(journey)).toBe(text(lang, 'cohorts.created'));
          expect(await h1()).toBe(cohortName);
          const cohortId = new URL(page.url()).pathname.split('/')[2];
          expect(await t.db.manager.findOneByOrFail(Cohort, { id: cohortId })).toMatchObject({
            name: cohortName,
            countryCode: 'SV',
            startsOn: DAYS[0],
            endsOn: DAYS[1],
            capacity: 25,
            status: 'planned',
            createdBy: manager.id,
          });

          // The roster from the CSV file, chosen in the form's file field: a preview first, then all rows at once.
          await follow(
            journey,
            page.getByRole('link', { name: text(lang, 'cohorts.import.link'), exact: true }),
          );
          expect(await h1()).toBe(text(lang, 'cohorts.import.title'));
          await field(journey, text(lang, 'cohorts.import.file')).setInputFiles({
            name: `roster.${lang}.csv`,
            mimeType: 'text/csv',
            buffer: Buffer.from(csv, 'utf8'),
          });
          await follow(journey, button('cohorts.import.check'));
          expect(
            await page
              .getByText(
                text(lang, 'cohorts.import.summary', {
                  count: 3,
                  bad: 0,
                  places: counted('cohorts.import.places-left', 25),
                }),
                { exact: true },
              )
              .count(),
          ).toBe(1);
          for (const person of Object.values(PEOPLE)) {
            expect(
              await page
                .getByRole('row')
                .filter({ hasText: emailOf(person.local) })
                .getByRole('cell')
                .nth(1)
                .textContent(),
            ).toBe(person.name);
          }
          expect(await t.db.manager.countBy(CohortParticipant, { cohortId })).toBe(0);
          await follow(journey, button('cohorts.import.confirm', { count: 3 }));
          expect(await flashText(journey)).toBe(text(lang, 'cohorts.import.done', { count: 3 }));
          for (const person of Object.values(PEOPLE)) {
            const user = await t.db.manager.findOneByOrFail(User, { email: emailOf(person.local) });
            expect(user).toMatchObject({
              name: person.name,
              role: 'trainer',
              status: 'invited',
              sex: person.sex,
              countryCode: 'SV',
            });
            expect(await page.getByRole('link', { name: person.name, exact: true }).count()).toBe(1);
          }
          expect(
            (await t.db.manager.findOneByOrFail(User, { email: emailOf(PEOPLE.marta.local) })).organisation,
          ).toBe('Alcaldía de Santa Tecla, Distrito 1');
          expect(await t.db.manager.countBy(CohortParticipant, { cohortId })).toBe(3);

          // Ana and Luis accept their invitations and finish the course online; Marta does not.
          await acceptAndStudy(t, emailOf(PEOPLE.ana.local));
          await acceptAndStudy(t, emailOf(PEOPLE.luis.local));
          const idOf = async (person: { local: string }) =>
            (await t.db.manager.findOneByOrFail(User, { email: emailOf(person.local) })).id;
          const ids = {
            ana: await idOf(PEOPLE.ana),
            luis: await idOf(PEOPLE.luis),
            marta: await idOf(PEOPLE.marta),
          };

          // Day 1: everyone present, with one button.
          await field(journey, text(lang, 'cohorts.day-date')).fill(DAYS[0]);
          await field(journey, text(lang, 'cohorts.day-title')).fill('Módulo 1');
          await follow(journey, button('cohorts.add-day'));
          expect(await flashText(journey)).toBe(text(lang, 'cohorts.day-added'));
          expect(await h1()).toBe(
            `${text(lang, 'cohorts.attendance.title')}: ${formatDate(lang, DAYS[0], 'long')}`,
          );
          await follow(journey, button('cohorts.attendance.mark-all'));
          expect(await flashText(journey)).toBe(text(lang, 'cohorts.attendance.all-present'));

          // Day 2: one by one — Luis came late, Marta was absent.
          await backToCohort();
          await field(journey, text(lang, 'cohorts.day-date')).fill(DAYS[1]);
          await follow(journey, button('cohorts.add-day'));
          expect(await h1()).toBe(
            `${text(lang, 'cohorts.attendance.title')}: ${formatDate(lang, DAYS[1], 'long')}`,
          );
          const mark = (person: { name: string }, status: string) =>
            page
              .getByRole('group', { name: new RegExp(`^${literally(person.name)}`) })
              .getByLabel(text(lang, `cohorts.attendance.status.${status}`), { exact: true })
              .check();
          await mark(PEOPLE.ana, 'present');
          await mark(PEOPLE.luis, 'late');
          await mark(PEOPLE.marta, 'absent');
          await follow(journey, button('cohorts.attendance.save'));
          expect(await flashText(journey)).toBe(text(lang, 'cohorts.attendance.saved'));
          expect(
            await page
              .getByRole('group', { name: new RegExp(`^${literally(PEOPLE.luis.name)}`) })
              .getByLabel(text(lang, 'cohorts.attendance.status.late'), { exact: true })
              .isChecked(),
          ).toBe(true);
          const days = await t.db.manager.find(CohortDay, { where: { cohortId }, order: { date: 'ASC' } });
          expect(days.map((d) => d.date)).toEqual(DAYS);
          const attendance = await t.db.manager.find(Attendance, { where: { cohortId } });
          const statusesOf = (userId: string) =>
            days.map((d) => attendance.find((a) => a.dayId === d.id && a.userId === userId)?.status);
          expect(attendance).toHaveLength(6);
          expect(statusesOf(ids.ana)).toEqual(['present', 'present']);
          expect(statusesOf(ids.luis)).toEqual(['present', 'late']);
          expect(statusesOf(ids.marta)).toEqual(['present', 'absent']);

          // The practicum of the two who studied: each becomes eligible.
          await backToCohort();
          for (const [person, score] of [
            [PEOPLE.ana, '92'],
            [PEOPLE.luis, '78'],
          ] as const) {
            await follow(journey, page.getByRole('link', { name: person.name, exact: true }));
            expect(await h1()).toBe(person.name);
            const eligibility = page.getByRole('heading', {
              level: 2,
              name: new RegExp(`^${literally(text(lang, 'cohorts.eligibility'))}:`),
            });
            expect(await eligibility.textContent()).toBe(
              `${text(lang, 'cohorts.eligibility')}: ${text(lang, 'cohorts.not-yet-eligible')}`,
            );
            await page.getByLabel(text(lang, 'cohorts.practicum.passed'), { exact: true }).check();
            await field(journey, text(lang, 'cohorts.practicum.score')).fill(score);
            await field(journey, text(lang, 'cohorts.practicum.notes')).fill(
              'Sesión de práctica clara y bien preparada.',
            );
            await follow(journey, button('forms.save'));
            expect(await flashText(journey)).toBe(text(lang, 'cohorts.practicum.saved'));
            expect(await eligibility.textContent()).toBe(
              `${text(lang, 'cohorts.eligibility')}: ${text(lang, 'cohorts.eligible')}`,
            );
            await backToCohort();
          }

          // Certify all eligible: Ana and Luis, not Marta.
          expect(
            await page
              .getByText(
                text(lang, 'cohorts.certify.summary', {
                  waiting: counted('cohorts.certify.waiting', 2),
                  certified: counted('cohorts.certify.certified', 0),
                }),
                { exact: true },
              )
              .count(),
          ).toBe(1);
          await follow(journey, button('cohorts.certify.all'));
          expect(await flashText(journey)).toBe(text(lang, 'certification.issued-many', { count: 2 }));
          const certificates = await t.db.manager.find(Certification, { where: { cohortId } });
          expect(certificates.map((c) => c.userId).sort()).toEqual([ids.ana, ids.luis].sort());
          for (const c of certificates)
            expect(c).toMatchObject({ status: 'active', issuedOn: t.clock.today() });
          for (const c of certificates)
            expect(await page.getByRole('link', { name: c.code, exact: true }).count()).toBe(1);
          expect(
            await page
              .getByText(
                text(lang, 'cohorts.certify.summary', {
                  waiting: counted('cohorts.certify.waiting', 0),
                  certified: counted('cohorts.certify.certified', 2),
                }),
                { exact: true },
              )
              .count(),
          ).toBe(1);
          // Marta's row says what she is missing.
          expect(await page.getByRole('row').filter({ hasText: PEOPLE.marta.name }).textContent()).toContain(
            text(lang, 'certification.condition.lessons-complete.label'),
          );

          // The ZIP of certificates: one PDF per certified participant, named after them.
          const downloading = page.waitForEvent('download');
          await page.getByRole('link', { name: text(lang, 'cohorts.certify.zip'), exact: true }).click();
          const download = await downloading;
          expect(download.suggestedFilename()).toBe(`certificates-with-names-${fileSafe(cohortName)}.zip`);
          const zip = await readFile(await download.path());
          expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
          const files = zipEntries(zip);
          const nameOf = (userId: string) => (userId === ids.ana ? PEOPLE.ana.name : PEOPLE.luis.name);
          expect(files.map((f) => f.name).sort()).toEqual(
            certificates.map((c) => `${c.code}-${fileSafe(nameOf(c.userId))}.pdf`).sort(),
          );
          for (const c of certificates) {
            const pdf = files.find((f) => f.name.startsWith(c.code))?.data ?? Buffer.alloc(0);
            expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
            // Its title names the certificate, in the holder's language (the manager's, who invited them).
            expect(pdf.includes(`(${text(lang, 'certification.pdf.title')} ${c.code})`)).toBe(true);
          }
        } finally {
          await journey.finish();
        }
      },
      420_000,
    );
  });
});
