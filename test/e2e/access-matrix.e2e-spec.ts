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
 * One-shot actions on a record (confirm, reject, remove a participant) get an object of each role's
 * own: `params` receives the role. Record-level answers follow the fixtures: the fixture trainer takes
 * part in the workshop but is not certified; the coordinator coordinates the fixture school; the
 * manager has no country scope.
 * Signed-in users send their session as the cookie (pages) or as the Bearer token (API), never both.
 */
import request from 'supertest';
import { CatalogueService, type CourseOutline } from '../../src/courses/catalogue.service';
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

  /** A workshop of `course` in DO that ended before today, with one day; the fixture trainer and `certified` take part. */
  cohortId: string;
  dayId: string;
  /** The workshop's own values (an update that changes nothing). */
  cohortValues: {
    courseSlug: string;
    name: string;
    countryCode: string;
    startsOn: string;
    endsOn: string;
    capacity: number;
  };
  /** A second trainer of the workshop: every lesson, the post-test, the day attended, the practicum passed, certified. */
  certified: User;
  certCode: string;
  /** A school in DO whose coordinator is the fixture coordinator. */
  schoolId: string;
  /** A session `certified` logged at the school (submitted). */
  sessionId: string;
  /** A session the coordinator logged at the school for `certified` (submitted; only its author edits it). */
  coordinatorSession: { id: string; slot: Slot };
  /** Submitted sessions logged by `certified`, used up by a decision: one per route and role. */
  toDecide: Record<'apiConfirm' | 'apiReject' | 'pageConfirm' | 'pageReject', Record<Role, string>>;
  /** (date, module) pairs no session uses yet, for the coordinator's new sessions. */
  freeSlots: { api: Slot; page: Slot };
  /** A second workshop with room for new participants and days, and one participant per role to remove. */
  spareCohortId: string;
  removable: Record<Role, string>;
}

/** What makes a session unique for a school and trainer: its date and modules. */
interface Slot {
  date: string;
  moduleSlugs: string[];
}

interface Entry {
  expect: Record<Role, Expected>;
  /** Values for the path's `:params` (per role, so one-shot actions can use an object of each role's own). */
  params?: (f: Fixtures, role: Role) => Record<string, string>;
  body?: (f: Fixtures, role: Role) => object;
  /** A query string for the request (without `?`). */
  query?: string;
  /** The request ends the caller's session: use a session opened just for it. */
  endsSession?: true;
  /** Success itself redirects to /login (otherwise a 303 to /login counts as "not signed in"). */
  successGoesToLogin?: true;
}

const everyone = (status: Expected): Record<Role, Expected> => ({
  anonymous: status,
  trainer: status,
  coordinator: status,
  manager: status,
  admin: status,
});
const signedIn = (status: Expected): Record<Role, Expected> => ({
  anonymous: 'login',
  trainer: status,
  coordinator: status,
  manager: status,
  admin: status,
});
const signedInApi = (status: Expected): Record<Role, Expected> => ({ ...signedIn(status), anonymous: 401 });
const managersPage = (status: Expected): Record<Role, Expected> => ({
  anonymous: 'login',
  trainer: 403,
  coordinator: 403,
  manager: status,
  admin: status,
});
const managersApi = (status: Expected): Record<Role, Expected> => ({
  ...managersPage(status),
  anonymous: 401,
});
const ownerOnlyPage = (status: Expected): Record<Role, Expected> => ({
  anonymous: 'login',
  trainer: status,
  coordinator: 403,
  manager: 403,
  admin: 403,
});
const ownerOnlyApi = (status: Expected): Record<Role, Expected> => ({
  ...ownerOnlyPage(status),
  anonymous: 401,
});
const adminsPage: Record<Role, Expected> = {
  anonymous: 'login',
  trainer: 403,
  coordinator: 403,
  manager: 403,
  admin: 200,
};
/** The workshop: managers and admins manage it, its participants (the fixture trainer) read it, others are refused. */
const workshopPage = (status: Expected): Record<Role, Expected> => ({
  anonymous: 'login',
  trainer: status,
  coordinator: 403,
  manager: status,
  admin: status,
});
const workshopApi = (status: Expected): Record<Role, Expected> => ({
  ...workshopPage(status),
  anonymous: 401,
});
/** A session logged at the coordinator's school for another trainer: that school's coordinator, managers and admins. */
const schoolSessionPage = (status: Expected): Record<Role, Expected> => ({
  anonymous: 'login',
  trainer: 403,
  coordinator: status,
  manager: status,
  admin: status,
});
const schoolSessionApi = (status: Expected): Record<Role, Expected> => ({
  ...schoolSessionPage(status),
  anonymous: 401,
});

