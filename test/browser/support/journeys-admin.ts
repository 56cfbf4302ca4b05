/**
 * Helpers for the admin, manager and public journeys, on top of journey.ts: the app's own strings
 * (a key missing in the variant's language fails instead of silently falling back to English),
 * signing in and following links or forms with an audit of each page reached, a participant's
 * learning through the JSON API, mail links, and the entries of a downloaded ZIP.
 */
import { inflateRawSync } from 'node:zlib';
import type { Locator } from 'playwright-core';
import request from 'supertest';
import { hasKey, t as translate } from '../../../src/i18n/i18n';
import { OutboxMessage } from '../../../src/mail/outbox-message.entity';
import type { TestApp } from '../../support/create-test-app';
import { TEST_PASSWORD } from '../../support/create-test-app';
import type { Journey, Variant } from './journey';
import { drawnAnswers } from '../../support/quizzes';

export const COURSE = 'tiny-course';
const LESSONS = ['welcome', 'warning-signs', 'first-session'];
/** A passing answer set for the fixture course's post-test (test/fixtures/content/tiny-course/practice/post-test.quiz.yaml). */

/** The app's text for `key` in `lang`, from src/i18n/<lang>/*.json. */
export function text(lang: Variant['lang'], key: string, params: Record<string, unknown> = {}): string {
  if (!hasKey(key, lang)) throw new Error(`src/i18n/${lang} has no key "${key}"`);
  return translate(lang, key, params);
}

/**
 * Clicks something that loads a new document (a link, or a form's submit button, also when the
 * server redirects back to the same address) and audits the page it lands on.
 */
export async function follow(journey: Journey, target: Locator): Promise<void> {
  const loaded = journey.page.waitForEvent('load');
  await target.click();
  await loaded;
  await journey.audit();
}

/** Signs in through the login form, in the variant's language, and lands on the dashboard. */
export async function signIn(journey: Journey, email: string, password = TEST_PASSWORD): Promise<void> {
  const { page, variant } = journey;
  const lang = variant.lang;
  await journey.visit('/login');
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(text(lang, 'auth.login.title'));
  await field(journey, text(lang, 'auth.email')).fill(email);
  await field(journey, text(lang, 'auth.password')).fill(password);
  await follow(
    journey,
    page.getByRole('main').getByRole('button', { name: text(lang, 'auth.login.submit'), exact: true }),
  );
  expect(new URL(page.url()).pathname).toBe('/');
}

/** `value` escaped for a regular expression that matches it literally. */
export const literally = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The form control labelled `label` (the label may end with the required-field asterisk). */
export function field(journey: Journey, label: string): Locator {
  return journey.page.getByLabel(new RegExp(`^${literally(label)}( \\*)?$`));
}

/** The main navigation's link called `key`. */
export function navLink(journey: Journey, key: string): Locator {
  const lang = journey.variant.lang;
  return journey.page
    .getByRole('navigation', { name: text(lang, 'nav.label') })
    .getByRole('link', { name: text(lang, key), exact: true });
}

/** The (success or information) flash message shown after a post/redirect/get. */
export async function flashText(journey: Journey): Promise<string | null> {
  return journey.page.getByRole('main').getByRole('status').textContent();
}

/** A link from a mail (built from APP_URL), opened on the app under test: checks the origin, keeps path and query. */
export function onBase(link: string, t: TestApp, base: string): string {
  expect(link.startsWith(`${t.config.appUrl}/`)).toBe(true);
  return `${base}${link.slice(t.config.appUrl.length)}`;
}

/** The last mail of `template` queued for `to`. */
export async function lastMail(t: TestApp, to: string, template: string): Promise<OutboxMessage> {
  const [mail] = await t.db.manager.find(OutboxMessage, {
    where: { toAddress: to, template },
    order: { createdAt: 'DESC' },
    take: 1,
  });
  if (!mail) throw new Error(`no "${template}" mail queued for ${to}`);
  return mail;
}

/** The first absolute link in a mail's text that goes to `path` (e.g. `/invite/`). */
export function linkIn(mail: OutboxMessage, path: string): string {
  const match = new RegExp(`https?://\\S+?${path.replace(/[/]/g, '\\/')}[^\\s<>"]+`).exec(mail.textBody);
  if (!match) throw new Error(`no ${path} link in the "${mail.template}" mail to ${mail.toAddress}`);
  return match[0];
}

/** The JSON API with a Bearer token (as the e2e and offline tests use it). */
export function api(t: TestApp, token: string) {
  const auth = { Authorization: `Bearer ${token}` };
  return {
    get: (path: string) => request(t.http).get(`/api/v1${path}`).set(auth),
    post: (path: string, body?: object) => request(t.http).post(`/api/v1${path}`).set(auth).send(body),
    put: (path: string, body?: object) => request(t.http).put(`/api/v1${path}`).set(auth).send(body),
  };
}

/**
 * An invited participant accepts their invitation (the link of their mail) through the API, then
 * completes every lesson of the fixture course and passes its post-test. Returns their API token.
 */
export async function acceptAndStudy(t: TestApp, email: string): Promise<string> {
  const token = linkIn(await lastMail(t, email, 'invitation'), '/invite/').split('/invite/')[1];
  const accepted = await request(t.http)
    .post('/api/v1/auth/accept-invitation')
    .send({ token, password: TEST_PASSWORD })
    .expect(200);
  return study(t, accepted.body.accessToken as string);
}

/** Completes every lesson of the fixture course and passes its post-test (the trainer is already enrolled). */
export async function study(t: TestApp, accessToken: string): Promise<string> {
  const me = (await api(t, accessToken).get('/me').expect(200)).body as {
    enrolments: Array<{ id: string; courseSlug: string }>;
  };
  const enrolment = me.enrolments.find((e) => e.courseSlug === COURSE);
  if (!enrolment) throw new Error(`not enrolled in ${COURSE}`);
  for (const lesson of LESSONS)
    await api(t, accessToken).post(`/enrolments/${enrolment.id}/lessons/${lesson}/complete`).expect(200);
  const attempt = await api(t, accessToken)
    .post(
      `/enrolments/${enrolment.id}/quizzes/post-test/attempts`,
      await drawnAnswers(api(t, accessToken), enrolment.id, 'post-test'),
    )
    .expect(201);
  expect(attempt.body.passed).toBe(true);
  return accessToken;
}

/** The files of a ZIP archive (stored or deflated entries, read from its central directory). */
export function zipEntries(zip: Buffer): Array<{ name: string; data: Buffer }> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a ZIP archive: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: Array<{ name: string; data: Buffer }> = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('broken ZIP central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    entries.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
