/**
 * The admin's journey in a real browser, in Spanish and English on a phone and a desktop: the
 * first sign-in through the login form, inviting a manager from the people pages, and finding the
 * invitation, in the invitee's language and with a working link, in the mail outbox.
 * Every page is audited (axe-core, HTML weight) by the journey kit.
 */
import type { Browser } from 'playwright-core';
import request from 'supertest';
import type { TestApp } from '../support/create-test-app';
import { User } from '../../src/users/user.entity';
import { Journey, useJourneyApp, VARIANTS } from './support/journey';
import {
  field,
  flashText,
  follow,
  lastMail,
  linkIn,
  navLink,
  onBase,
  signIn,
  text,
} from './support/journeys-admin';

describe('admin journey: first sign-in, inviting a manager, the outbox (Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  useJourneyApp({}, (started) => ({ t, base, browser } = started));

  // Two variants at a time, one per CI core: the phones side by side, then the desktops; each in its
  // own browser context with its own admin and invitee. The timeout only guards against a hang.
  describe.each(['phone', 'desktop'])('%s', (device) => {
    it.concurrent.each(VARIANTS.filter((v) => v.name.endsWith(device)))(
      '$name: signs in for the first time, invites a manager and finds the invitation in the outbox',
      async (variant) => {
        const lang = variant.lang;
        const invitee = {
          name: `Marta Gerente ${variant.name}`,
          email: `marta.${variant.name}@example.org`,
          country: 'PA',
        };
        const admin = await t.createUser('admin', { name: `Admin ${variant.name}`, language: lang });
        expect(admin.lastLoginAt).toBeNull();
        const journey = await Journey.open(browser, base, 'admin', variant);
        const { page } = journey;
        try {
          await signIn(journey, admin.email);
          expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
            text(lang, 'home.title', { name: admin.name }),
          );
          expect((await t.db.manager.findOneByOrFail(User, { id: admin.id })).lastLoginAt).not.toBeNull();

          // People → invite a person.
          await follow(
            journey,
            page.getByRole('main').getByRole('link', { name: text(lang, 'home.admin.users'), exact: true }),
          );
          expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(text(lang, 'users.title'));
          await follow(journey, page.getByRole('link', { name: text(lang, 'users.new'), exact: true }));
          expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(text(lang, 'users.new'));
          // The language of the invitation defaults to the language of the page.
          expect(await field(journey, text(lang, 'users.language')).inputValue()).toBe(lang);
          await field(journey, text(lang, 'users.name')).fill(invitee.name);
          await field(journey, text(lang, 'auth.email')).fill(invitee.email);
          await field(journey, text(lang, 'users.role')).selectOption({ label: text(lang, 'roles.manager') });
          await field(journey, text(lang, 'users.sex')).selectOption({ label: text(lang, 'sexes.female') });
          await field(journey, text(lang, 'users.country')).fill(invitee.country);
          await field(journey, text(lang, 'users.organisation')).fill('Programa regional');
          await follow(journey, page.getByRole('button', { name: text(lang, 'users.invite'), exact: true }));

          expect(await flashText(journey)).toBe(text(lang, 'users.invited', { email: invitee.email }));
          expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(invitee.name);
          expect(
            await page.getByRole('main').getByText(text(lang, 'statuses.invited'), { exact: true }).count(),
          ).toBe(1);
          const manager = await t.db.manager.findOneByOrFail(User, { email: invitee.email });
          expect(manager).toMatchObject({
            role: 'manager',
            status: 'invited',
            countryCode: invitee.country,
            language: lang,
            sex: 'female',
            passwordHash: null,
          });
          expect(new URL(page.url()).pathname).toBe(`/admin/users/${manager.id}`);

          // The outbox lists the invitation, in the invitee's language; its page shows the text with the link.
          await follow(journey, navLink(journey, 'nav.outbox'));
          expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
            text(lang, 'outbox.title'),
          );
          const row = page.getByRole('row').filter({ hasText: invitee.email });
          expect(await row.count()).toBe(1);
          const subject = text(lang, 'mail.invitation.subject');
          expect(await row.getByRole('cell').nth(3).textContent()).toBe(
            text(lang, 'outbox.statuses.pending'),
          );
          await follow(journey, row.getByRole('link', { name: subject, exact: true }));
          expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(subject);
          const body = (await page.locator('main pre').textContent()) ?? '';
          const mail = await lastMail(t, invitee.email, 'invitation');
          expect(mail.language).toBe(lang);
          const link = linkIn(mail, '/invite/');
          expect(body).toContain(link);
          expect(body).toContain(
            text(lang, 'mail.invitation.body', { inviter: admin.name, role: text(lang, 'roles.manager') }),
          );

          // The link works: it opens the page where the new manager chooses a password (checked
          // without the browser, to keep the journey to the admin's own pages).
          const invitation = await request(t.http)
            .get(new URL(onBase(link, t, base)).pathname)
            .set('Accept-Language', variant.locale)
            .expect(200);
          expect(invitation.text).toContain(text(lang, 'auth.invitation.welcome', { name: invitee.name }));
        } finally {
          await journey.finish();
        }
      },
      240_000,
    );
  });
});
