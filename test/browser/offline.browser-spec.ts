/**
 * The session-logging form offline, in a real browser: the service worker, the IndexedDB queue of
 * views/assets/js/offline.js and the server's idempotency keys, end to end. Needs Chromium at
 * /usr/bin/chromium (CI installs it); without it the test fails and says so.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { CascadeSession } from '../../src/cascade/cascade-session.entity';
import type { User } from '../../src/users/user.entity';
import { TestApp, TEST_PASSWORD } from '../support/create-test-app';
import { apiToken } from '../support/login';
import { launchBrowser, startApp } from './support/journey';
import { drawnAnswers } from '../support/quizzes';

const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const SCREENSHOTS = join(__dirname, 'screenshots');
const COURSE = 'tiny-course';
const LESSONS = ['welcome', 'warning-signs', 'first-session'];
const DAYS = ['2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27'];
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('logging a school session offline (Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let coordinator: User;
  let trainer: User;
  let schoolId: string;

  const sessions = () => t.db.manager.find(CascadeSession, { where: { schoolId } });

  /** Items of the page's offline queue, read from IndexedDB itself. */
  const queuedInBrowser = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('cascada-offline', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('queue', { keyPath: 'key' });
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const count = open.result.transaction('queue', 'readonly').objectStore('queue').count();
            count.onsuccess = () => {
              open.result.close();
              resolve(count.result);
            };
            count.onerror = () => reject(count.error);
          };
        }),
    );

  beforeAll(async () => {
    ({ t, base } = await startApp({ CONTENT_DIR: CONTENT }));

    // A school with its coordinator, and a trainer certified on the workshop's last day (API, as in the e2e tests).
    const manager = await t.createUser('manager', { countryCode: 'SV' });
    const managerToken = await apiToken(t, manager.email);
    const api = (token: string) => ({
      get: (path: string) => request(t.http).get(`/api/v1${path}`).set(bearer(token)),
      post: (path: string, body?: object) =>
        request(t.http).post(`/api/v1${path}`).set(bearer(token)).send(body),
      put: (path: string, body?: object) =>
        request(t.http).put(`/api/v1${path}`).set(bearer(token)).send(body),
    });
    coordinator = await t.createUser('coordinator', { countryCode: 'SV', name: 'Carmen Coordinator' });
    schoolId = (
      await api(managerToken)
        .post('/schools', {
          name: 'Centro Escolar Las Flores',
          code: '10423',
          countryCode: 'SV',
          municipality: 'Santa Tecla',
        })
        .expect(201)
    ).body.id;
    await api(managerToken)
      .put(`/schools/${schoolId}/coordinators`, { userIds: [coordinator.id] })
      .expect(200);

    const cohort = (
      await api(managerToken)
        .post('/cohorts', {
          courseSlug: COURSE,
          name: 'TOT',
          countryCode: 'SV',
          startsOn: DAYS[0],
          endsOn: DAYS[4],
          capacity: 5,
        })
        .expect(201)
    ).body;
    trainer = await t.createUser('trainer', { countryCode: 'SV', name: 'Ana Trainer' });
    await api(managerToken)
      .post(`/cohorts/${cohort.id}/participants`, { email: trainer.email, name: trainer.name })
      .expect(201);
    const trainerToken = await apiToken(t, trainer.email);
    const enrolmentId = (await api(trainerToken).get('/me').expect(200)).body.enrolments[0].id as string;
    for (const lesson of LESSONS)
      await api(trainerToken).post(`/enrolments/${enrolmentId}/lessons/${lesson}/complete`).expect(200);
    await api(trainerToken)
      .post(
        `/enrolments/${enrolmentId}/quizzes/post-test/attempts`,
        await drawnAnswers(api(trainerToken), enrolmentId, 'post-test'),
      )
      .expect(201);
    await api(managerToken)
      .put(`/cohorts/${cohort.id}/participants/${trainer.id}/practicum`, { passed: true, score: 90 })
      .expect(200);
    for (const date of DAYS) {
      const day = (await api(managerToken).post(`/cohorts/${cohort.id}/days`, { date }).expect(201)).body;
      await api(managerToken)
        .put(`/cohorts/${cohort.id}/days/${day.id}/attendance`, {
          records: [{ userId: trainer.id, status: 'present' }],
        })
        .expect(200);
    }
    await api(managerToken)
      .post('/certifications', { cohortId: cohort.id, userId: trainer.id, issuedOn: DAYS[4] })
      .expect(201);

    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: base, locale: 'en-US' });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    if (page) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page
        .screenshot({ path: join(SCREENSHOTS, 'offline.png'), fullPage: true })
        .catch(() => undefined);
    }
    await browser?.close();
    await t?.close();
  });

  it('signs the coordinator in through the login form and opens the form with its service worker', async () => {
    await page.goto('/login');
    await page.fill('#f-email', coordinator.email);
    await page.fill('#f-password', TEST_PASSWORD);
    await Promise.all([
      page.waitForURL(`${base}/`),
      page.click('main form[action^="/login"] button[type=submit]'),
    ]);

    await page.goto('/cascade-sessions/new');
    expect(await page.textContent('h1')).toBe('Log a school session');
    const scope = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope));
    expect(scope).toBe(`${base}/`);
  });

  it('shows the running totals and warns while the totals by sex and by age differ', async () => {
    await page.fill('#f-p_female', '10');
    await page.fill('#f-p_male', '12');
    await page.fill('#f-a_10_14', '21');
    expect(await page.textContent('#total-sex')).toBe('= 22');
    expect(await page.textContent('#total-age')).toBe('= 21');
    expect(await page.getAttribute('#total-age', 'class')).toBe('total mismatch');

    // Sending is refused in the page, with the message, and nothing reaches the server.
    await page.click('#session-form button[type=submit]');
    expect(await page.textContent('#offline-status')).toBe(
      'The totals by sex and by age are not equal: please check the numbers.',
    );
    expect(await sessions()).toHaveLength(0);

    await page.fill('#f-a_10_14', '22');
    expect(await page.textContent('#total-age')).toBe('= 22');
    expect(await page.getAttribute('#total-age', 'class')).toBe('total');
  });

  it('queues the session while offline and sends it, once, when the connection returns', async () => {
    await context.setOffline(true);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);

    await page.selectOption('#f-schoolId', schoolId);
    await page.selectOption('#f-trainerId', trainer.id);
    await page.check('#m-practice');
    await page.fill('#f-date', '2026-03-01');
    await page.fill('#f-durationMinutes', '45');
    await page.fill('#f-p_female', '10');
    await page.fill('#f-p_male', '12');
    await page.fill('#f-p_unspecified', '1');
    await page.fill('#f-a_under_10', '3');
    await page.fill('#f-a_10_14', '20');
    await page.fill('#f-teachers', '2');
    await page.fill('#f-notes', 'Sent from a school without a connection');
    await page.click('#session-form button[type=submit]');

    const waiting = page.locator('#queue-list li');
    await waiting.first().waitFor();
    expect(await waiting.count()).toBe(1);
    expect(await waiting.first().textContent()).toBe(
      '2026-03-01 · Centro Escolar Las Flores (10423) — waiting to send',
    );
    expect(await page.isVisible('#outbox-queue')).toBe(true);
    expect(await page.textContent('#offline-status')).toBe(
      'Saved on this device. It will be sent when the connection returns.',
    );
    expect(await queuedInBrowser()).toBe(1);
    expect(await sessions()).toHaveLength(0);

    // Back online: the page's `online` listener sends the queue.
    await context.setOffline(false);
    // The page says so only after the server answered 201 (the row is committed by then).
    await page.waitForFunction(
      () =>
        document.getElementById('offline-status')?.textContent === 'A session saved offline has been sent.',
      undefined,
      { timeout: 20_000 },
    );
    await page.waitForSelector('#outbox-queue', { state: 'hidden' });
    expect(await queuedInBrowser()).toBe(0);
    const rows = await sessions();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      trainerId: trainer.id,
      date: '2026-03-01',
      moduleSlugs: 'practice',
      durationMinutes: 45,
      female: 10,
      male: 12,
      unspecified: 1,
      ageUnder10: 3,
      age10To14: 20,
      age15To17: 0,
      age18Plus: 0,
      teachers: 2,
      parents: 0,
      notes: 'Sent from a school without a connection',
      status: 'submitted',
      loggedBy: coordinator.id,
      loggedByRole: 'coordinator',
    });
  });

  it('opens the form without a connection (from the service worker)', async () => {
    await context.setOffline(true);
    try {
      await page.reload();
      expect(await page.textContent('h1')).toBe('Log a school session');
      expect(await page.textContent('#offline-status')).toBe(
        'You are offline. You can still log the session: it will be sent when the connection returns.',
      );
    } finally {
      await context.setOffline(false);
    }
  });

  it('has an empty queue after a reload, and the session still exists once', async () => {
    await page.reload();
    await page.waitForFunction(() => document.getElementById('total-sex')?.textContent === '= 0');
    expect(await queuedInBrowser()).toBe(0);
    expect(await page.locator('#queue-list li').count()).toBe(0);
    expect(await page.isHidden('#outbox-queue')).toBe(true);
    expect(await sessions()).toHaveLength(1);
  });

  it('never sends a session that another account saved on this computer', async () => {
    // A queued item from someone else (e.g. the previous person on a shared computer).
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('cascada-offline', 1);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('queue', 'readwrite');
            tx.objectStore('queue').put({
              key: 'someone-elses-key-1',
              user: 'another-account-id',
              body: 'schoolId=x',
              summary: '2026-05-01 · Elsewhere',
              createdAt: Date.now(),
            });
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    const before = (await sessions()).length;
    await page.reload();
    await page.waitForSelector('#queue-list li');
    expect(await page.textContent('#queue-list li')).toContain('saved while another account was signed in');
    expect(await queuedInBrowser()).toBe(1);
    expect(await sessions()).toHaveLength(before);
  });
});
