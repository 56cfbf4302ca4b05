/**
 * The trainer's whole path in a real browser, in Spanish and English on a 360 px phone and a
 * desktop: the invitation from the mail outbox, a password, the pre-test, every lesson, a passed
 * post-test, the certificate PDF (once the manager has recorded attendance and practicum and
 * certified them through the API), a school session logged through the form, and its confirmed
 * status after the school's coordinator confirms it (API). Every page is audited (axe-core, weight).
 *
 * Two variants (es-phone, en-desktop) run keyboard-only: Tab, Enter, Space, arrow keys and typing,
 * never a click or fill, with a visible focus indicator on every Tab stop and the focus moving
 * forward through each page (see tabTo in support/journeys-field.ts). The other two use the pointer.
 */
import type { Browser } from 'playwright-core';
import { CascadeSession } from '../../src/cascade/cascade-session.entity';
import { formatDate } from '../../src/i18n/i18n';
import { User } from '../../src/users/user.entity';
import type { TestApp } from '../support/create-test-app';
import { apiToken } from '../support/login';
import { Journey, useJourneyApp, VARIANTS } from './support/journey';
import {
  apiAs,
  CONTENT_DIR,
  DELIVERABLE_MODULE,
  Driver,
  field,
  fixtureCourse,
  flash,
  heading,
  invitationPath,
  journeySteps,
  LESSONS,
  Program,
  say,
  type InputMode,
} from './support/journeys-field';

const PASSWORD = 'a long and private sentence';
const KEYBOARD_ONLY = new Set(['es-phone', 'en-desktop']);
/** The session form's default date: today on the app's fake clock. */
const TODAY = '2026-03-02';
/** Each step visits several pages, each audited by axe-core (about a second each on a 2-core machine). */
const STEP_TIMEOUT = 120_000;

