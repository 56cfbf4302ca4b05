/**
 * Who may call what: every registered route against a table of expected answers per role.
 *
 * EVERY NEW ROUTE MUST BE ADDED TO `ACCESS` BELOW. The test fails when a registered route has no
 * entry (so nobody ships a route without deciding who may use it) and when an entry names a route
 * that no longer exists.
 *
 * Expected answers: a status code, or 'login' (pages only: a 303 redirect to /login). Anonymous
 * API calls answer 401. Page POSTs carry a valid CSRF token, so what is checked is access, not CSRF.
 * Bodies are valid where the action is harmless; where it would use up a link token or change a
 * password the body is deliberately refused (400), which still shows the request got past access.
 * Signed-in users send their session as the cookie (pages) or as the Bearer token (API), never both.
 */
import request from 'supertest';
import { OutboxMessage } from '../../src/mail/outbox-message.entity';
import type { User } from '../../src/users/user.entity';
import { createTestApp, TestApp, TEST_PASSWORD } from '../support/create-test-app';
import { apiToken, csrfFrom } from '../support/login';

type Role = 'anonymous' | 'trainer' | 'coordinator' | 'manager' | 'admin';
type Expected = number | 'login';
const ROLES: Role[] = ['anonymous', 'trainer', 'coordinator', 'manager', 'admin'];

interface Fixtures {
  users: Record<Exclude<Role, 'anonymous'>, User>;
  editTarget: User;
  disableTarget: User;
  resendTarget: User;
  invitationToken: string;
  resetToken: string;
  outboxMessageId: string;
  /** The trainer's enrolment in `course`, with one quiz attempt. */
  course: string;
  enrolmentId: string;
  lessonSlug: string;
  quizSlug: string;
  answers: Record<string, string[]>;
  /** A course nobody is enrolled in yet. */
  otherCourse: string;
}

interface Entry {
  expect: Record<Role, Expected>;
  /** Values for the path's `:params`. */
  params?: (f: Fixtures) => Record<string, string>;
  body?: (f: Fixtures, role: Role) => object;
  /** The request ends the caller's session: use a session opened just for it. */
  endsSession?: true;
  /** Success itself redirects to /login (otherwise a 303 to /login counts as "not signed in"). */
  successGoesToLogin?: true;
}

const everyone = (status: Expected): Record<Role, Expected> => ({ anonymous: status, trainer: status, coordinator: status, manager: status, admin: status });
const signedIn = (status: Expected): Record<Role, Expected> => ({ anonymous: 'login', trainer: status, coordinator: status, manager: status, admin: status });
const signedInApi = (status: Expected): Record<Role, Expected> => ({ ...signedIn(status), anonymous: 401 });
const managersPage = (status: Expected): Record<Role, Expected> => ({ anonymous: 'login', trainer: 403, coordinator: 403, manager: status, admin: status });
const managersApi = (status: Expected): Record<Role, Expected> => ({ ...managersPage(status), anonymous: 401 });
const ownerOnlyPage = (status: Expected): Record<Role, Expected> => ({ anonymous: 'login', trainer: status, coordinator: 403, manager: 403, admin: 403 });
const ownerOnlyApi = (status: Expected): Record<Role, Expected> => ({ ...ownerOnlyPage(status), anonymous: 401 });
const adminsPage: Record<Role, Expected> = { anonymous: 'login', trainer: 403, coordinator: 403, manager: 403, admin: 200 };

let unique = 0;
const WEAK = 'short';

