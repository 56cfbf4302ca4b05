/**
 * Anyone checks a certificate without signing in, in a real browser, in Spanish and English on a
 * phone and a desktop (the page follows the browser's language): the verification link a holder's
 * certificate carries says it is valid; a revoked one's says so, with the date but not the reason;
 * an unknown code typed into the form is reported as unknown. Pages are audited by the journey kit.
 */
import type { Browser } from 'playwright-core';
import { join } from 'node:path';
import { formatDate } from '../../src/i18n/i18n';
import type { User } from '../../src/users/user.entity';
import type { TestApp } from '../support/create-test-app';
import { apiToken } from '../support/login';
import { Journey, useJourneyApp, VARIANTS, type Variant } from './support/journey';
import { api, COURSE, field, follow, lastMail, linkIn, onBase, study, text } from './support/journeys-admin';

const CONTENT = join(__dirname, '..', 'fixtures', 'content');
/** The course's title in test/fixtures/content/tiny-course/course.yaml. */
const COURSE_TITLE = { en: 'Tiny course', es: 'Curso mínimo' };
const WORKSHOP_DAY = '2026-02-27';
const REASON = 'Practicum result recorded in error';

interface Issued {
  holder: User;
  code: string;
  issuedOn: string;
  expiresOn: string;
  link: string;
}

describe('public journey: verifying certificates without an account (Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  /**
   * Through the JSON API, as the e2e tests do: a one-day workshop whose two participants (in the
   * variant's language) study, attend, pass the practicum and are certified; the second
   * certification is then revoked. Returns each certificate with the verification link of its mail.
   */
  async function certifyTwo(variant: Variant): Promise<[Issued, Issued]> {
    const manager = await t.createUser('manager', { language: variant.lang, countryCode: 'SV' });
    const asManager = api(t, await apiToken(t, manager.email));
    const cohort = (
      await asManager
        .post('/cohorts', {
          courseSlug: COURSE,
          name: `TOT ${variant.name}`,
          countryCode: 'SV',
          startsOn: WORKSHOP_DAY,
          endsOn: WORKSHOP_DAY,
          capacity: 5,
        })
        .expect(201)
    ).body;
    const day = (await asManager.post(`/cohorts/${cohort.id}/days`, { date: WORKSHOP_DAY }).expect(201)).body;
    const holders: User[] = [];
    for (const name of ['Rosa Méndez', 'Jorge Castillo']) {
      const trainer = await t.createUser('trainer', { name, language: variant.lang, countryCode: 'SV' });
      await asManager.post(`/cohorts/${cohort.id}/participants`, { email: trainer.email, name }).expect(201);
      await study(t, await apiToken(t, trainer.email));
      await asManager
        .put(`/cohorts/${cohort.id}/participants/${trainer.id}/practicum`, { passed: true, score: 90 })
        .expect(200);
      holders.push(trainer);
    }
    await asManager
      .put(`/cohorts/${cohort.id}/days/${day.id}/attendance`, {
        records: holders.map((h) => ({ userId: h.id, status: 'present' })),
      })
      .expect(200);
    const issued: Issued[] = [];
    for (const holder of holders) {
      const cert = (
        await asManager
          .post('/certifications', { cohortId: cohort.id, userId: holder.id, issuedOn: WORKSHOP_DAY })
          .expect(201)
      ).body;
      const link = linkIn(await lastMail(t, holder.email, 'certification-issued'), '/verify/');
      issued.push({ holder, code: cert.code, issuedOn: cert.issuedOn, expiresOn: cert.expiresOn, link });
    }
    await asManager.post(`/certifications/${issued[1].code}/revoke`, { reason: REASON }).expect(200);
    return [issued[0], issued[1]];
  }

  useJourneyApp({ CONTENT_DIR: CONTENT }, (started) => ({ t, base, browser } = started));

  // Two variants at a time, one per CI core: the phones side by side, then the desktops; each in its
  // own browser context with its own data. The timeout only guards against a hang.
  describe.each(['phone', 'desktop'])('%s', (device) => {
    it.concurrent.each(VARIANTS.filter((v) => v.name.endsWith(device)))(
      "$name: shows a valid certificate, a revoked one and an unknown code, in the browser's language",
      async (variant) => {
        const lang = variant.lang;
        const [valid, revoked] = await certifyTwo(variant);
        // The link of the mail is the one printed under the certificate's QR code: APP_URL/verify/<code>.
        expect(valid.link).toBe(`${t.config.appUrl}/verify/${valid.code}`);
        const journey = await Journey.open(browser, base, 'public-verify', variant);
        const { page } = journey;
        const main = page.getByRole('main');
        const fact = (key: string) =>
          main.locator('dt', { hasText: text(lang, key) }).locator('xpath=following-sibling::dd[1]');
        try {
          await journey.visit(onBase(valid.link, t, base));
          expect(await page.getAttribute('html', 'lang')).toBe(lang);
          expect(await page.getByRole('navigation').count()).toBe(0); // nobody is signed in
          expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
            text(lang, 'certification.verify.title'),
          );
          expect(await page.getByRole('status').locator('.score').textContent()).toBe(
            `✓ ${text(lang, 'certification.verify.valid')}`,
          );
          expect(await fact('certification.code').textContent()).toBe(valid.code);
          expect(await fact('certification.holder').textContent()).toBe(valid.holder.name);
          expect(await fact('cohorts.course').textContent()).toBe(COURSE_TITLE[lang]);
          expect(await fact('certification.issued-on').textContent()).toBe(
            formatDate(lang, valid.issuedOn, 'long'),
          );
          expect(await fact('certification.valid-until').textContent()).toBe(
            formatDate(lang, valid.expiresOn, 'long'),
          );
          expect(await main.textContent()).not.toContain(valid.holder.email);

          await journey.visit(onBase(revoked.link, t, base));
          expect(await page.getByRole('status').locator('.score').textContent()).toBe(
            `✗ ${text(lang, 'certification.status.revoked')}`,
          );
          expect(await fact('certification.holder').textContent()).toBe(revoked.holder.name);
          expect(await fact('certification.revoked-on').textContent()).toBe(
            formatDate(lang, t.clock.today(), 'long'),
          );
          expect(await main.textContent()).not.toContain(text(lang, 'certification.verify.valid'));
          expect(await main.textContent()).not.toContain(REASON); // the reason is for the holder and staff only

          // A code typed by hand (lower case, spaces) that no certificate has: it was never issued,
          // since 0 and 1 are not in the code alphabet.
          await journey.visit('/verify');
          await field(journey, text(lang, 'certification.verify.enter')).fill('csc 0000 1111');
          await follow(
            journey,
            main.getByRole('button', { name: text(lang, 'certification.verify.check'), exact: true }),
          );
          expect(new URL(page.url()).pathname).toBe('/verify/CSC-0000-1111');
          expect(await page.getByRole('alert').textContent()).toBe(
            text(lang, 'certification.verify.unknown', { code: 'CSC-0000-1111' }),
          );
          expect(await page.getByRole('status').count()).toBe(0);
        } finally {
          await journey.finish();
        }
      },
      180_000,
    );
  });
});