describe('the trainer journey (Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  useJourneyApp({ CONTENT_DIR }, (started) => ({ t, base, browser } = started));

  describe.each(
    VARIANTS.map((v, i) => ({
      ...v,
      index: i,
      mode: (KEYBOARD_ONLY.has(v.name) ? 'keyboard' : 'pointer') as InputMode,
    })),
  )('$name, $mode', (variant) => {
    const lang = variant.lang;
    const step = journeySteps(STEP_TIMEOUT);
    const course = fixtureCourse(lang);
    const email = `trainer.${variant.name}@example.org`;
    const name = `${lang === 'es' ? 'Lucía Formadora' : 'Liam Trainer'} ${variant.name}`;
    const schoolName = `Escuela ${variant.name}`;
    const schoolCode = `20${variant.index}01`;
    let program: Program;
    let journey: Journey;
    let ui: Driver;
    let cohortId: string;
    let schoolId: string;
    let coordinator: User;
    let trainerId: string;
    let enrolmentId: string;

    beforeAll(async () => {
      program = await Program.start(t, { lang, countryCode: 'SV', tag: variant.name });
      schoolId = await program.school(schoolName, schoolCode, 'Santa Tecla');
      coordinator = await program.coordinator(`Coordinator ${variant.name}`, [schoolId]);
      cohortId = await program.workshop(`TOT ${variant.name}`);
      // The manager adds a new person to the roster: the app creates the account and mails the invitation.
      trainerId = await program.invite(cohortId, email, name);
      journey = await Journey.open(browser, base, 'trainer', variant);
      ui = new Driver(journey, variant.mode);
    }, 60_000);

    afterAll(async () => {
      await journey?.finish();
    });

    step('accepts the invitation from the mail, chooses a password and lands signed in', async () => {
      await ui.open(await invitationPath(t, email));
      expect(await heading(ui.page)).toBe(say(lang, 'auth.invitation.title'));
      await expect(ui.page.locator('main .lead').textContent()).resolves.toBe(
        say(lang, 'auth.invitation.welcome', { name }),
      );

      await ui.skipToMain();
      await ui.type(field(ui.page, say(lang, 'auth.new-password')), PASSWORD);
      await ui.type(field(ui.page, say(lang, 'auth.confirm-password')), PASSWORD);
      await ui.go(ui.page.getByRole('button', { name: say(lang, 'auth.invitation.submit') }));

      expect(new URL(ui.page.url()).pathname).toBe('/');
      expect(await flash(ui.page)).toBe(say(lang, 'auth.invitation-accepted'));
      expect(await heading(ui.page)).toBe(say(lang, 'home.title', { name }));
      expect(await t.db.manager.findOneByOrFail(User, { id: trainerId })).toMatchObject({
        status: 'active',
        language: lang,
      });
    });

    step('opens the course from the dashboard and takes the pre-test first', async () => {
      await ui.go(ui.page.getByRole('link', { name: course.title, exact: true }));
      enrolmentId = new URL(ui.page.url()).pathname.split('/')[2];
      expect(await heading(ui.page)).toBe(course.title);
      await expect(ui.page.locator('main .notice strong').textContent()).resolves.toBe(
        say(lang, 'courses.pre-test-first.title'),
      );

      // The pre-test: one answer right of two.
      await ui.go(ui.page.getByRole('link', { name: say(lang, 'courses.pre-test-first.action') }));
      expect(await heading(ui.page)).toBe(say(lang, 'courses.quiz-kind.pre'));
      await ui.tick(ui.page.getByRole('radio', { name: course.option('pre-test', 'q1', 'a'), exact: true }));
      await ui.tick(ui.page.getByRole('radio', { name: course.option('pre-test', 'q2', 'a'), exact: true }));
      await ui.go(ui.page.getByRole('button', { name: say(lang, 'courses.quiz.submit') }));
      expect(await heading(ui.page)).toBe(
        `${say(lang, 'courses.quiz-kind.pre')}: ${say(lang, 'courses.result.title')}`,
      );
      await expect(ui.page.locator('main .score').textContent()).resolves.toBe(
        say(lang, 'courses.result.score', { score: 50 }),
      );
    });

    step('studies every lesson, from the course page through each "mark as complete"', async () => {
      await ui.go(ui.page.getByRole('link', { name: say(lang, 'courses.back-to-course') }));
      await ui.go(
        ui.page.getByRole('link', {
          name: say(lang, 'courses.next-lesson', { title: course.lessonTitles[0] }),
        }),
      );
      for (const [i, title] of course.lessonTitles.entries()) {
        expect(await heading(ui.page)).toBe(title);
        await ui.skipToMain();
        await ui.go(ui.page.getByRole('button', { name: say(lang, 'courses.mark-complete') }));
        const last = i === LESSONS.length - 1;
        expect(await flash(ui.page)).toBe(
          say(lang, last ? 'courses.all-lessons-done' : 'courses.lesson-done'),
        );
      }
      expect(new URL(ui.page.url()).pathname).toBe(`/learn/${enrolmentId}`);
    });

    step('passes the post-test, every drawn answer right', async () => {
      await ui.skipToMain();
      await ui.go(ui.page.getByRole('link', { name: say(lang, 'courses.quiz-kind.post'), exact: true }));
      expect(await heading(ui.page)).toBe(say(lang, 'courses.quiz-kind.post'));
      await ui.tick(ui.page.getByRole('radio', { name: course.option('post-test', 'q1', 'a'), exact: true }));
      await ui.tick(ui.page.getByRole('radio', { name: course.option('post-test', 'q2', 'b'), exact: true }));
      // The sitting drew one of the three other bank questions: answer whichever is shown.
      for (const [question, key] of [
        ['q3', 'c'],
        ['q4', 'a'],
        ['q5', 'b'],
      ]) {
        if (await ui.page.locator(`input[name="a.${question}"]`).count())
          await ui.tick(
            ui.page.getByRole('radio', { name: course.option('post-test', question, key), exact: true }),
          );
      }
      await ui.go(ui.page.getByRole('button', { name: say(lang, 'courses.quiz.submit') }));
      await expect(ui.page.locator('main .score').textContent()).resolves.toBe(
        say(lang, 'courses.result.score', { score: 100 }),
      );
      await expect(ui.page.getByRole('status').locator('p').nth(1).textContent()).resolves.toBe(
        say(lang, 'courses.result.passed', { mark: 70 }),
      );

      const trainerApi = apiAs(t, await apiToken(t, email, PASSWORD));
      const progress = (await trainerApi.get(`/enrolments/${enrolmentId}`).expect(200)).body;
      expect(progress).toMatchObject({ percent: 100, completedLessons: expect.arrayContaining(LESSONS) });
      expect(progress.quizResults).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ quizSlug: 'pre-test', bestScore: 50, attempts: 1 }),
          expect.objectContaining({ quizSlug: 'post-test', bestScore: 100, passed: true, attempts: 1 }),
        ]),
      );
    });

    step(
      'downloads the certificate PDF once the manager has recorded the workshop and certified them',
      async () => {
        await program.runWorkshop(cohortId, [trainerId]);
        const code = await program.certify(cohortId, trainerId);

        await ui.go(
          ui.page.getByRole('navigation').getByRole('link', { name: say(lang, 'nav.certifications') }),
        );
        expect(await heading(ui.page)).toBe(say(lang, 'certification.mine.title'));
        const row = ui.page.locator('tbody tr').filter({ hasText: code });
        await expect(row.locator('.badge').textContent()).resolves.toBe(
          say(lang, 'certification.status.active'),
        );

        await ui.skipToMain();
        const pdf = await ui.download(
          row.getByRole('link', { name: `${say(lang, 'certification.download')} ${code}` }),
        );
        expect(pdf.name).toMatch(new RegExp(`^certificate-${code}-.*\\.pdf$`));
        expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(pdf.bytes.length).toBeGreaterThan(1000);
      },
    );

    step(
      'logs a school session through the form and sees it confirmed once the coordinator confirms it',
      async () => {
        await ui.go(ui.page.getByRole('navigation').getByRole('link', { name: say(lang, 'nav.sessions') }));
        expect(await heading(ui.page)).toBe(say(lang, 'cascade.mine'));
        await ui.skipToMain();
        await ui.go(ui.page.getByRole('link', { name: say(lang, 'cascade.new') }));
        expect(await heading(ui.page)).toBe(say(lang, 'cascade.new'));

        await ui.skipToMain();
        await ui.select(field(ui.page, say(lang, 'cascade.school')), `${schoolName} (${schoolCode})`);
        // The only course with deliverable modules is chosen already; the module is ticked.
        expect(await ui.page.getByRole('radio', { name: course.title }).isChecked()).toBe(true);
        await ui.tick(ui.page.getByRole('checkbox', { name: course.moduleTitle(DELIVERABLE_MODULE) }));
        await ui.type(field(ui.page, say(lang, 'cascade.sex.female')), '9');
        await ui.type(field(ui.page, say(lang, 'cascade.sex.male')), '11');
        await ui.type(field(ui.page, say(lang, 'cascade.age.under_10')), '5');
        await ui.type(field(ui.page, say(lang, 'cascade.age.10_14')), '15');
        await ui.type(field(ui.page, say(lang, 'cascade.teachers')), '2');
        await ui.go(ui.page.getByRole('button', { name: say(lang, 'cascade.submit') }));

        expect(await heading(ui.page)).toBe(
          `${say(lang, 'cascade.session')}: ${formatDate(lang, TODAY, 'long')}`,
        );
        await expect(ui.page.locator('main .badge').first().textContent()).resolves.toBe(
          say(lang, 'cascade.status.submitted'),
        );
        const logged = await t.db.manager.find(CascadeSession, { where: { trainerId } });
        expect(logged).toHaveLength(1);
        expect(logged[0]).toMatchObject({
          schoolId,
          date: TODAY,
          moduleSlugs: DELIVERABLE_MODULE,
          female: 9,
          male: 11,
          ageUnder10: 5,
          age10To14: 15,
          teachers: 2,
          status: 'submitted',
          loggedByRole: 'trainer',
        });
        expect(new URL(ui.page.url()).pathname).toBe(`/cascade-sessions/${logged[0].id}`);

        // The school's coordinator confirms it (API); the trainer's list then says so.
        await (await program.as(coordinator)).post(`/cascade-sessions/${logged[0].id}/confirm`).expect(200);
        await ui.go(ui.page.getByRole('navigation').getByRole('link', { name: say(lang, 'nav.sessions') }));
        const row = ui.page.locator('tbody tr').filter({ hasText: schoolName });
        expect(await row.count()).toBe(1);
        await expect(row.locator('.badge').textContent()).resolves.toBe(
          say(lang, 'cascade.status.confirmed'),
        );
        expect(await t.db.manager.findOneByOrFail(CascadeSession, { id: logged[0].id })).toMatchObject({
          status: 'confirmed',
          decidedBy: coordinator.id,
        });
      },
    );
  });
});