const ACCESS: Record<string, Entry> = {
  'GET /healthz': { expect: everyone(200) },
  'GET /': { expect: signedIn(200) },

  // Auth pages
  'GET /login': { expect: { ...signedIn(303), anonymous: 200 } }, // signed-in users are sent on
  'POST /login': { expect: everyone(303), body: (f) => ({ email: f.users.trainer.email, password: TEST_PASSWORD }) },
  'POST /logout': { expect: signedIn(303), endsSession: true, successGoesToLogin: true },
  'GET /invite/:token': { expect: everyone(200), params: (f) => ({ token: f.invitationToken }) },
  'POST /invite/:token': { expect: everyone(400), params: (f) => ({ token: f.invitationToken }), body: () => ({ password: 'one good sentence', confirm: 'another sentence' }) },
  'GET /reset-password': { expect: everyone(200) },
  'POST /reset-password': { expect: everyone(303), body: () => ({ email: 'nobody@example.org' }), successGoesToLogin: true },
  'GET /reset-password/:token': { expect: everyone(200), params: (f) => ({ token: f.resetToken }) },
  'POST /reset-password/:token': { expect: everyone(400), params: (f) => ({ token: f.resetToken }), body: () => ({ password: 'one good sentence', confirm: 'another sentence' }) },

  // Auth API
  'POST /api/v1/auth/login': { expect: everyone(200), body: (f) => ({ email: f.users.trainer.email, password: TEST_PASSWORD }) },
  'POST /api/v1/auth/logout': { expect: signedInApi(204), endsSession: true },
  'POST /api/v1/auth/accept-invitation': { expect: everyone(400), body: (f) => ({ token: f.invitationToken, password: WEAK }) },
  'POST /api/v1/auth/password-reset': { expect: everyone(202), body: () => ({ email: 'nobody@example.org' }) },
  'POST /api/v1/auth/password-reset/confirm': { expect: everyone(400), body: (f) => ({ token: f.resetToken, password: WEAK }) },
  'GET /api/v1/me': { expect: signedInApi(200) },

  // Own account
  'GET /account': { expect: signedIn(200) },
  'POST /account/profile': { expect: signedIn(303), body: (f, role) => ({ name: role === 'anonymous' ? 'x' : f.users[role].name, language: 'en' }) },
  'POST /account/password': { expect: signedIn(400), body: () => ({ current: 'not my password', password: 'a new good sentence', confirm: 'a new good sentence' }) },

  // People
  'GET /admin/users': { expect: managersPage(200) },
  'GET /admin/users/new': { expect: managersPage(200) },
  'POST /admin/users': { expect: managersPage(303), body: (_f, role) => ({ name: 'Matrix Person', email: `matrix.page.${role}.${++unique}@example.org`, role: 'trainer', sex: 'unspecified', language: 'en' }) },
  'GET /admin/users/:id': { expect: managersPage(200), params: (f) => ({ id: f.editTarget.id }) },
  'POST /admin/users/:id': {
    expect: managersPage(303),
    params: (f) => ({ id: f.editTarget.id }),
    body: (f) => ({ name: f.editTarget.name, role: 'trainer', sex: 'unspecified', language: 'en' }),
  },
  'POST /admin/users/:id/disable': { expect: managersPage(303), params: (f) => ({ id: f.disableTarget.id }) },
  'POST /admin/users/:id/resend-invitation': { expect: managersPage(303), params: (f) => ({ id: f.resendTarget.id }) },
  'POST /api/v1/users': { expect: managersApi(201), body: (_f, role) => ({ name: 'Matrix Person', email: `matrix.api.${role}.${++unique}@example.org`, role: 'trainer' }) },
  'GET /api/v1/users': { expect: managersApi(200) },

  // Administration
  'GET /admin/outbox': { expect: adminsPage },
  'GET /admin/outbox/:id': { expect: adminsPage, params: (f) => ({ id: f.outboxMessageId }) },
  'GET /admin/audit': { expect: adminsPage },

  // Courses and learning
  'GET /api/v1/courses': { expect: signedInApi(200) },
  'GET /api/v1/courses/:slug': { expect: signedInApi(200), params: (f) => ({ slug: f.course }) },
  'POST /api/v1/courses/:slug/enrolments': { expect: { anonymous: 401, trainer: 201, coordinator: 403, manager: 403, admin: 403 }, params: (f) => ({ slug: f.otherCourse }) },
  'GET /api/v1/enrolments/:id': { expect: { anonymous: 401, trainer: 200, coordinator: 403, manager: 200, admin: 200 }, params: (f) => ({ id: f.enrolmentId }) },
  'POST /api/v1/enrolments/:id/lessons/:lessonSlug/complete': { expect: ownerOnlyApi(200), params: (f) => ({ id: f.enrolmentId, lessonSlug: f.lessonSlug }) },
  'GET /api/v1/enrolments/:id/quizzes/:quizSlug': { expect: ownerOnlyApi(200), params: (f) => ({ id: f.enrolmentId, quizSlug: f.quizSlug }) },
  'POST /api/v1/enrolments/:id/quizzes/:quizSlug/attempts': {
    expect: ownerOnlyApi(201),
    params: (f) => ({ id: f.enrolmentId, quizSlug: f.quizSlug }),
    body: (f) => ({ answers: f.answers }),
  },
  'GET /courses': { expect: signedIn(200) },
  'GET /courses/:slug': { expect: signedIn(200), params: (f) => ({ slug: f.course }) },
  'POST /courses/:slug/enrol': { expect: { anonymous: 'login', trainer: 303, coordinator: 403, manager: 403, admin: 403 }, params: (f) => ({ slug: f.otherCourse }) },
  'GET /courses/:slug/preview/:lessonSlug': { expect: signedIn(200), params: (f) => ({ slug: f.course, lessonSlug: f.lessonSlug }) },
  'GET /learn': { expect: signedIn(200) },
  'GET /learn/:id': { expect: ownerOnlyPage(200), params: (f) => ({ id: f.enrolmentId }) },
  'GET /learn/:id/lessons/:lessonSlug': { expect: ownerOnlyPage(200), params: (f) => ({ id: f.enrolmentId, lessonSlug: f.lessonSlug }) },
  'POST /learn/:id/lessons/:lessonSlug/complete': { expect: ownerOnlyPage(303), params: (f) => ({ id: f.enrolmentId, lessonSlug: f.lessonSlug }) },
  'GET /learn/:id/quizzes/:quizSlug': { expect: ownerOnlyPage(200), params: (f) => ({ id: f.enrolmentId, quizSlug: f.quizSlug }) },
  'POST /learn/:id/quizzes/:quizSlug': {
    expect: ownerOnlyPage(303),
    params: (f) => ({ id: f.enrolmentId, quizSlug: f.quizSlug }),
    body: (f) => Object.fromEntries(Object.entries(f.answers).map(([question, options]) => [`a.${question}`, options[0]])),
  },
  'GET /learn/:id/quizzes/:quizSlug/result': { expect: ownerOnlyPage(200), params: (f) => ({ id: f.enrolmentId, quizSlug: f.quizSlug }) },
  // The shipped packages have no assets: signed-in users get 404 for a missing file, anonymous ones the login.
  'GET /content/:course/assets/:file': { expect: signedIn(404), params: (f) => ({ course: f.course, file: 'missing.png' }) },

  // Content administration
  'GET /admin/content': { expect: adminsPage },
  'POST /admin/content/import': { expect: { ...adminsPage, admin: 303 } },
  'POST /admin/content/contacts': { expect: { ...adminsPage, admin: 303 }, body: () => ({ countryCode: '--', textEn: 'Call 911.', textEs: 'Llame al 911.' }) },
};