/** A session's API body: `slot` at the fixture school, 22 students aged 10–14. */
const sessionJson = (f: Pick<Fixtures, 'schoolId' | 'course'>, trainerId: string, slot: Slot) => ({
  schoolId: f.schoolId,
  trainerId,
  courseSlug: f.course,
  moduleSlugs: slot.moduleSlugs,
  date: slot.date,
  durationMinutes: 50,
  participants: { female: 12, male: 10, unspecified: 0 },
  ageBands: { under_10: 0, '10_14': 22, '15_17': 0, '18_plus': 0 },
});
/** The same as the logging form sends it (one module). */
const sessionForm = (f: Fixtures, trainerId: string, slot: Slot) => ({
  schoolId: f.schoolId,
  trainerId,
  courseSlug: f.course,
  moduleSlugs: slot.moduleSlugs[0],
  date: slot.date,
  durationMinutes: '50',
  p_female: '12',
  p_male: '10',
  p_unspecified: '0',
  a_under_10: '0',
  a_10_14: '22',
  a_15_17: '0',
  a_18_plus: '0',
  teachers: '0',
  parents: '0',
});
const newCohort = (f: Fixtures) => ({
  courseSlug: f.course,
  name: 'Matrix workshop',
  countryCode: 'DO',
  startsOn: '2026-04-06',
  endsOn: '2026-04-08',
  capacity: 20,
});
/** A day of the spare workshop (March 2026) of each role's own, so that no two requests ask for the same date. */
const dayOf = (role: Role, offset: number) =>
  `2026-03-${String(offset + ROLES.indexOf(role)).padStart(2, '0')}`;
const schoolCsv = (role: Role) =>
  `country,municipality,name,code\nDO,Santiago,Matrix Import School,IMP-${role}-${++unique}\n`;
const rosterCsv = (role: Role) => `name,email\nMatrix Import,matrix.import.${role}.${++unique}@example.org\n`;

let unique = 0;
const WEAK = 'short';

