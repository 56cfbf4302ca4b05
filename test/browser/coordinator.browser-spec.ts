/**
 * The school coordinator in a real browser, in Spanish and English on a 360 px phone and a desktop:
 * signs in, logs a school session while the browser is offline (queued on the device by
 * views/assets/js/offline.js), sees it sent — once: exactly one row in the database and one line in
 * their list — when the connection returns, then confirms a session a certified trainer logged (and
 * their dashboard listed as waiting for them) through the list and the session page. Every page is
 * audited (axe-core, weight).
 *
 * offline.browser-spec.ts keeps what is particular to the offline machinery (running totals,
 * opening the form offline from the service worker, the queue on a shared computer, the full
 * form-to-row mapping); this journey does not repeat those checks.
 */
import type { Browser } from 'playwright-core';
import { CascadeSession } from '../../src/cascade/cascade-session.entity';
import { formatDate } from '../../src/i18n/i18n';
import type { User } from '../../src/users/user.entity';
import { TEST_PASSWORD, type TestApp } from '../support/create-test-app';
import { Journey, useJourneyApp, VARIANTS } from './support/journey';
import {
  CONTENT_DIR,
  DELIVERABLE_MODULE,
  Driver,
  field,
  fixtureCourse,
  flash,
  HALF_RIGHT_ANSWERS,
  heading,
  journeySteps,
  Program,
  RIGHT_ANSWERS,
  say,
} from './support/journeys-field';

/** The day the trainer logged a session (API) and the day the coordinator logs one offline. */
const TRAINER_DAY = '2026-02-28';
const OFFLINE_DAY = '2026-03-01';
/** Each step visits several pages, each audited by axe-core (about a second each on a 2-core machine). */
const STEP_TIMEOUT = 120_000;

