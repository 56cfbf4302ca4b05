/**
 * The DHIS2 export in a real browser, on a 360 px phone in Spanish and English: an admin pastes a
 * mapping at /admin/dhis2 (a bad line first: refused, text kept), then exports January 2026 at
 * /reports/dhis2, sees the values with no mapping listed, and downloads the dataValueSets JSON.
 * Every page is audited (axe-core, weight, no sideways scroll).
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { CascadeSession } from '../../src/cascade/cascade-session.entity';
import { rebuildRollups } from '../../src/cascade/reach-rollups';
import { Course } from '../../src/courses/course.entity';
import { Municipality, School } from '../../src/schools/school.entities';
import { TEST_PASSWORD, type TestApp } from '../support/create-test-app';
import { Journey, useJourneyApp, VARIANTS } from './support/journey';
import { CONTENT_DIR, Driver, field, journeySteps, say } from './support/journeys-field';

const SCREENS = process.env.DHIS2_SCREENS; // e.g. /work/screens/dhis2: where to keep the 360 px screenshots
const NOW = new Date('2026-02-01T10:00:00.000Z');

describe('the DHIS2 export journey (Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  useJourneyApp({ CONTENT_DIR }, (started) => ({ t, base, browser } = started));

  describe.each(
    VARIANTS.filter((v) => v.viewport.width === 360).map((v, i) => ({ ...v, countryCode: ['SV', 'PA'][i] })),
  )('$name ($countryCode)', (variant) => {
    const lang = variant.lang;
    const step = journeySteps(120_000);
    let journey: Journey;
    let ui: Driver;
    let admin: { email: string };
    const tecla = `Santa Tecla ${variant.name}`;
    const other = `Villa Nueva ${variant.name}`;

    step('seeds two municipalities with a confirmed January session each', async () => {
      const db = t.db.manager;
      admin = await t.createUser('admin', { language: lang });
      const trainer = await t.createUser('trainer');
      const course = await db.findOneByOrFail(Course, { slug: 'tiny-course' });
      for (const [name, code, sex] of [
        [tecla, `${variant.countryCode}-T1`, [10, 12, 1]],
        [other, `${variant.countryCode}-V1`, [3, 4, 0]],
      ] as const) {
        const m = await db.save(db.create(Municipality, { countryCode: variant.countryCode, name }));
        const school = await db.save(
          db.create(School, {
            name: `Escuela ${name}`,
            code,
            countryCode: variant.countryCode,
            municipalityId: m.id,
            level: 'primary',
            address: null,
            createdAt: NOW,
          }),
        );
        const total = sex[0] + sex[1] + sex[2];
        await db.save(
          db.create(CascadeSession, {
            schoolId: school.id,
            countryCode: variant.countryCode,
            municipalityId: m.id,
            trainerId: trainer.id,
            courseId: course.id,
            moduleSlugs: 'practice',
            date: '2026-01-15',
            durationMinutes: 45,
            female: sex[0],
            male: sex[1],
            unspecified: sex[2],
            ageUnder10: 0,
            age10To14: total,
            age15To17: 0,
            age18Plus: 0,
            teachers: 0,
            parents: 0,
            notes: null,
            status: 'confirmed',
            loggedByRole: 'trainer',
            loggedBy: trainer.id,
            decidedBy: admin.email ? null : null,
            decidedAt: NOW,
            rejectionReason: null,
            createdAt: NOW,
            updatedAt: NOW,
          }),
        );
      }
      await rebuildRollups(db);
      journey = await Journey.open(browser, base, 'dhis2', variant);
      ui = new Driver(journey, 'pointer');
      await ui.signIn(admin.email, TEST_PASSWORD);
    });

    step(
      'the admin maps Santa Tecla and the indicators by pasting CSV; a bad uid is refused first',
      async () => {
        await ui.open('/admin/dhis2');
        const csv = [
          'kind,key,uid',
          `municipality,${variant.countryCode}/${tecla},MuniTecla0${variant.countryCode === 'SV' ? 1 : 2}`,
          'indicator,sessions,DeSessions1',
          'indicator,students_by_sex,DeStudSex01',
          'disaggregation,total,HllvX50cXC0',
          'disaggregation,female,CocFemale01',
          'disaggregation,male,CocMale0001',
        ];
        await ui.type(
          field(ui.page, say(lang, 'cohorts.import.or-paste')),
          [...csv, 'data-set,default,1bad'].join('\n'),
        );
        await ui.go(ui.page.getByRole('button', { name: say(lang, 'dhis2.admin.save') }));
        await expect(
          ui.page.getByText(say(lang, 'validation.dhis2-uid', { value: '1bad' })).count(),
        ).resolves.toBe(1);
        await ui.type(field(ui.page, say(lang, 'cohorts.import.or-paste')), csv.join('\n'));
        await ui.go(ui.page.getByRole('button', { name: say(lang, 'dhis2.admin.save') }));
        expect(new URL(ui.page.url()).pathname).toBe('/admin/dhis2');
        if (SCREENS) {
          mkdirSync(SCREENS, { recursive: true });
          await ui.page.screenshot({ path: `${SCREENS}/admin-dhis2-${variant.name}.png`, fullPage: true });
        }
      },
    );

    step(
      'exports January 2026: the unmapped municipality is listed with its values, and the JSON downloads',
      async () => {
        await ui.open('/reports/dhis2');
        await ui.type(field(ui.page, say(lang, 'dhis2.export.period')), '202601');
        await ui.type(field(ui.page, say(lang, 'reports.filter.countryCode')), variant.countryCode);
        await ui.go(ui.page.getByRole('button', { name: say(lang, 'dhis2.export.show') }));
        await expect(
          ui.page.getByRole('heading', { name: say(lang, 'dhis2.export.unmapped-title') }).count(),
        ).resolves.toBe(1);
        const rows = await ui.page
          .locator('table tbody tr')
          .evaluateAll((trs) => trs.map((tr) => (tr.textContent ?? '').replace(/\s+/g, ' ').trim()));
        expect(rows.some((r) => r.includes(other))).toBe(true);
        expect(
          rows.some((r) => r.includes(tecla) && r.includes(say(lang, 'dhis2.disaggregation.unspecified'))),
        ).toBe(true);
        if (SCREENS)
          await ui.page.screenshot({ path: `${SCREENS}/reports-dhis2-${variant.name}.png`, fullPage: true });
        const file = await ui.download(
          ui.page.getByRole('link', { name: say(lang, 'dhis2.export.download-json') }),
        );
        expect(file.name).toBe('cascada-dhis2-202601-municipality.json');
        const body = JSON.parse(file.bytes.toString('utf8'));
        expect(body.dataValues).toEqual(
          expect.arrayContaining([
            {
              dataElement: 'DeSessions1',
              period: '202601',
              orgUnit: expect.stringMatching(/^MuniTecla0/),
              categoryOptionCombo: 'HllvX50cXC0',
              value: '1',
            },
          ]),
        );
        await journey.finish();
      },
    );
  });
});