const ACCESS: Record<string, Entry> = {
  'GET /healthz': { expect: everyone(200) },
  'GET /': { expect: signedIn(200) },

  // Auth pages
  'GET /login': { expect: { ...signedIn(303), anonymous: 200 } }, // signed-in users are sent on
  'POST /login': {
    expect: everyone(303),
    body: (f) => ({ email: f.users.trainer.email, password: TEST_PASSWORD }),
  },
  'POST /logout': { expect: signedIn(303), endsSession: true, successGoesToLogin: true },
  'GET /invite/:token': { expect: everyone(200), params: (f) => ({ token: f.invitationToken }) },
  'POST /invite/:token': {
    expect: everyone(400),
    params: (f) => ({ token: f.invitationToken }),
    body: () => ({ password: 'one good sentence', confirm: 'another sentence' }),
  },
  'GET /reset-password': { expect: everyone(200) },
  'POST /reset-password': {
    expect: everyone(303),
    body: () => ({ email: 'nobody@example.org' }),
    successGoesToLogin: true,
  },
  'GET /reset-password/:token': { expect: everyone(200), params: (f) => ({ token: f.resetToken }) },
  'POST /reset-password/:token': {
    expect: everyone(400),
    params: (f) => ({ token: f.resetToken }),
    body: () => ({ password: 'one good sentence', confirm: 'another sentence' }),
  },

  // Auth API
  'POST /api/v1/auth/login': {
    expect: everyone(200),
    body: (f) => ({ email: f.users.trainer.email, password: TEST_PASSWORD }),
  },
  'POST /api/v1/auth/logout': { expect: signedInApi(204), endsSession: true },
  'POST /api/v1/auth/accept-invitation': {
    expect: everyone(400),
    body: (f) => ({ token: f.invitationToken, password: WEAK }),
  },
  'POST /api/v1/auth/password-reset': {
    expect: everyone(202),
    body: () => ({ email: 'nobody@example.org' }),
  },
  'POST /api/v1/auth/password-reset/confirm': {
    expect: everyone(400),
    body: (f) => ({ token: f.resetToken, password: WEAK }),
  },
  'GET /api/v1/me': { expect: signedInApi(200) },

  // Own account
  'GET /account': { expect: signedIn(200) },
  'GET /account/data.json': { expect: signedIn(200) },
  'POST /account/profile': {
    expect: signedIn(303),
    body: (f, role) => ({ name: role === 'anonymous' ? 'x' : f.users[role].name, language: 'en' }),
  },
  'POST /account/password': {
    expect: signedIn(400),
    body: () => ({
      current: 'not my password',
      password: 'a new good sentence',
      confirm: 'a new good sentence',
    }),
  },

  // People
  'GET /admin/users': { expect: managersPage(200) },
  'GET /admin/users/new': { expect: managersPage(200) },
  'POST /admin/users': {
    expect: managersPage(303),
    body: (_f, role) => ({
      name: 'Matrix Person',
      email: `matrix.page.${role}.${++unique}@example.org`,
      role: 'trainer',
      sex: 'unspecified',
      language: 'en',
    }),
  },
  'GET /admin/users/:id': { expect: managersPage(200), params: (f) => ({ id: f.editTarget.id }) },
  'POST /admin/users/:id': {
    expect: managersPage(303),
    params: (f) => ({ id: f.editTarget.id }),
    body: (f) => ({ name: f.editTarget.name, role: 'trainer', sex: 'unspecified', language: 'en' }),
  },
  'POST /admin/users/:id/disable': { expect: managersPage(303), params: (f) => ({ id: f.disableTarget.id }) },
  'POST /admin/users/:id/resend-invitation': {
    expect: managersPage(303),
    params: (f) => ({ id: f.resendTarget.id }),
  },
  // Privacy: admins only. The anonymise request leaves out the confirmation (400), so nobody is anonymised.
  'GET /admin/users/:id/data.json': { expect: adminsPage, params: (f) => ({ id: f.editTarget.id }) },
  'POST /admin/users/:id/anonymise': {
    expect: { ...adminsPage, admin: 400 },
    params: (f) => ({ id: f.editTarget.id }),
    body: () => ({}),
  },
  'GET /api/v1/users/:id/data': {
    expect: { ...adminsPage, anonymous: 401 },
    params: (f) => ({ id: f.editTarget.id }),
  },
  'POST /api/v1/users/:id/anonymise': {
    expect: { ...adminsPage, anonymous: 401, admin: 400 },
    params: (f) => ({ id: f.editTarget.id }),
    body: () => ({}),
  },
  'POST /api/v1/users': {
    expect: managersApi(201),
    body: (_f, role) => ({
      name: 'Matrix Person',
      email: `matrix.api.${role}.${++unique}@example.org`,
      role: 'trainer',
    }),
  },
  'GET /api/v1/users': { expect: managersApi(200) },

  // Administration
  'GET /admin/outbox': { expect: adminsPage },
  'GET /admin/outbox/:id': { expect: adminsPage, params: (f) => ({ id: f.outboxMessageId }) },
  'GET /admin/audit': { expect: adminsPage },
  'GET /admin/dhis2': { expect: adminsPage },
  'GET /admin/dhis2/mapping.csv': { expect: adminsPage },
  'POST /admin/dhis2': {
    expect: { ...adminsPage, admin: 303 },
    body: () => ({ csv: 'kind,key,uid\nindicator,sessions,DeSessions1\n' }),
  },

  // Courses and learning
  'GET /api/v1/courses': { expect: signedInApi(200) },
  'GET /api/v1/courses/:slug': { expect: signedInApi(200), params: (f) => ({ slug: f.course }) },
  'POST /api/v1/courses/:slug/enrolments': {
    expect: { anonymous: 401, trainer: 201, coordinator: 403, manager: 403, admin: 403 },
    params: (f) => ({ slug: f.otherCourse }),
  },
  'GET /api/v1/enrolments/:id': {
    expect: { anonymous: 401, trainer: 200, coordinator: 403, manager: 200, admin: 200 },
    params: (f) => ({ id: f.enrolmentId }),
  },
  'POST /api/v1/enrolments/:id/lessons/:lessonSlug/complete': {
    expect: ownerOnlyApi(200),
    params: (f) => ({ id: f.enrolmentId, lessonSlug: f.lessonSlug }),
  },
  'GET /api/v1/enrolments/:id/quizzes/:quizSlug': {
    expect: ownerOnlyApi(200),
    params: (f) => ({ id: f.enrolmentId, quizSlug: f.quizSlug }),
  },
  'POST /api/v1/enrolments/:id/quizzes/:quizSlug/attempts': {
    expect: ownerOnlyApi(201),
    params: (f) => ({ id: f.enrolmentId, quizSlug: f.quizSlug }),
    body: (f) => ({ answers: f.answers }),
  },
  'GET /courses': { expect: signedIn(200) },
  'GET /courses/:slug': { expect: signedIn(200), params: (f) => ({ slug: f.course }) },
  'POST /courses/:slug/enrol': {
    expect: { anonymous: 'login', trainer: 303, coordinator: 403, manager: 403, admin: 403 },
    params: (f) => ({ slug: f.otherCourse }),
  },
  'GET /courses/:slug/preview/:lessonSlug': {
    expect: signedIn(200),
    params: (f) => ({ slug: f.course, lessonSlug: f.lessonSlug }),
  },
  'GET /learn': { expect: signedIn(200) },
  'GET /learn/:id': { expect: ownerOnlyPage(200), params: (f) => ({ id: f.enrolmentId }) },
  'GET /learn/:id/lessons/:lessonSlug': {
    expect: ownerOnlyPage(200),
    params: (f) => ({ id: f.enrolmentId, lessonSlug: f.lessonSlug }),
  },
  'POST /learn/:id/lessons/:lessonSlug/complete': {
    expect: ownerOnlyPage(303),
    params: (f) => ({ id: f.enrolmentId, lessonSlug: f.lessonSlug }),
  },
  'GET /learn/:id/quizzes/:quizSlug': {
    expect: ownerOnlyPage(200),
    params: (f) => ({ id: f.enrolmentId, quizSlug: f.quizSlug }),
  },
  'POST /learn/:id/quizzes/:quizSlug': {
    expect: ownerOnlyPage(303),
    params: (f) => ({ id: f.enrolmentId, quizSlug: f.quizSlug }),
    body: (f) =>
      Object.fromEntries(
        Object.entries(f.answers).map(([question, options]) => [`a.${question}`, options[0]]),
      ),
  },
  'GET /learn/:id/quizzes/:quizSlug/result': {
    expect: ownerOnlyPage(200),
    params: (f) => ({ id: f.enrolmentId, quizSlug: f.quizSlug }),
  },
  // The shipped packages have no assets: signed-in users get 404 for a missing file, anonymous ones the login.
  'GET /content/:course/assets/:file': {
    expect: signedIn(404),
    params: (f) => ({ course: f.course, file: 'missing.png' }),
  },
  // Handouts are for signed-in users; a handout the course does not have is a 404 (content/ may or may not ship handouts).
  'GET /courses/:slug/handouts/:handout': {
    expect: signedIn(404),
    params: (f) => ({ slug: f.course, handout: 'no-such-handout' }),
  },

  // Content administration
  'GET /admin/content': { expect: adminsPage },
  'POST /admin/content/import': { expect: { ...adminsPage, admin: 303 } },
  'POST /admin/content/contacts': {
    expect: { ...adminsPage, admin: 303 },
    body: () => ({ countryCode: '--', textEn: 'Call 911.', textEs: 'Llame al 911.' }),
  },
  'GET /admin/content/:course/countries': {
    expect: { ...adminsPage, admin: 303 },
    params: (f) => ({ course: f.course }),
  },
  'GET /admin/content/:course/countries/:country': {
    expect: adminsPage,
    params: (f) => ({ course: f.course, country: 'SV' }),
  },
  'POST /admin/content/:course/countries/:country': {
    expect: { ...adminsPage, admin: 303 },
    params: (f) => ({ course: f.course, country: 'SV' }),
    body: () => ({ 'contacts.en': 'Call 911.', 'contacts.es': 'Llame al 911.' }),
  },

  // Reports (the whole controller: managers and admins)
  'GET /reports': { expect: managersPage(200) },
  'GET /reports/:name': { expect: managersPage(200), params: () => ({ name: 'cascade' }) },
  'GET /api/v1/reports/:name': { expect: managersApi(200), params: () => ({ name: 'cascade' }) },
  'GET /reports/dhis2': { expect: managersPage(200), query: 'period=202602&countryCode=DO' },
  'GET /reports/dhis2/data-value-sets.json': { expect: managersPage(200), query: 'period=202602' },
  // January 2000 has no data: past the role check, ADX answers that there is nothing to send.
  'GET /reports/dhis2/adx.xml': { expect: managersPage(422), query: 'period=200001' },
  'GET /api/v1/exports/dhis2/data-value-sets': {
    expect: managersApi(200),
    query: 'period=202602&level=school',
  },
  'GET /api/v1/exports/dhis2/adx': { expect: managersApi(422), query: 'period=200001' },
  'GET /api/v1/exports/dhis2/unmapped': { expect: managersApi(200), query: 'period=202602' },
  // Cascade lineage: managers and admins; a trainer only their own tree (the fixture trainer's own id), coordinators never.
  'GET /lineage/cohorts/:cohortId': { expect: managersPage(200), params: (f) => ({ cohortId: f.cohortId }) },
  'GET /api/v1/lineage/cohorts/:cohortId': {
    expect: managersApi(200),
    params: (f) => ({ cohortId: f.cohortId }),
  },
  'GET /lineage/trainers/:userId': {
    expect: { ...managersPage(200), trainer: 200 },
    params: (f, role) => ({ userId: role === 'trainer' ? f.users.trainer.id : f.certified.id }),
  },
  'GET /api/v1/lineage/trainers/:userId': {
    expect: { ...managersApi(200), trainer: 200 },
    params: (f, role) => ({ userId: role === 'trainer' ? f.users.trainer.id : f.certified.id }),
  },

  // The offline logging form's service worker
  'GET /sw.js': { expect: everyone(200) },

  // Workshops (cohorts) API. Attendance and practicum are recorded by managers, admins and the
  // workshop's facilitators: the fixture trainer takes part but does not facilitate.
  'POST /api/v1/cohorts': { expect: managersApi(201), body: (f) => newCohort(f) },
  'GET /api/v1/cohorts': { expect: signedInApi(200) },
  'GET /api/v1/cohorts/:id': { expect: workshopApi(200), params: (f) => ({ id: f.cohortId }) },
  'PUT /api/v1/cohorts/:id': {
    expect: managersApi(200),
    params: (f) => ({ id: f.cohortId }),
    body: (f) => f.cohortValues,
  },
  'POST /api/v1/cohorts/:id/participants': {
    expect: managersApi(201),
    params: (f) => ({ id: f.spareCohortId }),
    body: (_f, role) => ({
      email: `matrix.participant.api.${role}.${++unique}@example.org`,
      name: 'Matrix Participant',
    }),
  },
  'POST /api/v1/cohorts/:id/days': {
    expect: managersApi(201),
    params: (f) => ({ id: f.spareCohortId }),
    body: (_f, role) => ({ date: dayOf(role, 10) }),
  },
  'PUT /api/v1/cohorts/:id/days/:dayId/attendance': {
    expect: managersApi(200),
    params: (f) => ({ id: f.cohortId, dayId: f.dayId }),
    body: (f) => ({ records: [{ userId: f.certified.id, status: 'present' }] }), // as recorded: changes nothing
  },
  'PUT /api/v1/cohorts/:id/participants/:userId/practicum': {
    expect: managersApi(200),
    params: (f) => ({ id: f.cohortId, userId: f.certified.id }),
    body: () => ({ passed: true, score: 90 }), // as recorded
  },
  // The participant reads their own eligibility.
  'GET /api/v1/cohorts/:id/participants/:userId/eligibility': {
    expect: workshopApi(200),
    params: (f) => ({ id: f.cohortId, userId: f.users.trainer.id }),
  },

  // Workshops (cohorts) pages
  'GET /cohorts': { expect: signedIn(200) },
  'GET /cohorts/new': { expect: managersPage(200) },
  'POST /cohorts': { expect: managersPage(303), body: (f) => newCohort(f) },
  'GET /cohorts/:id': { expect: workshopPage(200), params: (f) => ({ id: f.cohortId }) },
  'GET /cohorts/:id/edit': { expect: managersPage(200), params: (f) => ({ id: f.cohortId }) },
  'POST /cohorts/:id': {
    expect: managersPage(303),
    params: (f) => ({ id: f.cohortId }),
    body: (f) => f.cohortValues,
  },
  'POST /cohorts/:id/participants': {
    expect: managersPage(303),
    params: (f) => ({ id: f.spareCohortId }),
    body: (_f, role) => ({
      email: `matrix.participant.page.${role}.${++unique}@example.org`,
      name: 'Matrix Participant',
      sex: 'female',
    }),
  },
  'POST /cohorts/:id/participants/:userId/remove': {
    expect: managersPage(303),
    params: (f, role) => ({ id: f.spareCohortId, userId: f.removable[role] }),
  },
  'GET /cohorts/:id/import': { expect: managersPage(200), params: (f) => ({ id: f.spareCohortId }) },
  'POST /cohorts/:id/import': {
    expect: managersPage(200),
    params: (f) => ({ id: f.spareCohortId }),
    body: (_f, role) => ({ csv: rosterCsv(role) }),
  }, // a preview
  'POST /cohorts/:id/import/confirm': {
    expect: managersPage(303),
    params: (f) => ({ id: f.spareCohortId }),
    body: (_f, role) => ({ csv: rosterCsv(role) }),
  },
  'POST /cohorts/:id/days': {
    expect: managersPage(303),
    params: (f) => ({ id: f.spareCohortId }),
    body: (_f, role) => ({ date: dayOf(role, 20) }),
  },
  // The attendance sheet is for those who record it; the participant has their own page.
  'GET /cohorts/:id/days/:dayId': {
    expect: managersPage(200),
    params: (f) => ({ id: f.cohortId, dayId: f.dayId }),
  },
  'POST /cohorts/:id/days/:dayId': {
    expect: managersPage(303),
    params: (f) => ({ id: f.cohortId, dayId: f.dayId }),
    body: (f) => ({ [`s.${f.certified.id}`]: 'present' }),
  },
  'GET /cohorts/:id/days/:dayId/sign-in': {
    expect: managersPage(200),
    params: (f) => ({ id: f.cohortId, dayId: f.dayId }),
  },
  'GET /cohorts/:id/participants/:userId': {
    expect: workshopPage(200),
    params: (f) => ({ id: f.cohortId, userId: f.users.trainer.id }),
  },
  'POST /cohorts/:id/participants/:userId/practicum': {
    expect: managersPage(303),
    params: (f) => ({ id: f.cohortId, userId: f.certified.id }),
    body: () => ({ passed: 'true', score: '90' }),
  },

  // Certification. Issuing is one-shot: the fixture trainer is not eligible, so managers and admins
  // get past access and are refused by the course rule (nothing is issued); certifying "all eligible"
  // finds only `certified`, who already holds a certification. Revoking sends a reason too short (400).
  'POST /api/v1/certifications': {
    expect: managersApi(422),
    body: (f) => ({ cohortId: f.cohortId, userId: f.users.trainer.id }),
  },
  'GET /api/v1/certifications': { expect: signedInApi(200) },
  // One certification: its holder (not a fixture role), managers in scope, admins.
  'GET /api/v1/certifications/:code': { expect: managersApi(200), params: (f) => ({ code: f.certCode }) },
  'POST /api/v1/certifications/:code/renew': {
    expect: managersApi(200),
    params: (f) => ({ code: f.certCode }),
  },
  'POST /api/v1/certifications/:code/revoke': {
    expect: managersApi(400),
    params: (f) => ({ code: f.certCode }),
    body: () => ({ reason: 'x' }),
  },
  'GET /api/v1/verify/:code': { expect: everyone(200), params: (f) => ({ code: f.certCode }) },
  'GET /certifications': { expect: signedIn(200) },
  'GET /certifications/:code': { expect: managersPage(200), params: (f) => ({ code: f.certCode }) },
  'GET /certifications/:code/certificate.pdf': {
    expect: managersPage(200),
    params: (f) => ({ code: f.certCode }),
  },
  'POST /certifications/:code/renew': { expect: managersPage(303), params: (f) => ({ code: f.certCode }) },
  'POST /certifications/:code/revoke': {
    expect: managersPage(400),
    params: (f) => ({ code: f.certCode }),
    body: () => ({ reason: 'x' }),
  },
  'POST /cohorts/:id/certify': { expect: managersPage(303), params: (f) => ({ id: f.cohortId }) },
  'POST /cohorts/:id/participants/:userId/certify': {
    expect: managersPage(303),
    params: (f) => ({ id: f.cohortId, userId: f.users.trainer.id }),
  }, // back to the participant: not eligible
  'GET /cohorts/:id/certificates.zip': { expect: managersPage(200), params: (f) => ({ id: f.cohortId }) },
  'GET /verify': { expect: everyone(200) },
  'GET /verify/:code': { expect: everyone(200), params: (f) => ({ code: f.certCode }) },
  // Portable credentials: the hosted documents are public by design; the file with the holder's
  // hashed email only for its holder (not a fixture role), managers in scope and admins.
  'GET /certifications/:code/credential.json': {
    expect: managersPage(200),
    params: (f) => ({ code: f.certCode }),
  },
  'GET /api/v1/certifications/:code/open-badge': {
    expect: managersApi(200),
    params: (f) => ({ code: f.certCode }),
  },
  'GET /ob/issuer': { expect: everyone(200) },
  'GET /ob/credentials/:code': { expect: everyone(200), params: (f) => ({ code: f.certCode }) },
  'GET /ob/status/:list': { expect: everyone(200), params: () => ({ list: '1' }) },
  'GET /ob/v2/issuer': { expect: everyone(200) },
  'GET /ob/v2/badges/:slug': { expect: everyone(200), params: (f) => ({ slug: f.course }) },
  'GET /ob/v2/assertions/:code': { expect: everyone(200), params: (f) => ({ code: f.certCode }) },

  // Schools. Coordinators read their own schools, trainers any school (to log sessions).
  'POST /api/v1/schools': {
    expect: managersApi(201),
    body: (_f, role) => ({
      name: 'Matrix School',
      code: `API-${role}-${++unique}`,
      countryCode: 'DO',
      municipality: 'Santiago',
    }),
  },
  'GET /api/v1/schools': { expect: signedInApi(200) },
  'GET /api/v1/schools/:id': { expect: signedInApi(200), params: (f) => ({ id: f.schoolId }) },
  'PUT /api/v1/schools/:id/coordinators': {
    expect: managersApi(200),
    params: (f) => ({ id: f.schoolId }),
    body: (f) => ({ userIds: [f.users.coordinator.id] }),
  }, // as assigned
  'GET /api/v1/countries': { expect: signedInApi(200) },
  'GET /api/v1/municipalities': { expect: signedInApi(200) },
  'GET /schools': { expect: signedIn(200) },
  'GET /schools/new': { expect: managersPage(200) },
  'POST /schools': {
    expect: managersPage(303),
    body: (_f, role) => ({
      name: 'Matrix School',
      code: `PAGE-${role}-${++unique}`,
      countryCode: 'DO',
      municipality: 'Santiago',
      level: 'primary',
    }),
  },
  'GET /schools/import': { expect: managersPage(200) },
  // The preview writes nothing, yet answers Nest's default 201 for a POST (the cohorts' preview says @HttpCode(200)).
  'POST /schools/import': { expect: managersPage(200), body: (_f, role) => ({ csv: schoolCsv(role) }) },
  'POST /schools/import/confirm': {
    expect: managersPage(303),
    body: (_f, role) => ({ csv: schoolCsv(role) }),
  },
  'GET /schools/:id': { expect: signedIn(200), params: (f) => ({ id: f.schoolId }) },
  'POST /schools/:id/coordinators': {
    expect: managersPage(303),
    params: (f) => ({ id: f.schoolId }),
    body: (f) => ({ userIds: f.users.coordinator.id }),
  },

  // Cascade sessions: trainers log their own, coordinators for their schools; the other side (or a
  // manager) confirms or rejects. The fixture trainer is not certified, so their own session is
  // refused by the certification rule (422) after access; managers and admins do not log (403).
  'POST /api/v1/cascade-sessions': {
    expect: { anonymous: 401, trainer: 422, coordinator: 201, manager: 403, admin: 403 },
    body: (f, role) =>
      sessionJson(f, role === 'trainer' ? f.users.trainer.id : f.certified.id, f.freeSlots.api),
  },
  'GET /api/v1/cascade-sessions': { expect: signedInApi(200) },
  'GET /api/v1/cascade-sessions/:id': { expect: schoolSessionApi(200), params: (f) => ({ id: f.sessionId }) },
  'POST /api/v1/cascade-sessions/:id/confirm': {
    expect: schoolSessionApi(200),
    params: (f, role) => ({ id: f.toDecide.apiConfirm[role] }),
  },
  'POST /api/v1/cascade-sessions/:id/reject': {
    expect: schoolSessionApi(200),
    params: (f, role) => ({ id: f.toDecide.apiReject[role] }),
    body: () => ({ reason: 'No session that day' }),
  },
  'GET /cascade-sessions': { expect: signedIn(200) },
  'GET /cascade-sessions/export.csv': { expect: signedIn(200) },
  'GET /cascade-sessions/new': {
    expect: { anonymous: 'login', trainer: 200, coordinator: 200, manager: 403, admin: 403 },
  },
  'POST /cascade-sessions': {
    expect: { anonymous: 'login', trainer: 422, coordinator: 303, manager: 403, admin: 403 },
    body: (f) => sessionForm(f, f.certified.id, f.freeSlots.page), // a trainer's form always logs for themselves
  },
  'GET /cascade-sessions/:id': { expect: schoolSessionPage(200), params: (f) => ({ id: f.sessionId }) },
  // Only the author edits: the coordinator logged this one.
  'GET /cascade-sessions/:id/edit': {
    expect: { anonymous: 'login', trainer: 403, coordinator: 200, manager: 403, admin: 403 },
    params: (f) => ({ id: f.coordinatorSession.id }),
  },
  'POST /cascade-sessions/:id/edit': {
    expect: { anonymous: 'login', trainer: 403, coordinator: 303, manager: 403, admin: 403 },
    params: (f) => ({ id: f.coordinatorSession.id }),
    body: (f) => sessionForm(f, f.certified.id, f.coordinatorSession.slot), // as logged
  },
  'POST /cascade-sessions/:id/confirm': {
    expect: schoolSessionPage(303),
    params: (f, role) => ({ id: f.toDecide.pageConfirm[role] }),
  },
  'POST /cascade-sessions/:id/reject': {
    expect: schoolSessionPage(303),
    params: (f, role) => ({ id: f.toDecide.pageReject[role] }),
    body: () => ({ reason: 'No session that day' }),
  },
};