describe('the coordinator journey (Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  useJourneyApp({ CONTENT_DIR }, (started) => ({ t, base, browser } = started));

  describe.each(VARIANTS.map((v, i) => ({ ...v, index: i })))('$name', (variant) => {
    const lang = variant.lang;
    const step = journeySteps(STEP_TIMEOUT);
    const course = fixtureCourse(lang);
    const schoolName = `${lang === 'es' ? 'Centro Escolar' : 'School'} ${variant.name}`;
    const schoolCode = `30${variant.index}01`;
    const trainerName = `Ana Trainer ${variant.name}`;
    let journey: Journey;
    let ui: Driver;
    let coordinator: User;
    let trainer: User;
    let schoolId: string;
    let trainerSessionId: string;

    const loggedByCoordinator = () =>
      t.db.manager.find(CascadeSession, { where: { schoolId, loggedBy: coordinator.id } });

    beforeAll(async () => {
      // A school and its coordinator; a trainer certified in the workshop who logged a session there.
      const program = await Program.start(t, { lang, countryCode: 'SV', tag: variant.name });
      schoolId = await program.school(schoolName, schoolCode, 'Santa Tecla');
      coordinator = await program.coordinator(`Carmen Coordinator ${variant.name}`, [schoolId]);
      const cohortId = await program.workshop(`TOT ${variant.name}`);
      trainer = await program.participant(cohortId, trainerName, 'female');
      await program.study(trainer, HALF_RIGHT_ANSWERS, RIGHT_ANSWERS);
      await program.runWorkshop(cohortId, [trainer.id]);
      await program.certify(cohortId, trainer.id);
      trainerSessionId = await program.logSession(
        await program.as(trainer),
        schoolId,
        trainer.id,
        TRAINER_DAY,
        { female: 6, male: 6, '10_14': 12 },
      );

      journey = await Journey.open(browser, base, 'coordinator', variant);
      ui = new Driver(journey, 'pointer');
    }, 60_000);

    afterAll(async () => {
      await journey?.finish();
    });

    step('logs a session while offline and sees it sent once when the connection returns', async () => {
      await ui.signIn(coordinator.email, TEST_PASSWORD);
      expect(await heading(ui.page)).toBe(say(lang, 'home.title', { name: coordinator.name }));
      // The dashboard lists the trainer's session as waiting for this coordinator.
      const waiting = ui.page.getByRole('region', { name: say(lang, 'home.waiting-for-me', { count: 1 }) });
      expect(await waiting.getByRole('link').allTextContents()).toEqual([
        `${formatDate(lang, TRAINER_DAY)} · ${schoolName} · ${trainerName}`,
      ]);
      await ui.go(ui.page.getByRole('main').getByRole('link', { name: say(lang, 'cascade.new') }));
      expect(await heading(ui.page)).toBe(say(lang, 'cascade.new'));

      await journey.context.setOffline(true);
      const status = ui.page.locator('#offline-status');
      await status.filter({ hasText: say(lang, 'cascade.offline.offline') }).waitFor();

      await ui.select(field(ui.page, say(lang, 'cascade.school')), `${schoolName} (${schoolCode})`);
      await ui.select(field(ui.page, say(lang, 'cascade.trainer')), trainerName);
      await ui.tick(ui.page.getByRole('checkbox', { name: course.moduleTitle(DELIVERABLE_MODULE) }));
      await ui.type(field(ui.page, say(lang, 'cascade.date')), OFFLINE_DAY);
      await ui.type(field(ui.page, say(lang, 'cascade.sex.female')), '14');
      await ui.type(field(ui.page, say(lang, 'cascade.sex.male')), '13');
      await ui.type(field(ui.page, say(lang, 'cascade.age.10_14')), '27');
      await ui.page.getByRole('button', { name: say(lang, 'cascade.submit') }).click();

      // Kept on the device, listed as waiting; nothing reached the server.
      await status.filter({ hasText: say(lang, 'cascade.offline.queued') }).waitFor();
      const queue = ui.page.getByRole('region', { name: say(lang, 'cascade.offline.waiting-title') });
      expect(await queue.getByRole('listitem').allTextContents()).toEqual([
        `${OFFLINE_DAY} · ${schoolName} (${schoolCode}) — ${say(lang, 'cascade.offline.waiting')}`,
      ]);
      expect(await loggedByCoordinator()).toHaveLength(0);

      // Back online: the queue is sent by itself, and says so once the server has answered.
      await journey.context.setOffline(false);
      await status.filter({ hasText: say(lang, 'cascade.offline.sent') }).waitFor({ timeout: 30_000 });
      await queue.waitFor({ state: 'hidden' });
      const rows = await loggedByCoordinator();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        trainerId: trainer.id,
        date: OFFLINE_DAY,
        female: 14,
        male: 13,
        age10To14: 27,
        status: 'submitted',
        loggedByRole: 'coordinator',
      });

      // The coordinator's list shows it once, waiting for the trainer's confirmation.
      await ui.go(ui.page.getByRole('navigation').getByRole('link', { name: say(lang, 'nav.sessions') }));
      expect(await heading(ui.page)).toBe(say(lang, 'cascade.title'));
      const listed = ui.page.locator('tbody tr').filter({ hasText: formatDate(lang, OFFLINE_DAY) });
      expect(await listed.count()).toBe(1);
      await expect(listed.locator('.badge').textContent()).resolves.toBe(
        say(lang, 'cascade.status.submitted'),
      );
    });

    step('confirms the session the trainer logged, from the list of school sessions', async () => {
      const row = ui.page.locator('tbody tr').filter({ hasText: formatDate(lang, TRAINER_DAY) });
      await expect(row.locator('.badge').textContent()).resolves.toBe(say(lang, 'cascade.status.submitted'));
      await ui.go(row.getByRole('link', { name: formatDate(lang, TRAINER_DAY) }));
      expect(new URL(ui.page.url()).pathname).toBe(`/cascade-sessions/${trainerSessionId}`);
      expect(await heading(ui.page)).toBe(
        `${say(lang, 'cascade.session')}: ${formatDate(lang, TRAINER_DAY, 'long')}`,
      );
      await expect(ui.page.locator('main .badge').first().textContent()).resolves.toBe(
        say(lang, 'cascade.status.submitted'),
      );

      await ui.go(ui.page.getByRole('button', { name: say(lang, 'cascade.confirm') }));
      expect(await flash(ui.page)).toBe(say(lang, 'cascade.confirmed'));
      await expect(ui.page.locator('main .badge').first().textContent()).resolves.toBe(
        say(lang, 'cascade.status.confirmed'),
      );
      expect(await ui.page.getByRole('button', { name: say(lang, 'cascade.confirm') }).count()).toBe(0);
      expect(await t.db.manager.findOneByOrFail(CascadeSession, { id: trainerSessionId })).toMatchObject({
        status: 'confirmed',
        decidedBy: coordinator.id,
      });
    });
  });
});
