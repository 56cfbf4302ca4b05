/**
 * Security checks across the app (DESIGN.md "Quality bars", "Privacy"; API.md "Conventions"):
 * - mass assignment: fields a body may not carry are refused and nothing changes;
 * - a corpus of hostile and unusual text goes through the text fields of the API and the forms:
 *   never a 5xx, stored exactly as typed when accepted, always shown escaped;
 * - search filters treat LIKE metacharacters as data;
 * - the content asset route never serves a file outside a course's assets (quiz answers above all);
 * - security headers on every page, and no stack trace in any JSON error.
 * Access per role and scope is the access matrix's job, CSRF the CSRF suite's, sign-in the auth suite's.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { UserSession } from '../../src/auth/user-session.entity';
import { CascadeSession } from '../../src/cascade/cascade-session.entity';
import { Certification } from '../../src/certification/certification.entity';
import { AuditEntry } from '../../src/common/audit/audit-entry.entity';
import { Cohort } from '../../src/cohorts/cohort.entity';
import { PracticumResult } from '../../src/cohorts/cohort-member.entities';
import { addDays } from '../../src/certification/validity';
import { OutboxMessage } from '../../src/mail/outbox-message.entity';
import { School } from '../../src/schools/school.entities';
import { SchoolsService } from '../../src/schools/schools.service';
import { User } from '../../src/users/user.entity';
import { createTestApp, TestApp, TEST_PASSWORD } from '../support/create-test-app';
import { drawnAnswers } from '../support/quizzes';
import { injectedMarkup, parseHtml } from '../support/html';
import { apiToken, csrfOf, pageAgent } from '../support/login';
import { escaped, PAYLOADS, refused } from '../support/payloads';

type Agent = ReturnType<typeof request.agent>;
type Json = Record<string, unknown>;

const FIXTURE = join(__dirname, '..', 'fixtures', 'content');
const COURSE = 'tiny-course';
const LESSONS = ['welcome', 'warning-signs', 'first-session'];
/** The one-day workshop, before the fake clock's first day (2026-03-02); certifications are backdated to it. */
const WORKSHOP_DAY = '2026-02-27';
/** The tests run on this day, so that sessions between the issue date and today can be logged. */
const NOW = '2026-06-01T10:00:00.000Z';
/** A 1×1 PNG, the course's one asset. */
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/** A page shows `value` only escaped: never live markup (read with an HTML parser too), never an evaluated template. */
function expectShownEscaped(html: string, value: string, where: string) {
  expect({ where, injected: injectedMarkup(parseHtml(html)) }).toEqual({ where, injected: [] });
  expect({ where, rawScript: html.includes('<script>alert(1)</script>') }).toEqual({
    where,
    rawScript: false,
  });
  expect({ where, rawImg: /<img[^>]*onerror/i.test(html) }).toEqual({ where, rawImg: false });
  expect({ where, javascriptHref: /(href|src|action)\s*=\s*["']?\s*javascript:/i.test(html) }).toEqual({
    where,
    javascriptHref: false,
  });
  expect({ where, shown: html.includes(escaped(value)) }).toEqual({ where, shown: true });
}

/** Any JSON error body: API.md's shape, and nothing of the server's insides. */
function expectCleanError(res: request.Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toMatchObject({
    statusCode: status,
    error: expect.any(String),
    message: expect.anything(),
  });
  expect(res.body).not.toHaveProperty('stack');
  expect(res.text).not.toMatch(
    /\bat [^\s]+ \(|\n\s+at |\.ts:\d+|node_modules|QueryFailedError|SQLITE_|syntax error/,
  );
}

/** A copy of the fixture content whose course has one asset. */
function contentWithAsset(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cascada-content-'));
  cpSync(FIXTURE, dir, { recursive: true });
  mkdirSync(join(dir, COURSE, 'assets'), { recursive: true });
  writeFileSync(join(dir, COURSE, 'assets', 'pixel.png'), PIXEL);
  return dir;
}

jest.setTimeout(30_000);

describe('security', () => {
  let t: TestApp;
  let content: string;
  let admin: User;
  let manager: User; // no country scope
  let managerSV: User; // scoped to El Salvador
  let trainer: User; // not certified
  let ana: User; // certified: logs sessions
  let carla: User; // certified: her certification is revoked again and again
  let school: Json & { id: string };
  let cohortId: string;
  let carlaCode: string;
  let adminAgent: Agent;
  let managerAgent: Agent;
  const tokens = new Map<string, string>();

  const bearer = (user: User) => ({ Authorization: `Bearer ${tokens.get(user.id)}` });
  const as = (user: User) => ({
    get: (path: string) => request(t.http).get(`/api/v1${path}`).set(bearer(user)),
    post: (path: string, body?: object, headers: Record<string, string> = {}) =>
      request(t.http).post(`/api/v1${path}`).set(bearer(user)).set(headers).send(body),
    put: (path: string, body?: object) => request(t.http).put(`/api/v1${path}`).set(bearer(user)).send(body),
    /** Raw JSON text, so that keys like `__proto__` reach the server as typed. */
    raw: (method: 'post' | 'put', path: string, text: string) => {
      const api = request(t.http);
      return api[method](`/api/v1${path}`)
        .set(bearer(user))
        .set('Content-Type', 'application/json')
        .send(text);
    },
  });
  async function signIn(...users: User[]) {
    for (const user of users) tokens.set(user.id, await apiToken(t, user.email));
  }

  const newSchool = (code: string, overrides: Json = {}) => ({
    name: 'Escuela de prueba',
    code,
    countryCode: 'SV',
    municipality: 'San Salvador',
    ...overrides,
  });
  const newCohort = (overrides: Json = {}) => ({
    courseSlug: COURSE,
    name: 'Taller de prueba',
    countryCode: 'SV',
    startsOn: '2026-07-06',
    endsOn: '2026-07-08',
    capacity: 20,
    ...overrides,
  });
  let sessionDay = 0;
  /** A valid session body for Ana at the school, each on a day of its own (so none is a duplicate). */
  const newSession = (overrides: Json = {}) => ({
    schoolId: school.id,
    trainerId: ana.id,
    courseSlug: COURSE,
    moduleSlugs: ['practice'],
    date: addDays('2026-03-01', sessionDay++),
    durationMinutes: 50,
    participants: { female: 10, male: 12, unspecified: 0 },
    ageBands: { under_10: 0, '10_14': 22, '15_17': 0, '18_plus': 0 },
    ...overrides,
  });
  const userRow = (id: string) => t.db.manager.findOneByOrFail(User, { id });
  const counts = async () => ({
    users: await t.db.manager.count(User),
    cohorts: await t.db.manager.count(Cohort),
    schools: await t.db.manager.count(School),
    sessions: await t.db.manager.count(CascadeSession),
    userSessions: await t.db.manager.count(UserSession),
  });
  const expectPrototypeClean = () => {
    for (const key of ['isAdmin', 'role', 'status', 'polluted'])
      expect({ key, value: ({} as Json)[key] }).toEqual({ key, value: undefined });
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  };

  beforeAll(async () => {
    content = contentWithAsset();
    t = await createTestApp({ CONTENT_DIR: content });
    admin = await t.createUser('admin', { name: 'Alba Admin' });
    manager = await t.createUser('manager', { name: 'Mario Manager' });
    managerSV = await t.createUser('manager', { name: 'Sara Scoped', countryCode: 'SV' });
    trainer = await t.createUser('trainer', { name: 'Tino Trainer', countryCode: 'SV' });
    ana = await t.createUser('trainer', { name: 'Ana Certified', countryCode: 'SV' });
    carla = await t.createUser('trainer', { name: 'Carla Certified', countryCode: 'SV' });
    await signIn(admin, manager, managerSV, trainer, ana, carla);

    school = (
      await as(manager)
        .post('/schools', newSchool('SEC-BASE', { name: 'Centro Escolar Base' }))
        .expect(201)
    ).body;

    // A one-day workshop; Ana and Carla complete it and are certified on its day.
    cohortId = (
      await as(manager)
        .post('/cohorts', newCohort({ name: 'TOT Seguridad', startsOn: WORKSHOP_DAY, endsOn: WORKSHOP_DAY }))
        .expect(201)
    ).body.id;
    const dayId = (await as(manager).post(`/cohorts/${cohortId}/days`, { date: WORKSHOP_DAY }).expect(201))
      .body.id;
    for (const person of [ana, carla]) {
      await as(manager)
        .post(`/cohorts/${cohortId}/participants`, { email: person.email, name: person.name })
        .expect(201);
      const enrolmentId = (await as(person).get('/me').expect(200)).body.enrolments[0].id as string;
      for (const lesson of LESSONS)
        await as(person).post(`/enrolments/${enrolmentId}/lessons/${lesson}/complete`).expect(200);
      await as(person)
        .post(
          `/enrolments/${enrolmentId}/quizzes/post-test/attempts`,
          await drawnAnswers(as(person), enrolmentId, 'post-test'),
        )
        .expect(201);
      await as(manager)
        .put(`/cohorts/${cohortId}/participants/${person.id}/practicum`, { passed: true, score: 90 })
        .expect(200);
    }
    await as(manager)
      .put(`/cohorts/${cohortId}/days/${dayId}/attendance`, {
        records: [ana, carla].map((p) => ({ userId: p.id, status: 'present' })),
      })
      .expect(200);
    await as(manager)
      .post('/certifications', { cohortId, userId: ana.id, issuedOn: WORKSHOP_DAY })
      .expect(201);
    carlaCode = (
      await as(manager)
        .post('/certifications', { cohortId, userId: carla.id, issuedOn: WORKSHOP_DAY })
        .expect(201)
    ).body.code;

    // From here on "today" is NOW: sessions may be logged on any day from March on.
    t.clock.set(NOW);
    await signIn(admin, manager, managerSV, trainer, ana, carla);
    adminAgent = await pageAgent(t, admin.email);
    managerAgent = await pageAgent(t, manager.email);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    if (content) rmSync(content, { recursive: true, force: true });
  });

  describe('mass assignment', () => {
    afterEach(expectPrototypeClean);

    /** Fields no create body may carry (the server decides them). */
    const FORBIDDEN_EXTRAS: Json[] = [
      { status: 'active' },
      { passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo' },
      { id: '00000000-0000-4000-8000-000000000001' },
      { isAdmin: true },
      { createdAt: '2020-01-01T00:00:00.000Z' },
    ];

    it('POST /api/v1/users: a manager cannot create an admin, nor set fields the server decides', async () => {
      const before = await counts();
      const body = { email: 'mass.user@example.org', name: 'Mass User', role: 'trainer' };
      // The role itself: managers create trainers and coordinators only.
      expectCleanError(await as(manager).post('/users', { ...body, role: 'admin' }), 403);
      expectCleanError(await as(manager).post('/users', { ...body, role: 'manager' }), 403);
      for (const extra of FORBIDDEN_EXTRAS) {
        const res = await as(manager).post('/users', { ...body, ...extra });
        expectCleanError(res, 400);
        expect(res.body.fields).toEqual({ [Object.keys(extra)[0]]: ['This field is not accepted.'] });
      }
      // A scoped manager cannot place the account in another country.
      expectCleanError(await as(managerSV).post('/users', { ...body, countryCode: 'PA' }), 403);
      // Prototype keys, sent as raw JSON so that they arrive as own keys of the body.
      for (const text of [
        `{"email":"mass.user@example.org","name":"Mass User","role":"trainer","__proto__":{"isAdmin":true,"role":"admin"}}`,
        `{"email":"mass.user@example.org","name":"Mass User","role":"trainer","constructor":{"prototype":{"isAdmin":true,"role":"admin"}}}`,
        `{"email":"mass.user@example.org","name":"Mass User","role":"trainer","schoolIds":[],"__proto__":{"polluted":"yes"}}`,
      ]) {
        expectCleanError(await as(manager).raw('post', '/users', text), 400);
        expectPrototypeClean();
      }
      expect(await t.db.manager.findOneBy(User, { email: 'mass.user@example.org' })).toBeNull();
      expect(await counts()).toEqual(before);

      // The same body without the extras is fine (the refusals above were about the extras).
      const created = await as(manager).post('/users', body).expect(201);
      expect(await userRow(created.body.id)).toMatchObject({
        role: 'trainer',
        status: 'invited',
        passwordHash: null,
      });
    });

    it('POST /api/v1/auth/login: extra fields are refused and no session is opened', async () => {
      const user = await t.createUser('trainer', { name: 'Login Target' });
      const before = await counts();
      for (const extra of [{ role: 'admin' }, { isAdmin: true }, { id: admin.id }, { status: 'active' }]) {
        const res = await request(t.http)
          .post('/api/v1/auth/login')
          .send({ email: user.email, password: TEST_PASSWORD, ...extra });
        expectCleanError(res, 400);
        expect(res.body).not.toHaveProperty('accessToken');
      }
      for (const text of [
        `{"email":"${user.email}","password":"${TEST_PASSWORD}","__proto__":{"role":"admin","isAdmin":true}}`,
        `{"email":"${user.email}","password":"${TEST_PASSWORD}","constructor":{"prototype":{"isAdmin":true}}}`,
      ]) {
        const res = await request(t.http)
          .post('/api/v1/auth/login')
          .set('Content-Type', 'application/json')
          .send(text);
        expectCleanError(res, 400);
        expect(res.body).not.toHaveProperty('accessToken');
        expectPrototypeClean();
      }
      expect(await counts()).toEqual(before);
      expect(await userRow(user.id)).toMatchObject({ role: 'trainer', lastLoginAt: null });
      const ok = await request(t.http)
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(200);
      expect(ok.body.user.role).toBe('trainer');
    });

    it('POST /api/v1/cohorts: status, id and other server fields are refused; a scoped manager stays in their country', async () => {
      const before = await counts();
      for (const extra of [
        { status: 'completed' },
        { id: randomUUID() },
        { createdBy: admin.id },
        { courseId: randomUUID() },
      ]) {
        const res = await as(manager).post('/cohorts', newCohort({ name: 'Mass cohort', ...extra }));
        expectCleanError(res, 400);
        expect(Object.keys(res.body.fields)).toEqual([Object.keys(extra)[0]]);
      }
      expectCleanError(
        await as(managerSV).post('/cohorts', newCohort({ name: 'Mass cohort', countryCode: 'PA' })),
        403,
      );
      const valid = JSON.stringify(newCohort({ name: 'Mass cohort' })).slice(0, -1);
      for (const text of [
        `${valid},"__proto__":{"status":"completed","isAdmin":true}}`,
        `${valid},"constructor":{"prototype":{"isAdmin":true}}}`,
      ]) {
        expectCleanError(await as(manager).raw('post', '/cohorts', text), 400);
        expectPrototypeClean();
      }
      expect(await t.db.manager.findOneBy(Cohort, { name: 'Mass cohort' })).toBeNull();
      expect(await counts()).toEqual(before);
    });

    it('POST /api/v1/cascade-sessions: status, id, country and nested extras are refused', async () => {
      const before = await counts();
      const body = newSession({ notes: 'Mass session' });
      for (const extra of [
        { status: 'confirmed' },
        { id: randomUUID() },
        { countryCode: 'PA' },
        { decidedBy: manager.id },
        { loggedBy: trainer.id },
      ]) {
        const res = await as(ana).post('/cascade-sessions', { ...body, ...extra });
        expectCleanError(res, 400);
        expect(Object.keys(res.body.fields)).toEqual([Object.keys(extra)[0]]);
      }
      const nested = await as(ana).post('/cascade-sessions', {
        ...body,
        participants: { ...(body.participants as Json), adults: 40 },
      });
      expectCleanError(nested, 400);
      expect(Object.keys(nested.body.fields)).toEqual(['participants.adults']);
      const valid = JSON.stringify(body);
      for (const text of [
        `${valid.slice(0, -1)},"__proto__":{"status":"confirmed","isAdmin":true}}`,
        `${valid.slice(0, -1)},"constructor":{"prototype":{"isAdmin":true}}}`,
        valid.replace('"participants":{', '"participants":{"__proto__":{"polluted":"yes"},'),
      ]) {
        expectCleanError(await as(ana).raw('post', '/cascade-sessions', text), 400);
        expectPrototypeClean();
      }
      expect(await t.db.manager.findOneBy(CascadeSession, { notes: 'Mass session' })).toBeNull();
      expect(await counts()).toEqual(before);
    });

    it('POST /account/profile: a trainer cannot give themselves a role, status or country', async () => {
      const self = await t.createUser('trainer', { name: 'Profile Owner' });
      const agent = await pageAgent(t, self.email);
      const before = await userRow(self.id);
      for (const extra of [
        { role: 'admin' },
        { status: 'active' },
        { countryCode: 'PA' },
        { passwordHash: 'x' },
        { email: 'taken.over@example.org' },
        { id: admin.id },
      ]) {
        const res = await agent
          .post('/account/profile')
          .type('form')
          .send({ name: 'Changed Name', language: 'es', ...extra, _csrf: await csrfOf(agent) });
        expect({ extra, status: res.status }).toEqual({ extra, status: 400 });
        expect(res.text).toContain('This field is not accepted.');
      }
      for (const raw of [
        '__proto__[isAdmin]=true',
        'constructor[prototype][isAdmin]=true',
        'constructor=admin',
        'prototype=admin',
      ]) {
        const res = await agent
          .post('/account/profile')
          .type('form')
          .send(`name=Changed+Name&language=es&${raw}&_csrf=${encodeURIComponent(await csrfOf(agent))}`);
        expect({ raw, status: res.status }).toEqual({ raw, status: 400 });
        expectPrototypeClean();
      }
      // The same as JSON (the page routes parse JSON bodies too): the keys arrive as own keys and are refused.
      for (const extra of [
        '"__proto__":{"role":"admin","isAdmin":true}',
        '"constructor":{"prototype":{"isAdmin":true}}',
      ]) {
        const text = `{"name":"Changed Name","language":"es",${extra},"_csrf":${JSON.stringify(await csrfOf(agent))}}`;
        const res = await agent.post('/account/profile').set('Content-Type', 'application/json').send(text);
        expect({ extra, status: res.status }).toEqual({ extra, status: 400 });
        expect(res.text).toContain('This field is not accepted.');
        expectPrototypeClean();
      }
      expect(await userRow(self.id)).toEqual(before);
      // A bare `__proto__=` form field never reaches the app: the form parser (qs) discards it. Nothing
      // is polluted and the rest of the form is an ordinary (here: unchanged) profile.
      const dropped = await agent
        .post('/account/profile')
        .type('form')
        .send(
          `name=${encodeURIComponent(before.name)}&language=${before.language}&__proto__=admin&_csrf=${encodeURIComponent(await csrfOf(agent))}`,
        );
      expect(dropped.status).toBe(303);
      expectPrototypeClean();
      expect(await userRow(self.id)).toMatchObject({
        role: 'trainer',
        status: before.status,
        countryCode: before.countryCode,
        name: before.name,
        email: before.email,
        passwordHash: before.passwordHash,
      });
      await agent.get('/account').expect(200);
    });

    it('POST /admin/users/:id: a manager cannot raise a trainer to admin or manager through the form', async () => {
      const target = await t.createUser('trainer', { name: 'Raise Target', countryCode: 'SV' });
      const before = await userRow(target.id);
      const form = {
        name: target.name,
        role: 'trainer',
        sex: 'unspecified',
        language: 'en',
        countryCode: 'SV',
      };
      for (const role of ['admin', 'manager']) {
        const res = await managerAgent
          .post(`/admin/users/${target.id}`)
          .type('form')
          .send({ ...form, role, _csrf: await csrfOf(managerAgent, `/admin/users/${target.id}`) });
        expect({ role, status: res.status }).toEqual({ role, status: 403 });
      }
      for (const extra of [
        { isAdmin: 'true' },
        { passwordHash: 'x' },
        { email: 'taken.over@example.org' },
        { id: admin.id },
      ]) {
        const res = await managerAgent
          .post(`/admin/users/${target.id}`)
          .type('form')
          .send({ ...form, ...extra, _csrf: await csrfOf(managerAgent, `/admin/users/${target.id}`) });
        expect({ extra, status: res.status }).toEqual({ extra, status: 400 });
      }
      const raw = await managerAgent
        .post(`/admin/users/${target.id}`)
        .type('form')
        .send(
          `name=Raise+Target&role=trainer&sex=unspecified&language=en&__proto__[role]=admin&_csrf=${encodeURIComponent(await csrfOf(managerAgent, `/admin/users/${target.id}`))}`,
        );
      expect(raw.status).toBe(400);
      expect(await userRow(target.id)).toEqual(before);
      expect(await t.db.manager.count(AuditEntry, { where: { entityId: target.id } })).toBe(0);
      // The form itself works for the manager (a change that changes nothing).
      await managerAgent
        .post(`/admin/users/${target.id}`)
        .type('form')
        .send({ ...form, _csrf: await csrfOf(managerAgent, `/admin/users/${target.id}`) })
        .expect(303);
      expect(await userRow(target.id)).toMatchObject({ role: 'trainer', status: 'active' });
    });
  });

  describe('hostile and unusual text', () => {
    /** 400 for the refused payloads, success otherwise; never a 5xx. */
    function expectOutcome(res: request.Response, value: string, success: number, field: string) {
      const label = `${field} = ${JSON.stringify(value.slice(0, 40))}`;
      expect({ label, status: res.status }).toEqual({ label, status: refused(value) ? 400 : success });
      if (refused(value)) {
        expectCleanError(res, 400);
        expect(Object.keys(res.body.fields)).toEqual([field]);
      }
    }

    it('user names (admin over the API): stored as typed, escaped on /admin/users, and no SQL breaks', async () => {
      const before = await t.db.manager.count(User);
      let accepted = 0;
      for (const [i, [, value]] of PAYLOADS.entries()) {
        const email = `payload.user.${i}@example.org`;
        const res = await as(admin).post('/users', { email, name: value, role: 'trainer' });
        expectOutcome(res, value, 201, 'name');
        const row = await t.db.manager.findOneBy(User, { email });
        if (refused(value)) {
          expect(row).toBeNull();
          continue;
        }
        accepted++;
        expect(res.body.name).toBe(value);
        expect(row?.name).toBe(value);
        const page = await adminAgent.get(`/admin/users?q=${encodeURIComponent(email)}`).expect(200);
        expectShownEscaped(page.text, value, `/admin/users for ${email}`);
        const edit = await adminAgent.get(`/admin/users/${row?.id}`).expect(200);
        expectShownEscaped(edit.text, value, `/admin/users/${row?.id}`);
      }
      // Every row is still there, and the API counts them all.
      expect(await t.db.manager.count(User)).toBe(before + accepted);
      const list = await as(admin).get('/users?limit=100').expect(200);
      expect(list.body.total).toBe(before + accepted);
      const sql = await as(admin)
        .get(`/users?q=${encodeURIComponent("' OR 1=1 --")}`)
        .expect(200);
      expect(sql.body.items.map((u: Json) => u.name)).toEqual(["' OR 1=1 --"]);
    });

    it('cohort name, venue and municipality (API): stored as typed, escaped on /cohorts/:id', async () => {
      for (const [, value] of PAYLOADS) {
        const before = await t.db.manager.count(Cohort);
        const res = await as(manager).post(
          '/cohorts',
          newCohort({ name: value, venue: value, municipality: value }),
        );
        const label = JSON.stringify(value.slice(0, 40));
        if (refused(value)) {
          expect({ label, status: res.status }).toEqual({ label, status: 400 });
          expectCleanError(res, 400);
          expect(Object.keys(res.body.fields).sort()).toEqual(['municipality', 'name', 'venue']);
          expect(await t.db.manager.count(Cohort)).toBe(before);
          continue;
        }
        expect({ label, status: res.status }).toEqual({ label, status: 201 });
        const read = await as(manager).get(`/cohorts/${res.body.id}`).expect(200);
        expect(read.body).toMatchObject({ name: value, venue: value, municipality: value });
        expect(await t.db.manager.findOneByOrFail(Cohort, { id: res.body.id })).toMatchObject({
          name: value,
          venue: value,
          municipality: value,
        });
        const page = await managerAgent.get(`/cohorts/${res.body.id}`).expect(200);
        expectShownEscaped(page.text, value, `/cohorts/${res.body.id}`);
        expect(page.text).toContain(`<h1>${escaped(value)}</h1>`);
      }
    });

    it('school name and address (API): stored as typed, escaped on /schools/:id', async () => {
      for (const [i, [, value]] of PAYLOADS.entries()) {
        const before = await t.db.manager.count(School);
        const res = await as(manager).post(
          '/schools',
          newSchool(`SEC-P${i}`, { name: value, address: value }),
        );
        const label = JSON.stringify(value.slice(0, 40));
        if (refused(value)) {
          expect({ label, status: res.status }).toEqual({ label, status: 400 });
          expectCleanError(res, 400);
          expect(Object.keys(res.body.fields).sort()).toEqual(['address', 'name']);
          expect(await t.db.manager.count(School)).toBe(before);
          continue;
        }
        expect({ label, status: res.status }).toEqual({ label, status: 201 });
        const read = await as(manager).get(`/schools/${res.body.id}`).expect(200);
        expect(read.body).toMatchObject({ name: value, address: value });
        const page = await managerAgent.get(`/schools/${res.body.id}`).expect(200);
        expectShownEscaped(page.text, value, `/schools/${res.body.id}`);
        expect(page.text).toContain(`<h1>${escaped(value)}</h1>`);
      }
    });

    it('cascade session notes (API): stored as typed, escaped on /cascade-sessions/:id', async () => {
      for (const [, value] of PAYLOADS) {
        const before = await t.db.manager.count(CascadeSession);
        const res = await as(ana).post('/cascade-sessions', newSession({ notes: value }));
        expectOutcome(res, value, 201, 'notes');
        if (refused(value)) {
          expect(await t.db.manager.count(CascadeSession)).toBe(before);
          continue;
        }
        const read = await as(ana).get(`/cascade-sessions/${res.body.id}`).expect(200);
        expect(read.body.notes).toBe(value);
        expect((await t.db.manager.findOneByOrFail(CascadeSession, { id: res.body.id })).notes).toBe(value);
        const page = await managerAgent.get(`/cascade-sessions/${res.body.id}`).expect(200);
        expectShownEscaped(page.text, value, `/cascade-sessions/${res.body.id}`);
      }
    });

    it('practicum notes (API): stored as typed, escaped on the participant page', async () => {
      const row = () => t.db.manager.findOneByOrFail(PracticumResult, { cohortId, userId: ana.id });
      for (const [, value] of PAYLOADS) {
        const before = await row();
        const res = await as(manager).put(`/cohorts/${cohortId}/participants/${ana.id}/practicum`, {
          passed: true,
          score: 90,
          notes: value,
        });
        expectOutcome(res, value, 200, 'notes');
        if (refused(value)) {
          expect(await row()).toEqual(before);
          continue;
        }
        expect(res.body.notes).toBe(value);
        expect((await row()).notes).toBe(value);
        const page = await managerAgent.get(`/cohorts/${cohortId}/participants/${ana.id}`).expect(200);
        expectShownEscaped(page.text, value, 'the participant page');
      }
    });

    it('revocation reasons (API): stored as typed, escaped on /certifications/:code and in the mail', async () => {
      const row = () => t.db.manager.findOneByOrFail(Certification, { code: carlaCode });
      for (const [, value] of PAYLOADS) {
        // Each payload revokes the certification anew.
        await t.db.transaction((tx) =>
          tx.update(
            Certification,
            { code: carlaCode },
            { status: 'active', revokedOn: null, revokedReason: null },
          ),
        );
        const mailsBefore = await t.db.manager.count(OutboxMessage, { where: { toAddress: carla.email } });
        const res = await as(manager).post(`/certifications/${carlaCode}/revoke`, { reason: value });
        expectOutcome(res, value, 200, 'reason');
        if (refused(value)) {
          expect(await row()).toMatchObject({ status: 'active', revokedOn: null, revokedReason: null });
          continue;
        }
        expect(res.body).toMatchObject({ status: 'revoked', revokedReason: value });
        expect((await row()).revokedReason).toBe(value);
        const page = await managerAgent.get(`/certifications/${carlaCode}`).expect(200);
        expectShownEscaped(page.text, value, `/certifications/${carlaCode}`);
        const mails = await t.db.manager.find(OutboxMessage, {
          where: { toAddress: carla.email },
          order: { createdAt: 'ASC' },
        });
        expect(mails.length).toBe(mailsBefore + 1);
        const mail = mails.find(
          (m) => m.htmlBody?.includes(escaped(value)) && m.template === 'certification-revoked',
        );
        expect(mail).toBeDefined();
        expect(mail?.htmlBody).not.toContain('<script>alert(1)</script>');
        expect(mail?.htmlBody ?? '').not.toMatch(/<img[^>]*onerror/i);
      }
    });

    it('account profile name (form): stored as typed, escaped on /account', async () => {
      const self = await t.createUser('trainer', { name: 'Form Owner' });
      const agent = await pageAgent(t, self.email);
      for (const [, value] of PAYLOADS) {
        const before = await userRow(self.id);
        const res = await agent
          .post('/account/profile')
          .type('form')
          .send({ name: value, language: 'en', _csrf: await csrfOf(agent) });
        const label = JSON.stringify(value.slice(0, 40));
        if (refused(value)) {
          expect({ label, status: res.status }).toEqual({ label, status: 400 });
          expect(await userRow(self.id)).toEqual(before);
          expect(res.text).not.toContain('<script>alert(1)</script>');
          continue;
        }
        expect({ label, status: res.status }).toEqual({ label, status: 303 });
        expect((await userRow(self.id)).name).toBe(value);
        const page = await agent.get('/account').expect(200);
        expectShownEscaped(page.text, value, '/account');
      }
    });

    it('refuses text that a database would mangle or reject, wherever it comes in (body, nested body, query, path)', async () => {
      const before = await counts();
      // NUL cannot be stored in PostgreSQL text; it is refused the same way on SQLite.
      const res = await as(admin).post('/users', {
        email: 'nul.field@example.org',
        name: 'Ana',
        role: 'trainer',
        organisation: 'Org\u0000',
      });
      expectCleanError(res, 400);
      expect(res.body.fields).toEqual({
        organisation: [
          'Contains characters that cannot be stored (a null character or a broken emoji). Please type it again.',
        ],
      });
      expectCleanError(
        await as(ana).post('/cascade-sessions', newSession({ moduleSlugs: ['practice\u0000'] })),
        400,
      );
      // A lone UTF-16 surrogate would be stored as U+FFFD by both databases: not stored as typed.
      const lone = await as(manager).post('/cohorts', newCohort({ name: 'Taller \uD800 roto' }));
      expectCleanError(lone, 400);
      expect(Object.keys(lone.body.fields)).toEqual(['name']);
      expectCleanError(await as(admin).get(`/users?q=${encodeURIComponent('a\u0000b')}`), 400);
      expectCleanError(await as(manager).get('/schools?q=%00'), 400);
      expectCleanError(await as(manager).get('/cohorts/%00'), 400);
      expectCleanError(await as(manager).get(`/cascade-sessions/${randomUUID()}%00`), 400);
      expect((await adminAgent.get(`/admin/users?q=${encodeURIComponent('a\u0000b')}`)).status).toBe(400);
      expect((await managerAgent.get('/cohorts/a%00b')).status).toBe(400);
      expect((await managerAgent.get('/schools/a%00b')).status).toBe(400);
      expect(await counts()).toEqual(before);
    });

    it('refuses absurdly nested JSON with 400, not a 500 (signed in or not)', async () => {
      const deepArray = `{"name":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
      const deepObject = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
      for (const text of [deepArray, deepObject]) {
        expectCleanError(await as(manager).raw('post', '/cohorts', text), 400);
        expectCleanError(
          await request(t.http).post('/api/v1/auth/login').set('Content-Type', 'application/json').send(text),
          400,
        );
      }
      // Ordinary nesting (a session's breakdowns) is of course fine.
      await as(ana)
        .post('/cascade-sessions', newSession({ notes: 'nested is fine' }))
        .expect(201);
    });

    it('counts a length limit in characters the way the database does (emoji with presentation selectors)', async () => {
      // "❤️" is two code points (U+2764 U+FE0F); PostgreSQL's varchar(n) counts both.
      const hearts = (n: number) => '\u2764\uFE0F'.repeat(n);
      const cases: Array<
        [string, number, (value: string, i: number) => Promise<request.Response>, () => Promise<number>]
      > = [
        [
          'user name',
          120,
          (v, i) => as(admin).post('/users', { email: `hearts.${i}@example.org`, name: v, role: 'trainer' }),
          () => t.db.manager.count(User),
        ],
        [
          'cohort name',
          160,
          (v) => as(manager).post('/cohorts', newCohort({ name: v })),
          () => t.db.manager.count(Cohort),
        ],
        [
          'cohort venue',
          200,
          (v) => as(manager).post('/cohorts', newCohort({ venue: v })),
          () => t.db.manager.count(Cohort),
        ],
        [
          'cohort municipality',
          120,
          (v) => as(manager).post('/cohorts', newCohort({ municipality: v })),
          () => t.db.manager.count(Cohort),
        ],
        [
          'school name',
          200,
          (v, i) => as(manager).post('/schools', newSchool(`SEC-H${i}`, { name: v })),
          () => t.db.manager.count(School),
        ],
        [
          'school address',
          300,
          (v, i) => as(manager).post('/schools', newSchool(`SEC-A${i}`, { address: v })),
          () => t.db.manager.count(School),
        ],
        [
          'school municipality',
          120,
          (v, i) => as(manager).post('/schools', newSchool(`SEC-M${i}`, { municipality: v })),
          () => t.db.manager.count(School),
        ],
      ];
      let i = 0;
      for (const [label, max, send, rows] of cases) {
        const before = await rows();
        const over = await send(hearts(max), i++);
        expect({ label, status: over.status }).toEqual({ label, status: 400 });
        expect(await rows()).toBe(before);
        const atLimit = await send(hearts(max / 2), i++);
        expect({ label, status: atLimit.status }).toEqual({ label, status: 201 });
        expect(JSON.stringify(atLimit.body)).toContain(JSON.stringify(hearts(max / 2)).slice(1, -1));
      }
      // A workshop named up to the limit can still mail its participants (the name is in the subject).
      const cohort = await as(manager)
        .post('/cohorts', newCohort({ name: hearts(80) }))
        .expect(201);
      await as(manager)
        .post(`/cohorts/${cohort.body.id}/participants`, {
          email: 'hearts.participant@example.org',
          name: hearts(60),
        })
        .expect(201);
      // The revocation reason (varchar 500).
      await t.db.transaction((tx) =>
        tx.update(
          Certification,
          { code: carlaCode },
          { status: 'active', revokedOn: null, revokedReason: null },
        ),
      );
      expectCleanError(
        await as(manager).post(`/certifications/${carlaCode}/revoke`, { reason: hearts(500) }),
        400,
      );
      await as(manager)
        .post(`/certifications/${carlaCode}/revoke`, { reason: hearts(250) })
        .expect(200);
      expect((await t.db.manager.findOneByOrFail(Certification, { code: carlaCode })).revokedReason).toBe(
        hearts(250),
      );
      // The profile form (user name, varchar 120).
      const self = await t.createUser('trainer', { name: 'Heart Owner' });
      const agent = await pageAgent(t, self.email);
      expect(
        (
          await agent
            .post('/account/profile')
            .type('form')
            .send({ name: hearts(120), language: 'en', _csrf: await csrfOf(agent) })
        ).status,
      ).toBe(400);
      await agent
        .post('/account/profile')
        .type('form')
        .send({ name: hearts(60), language: 'en', _csrf: await csrfOf(agent) })
        .expect(303);
      expect((await userRow(self.id)).name).toBe(hearts(60));
    });
  });

  describe('search filters treat LIKE metacharacters as data', () => {
    const names = [
      '100% sure_thing',
      '100 percent sure',
      'sure thing',
      "O'Brien Back\\slash",
      'Plain Person',
      'under_score',
    ];
    beforeAll(async () => {
      for (const [i, name] of names.entries())
        await as(admin)
          .post('/users', {
            email: `search.${i}@example.org`,
            name,
            role: 'trainer',
            password: 'a long enough password',
          })
          .expect(201);
      for (const [i, name] of [
        '50% Escuela_Uno',
        '50 Escuela Dos',
        "Escuela O'Higgins",
        'Escuela Back\\slash',
      ].entries()) {
        await as(manager)
          .post('/schools', newSchool(`SEC-Q${i}`, { name }))
          .expect(201);
      }
    });

    it("GET /api/v1/users?q= finds only literal matches of %, _, \\ and '", async () => {
      const search = async (q: string) => {
        const res = await as(admin)
          .get(`/users?q=${encodeURIComponent(q)}&limit=100`)
          .expect(200);
        return res.body.items as Array<{ name: string; email: string }>;
      };
      const percent = await search('%');
      expect(percent.length).toBeGreaterThan(0);
      expect(percent.every((u) => u.name.includes('%') || u.email.includes('%'))).toBe(true);
      expect(percent.map((u) => u.name)).toContain('100% sure_thing');
      expect(percent.map((u) => u.name)).not.toContain('100 percent sure');
      const underscore = await search('_');
      expect(underscore.every((u) => u.name.includes('_') || u.email.includes('_'))).toBe(true);
      expect(underscore.map((u) => u.name)).toEqual(
        expect.arrayContaining(['100% sure_thing', 'under_score']),
      );
      expect(underscore.map((u) => u.name)).not.toContain('sure thing');
      expect((await search('sure_thing')).map((u) => u.name)).toEqual(['100% sure_thing']);
      expect((await search('100%')).map((u) => u.name)).toEqual(['100% sure_thing']);
      const backslash = await search('\\');
      expect(backslash.map((u) => u.name)).toEqual(["O'Brien Back\\slash"]);
      const quote = await search("'");
      expect(quote.length).toBeGreaterThan(0);
      expect(quote.every((u) => u.name.includes("'") || u.email.includes("'"))).toBe(true);
      expect(quote.map((u) => u.name)).toContain("O'Brien Back\\slash");
      expect(await search("%' OR '1'='1")).toEqual([]);
    });

    it('/admin/users?q= shows only literal matches', async () => {
      const page = await adminAgent.get(`/admin/users?q=${encodeURIComponent('%')}`).expect(200);
      expect(page.text).toContain(escaped('100% sure_thing'));
      expect(page.text).not.toContain('100 percent sure');
      expect(page.text).not.toContain('Plain Person');
      const under = await adminAgent.get(`/admin/users?q=${encodeURIComponent('_')}`).expect(200);
      expect(under.text).toContain('under_score');
      expect(under.text).not.toContain('Plain Person');
      const slash = await adminAgent.get(`/admin/users?q=${encodeURIComponent('\\')}`).expect(200);
      expect(slash.text).toContain(escaped("O'Brien Back\\slash"));
      expect(slash.text).not.toContain('Plain Person');
      const quote = await adminAgent.get(`/admin/users?q=${encodeURIComponent("'")}`).expect(200);
      expect(quote.text).toContain(escaped("O'Brien Back\\slash"));
      expect(quote.text).not.toContain('Plain Person');
    });

    it('/schools?q= and GET /api/v1/schools?q= show only literal matches', async () => {
      const page = await managerAgent.get(`/schools?q=${encodeURIComponent('%')}`).expect(200);
      expect(page.text).toContain('50% Escuela_Uno');
      expect(page.text).not.toContain('50 Escuela Dos');
      expect(page.text).not.toContain('Centro Escolar Base');
      const under = await managerAgent.get(`/schools?q=${encodeURIComponent('_')}`).expect(200);
      expect(under.text).toContain('50% Escuela_Uno');
      expect(under.text).not.toContain('50 Escuela Dos');
      const quote = await managerAgent.get(`/schools?q=${encodeURIComponent("'")}`).expect(200);
      expect(quote.text).toContain(escaped("Escuela O'Higgins"));
      expect(quote.text).not.toContain('50 Escuela Dos');
      const slash = await managerAgent.get(`/schools?q=${encodeURIComponent('\\')}`).expect(200);
      expect(slash.text).toContain('Escuela Back\\slash');
      expect(slash.text).not.toContain('50 Escuela Dos');
      for (const q of ['%', '_', '\\', "'"]) {
        const res = await as(manager)
          .get(`/schools?q=${encodeURIComponent(q)}&limit=200`)
          .expect(200);
        const found = res.body.items as Array<{ name: string; code: string }>;
        expect(found.length).toBeGreaterThan(0);
        expect({ q, literal: found.every((s) => s.name.includes(q) || s.code.includes(q)) }).toEqual({
          q,
          literal: true,
        });
      }
    });
  });

  describe('content assets', () => {
    const course = COURSE;
    /** Text of files a traversal would reach: the app's package.json, the course manifest, a quiz with its answers. */
    const secrets = ['"devDependencies"', 'certification:', 'correct: true', 'passMark', 'root:'];
    const expectNotServed = (res: request.Response, path: string) => {
      // 404; a NUL character in the path is refused as bad input (400) before any lookup.
      expect({ path, status: res.status }).toEqual({ path, status: path.includes('%00') ? 400 : 404 });
      for (const secret of secrets)
        expect({ path, leaked: res.text?.includes(secret) ?? false }).toEqual({ path, leaked: false });
    };

    it('serves a course asset to a signed-in user (the control case), and not to anonymous visitors', async () => {
      const res = await managerAgent.get(`/content/${course}/assets/pixel.png`).expect(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const anonymous = await request(t.http).get(`/content/${course}/assets/pixel.png`).expect(303);
      expect(anonymous.headers.location).toMatch(/^\/login/);
    });

    it.each([
      `/content/${COURSE}/assets/..%2F..%2Fpackage.json`,
      `/content/${COURSE}/assets/%2e%2e%2fcourse.yaml`,
      `/content/${COURSE}/assets/%2E%2E%2Fcourse.yaml`,
      `/content/${COURSE}/assets/..%2Fpractice%2Fpost-test.quiz.yaml`,
      `/content/${COURSE}/assets/..%5Cpractice%5Cpost-test.quiz.yaml`,
      `/content/${COURSE}/assets/..%252F..%252Fpackage.json`,
      `/content/${COURSE}/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd`,
      `/content/${COURSE}/assets/..%2Fpractice%2Fpost-test.quiz.yaml%00.png`,
      `/content/${COURSE}/assets/pixel.png%2F..%2F..%2Fcourse.yaml`,
      `/content/${COURSE}/assets/.%2F..%2Fcourse.yaml`,
      `/content/%2e%2e/assets/package.json`,
      `/content/..%2F..%2F/assets/package.json`,
      `/content/${COURSE}%2F..%2F..%2F/assets/package.json`,
      `/content/${COURSE}/practice/post-test.quiz.yaml`,
      `/content/${COURSE}/course.yaml`,
      `/content/${COURSE}/assets/post-test.quiz.yaml`,
      `/assets/..%2F..%2Fpackage.json`,
      `/assets/%2e%2e/%2e%2e/package.json`,
      `/assets/..%2F..%2Ftest%2Ffixtures%2Fcontent%2Ftiny-course%2Fpractice%2Fpost-test.quiz.yaml`,
    ])('never serves %s', async (path) => {
      expectNotServed(await managerAgent.get(path), path);
    });

    it('never shows quiz answers through the API', async () => {
      const enrolmentId = (await as(ana).get('/me').expect(200)).body.enrolments[0].id as string;
      const quiz = await as(ana).get(`/enrolments/${enrolmentId}/quizzes/post-test`).expect(200);
      expect(JSON.stringify(quiz.body)).not.toMatch(/correct/i);
      const outline = await as(ana).get(`/courses/${COURSE}`).expect(200);
      expect(JSON.stringify(outline.body)).not.toMatch(/"correct"|passMark/);
    });
  });

  describe('headers and errors', () => {
    const expectSecurityHeaders = (res: request.Response, path: string) => {
      const csp = String(res.headers['content-security-policy'] ?? '');
      expect({ path, defaultSrc: /(^|;)\s*default-src 'self'(;|$)/.test(csp) }).toEqual({
        path,
        defaultSrc: true,
      });
      expect({
        path,
        frameAncestors: /frame-ancestors 'none'/.test(csp),
        scriptUnsafe: /script-src[^;]*'unsafe-(inline|eval)'/.test(csp),
      }).toEqual({ path, frameAncestors: true, scriptUnsafe: false });
      expect({ path, nosniff: res.headers['x-content-type-options'] }).toEqual({ path, nosniff: 'nosniff' });
      expect({ path, referrer: res.headers['referrer-policy'] }).toEqual({
        path,
        referrer: expect.stringMatching(
          /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/,
        ),
      });
      expect({ path, frame: res.headers['x-frame-options'] }).toEqual({ path, frame: 'DENY' });
      expect({ path, poweredBy: res.headers['x-powered-by'] }).toEqual({ path, poweredBy: undefined });
    };

    it('sends the security headers with every page, signed in or not, errors and redirects included', async () => {
      const anonymous = request.agent(t.http);
      const pages: Array<[Agent, string, number]> = [
        [anonymous, '/login', 200],
        [anonymous, '/reset-password', 200],
        [anonymous, '/verify', 200],
        [anonymous, '/verify/NOPE-NOPE', 404],
        [anonymous, '/', 303],
        [anonymous, '/admin/users', 303],
        [anonymous, '/no-such-page', 404],
        [managerAgent, '/', 200],
        [managerAgent, '/account', 200],
        [managerAgent, '/admin/users', 200],
        [managerAgent, '/admin/outbox', 403],
        [managerAgent, '/cohorts', 200],
        [managerAgent, `/cohorts/${cohortId}`, 200],
        [managerAgent, '/schools', 200],
        [managerAgent, `/schools/${school.id}`, 200],
        [managerAgent, '/cascade-sessions', 200],
        [managerAgent, '/reports', 200],
        [managerAgent, '/reports/cascade', 200],
        [managerAgent, `/certifications/${carlaCode}`, 200],
        [managerAgent, `/cohorts/${randomUUID()}`, 404],
        [adminAgent, '/admin/outbox', 200],
        [adminAgent, '/admin/audit', 200],
      ];
      for (const [agent, path, status] of pages) {
        const res = await agent.get(path);
        expect({ path, status: res.status }).toEqual({ path, status });
        expectSecurityHeaders(res, path);
      }
      // A refused form and a CSRF refusal are pages too.
      const refusedForm = await managerAgent
        .post('/account/profile')
        .type('form')
        .send({ name: '', language: 'en', _csrf: await csrfOf(managerAgent) });
      expect(refusedForm.status).toBe(400);
      expectSecurityHeaders(refusedForm, 'POST /account/profile (refused)');
      const csrf = await managerAgent
        .post('/account/profile')
        .type('form')
        .send({ name: 'X', language: 'en' });
      expect(csrf.status).toBe(403);
      expectSecurityHeaders(csrf, 'POST /account/profile (no CSRF token)');
      // The API carries them as well.
      expectSecurityHeaders(await as(manager).get('/me').expect(200), '/api/v1/me');
    });

    it('never puts a stack trace or query text in a JSON error', async () => {
      expectCleanError(await request(t.http).post('/api/v1/auth/login').send({}), 400);
      expectCleanError(
        await request(t.http)
          .post('/api/v1/auth/login')
          .set('Content-Type', 'application/json')
          .send('{"email": "a@example.org", "password": '),
        400,
      );
      expectCleanError(
        await request(t.http)
          .post('/api/v1/auth/login')
          .set('Content-Type', 'application/json')
          .send(`{"email":"${'a'.repeat(300_000)}"}`),
        413,
      );
      expectCleanError(await request(t.http).get('/api/v1/me'), 401);
      expectCleanError(await as(trainer).get('/users'), 403);
      expectCleanError(await as(manager).get(`/cohorts/${randomUUID()}`), 404);
      expectCleanError(await as(manager).get(`/cohorts/${encodeURIComponent("' OR 1=1 --")}`), 404);
      expectCleanError(await as(manager).get('/cascade-sessions?limit=abc'), 400);
      expectCleanError(await as(manager).post('/schools', newSchool('SEC-BASE')), 409);
      expectCleanError(
        await as(trainer).post('/cascade-sessions', newSession({ trainerId: trainer.id })),
        422,
      );
      expectCleanError(await request(t.http).get('/api/v1/no-such-route'), 404);
    });

    it('answers an unexpected failure with a plain 500, no stack trace and no internal message', async () => {
      const schools = t.app.get(SchoolsService);
      const boom = () => {
        const error = new Error('SECRET internal failure: connection to db-primary.internal refused');
        error.stack = `${error.message}\n    at SchoolsService.list (/srv/app/src/schools/schools.service.ts:101:7)`;
        return error;
      };
      const spy = jest.spyOn(schools, 'list').mockImplementation(async () => {
        throw boom();
      });
      try {
        const api = await as(manager).get('/schools');
        expectCleanError(api, 500);
        expect(api.text).not.toContain('SECRET');
        expect(api.body).toMatchObject({ statusCode: 500, error: 'Internal Server Error' });
        const page = await managerAgent.get('/schools');
        expect(page.status).toBe(500);
        expect(page.text).not.toContain('SECRET');
        expect(page.text).not.toMatch(/\n\s+at |\.ts:\d+/);
        expectSecurityHeaders(page, '/schools (500)');
      } finally {
        spy.mockRestore();
      }
      await as(manager).get('/schools').expect(200);
    });
  });
});