/** Routes the app registers on the Express router, as `METHOD /path` (without the OpenAPI docs). */
function registeredRoutes(t: TestApp): string[] {
  const stack = t.app.getHttpAdapter().getInstance().router.stack as Array<{
    route?: { path: string | string[]; methods: Record<string, boolean> };
  }>;
  const routes = new Set<string>();
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const path of ([] as string[]).concat(layer.route.path)) {
      if (path === '/api/docs' || path.startsWith('/api/docs/') || path.startsWith('/api/docs-')) continue;
      for (const [method, on] of Object.entries(layer.route.methods))
        if (on && method !== '_all') routes.add(`${method.toUpperCase()} ${path}`);
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
    for (const role of Object.keys(users) as Array<keyof typeof users>)
      tokens.set(role, await apiToken(t, users[role].email));
    const admin = { Authorization: `Bearer ${tokens.get('admin')}` };
    const invite = async (name: string) => {
      const email = `${name}@example.org`;
      const res = await request(t.http)
        .post('/api/v1/users')
        .set(admin)
        .send({ email, name, role: 'trainer' })
        .expect(201);
      return res.body as User;
    };
    const invitee = await invite('invitee');
    const resendTarget = await invite('resend-target');
    const resetUser = await t.createUser('trainer');
    await request(t.http).post('/api/v1/auth/password-reset').send({ email: resetUser.email }).expect(202);
    const mailTo = async (email: string) =>
      await t.db.manager.findOneOrFail(OutboxMessage, { where: { toAddress: email } });
    const tokenIn = (message: OutboxMessage, kind: string) =>
      new RegExp(`/${kind}/([A-Za-z0-9_-]+)`).exec(message.textBody)?.[1] as string;
    const invitation = await mailTo(invitee.email);

    // The trainer's enrolment in the first course, with one attempt at a quiz that allows retries.
    const trainer = { Authorization: `Bearer ${tokens.get('trainer')}` };
    const courses = (await request(t.http).get('/api/v1/courses').set(trainer).expect(200)).body
      .items as Array<{
      slug: string;
      modules: Array<{ lessons: Array<{ slug: string }>; quizzes: Array<{ slug: string; kind: string }> }>;
    }>;
    expect(courses.length).toBeGreaterThanOrEqual(2);
    const [course, otherCourse] = courses;
    const enrolment = (
      await request(t.http).post(`/api/v1/courses/${course.slug}/enrolments`).set(trainer).expect(201)
    ).body as { id: string };
    const quizSlug = course.modules.flatMap((m) => m.quizzes).find((q) => q.kind === 'check')?.slug as string;
    const quiz = (
      await request(t.http)
        .get(`/api/v1/enrolments/${enrolment.id}/quizzes/${quizSlug}`)
        .set(trainer)
        .expect(200)
    ).body as {
      questions: Array<{ id: string; options: Array<{ id: string }> }>;
    };
    const answers = Object.fromEntries(quiz.questions.map((q) => [q.id, [q.options[0].id]]));
    await request(t.http)
      .post(`/api/v1/enrolments/${enrolment.id}/quizzes/${quizSlug}/attempts`)
      .set(trainer)
      .send({ answers })
      .expect(201);

    // A workshop of that course in DO on 2 February (before the fake clock's today, 2 March), with one day.
    // The fixture trainer takes part; a second trainer takes part, completes the course and is certified.
    const api = (token: string) => ({
      post: (path: string, body: object = {}) =>
        request(t.http).post(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
      put: (path: string, body: object) =>
        request(t.http).put(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
      get: (path: string) => request(t.http).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`),
    });
    const adminApi = api(tokens.get('admin') as string);
    const cohortValues = {
      courseSlug: course.slug,
      name: 'Matrix TOT Santo Domingo',
      countryCode: 'DO',
      startsOn: '2026-02-02',
      endsOn: '2026-02-02',
      capacity: 30,
    };
    const cohortId = (await adminApi.post('/cohorts', cohortValues).expect(201)).body.id as string;
    const dayId = (await adminApi.post(`/cohorts/${cohortId}/days`, { date: '2026-02-02' }).expect(201)).body
      .id as string;
    const certified = await t.createUser('trainer', { name: 'Certified Trainer' });
    for (const person of [users.trainer, certified])
      await adminApi
        .post(`/cohorts/${cohortId}/participants`, { email: person.email, name: person.name })
        .expect(201);
    const certifiedApi = api(await apiToken(t, certified.email));
    const outline = (await t.app.get(CatalogueService).currentOutline(course.slug)) as CourseOutline;
    const certifiedEnrolment = (
      (await certifiedApi.get('/me').expect(200)).body.enrolments as Array<{ id: string; courseSlug: string }>
    ).find((e) => e.courseSlug === course.slug)?.id as string;
    for (const lesson of outline.lessons)
      await certifiedApi
        .post(`/enrolments/${certifiedEnrolment}/lessons/${lesson.slug}/complete`)
        .expect(200);
    const postTest = outline.quizzes.find((q) => q.kind === 'post') as CourseOutline['quizzes'][number];
    // Answer the questions the sitting drew (a post-test may draw from a bank), with the file's keys.
    const keyOf = new Map(
      postTest.questions.map((q) => [q.id, q.options.filter((o) => o.correct).map((o) => o.id)]),
    );
    const shown = (
      await certifiedApi.get(`/enrolments/${certifiedEnrolment}/quizzes/${postTest.slug}`).expect(200)
    ).body as { questions: Array<{ id: string }> };
    const rightAnswers = Object.fromEntries(shown.questions.map((q) => [q.id, keyOf.get(q.id) ?? []]));
    expect(
      (
        await certifiedApi
          .post(`/enrolments/${certifiedEnrolment}/quizzes/${postTest.slug}/attempts`, {
            answers: rightAnswers,
          })
          .expect(201)
      ).body.passed,
    ).toBe(true);
    await adminApi
      .put(`/cohorts/${cohortId}/days/${dayId}/attendance`, {
        records: [{ userId: certified.id, status: 'present' }],
      })
      .expect(200);
    await adminApi
      .put(`/cohorts/${cohortId}/participants/${certified.id}/practicum`, { passed: true, score: 90 })
      .expect(200);
    const certCode = (
      await adminApi
        .post('/certifications', { cohortId, userId: certified.id, issuedOn: '2026-02-02' })
        .expect(201)
    ).body.code as string;

    // A school in DO with the fixture coordinator, and sessions the certified trainer logged there
    // (after the certification's issue date, not after today: one (date, module) pair each).
    const schoolId = (
      await adminApi
        .post('/schools', {
          name: 'Matrix School',
          code: 'MATRIX-1',
          countryCode: 'DO',
          municipality: 'Santo Domingo',
        })
        .expect(201)
    ).body.id as string;
    await adminApi.put(`/schools/${schoolId}/coordinators`, { userIds: [users.coordinator.id] }).expect(200);
    const deliverable = outline.manifest.modules.filter((m) => m.deliverable).map((m) => m.slug);
    expect(deliverable.length).toBeGreaterThan(0);
    let slots = 0;
    const nextSlot = (): Slot => {
      const n = slots++;
      const date = new Date(Date.UTC(2026, 1, 3 + Math.floor(n / deliverable.length)))
        .toISOString()
        .slice(0, 10);
      if (date > t.clock.today()) throw new Error('no session dates left before today');
      return { date, moduleSlugs: [deliverable[n % deliverable.length]] };
    };
    const logSession = async (by: ReturnType<typeof api>, slot = nextSlot()) =>
      (
        await by
          .post('/cascade-sessions', sessionJson({ schoolId, course: course.slug }, certified.id, slot))
          .expect(201)
      ).body.id as string;
    const perRole = async <T>(make: () => Promise<T>) => {
      const made: Partial<Record<Role, T>> = {};
      for (const role of ROLES) made[role] = await make(); // one after the other: one writer at a time
      return made as Record<Role, T>;
    };
    const sessionId = await logSession(certifiedApi);
    const coordinatorSlot = nextSlot();
    const coordinatorSessionId = await logSession(api(tokens.get('coordinator') as string), coordinatorSlot);
    const toDecide = {
      apiConfirm: await perRole(() => logSession(certifiedApi)),
      apiReject: await perRole(() => logSession(certifiedApi)),
      pageConfirm: await perRole(() => logSession(certifiedApi)),
      pageReject: await perRole(() => logSession(certifiedApi)),
    };

    // A spare workshop in March for new participants and days, with one participant per role to remove.
    const spareCohortId = (
      await adminApi
        .post('/cohorts', {
          ...cohortValues,
          name: 'Matrix spare workshop',
          startsOn: '2026-03-01',
          endsOn: '2026-03-31',
          capacity: 100,
        })
        .expect(201)
    ).body.id as string;
    const removable = await perRole(async () => {
      const person = await t.createUser('trainer');
      return (
        await adminApi
          .post(`/cohorts/${spareCohortId}/participants`, { email: person.email, name: person.name })
          .expect(201)
      ).body.userId as string;
    });

    f = {
      cohortId,
      dayId,
      cohortValues,
      certified,
      certCode,
      schoolId,
      sessionId,
      coordinatorSession: { id: coordinatorSessionId, slot: coordinatorSlot },
      toDecide,
      freeSlots: { api: nextSlot(), page: nextSlot() },
      spareCohortId,
      removable,
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
    visitorCookie = ([] as string[])
      .concat(login.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('cascada_visitor='))
      ?.split(';')[0] as string;
    csrf = csrfFrom(login.text);
  }, 60_000); // the app's start-up (migrations, content import) plus this file's fixtures
  afterAll(() => t?.close());

  it('has an entry for every registered route, and no entry for a route that is gone', () => {
    const registered = registeredRoutes(t);
    expect(registered.length).toBeGreaterThan(20);
    const missing = registered.filter((route) => !(route in ACCESS));
    const gone = Object.keys(ACCESS).filter((route) => !registered.includes(route));
    expect({ missingFromTable: missing, noLongerRegistered: gone }).toEqual({
      missingFromTable: [],
      noLongerRegistered: [],
    });
  });

  // One test per table entry; the test above fails when an entry names a route that is gone.
  it.each(Object.keys(ACCESS))('%s answers each role as the table says', async (route) => {
    if (!registeredRoutes(t).includes(route)) return;
    const entry = ACCESS[route];
    const [method, pattern] = route.split(' ');
    const isApi = pattern.startsWith('/api/v1');
    const answers: Partial<Record<Role, Expected>> = {};
    for (const role of ROLES) {
      const params = entry.params?.(f, role) ?? {};
      const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
        if (!(name in params)) throw new Error(`${route}: no value for :${name}`);
        return encodeURIComponent(params[name]);
      });
      let token = tokens.get(role);
      if (token && entry.endsSession)
        token = await apiToken(t, f.users[role as Exclude<Role, 'anonymous'>].email);
      const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      let req = request(t.http)[verb](entry.query ? `${path}?${entry.query}` : path);
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
      answers[role] =
        toLogin && !(entry.successGoesToLogin && entry.expect[role] !== 'login') ? 'login' : res.status;
    }
    expect(answers).toEqual(entry.expect);
  });
});