/** Routes the app registers on the Express router, as `METHOD /path` (without the OpenAPI docs). */
function registeredRoutes(t: TestApp): string[] {
  const stack = t.app.getHttpAdapter().getInstance().router.stack as Array<{ route?: { path: string | string[]; methods: Record<string, boolean> } }>;
  const routes = new Set<string>();
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const path of ([] as string[]).concat(layer.route.path)) {
      if (path === '/api/docs' || path.startsWith('/api/docs/') || path.startsWith('/api/docs-')) continue;
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') routes.add(`${method.toUpperCase()} ${path}`);
    }
  }
  return [...routes].sort();
}

describe('access matrix', () => {
  let t: TestApp;
  let f: Fixtures;
  const tokens = new Map<Role, string>();
  let visitorCookie: string;
  let csrf: string;

  beforeAll(async () => {
    t = await createTestApp();
    const users = {
      trainer: await t.createUser('trainer'),
      coordinator: await t.createUser('coordinator'),
      manager: await t.createUser('manager'),
      admin: await t.createUser('admin'),
    };
    for (const role of Object.keys(users) as Array<keyof typeof users>) tokens.set(role, await apiToken(t, users[role].email));
    const admin = { Authorization: `Bearer ${tokens.get('admin')}` };
    const invite = async (name: string) => {
      const email = `${name}@example.org`;
      const res = await request(t.http).post('/api/v1/users').set(admin).send({ email, name, role: 'trainer' }).expect(201);
      return res.body as User;
    };
    const invitee = await invite('invitee');
    const resendTarget = await invite('resend-target');
    const resetUser = await t.createUser('trainer');
    await request(t.http).post('/api/v1/auth/password-reset').send({ email: resetUser.email }).expect(202);
    const mailTo = async (email: string) => (await t.db.manager.findOneOrFail(OutboxMessage, { where: { toAddress: email } }));
    const tokenIn = (message: OutboxMessage, kind: string) => new RegExp(`/${kind}/([A-Za-z0-9_-]+)`).exec(message.textBody)?.[1] as string;
    const invitation = await mailTo(invitee.email);

    // The trainer's enrolment in the first course, with one attempt at a quiz that allows retries.
    const trainer = { Authorization: `Bearer ${tokens.get('trainer')}` };
    const courses = (await request(t.http).get('/api/v1/courses').set(trainer).expect(200)).body.items as Array<{
      slug: string;
      modules: Array<{ lessons: Array<{ slug: string }>; quizzes: Array<{ slug: string; kind: string }> }>;
    }>;
    expect(courses.length).toBeGreaterThanOrEqual(2);
    const [course, otherCourse] = courses;
    const enrolment = (await request(t.http).post(`/api/v1/courses/${course.slug}/enrolments`).set(trainer).expect(201)).body as { id: string };
    const quizSlug = course.modules.flatMap((m) => m.quizzes).find((q) => q.kind === 'check')?.slug as string;
    const quiz = (await request(t.http).get(`/api/v1/enrolments/${enrolment.id}/quizzes/${quizSlug}`).set(trainer).expect(200)).body as {
      questions: Array<{ id: string; options: Array<{ id: string }> }>;
    };
    const answers = Object.fromEntries(quiz.questions.map((q) => [q.id, [q.options[0].id]]));
    await request(t.http).post(`/api/v1/enrolments/${enrolment.id}/quizzes/${quizSlug}/attempts`).set(trainer).send({ answers }).expect(201);

    f = {
      course: course.slug,
      otherCourse: otherCourse.slug,
      enrolmentId: enrolment.id,
      lessonSlug: course.modules[0].lessons[0].slug,
      quizSlug,
      answers,
      users,
      editTarget: await t.createUser('trainer'),
      disableTarget: await t.createUser('trainer'),
      resendTarget,
      invitationToken: tokenIn(invitation, 'invite'),
      resetToken: tokenIn(await mailTo(resetUser.email), 'reset-password'),
      outboxMessageId: invitation.id,
    };
    const login = await request(t.http).get('/login').expect(200);
    visitorCookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).find((c) => c.startsWith('cascada_visitor='))?.split(';')[0] as string;
    csrf = csrfFrom(login.text);
  }, 30_000); // the app's start-up (migrations, content import) plus this file's fixtures
  afterAll(() => t?.close());

  it('has an entry for every registered route, and no entry for a route that is gone', () => {
    const registered = registeredRoutes(t);
    expect(registered.length).toBeGreaterThan(20);
    const missing = registered.filter((route) => !(route in ACCESS));
    const gone = Object.keys(ACCESS).filter((route) => !registered.includes(route));
    expect({ missingFromTable: missing, noLongerRegistered: gone }).toEqual({ missingFromTable: [], noLongerRegistered: [] });
  });

  // One test per table entry; the test above fails when an entry names a route that is gone.
  it.each(Object.keys(ACCESS))('%s answers each role as the table says', async (route) => {
    if (!registeredRoutes(t).includes(route)) return;
    const entry = ACCESS[route];
    const [method, pattern] = route.split(' ');
    const params = entry.params?.(f) ?? {};
    const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
      if (!(name in params)) throw new Error(`${route}: no value for :${name}`);
      return encodeURIComponent(params[name]);
    });
    const isApi = path.startsWith('/api/v1');
    const answers: Partial<Record<Role, Expected>> = {};
    for (const role of ROLES) {
      let token = tokens.get(role);
      if (token && entry.endsSession) token = await apiToken(t, f.users[role as Exclude<Role, 'anonymous'>].email);
      const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      let req = request(t.http)[verb](path);
      if (isApi) {
        if (token) req = req.set('Authorization', `Bearer ${token}`);
        if (verb !== 'get') req = req.send(entry.body?.(f, role) ?? {});
      } else {
        req = req.set('Cookie', [visitorCookie, ...(token ? [`cascada_session=${token}`] : [])].join('; '));
        if (verb !== 'get') req = req.type('form').send({ ...(entry.body?.(f, role) ?? {}), _csrf: csrf });
      }
      const res = await req;
      const toLogin = res.status === 303 && /^\/login(\?|$)/.test(String(res.headers.location));
      // A 303 to /login means "not signed in", unless success itself goes there (logout, reset request).
      answers[role] = toLogin && !(entry.successGoesToLogin && entry.expect[role] !== 'login') ? 'login' : res.status;
    }
    expect(answers).toEqual(entry.expect);
  });
});
