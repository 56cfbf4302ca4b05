/**
 * Object-level access: the access matrix (access-matrix.e2e-spec.ts) checks every route for every
 * role with the caller's OWN objects; this suite hands each role the ids of somebody else's.
 *
 * Two parallel worlds live in one app, El Salvador (SV) and Panama (PA). Each has a manager scoped
 * to its country, a school with its coordinator, a certification workshop that certified a trainer
 * (`certified`), and a workshop that this certified trainer facilitates with one trainer taking part
 * (`trainer`: enrolment with progress, an attendance day, a practicum), an invited account, and
 * cascade sessions at the school: one the certified trainer logged (waiting for the coordinator),
 * one the coordinator logged (waiting for the trainer), one confirmed.
 *
 * Then every actor of one world uses the other world's ids, both ways (SV → PA and PA → SV):
 * - REFUSALS: every route that takes such an id, JSON API (Bearer) and page forms (cookie session +
 *   CSRF). Each answer must be the exact status in the table, a refusal (403 or 404; a few foreign
 *   ids that travel in a body or inside a path of the caller's own object are refused as bad input,
 *   400, marked `asInput`), never a 2xx; and no row of any table may change (the whole database is
 *   compared before and after, except sign-in sessions and rate-limit counters).
 * - SCOPED: lists, exports and reports asked for the other world (`?countryCode=`, `?schoolId=`,
 *   `?trainerId=`, `?cohortId=` …) answer, but with nothing of the other world in them, and change nothing.
 * A last test fails when a registered route with an id in its path is in neither table (or in the
 * short list of routes whose parameter is not an object of anyone's: link tokens, the catalogue).
 *
 * Not refused, by design, so not in the tables: admins (no scope, every object is theirs); a
 * trainer reading or logging at any school (they deliver wherever they are asked); facilitators
 * from another country (cohorts.e2e-spec: "a manager of another country may facilitate"), so the
 * workshop form offers them; the coordinator's logging form listing every certified trainer.
 */
import request from 'supertest';
import { join } from 'node:path';
import type { User } from '../../src/users/user.entity';
import { createTestApp, TestApp } from '../support/create-test-app';
import { drawnAnswers } from '../support/quizzes';
import { apiToken, csrfOf, pageAgent } from '../support/login';

type Agent = ReturnType<typeof request.agent>;
type Country = 'SV' | 'PA';
/** Who acts. `certified`: the certified trainer who facilitates the world's workshop and logs sessions. */
type Actor = 'trainer' | 'certified' | 'coordinator' | 'manager';
const ACTORS: Actor[] = ['trainer', 'certified', 'coordinator', 'manager'];

const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const COURSE = 'tiny-course';
const LESSONS = ['welcome', 'warning-signs', 'first-session'];
/** The certification workshop: one day, before the fake clock's today (2026-03-02); certifications are issued on it. */
const CERT_DAY = '2026-02-16';
/** The facilitated workshop runs over today, with one day so far. */
const WORKSHOP = { startsOn: '2026-02-23', endsOn: '2026-03-06', day: '2026-02-23' };
const SESSION_DAYS = {
  byTrainer: '2026-02-24',
  byCoordinator: '2026-02-25',
  confirmed: '2026-02-26',
  spare: '2026-02-27',
};

interface World {
  country: Country;
  /** In every name of the world's people, schools and workshops: finding it in an answer means a leak. */
  tag: string;
  users: Record<Actor, User> & { invited: { id: string; email: string } };
  schoolId: string;
  municipalityId: string;
  certCohortId: string;
  cohortId: string;
  dayId: string;
  cohortValues: Record<string, unknown>;
  /** The participating trainer's enrolment (one lesson done, one quiz attempt). */
  enrolmentId: string;
  certCode: string;
  sessions: { byTrainer: string; byCoordinator: string; confirmed: string };
  /** The body and Idempotency-Key the coordinator logged `sessions.byCoordinator` with. */
  coordinatorLog: { key: string; body: Record<string, unknown> };
  /** Ids and the tag: none may appear in what the other world's people are shown. */
  markers: string[];
  tokens: Record<Actor, string>;
  agents: Record<Actor, Agent>;
  csrf: Record<Actor, string>;
}

/** The acting world and the world whose objects are tried. */
interface Pair {
  me: World;
  other: World;
}

interface Req {
  /** `METHOD /pattern`, as registered (the coverage test matches on it). */
  route: string;
  params?: (x: Pair) => Record<string, string>;
  query?: (x: Pair) => Record<string, string>;
  body?: (x: Pair) => Record<string, unknown>;
  headers?: (x: Pair) => Record<string, string>;
}

interface Refusal {
  name: string;
  actor: Actor;
  request: Req;
  expectStatus: 400 | 403 | 404;
  /** The foreign id is refused as bad input (400): it travels in the body, or under the caller's own object. */
  asInput?: true;
}

interface Scoped {
  name: string;
  actor: Actor;
  request: Req;
  expectStatus: 200 | 303;
  /** What the answer must (not) contain, beyond "none of the other world's markers". */
  check?: (res: request.Response, x: Pair) => void;
}

let unique = 0;
const newEmail = (what: string) => `objects.${what}.${++unique}@example.org`;

/** A session's API body at `w`'s school for `w`'s certified trainer. */
const sessionJson = (w: World, date: string) => ({
  schoolId: w.schoolId,
  trainerId: w.users.certified.id,
  courseSlug: COURSE,
  moduleSlugs: ['practice'],
  date,
  durationMinutes: 50,
  participants: { female: 12, male: 10, unspecified: 0 },
  ageBands: { under_10: 0, '10_14': 22, '15_17': 0, '18_plus': 0 },
});
/** The same as the logging form sends it. */
const sessionForm = (w: World, date: string) => ({
  schoolId: w.schoolId,
  trainerId: w.users.certified.id,
  courseSlug: COURSE,
  moduleSlugs: 'practice',
  date,
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
const userForm = (u: User) => ({
  name: u.name,
  role: u.role,
  sex: 'unspecified',
  language: 'en',
  countryCode: u.countryCode ?? '',
});

// Shorthands for params.
const other = {
  cohort: (x: Pair) => ({ id: x.other.cohortId }),
  certCohort: (x: Pair) => ({ id: x.other.certCohortId }),
  day: (x: Pair) => ({ id: x.other.cohortId, dayId: x.other.dayId }),
  participant: (x: Pair) => ({ id: x.other.cohortId, userId: x.other.users.trainer.id }),
  enrolment: (x: Pair) => ({ id: x.other.enrolmentId }),
  lesson: (x: Pair) => ({ id: x.other.enrolmentId, lessonSlug: 'warning-signs' }),
  quiz: (x: Pair) => ({ id: x.other.enrolmentId, quizSlug: 'basics-check' }),
  cert: (x: Pair) => ({ code: x.other.certCode }),
  school: (x: Pair) => ({ id: x.other.schoolId }),
  byTrainer: (x: Pair) => ({ id: x.other.sessions.byTrainer }),
  byCoordinator: (x: Pair) => ({ id: x.other.sessions.byCoordinator }),
  user: (who: Actor | 'invited') => (x: Pair) => ({ id: x.other.users[who].id }),
};
/** The caller's own workshop with one of the other world's ids inside it. */
const mine = {
  dayOfOther: (x: Pair) => ({ id: x.me.cohortId, dayId: x.other.dayId }),
  otherParticipant: (x: Pair) => ({ id: x.me.cohortId, userId: x.other.users.trainer.id }),
  otherCertified: (x: Pair) => ({ id: x.me.certCohortId, userId: x.other.users.certified.id }),
  day: (x: Pair) => ({ id: x.me.cohortId, dayId: x.me.dayId }),
  cohort: (x: Pair) => ({ id: x.me.cohortId }),
  school: (x: Pair) => ({ id: x.me.schoolId }),
};
const rightChecks = { answers: { signs: ['a', 'c'] } };
const reason = () => ({ reason: 'Not in my country' });

/**
 * Every route that takes somebody's id, tried with the other world's. Read a row as: "<actor> tries
 * <name> and gets <expectStatus>".
 */
const REFUSALS: Refusal[] = [
  // ── Workshops (cohorts), JSON API ──
  {
    name: "reads another country's workshop",
    actor: 'manager',
    request: { route: 'GET /api/v1/cohorts/:id', params: other.cohort },
    expectStatus: 403,
  },
  {
    name: "edits another country's workshop",
    actor: 'manager',
    request: { route: 'PUT /api/v1/cohorts/:id', params: other.cohort, body: (x) => x.other.cohortValues },
    expectStatus: 403,
  },
  {
    name: 'moves their own workshop to the other country',
    actor: 'manager',
    request: {
      route: 'PUT /api/v1/cohorts/:id',
      params: mine.cohort,
      body: (x) => ({ ...x.me.cohortValues, countryCode: x.other.country }),
    },
    expectStatus: 403,
  },
  {
    name: 'creates a workshop in the other country',
    actor: 'manager',
    request: {
      route: 'POST /api/v1/cohorts',
      body: (x) => ({ ...x.me.cohortValues, countryCode: x.other.country, facilitatorIds: [] }),
    },
    expectStatus: 403,
  },
  {
    name: "adds a participant to another country's workshop",
    actor: 'manager',
    request: {
      route: 'POST /api/v1/cohorts/:id/participants',
      params: other.cohort,
      body: () => ({ email: newEmail('api-participant'), name: 'Nuevo Participante' }),
    },
    expectStatus: 403,
  },
  {
    name: "adds the other country's trainer to their own workshop",
    actor: 'manager',
    request: {
      route: 'POST /api/v1/cohorts/:id/participants',
      params: mine.cohort,
      body: (x) => ({ email: x.other.users.trainer.email, name: x.other.users.trainer.name }),
    },
    expectStatus: 403,
  },
  {
    name: "adds a day to another country's workshop",
    actor: 'manager',
    request: {
      route: 'POST /api/v1/cohorts/:id/days',
      params: other.cohort,
      body: () => ({ date: '2026-03-03' }),
    },
    expectStatus: 403,
  },
  {
    name: "records attendance in another country's workshop",
    actor: 'manager',
    request: {
      route: 'PUT /api/v1/cohorts/:id/days/:dayId/attendance',
      params: other.day,
      body: (x) => ({ records: [{ userId: x.other.users.trainer.id, status: 'absent' }] }),
    },
    expectStatus: 403,
  },
  {
    name: "records attendance on another workshop's day through their own workshop",
    actor: 'manager',
    request: {
      route: 'PUT /api/v1/cohorts/:id/days/:dayId/attendance',
      params: mine.dayOfOther,
      body: (x) => ({ records: [{ userId: x.me.users.trainer.id, status: 'absent' }] }),
    },
    expectStatus: 404,
  },
  {
    name: "records the other country's trainer in their own workshop's attendance",
    actor: 'manager',
    request: {
      route: 'PUT /api/v1/cohorts/:id/days/:dayId/attendance',
      params: mine.day,
      body: (x) => ({ records: [{ userId: x.other.users.trainer.id, status: 'present' }] }),
    },
    expectStatus: 400,
    asInput: true,
  },
  {
    name: "records a practicum in another country's workshop",
    actor: 'manager',
    request: {
      route: 'PUT /api/v1/cohorts/:id/participants/:userId/practicum',
      params: other.participant,
      body: () => ({ passed: true, score: 95 }),
    },
    expectStatus: 403,
  },
  {
    name: "records a practicum for the other country's trainer in their own workshop",
    actor: 'manager',
    request: {
      route: 'PUT /api/v1/cohorts/:id/participants/:userId/practicum',
      params: mine.otherParticipant,
      body: () => ({ passed: true, score: 95 }),
    },
    expectStatus: 404,
  },
  {
    name: "reads a participant's eligibility in another country's workshop",
    actor: 'manager',
    request: { route: 'GET /api/v1/cohorts/:id/participants/:userId/eligibility', params: other.participant },
    expectStatus: 403,
  },
  {
    name: "reads the other country's trainer's eligibility through their own workshop",
    actor: 'manager',
    request: {
      route: 'GET /api/v1/cohorts/:id/participants/:userId/eligibility',
      params: mine.otherParticipant,
    },
    expectStatus: 404,
  },
  {
    name: 'reads a workshop they do not facilitate',
    actor: 'certified',
    request: { route: 'GET /api/v1/cohorts/:id', params: other.cohort },
    expectStatus: 403,
  },
  {
    name: 'records attendance in a workshop they do not facilitate',
    actor: 'certified',
    request: {
      route: 'PUT /api/v1/cohorts/:id/days/:dayId/attendance',
      params: other.day,
      body: (x) => ({ records: [{ userId: x.other.users.trainer.id, status: 'absent' }] }),
    },
    expectStatus: 403,
  },
  {
    name: "records attendance on another workshop's day through the one they facilitate",
    actor: 'certified',
    request: {
      route: 'PUT /api/v1/cohorts/:id/days/:dayId/attendance',
      params: mine.dayOfOther,
      body: (x) => ({ records: [{ userId: x.me.users.trainer.id, status: 'absent' }] }),
    },
    expectStatus: 404,
  },
  {
    name: 'records a stranger in the attendance of the workshop they facilitate',
    actor: 'certified',
    request: {
      route: 'PUT /api/v1/cohorts/:id/days/:dayId/attendance',
      params: mine.day,
      body: (x) => ({ records: [{ userId: x.other.users.trainer.id, status: 'present' }] }),
    },
    expectStatus: 400,
    asInput: true,
  },
  {
    name: 'records a practicum in a workshop they do not facilitate',
    actor: 'certified',
    request: {
      route: 'PUT /api/v1/cohorts/:id/participants/:userId/practicum',
      params: other.participant,
      body: () => ({ passed: true, score: 95 }),
    },
    expectStatus: 403,
  },
  {
    name: 'records a practicum for a stranger in the workshop they facilitate',
    actor: 'certified',
    request: {
      route: 'PUT /api/v1/cohorts/:id/participants/:userId/practicum',
      params: mine.otherParticipant,
      body: () => ({ passed: true, score: 95 }),
    },
    expectStatus: 404,
  },
  {
    name: 'reads eligibility in a workshop they do not facilitate',
    actor: 'certified',
    request: { route: 'GET /api/v1/cohorts/:id/participants/:userId/eligibility', params: other.participant },
    expectStatus: 403,
  },
  {
    name: 'reads a workshop they do not take part in',
    actor: 'trainer',
    request: { route: 'GET /api/v1/cohorts/:id', params: other.cohort },
    expectStatus: 403,
  },
  {
    name: "reads another trainer's eligibility in another workshop",
    actor: 'trainer',
    request: { route: 'GET /api/v1/cohorts/:id/participants/:userId/eligibility', params: other.participant },
    expectStatus: 403,
  },
  {
    name: "reads another trainer's eligibility through their own workshop",
    actor: 'trainer',
    request: {
      route: 'GET /api/v1/cohorts/:id/participants/:userId/eligibility',
      params: mine.otherParticipant,
    },
    expectStatus: 403,
  },
  {
    name: 'reads a workshop',
    actor: 'coordinator',
    request: { route: 'GET /api/v1/cohorts/:id', params: other.cohort },
    expectStatus: 403,
  },

  // ── Workshops (cohorts), pages ──
  {
    name: "opens another country's workshop",
    actor: 'manager',
    request: { route: 'GET /cohorts/:id', params: other.cohort },
    expectStatus: 403,
  },
  {
    name: "opens the edit form of another country's workshop",
    actor: 'manager',
    request: { route: 'GET /cohorts/:id/edit', params: other.cohort },
    expectStatus: 403,
  },
  {
    name: "saves another country's workshop",
    actor: 'manager',
    request: { route: 'POST /cohorts/:id', params: other.cohort, body: (x) => x.other.cohortValues },
    expectStatus: 403,
  },
  {
    name: "adds a participant to another country's workshop",
    actor: 'manager',
    request: {
      route: 'POST /cohorts/:id/participants',
      params: other.cohort,
      body: () => ({ email: newEmail('page-participant'), name: 'Nuevo Participante', sex: 'female' }),
    },
    expectStatus: 403,
  },
  {
    name: "adds the other country's trainer to their own workshop",
    actor: 'manager',
    request: {
      route: 'POST /cohorts/:id/participants',
      params: mine.cohort,
      body: (x) => ({
        email: x.other.users.trainer.email,
        name: x.other.users.trainer.name,
        sex: 'unspecified',
      }),
    },
    expectStatus: 403,
  },
  {
    name: "removes a participant from another country's workshop",
    actor: 'manager',
    request: { route: 'POST /cohorts/:id/participants/:userId/remove', params: other.participant },
    expectStatus: 403,
  },
  {
    name: "removes the other country's trainer through their own workshop",
    actor: 'manager',
    request: { route: 'POST /cohorts/:id/participants/:userId/remove', params: mine.otherParticipant },
    expectStatus: 404,
  },
  {
    name: "opens the roster import of another country's workshop",
    actor: 'manager',
    request: { route: 'GET /cohorts/:id/import', params: other.cohort },
    expectStatus: 403,
  },
  {
    name: "previews a roster import into another country's workshop",
    actor: 'manager',
    request: {
      route: 'POST /cohorts/:id/import',
      params: other.cohort,
      body: () => ({ csv: `name,email\nNuevo Importado,${newEmail('preview')}\n` }),
    },
    expectStatus: 403,
  },
  {
    name: "imports a roster into another country's workshop",
    actor: 'manager',
    request: {
      route: 'POST /cohorts/:id/import/confirm',
      params: other.cohort,
      body: () => ({ csv: `name,email\nNuevo Importado,${newEmail('import')}\n` }),
    },
    expectStatus: 403,
  },
  {
    name: "imports the other country's trainer into their own workshop",
    actor: 'manager',
    request: {
      route: 'POST /cohorts/:id/import/confirm',
      params: mine.cohort,
      body: (x) => ({ csv: `name,email\nImportado,${x.other.users.trainer.email}\n` }),
    },
    expectStatus: 403,
  },
  {
    name: "adds a day to another country's workshop",
    actor: 'manager',
    request: { route: 'POST /cohorts/:id/days', params: other.cohort, body: () => ({ date: '2026-03-04' }) },
    expectStatus: 403,
  },
  {
    name: "opens the attendance sheet of another country's workshop",
    actor: 'manager',
    request: { route: 'GET /cohorts/:id/days/:dayId', params: other.day },
    expectStatus: 403,
  },
  {
    name: "opens another workshop's day through their own workshop",
    actor: 'manager',
    request: { route: 'GET /cohorts/:id/days/:dayId', params: mine.dayOfOther },
    expectStatus: 400,
    asInput: true,
  },
  {
    name: "saves attendance in another country's workshop",
    actor: 'manager',
    request: {
      route: 'POST /cohorts/:id/days/:dayId',
      params: other.day,
      body: (x) => ({ [`s.${x.other.users.trainer.id}`]: 'absent' }),
    },
    expectStatus: 403,
  },
  {
    name: "saves attendance on another workshop's day through their own workshop",
    actor: 'manager',
    request: {
      route: 'POST /cohorts/:id/days/:dayId',
      params: mine.dayOfOther,
      body: () => ({ all: 'present' }),
    },
    expectStatus: 404,
  },
  {
    name: "prints the sign-in sheet of another country's workshop",
    actor: 'manager',
    request: { route: 'GET /cohorts/:id/days/:dayId/sign-in', params: other.day },
    expectStatus: 403,
  },
  {
    name: "prints another workshop's sign-in sheet through their own workshop",
    actor: 'manager',
    request: { route: 'GET /cohorts/:id/days/:dayId/sign-in', params: mine.dayOfOther },
    expectStatus: 400,
    asInput: true,
  },
  {
    name: "opens a participant of another country's workshop",
    actor: 'manager',
    request: { route: 'GET /cohorts/:id/participants/:userId', params: other.participant },
    expectStatus: 403,
  },
  {
    name: "opens the other country's trainer through their own workshop",
    actor: 'manager',
    request: { route: 'GET /cohorts/:id/participants/:userId', params: mine.otherParticipant },
    expectStatus: 404,
  },
  {
    name: "saves a practicum in another country's workshop",
    actor: 'manager',
    request: {
      route: 'POST /cohorts/:id/participants/:userId/practicum',
      params: other.participant,
      body: () => ({ passed: 'true', score: '95' }),
    },
    expectStatus: 403,
  },
  {
    name: "saves a practicum for the other country's trainer in their own workshop",
    actor: 'manager',
    request: {
      route: 'POST /cohorts/:id/participants/:userId/practicum',
      params: mine.otherParticipant,
      body: () => ({ passed: 'true', score: '95' }),
    },
    expectStatus: 404,
  },
  {
    name: 'opens a workshop they do not facilitate',
    actor: 'certified',
    request: { route: 'GET /cohorts/:id', params: other.cohort },
    expectStatus: 403,
  },
  {
    name: 'opens the attendance sheet of a workshop they do not facilitate',
    actor: 'certified',
    request: { route: 'GET /cohorts/:id/days/:dayId', params: other.day },
    expectStatus: 403,
  },
  {
    name: 'saves attendance in a workshop they do not facilitate',
    actor: 'certified',
    request: { route: 'POST /cohorts/:id/days/:dayId', params: other.day, body: () => ({ all: 'present' }) },
    expectStatus: 403,
  },
  {
    name: 'prints the sign-in sheet of a workshop they do not facilitate',
    actor: 'certified',
    request: { route: 'GET /cohorts/:id/days/:dayId/sign-in', params: other.day },
    expectStatus: 403,
  },
  {
    name: 'opens a participant of a workshop they do not facilitate',
    actor: 'certified',
    request: { route: 'GET /cohorts/:id/participants/:userId', params: other.participant },
    expectStatus: 403,
  },
  {
    name: 'saves a practicum in a workshop they do not facilitate',
    actor: 'certified',
    request: {
      route: 'POST /cohorts/:id/participants/:userId/practicum',
      params: other.participant,
      body: () => ({ passed: 'true', score: '95' }),
    },
    expectStatus: 403,
  },
  {
    name: 'saves a practicum for a stranger in the workshop they facilitate',
    actor: 'certified',
    request: {
      route: 'POST /cohorts/:id/participants/:userId/practicum',
      params: mine.otherParticipant,
      body: () => ({ passed: 'true', score: '95' }),
    },
    expectStatus: 404,
  },
  {
    name: 'opens a workshop they do not take part in',
    actor: 'trainer',
    request: { route: 'GET /cohorts/:id', params: other.cohort },
    expectStatus: 403,
  },
  {
    name: "opens another trainer's standing in another workshop",
    actor: 'trainer',
    request: { route: 'GET /cohorts/:id/participants/:userId', params: other.participant },
    expectStatus: 403,
  },
  {
    name: "opens another trainer's standing through their own workshop",
    actor: 'trainer',
    request: { route: 'GET /cohorts/:id/participants/:userId', params: mine.otherParticipant },
    expectStatus: 403,
  },
  {
    name: 'opens the attendance sheet of a workshop they do not take part in',
    actor: 'trainer',
    request: { route: 'GET /cohorts/:id/days/:dayId', params: other.day },
    expectStatus: 403,
  },
  {
    name: 'opens a workshop',
    actor: 'coordinator',
    request: { route: 'GET /cohorts/:id', params: other.cohort },
    expectStatus: 403,
  },
  {
    name: "opens a workshop participant's standing",
    actor: 'coordinator',
    request: { route: 'GET /cohorts/:id/participants/:userId', params: other.participant },
    expectStatus: 403,
  },

  // ── Enrolments and quizzes, JSON API ──
  {
    name: "reads another trainer's enrolment",
    actor: 'trainer',
    request: { route: 'GET /api/v1/enrolments/:id', params: other.enrolment },
    expectStatus: 403,
  },
  {
    name: "completes a lesson of another trainer's enrolment",
    actor: 'trainer',
    request: { route: 'POST /api/v1/enrolments/:id/lessons/:lessonSlug/complete', params: other.lesson },
    expectStatus: 403,
  },
  {
    name: "opens a quiz of another trainer's enrolment",
    actor: 'trainer',
    request: { route: 'GET /api/v1/enrolments/:id/quizzes/:quizSlug', params: other.quiz },
    expectStatus: 403,
  },
  {
    name: "answers a quiz of another trainer's enrolment",
    actor: 'trainer',
    request: {
      route: 'POST /api/v1/enrolments/:id/quizzes/:quizSlug/attempts',
      params: other.quiz,
      body: () => rightChecks,
    },
    expectStatus: 403,
  },
  {
    name: "reads another trainer's enrolment",
    actor: 'certified',
    request: { route: 'GET /api/v1/enrolments/:id', params: other.enrolment },
    expectStatus: 403,
  },
  {
    name: "completes a lesson of another trainer's enrolment",
    actor: 'certified',
    request: { route: 'POST /api/v1/enrolments/:id/lessons/:lessonSlug/complete', params: other.lesson },
    expectStatus: 403,
  },
  {
    name: "reads a trainer's enrolment",
    actor: 'coordinator',
    request: { route: 'GET /api/v1/enrolments/:id', params: other.enrolment },
    expectStatus: 403,
  },
  {
    name: "reads the enrolment of another country's trainer",
    actor: 'manager',
    request: { route: 'GET /api/v1/enrolments/:id', params: other.enrolment },
    expectStatus: 403,
  },
  {
    name: "completes a lesson of a trainer's enrolment",
    actor: 'manager',
    request: { route: 'POST /api/v1/enrolments/:id/lessons/:lessonSlug/complete', params: other.lesson },
    expectStatus: 403,
  },
  {
    name: "opens a quiz of a trainer's enrolment",
    actor: 'manager',
    request: { route: 'GET /api/v1/enrolments/:id/quizzes/:quizSlug', params: other.quiz },
    expectStatus: 403,
  },
  {
    name: "answers a quiz of a trainer's enrolment",
    actor: 'manager',
    request: {
      route: 'POST /api/v1/enrolments/:id/quizzes/:quizSlug/attempts',
      params: other.quiz,
      body: () => rightChecks,
    },
    expectStatus: 403,
  },

  // ── Learning pages ──
  {
    name: "opens another trainer's enrolment",
    actor: 'trainer',
    request: { route: 'GET /learn/:id', params: other.enrolment },
    expectStatus: 403,
  },
  {
    name: "reads a lesson in another trainer's enrolment",
    actor: 'trainer',
    request: { route: 'GET /learn/:id/lessons/:lessonSlug', params: other.lesson },
    expectStatus: 403,
  },
  {
    name: "completes a lesson of another trainer's enrolment",
    actor: 'trainer',
    request: { route: 'POST /learn/:id/lessons/:lessonSlug/complete', params: other.lesson },
    expectStatus: 403,
  },
  {
    name: "opens a quiz of another trainer's enrolment",
    actor: 'trainer',
    request: { route: 'GET /learn/:id/quizzes/:quizSlug', params: other.quiz },
    expectStatus: 403,
  },
  {
    name: "answers a quiz of another trainer's enrolment",
    actor: 'trainer',
    request: {
      route: 'POST /learn/:id/quizzes/:quizSlug',
      params: other.quiz,
      body: () => ({ 'a.signs': 'a' }),
    },
    expectStatus: 403,
  },
  {
    name: "reads another trainer's quiz result",
    actor: 'trainer',
    request: { route: 'GET /learn/:id/quizzes/:quizSlug/result', params: other.quiz },
    expectStatus: 403,
  },
  {
    name: "opens another trainer's enrolment",
    actor: 'certified',
    request: { route: 'GET /learn/:id', params: other.enrolment },
    expectStatus: 403,
  },
  {
    name: "reads another trainer's quiz result",
    actor: 'certified',
    request: { route: 'GET /learn/:id/quizzes/:quizSlug/result', params: other.quiz },
    expectStatus: 403,
  },
  {
    name: "opens a trainer's enrolment",
    actor: 'coordinator',
    request: { route: 'GET /learn/:id', params: other.enrolment },
    expectStatus: 403,
  },
  {
    name: "opens a trainer's enrolment",
    actor: 'manager',
    request: { route: 'GET /learn/:id', params: other.enrolment },
    expectStatus: 403,
  },
  {
    name: "reads a lesson in a trainer's enrolment",
    actor: 'manager',
    request: { route: 'GET /learn/:id/lessons/:lessonSlug', params: other.lesson },
    expectStatus: 403,
  },

  // ── Certifications, JSON API ──
  {
    name: "reads another country's certification",
    actor: 'manager',
    request: { route: 'GET /api/v1/certifications/:code', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "renews another country's certification",
    actor: 'manager',
    request: { route: 'POST /api/v1/certifications/:code/renew', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "revokes another country's certification",
    actor: 'manager',
    request: { route: 'POST /api/v1/certifications/:code/revoke', params: other.cert, body: reason },
    expectStatus: 403,
  },
  {
    name: "certifies a participant of another country's workshop",
    actor: 'manager',
    request: {
      route: 'POST /api/v1/certifications',
      body: (x) => ({
        cohortId: x.other.certCohortId,
        userId: x.other.users.certified.id,
        issuedOn: CERT_DAY,
      }),
    },
    expectStatus: 403,
  },
  {
    name: "certifies the other country's trainer through their own workshop",
    actor: 'manager',
    request: {
      route: 'POST /api/v1/certifications',
      body: (x) => ({ cohortId: x.me.certCohortId, userId: x.other.users.certified.id, issuedOn: CERT_DAY }),
    },
    expectStatus: 404,
  },
  {
    name: "reads another trainer's certification",
    actor: 'trainer',
    request: { route: 'GET /api/v1/certifications/:code', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "reads another trainer's certification",
    actor: 'certified',
    request: { route: 'GET /api/v1/certifications/:code', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "reads a trainer's certification",
    actor: 'coordinator',
    request: { route: 'GET /api/v1/certifications/:code', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "reads another country's portable credential",
    actor: 'manager',
    request: { route: 'GET /api/v1/certifications/:code/open-badge', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "reads another trainer's portable credential",
    actor: 'certified',
    request: { route: 'GET /api/v1/certifications/:code/open-badge', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "reads a trainer's portable credential",
    actor: 'coordinator',
    request: { route: 'GET /api/v1/certifications/:code/open-badge', params: other.cert },
    expectStatus: 403,
  },

  // ── Certifications, pages ──
  {
    name: "opens another country's certification",
    actor: 'manager',
    request: { route: 'GET /certifications/:code', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "downloads another country's certificate",
    actor: 'manager',
    request: { route: 'GET /certifications/:code/certificate.pdf', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "renews another country's certification",
    actor: 'manager',
    request: { route: 'POST /certifications/:code/renew', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "revokes another country's certification",
    actor: 'manager',
    request: { route: 'POST /certifications/:code/revoke', params: other.cert, body: reason },
    expectStatus: 403,
  },
  {
    name: "certifies everyone eligible in another country's workshop",
    actor: 'manager',
    request: {
      route: 'POST /cohorts/:id/certify',
      params: other.certCohort,
      body: () => ({ issuedOn: CERT_DAY }),
    },
    expectStatus: 403,
  },
  {
    name: "certifies a participant of another country's workshop",
    actor: 'manager',
    request: {
      route: 'POST /cohorts/:id/participants/:userId/certify',
      params: (x) => ({ id: x.other.certCohortId, userId: x.other.users.certified.id }),
      body: () => ({ issuedOn: CERT_DAY }),
    },
    expectStatus: 403,
  },
  {
    name: "certifies the other country's trainer through their own workshop",
    actor: 'manager',
    request: {
      route: 'POST /cohorts/:id/participants/:userId/certify',
      params: mine.otherCertified,
      body: () => ({ issuedOn: CERT_DAY }),
    },
    expectStatus: 404,
  },
  {
    name: "downloads the certificates of another country's workshop",
    actor: 'manager',
    request: { route: 'GET /cohorts/:id/certificates.zip', params: other.certCohort },
    expectStatus: 403,
  },
  {
    name: "opens another trainer's certification",
    actor: 'trainer',
    request: { route: 'GET /certifications/:code', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "downloads another trainer's certificate",
    actor: 'trainer',
    request: { route: 'GET /certifications/:code/certificate.pdf', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "downloads another trainer's certificate",
    actor: 'certified',
    request: { route: 'GET /certifications/:code/certificate.pdf', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "opens a trainer's certification",
    actor: 'coordinator',
    request: { route: 'GET /certifications/:code', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "downloads another country's portable credential",
    actor: 'manager',
    request: { route: 'GET /certifications/:code/credential.json', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "downloads another trainer's portable credential",
    actor: 'trainer',
    request: { route: 'GET /certifications/:code/credential.json', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "downloads another trainer's portable credential",
    actor: 'certified',
    request: { route: 'GET /certifications/:code/credential.json', params: other.cert },
    expectStatus: 403,
  },
  {
    name: "downloads a trainer's portable credential",
    actor: 'coordinator',
    request: { route: 'GET /certifications/:code/credential.json', params: other.cert },
    expectStatus: 403,
  },

  // ── Schools and coordinators ──
  {
    name: "reads another country's school",
    actor: 'manager',
    request: { route: 'GET /api/v1/schools/:id', params: other.school },
    expectStatus: 403,
  },
  {
    name: "assigns another country's school to their own coordinator",
    actor: 'manager',
    request: {
      route: 'PUT /api/v1/schools/:id/coordinators',
      params: other.school,
      body: (x) => ({ userIds: [x.me.users.coordinator.id] }),
    },
    expectStatus: 403,
  },
  {
    name: "makes the other country's coordinator coordinate their own school",
    actor: 'manager',
    request: {
      route: 'PUT /api/v1/schools/:id/coordinators',
      params: mine.school,
      body: (x) => ({ userIds: [x.me.users.coordinator.id, x.other.users.coordinator.id] }),
    },
    expectStatus: 403,
  },
  {
    name: 'creates a school in the other country',
    actor: 'manager',
    request: {
      route: 'POST /api/v1/schools',
      body: (x) => ({
        name: 'Escuela ajena',
        code: `FOREIGN-${++unique}`,
        countryCode: x.other.country,
        municipality: 'Ajena',
      }),
    },
    expectStatus: 403,
  },
  {
    name: "creates a coordinator of another country's school",
    actor: 'manager',
    request: {
      route: 'POST /api/v1/users',
      body: (x) => ({
        email: newEmail('coordinator'),
        name: 'Nueva Coordinadora',
        role: 'coordinator',
        schoolIds: [x.other.schoolId],
      }),
    },
    expectStatus: 403,
  },
  {
    name: 'creates a trainer in the other country',
    actor: 'manager',
    request: {
      route: 'POST /api/v1/users',
      body: (x) => ({
        email: newEmail('trainer'),
        name: 'Nuevo Formador',
        role: 'trainer',
        countryCode: x.other.country,
      }),
    },
    expectStatus: 403,
  },
  {
    name: "opens another country's school",
    actor: 'manager',
    request: { route: 'GET /schools/:id', params: other.school },
    expectStatus: 403,
  },
  {
    name: "assigns another country's school to their own coordinator",
    actor: 'manager',
    request: {
      route: 'POST /schools/:id/coordinators',
      params: other.school,
      body: (x) => ({ userIds: x.me.users.coordinator.id }),
    },
    expectStatus: 403,
  },
  {
    name: "makes the other country's coordinator coordinate their own school",
    actor: 'manager',
    request: {
      route: 'POST /schools/:id/coordinators',
      params: mine.school,
      body: (x) => ({ userIds: [x.me.users.coordinator.id, x.other.users.coordinator.id] }),
    },
    expectStatus: 403,
  },
  {
    name: 'creates a school in the other country',
    actor: 'manager',
    request: {
      route: 'POST /schools',
      body: (x) => ({
        name: 'Escuela ajena',
        code: `FOREIGN-${++unique}`,
        countryCode: x.other.country,
        municipality: 'Ajena',
        level: 'primary',
      }),
    },
    expectStatus: 403,
  },
  {
    name: 'reads a school that is not theirs',
    actor: 'coordinator',
    request: { route: 'GET /api/v1/schools/:id', params: other.school },
    expectStatus: 403,
  },
  {
    name: 'opens a school that is not theirs',
    actor: 'coordinator',
    request: { route: 'GET /schools/:id', params: other.school },
    expectStatus: 403,
  },

  // ── Accounts ──
  {
    name: "opens another country's trainer account",
    actor: 'manager',
    request: { route: 'GET /admin/users/:id', params: other.user('trainer') },
    expectStatus: 404,
  },
  {
    name: "opens another country's coordinator account",
    actor: 'manager',
    request: { route: 'GET /admin/users/:id', params: other.user('coordinator') },
    expectStatus: 404,
  },
  {
    name: "opens another country's manager account",
    actor: 'manager',
    request: { route: 'GET /admin/users/:id', params: other.user('manager') },
    expectStatus: 404,
  },
  {
    name: "edits another country's trainer account",
    actor: 'manager',
    request: {
      route: 'POST /admin/users/:id',
      params: other.user('trainer'),
      body: (x) => ({ ...userForm(x.other.users.trainer), countryCode: x.me.country, name: 'Taken Over' }),
    },
    expectStatus: 404,
  },
  {
    name: "disables another country's coordinator account",
    actor: 'manager',
    request: { route: 'POST /admin/users/:id/disable', params: other.user('coordinator') },
    expectStatus: 404,
  },
  {
    name: "resends another country's invitation",
    actor: 'manager',
    request: { route: 'POST /admin/users/:id/resend-invitation', params: other.user('invited') },
    expectStatus: 404,
  },
  {
    name: "opens another user's account",
    actor: 'trainer',
    request: { route: 'GET /admin/users/:id', params: other.user('trainer') },
    expectStatus: 403,
  },
  {
    name: "edits another user's account",
    actor: 'coordinator',
    request: {
      route: 'POST /admin/users/:id',
      params: other.user('coordinator'),
      body: (x) => userForm(x.other.users.coordinator),
    },
    expectStatus: 403,
  },
  {
    name: "downloads another country's trainer's personal data",
    actor: 'manager',
    request: { route: 'GET /admin/users/:id/data.json', params: other.user('trainer') },
    expectStatus: 403,
  },
  {
    name: "downloads another trainer's personal data",
    actor: 'trainer',
    request: { route: 'GET /api/v1/users/:id/data', params: other.user('trainer') },
    expectStatus: 403,
  },
  {
    name: "anonymises another country's trainer",
    actor: 'manager',
    request: {
      route: 'POST /admin/users/:id/anonymise',
      params: other.user('trainer'),
      body: () => ({ confirm: 'yes' }),
    },
    expectStatus: 403,
  },
  {
    name: 'anonymises another trainer through the API',
    actor: 'certified',
    request: {
      route: 'POST /api/v1/users/:id/anonymise',
      params: other.user('trainer'),
      body: () => ({ confirm: 'yes' }),
    },
    expectStatus: 403,
  },

  // ── Cascade sessions, JSON API ──
  {
    name: 'reads a session of a school that is not theirs',
    actor: 'coordinator',
    request: { route: 'GET /api/v1/cascade-sessions/:id', params: other.byTrainer },
    expectStatus: 403,
  },
  {
    name: 'confirms a session of a school that is not theirs',
    actor: 'coordinator',
    request: { route: 'POST /api/v1/cascade-sessions/:id/confirm', params: other.byTrainer },
    expectStatus: 403,
  },
  {
    name: 'rejects a session of a school that is not theirs',
    actor: 'coordinator',
    request: { route: 'POST /api/v1/cascade-sessions/:id/reject', params: other.byTrainer, body: reason },
    expectStatus: 403,
  },
  {
    name: "confirms another coordinator's session",
    actor: 'coordinator',
    request: { route: 'POST /api/v1/cascade-sessions/:id/confirm', params: other.byCoordinator },
    expectStatus: 403,
  },
  {
    name: 'logs a session at a school that is not theirs',
    actor: 'coordinator',
    request: {
      route: 'POST /api/v1/cascade-sessions',
      body: (x) => sessionJson(x.other, SESSION_DAYS.spare),
    },
    expectStatus: 403,
  },
  {
    name: "replays another coordinator's Idempotency-Key and body",
    actor: 'coordinator',
    request: {
      route: 'POST /api/v1/cascade-sessions',
      body: (x) => x.other.coordinatorLog.body,
      headers: (x) => ({ 'Idempotency-Key': x.other.coordinatorLog.key }),
    },
    expectStatus: 403,
  },
  {
    name: "reads another trainer's session",
    actor: 'certified',
    request: { route: 'GET /api/v1/cascade-sessions/:id', params: other.byCoordinator },
    expectStatus: 403,
  },
  {
    name: 'confirms a session logged for another trainer',
    actor: 'certified',
    request: { route: 'POST /api/v1/cascade-sessions/:id/confirm', params: other.byCoordinator },
    expectStatus: 403,
  },
  {
    name: 'rejects a session logged for another trainer',
    actor: 'certified',
    request: { route: 'POST /api/v1/cascade-sessions/:id/reject', params: other.byCoordinator, body: reason },
    expectStatus: 403,
  },
  {
    name: 'logs a session in the name of another trainer',
    actor: 'certified',
    request: {
      route: 'POST /api/v1/cascade-sessions',
      body: (x) => ({ ...sessionJson(x.me, SESSION_DAYS.spare), trainerId: x.other.users.certified.id }),
    },
    expectStatus: 403,
  },
  {
    name: "reads another trainer's session",
    actor: 'trainer',
    request: { route: 'GET /api/v1/cascade-sessions/:id', params: other.byTrainer },
    expectStatus: 403,
  },
  {
    name: "reads another country's session",
    actor: 'manager',
    request: { route: 'GET /api/v1/cascade-sessions/:id', params: other.byTrainer },
    expectStatus: 403,
  },
  {
    name: "confirms another country's session",
    actor: 'manager',
    request: { route: 'POST /api/v1/cascade-sessions/:id/confirm', params: other.byTrainer },
    expectStatus: 403,
  },
  {
    name: "rejects another country's session",
    actor: 'manager',
    request: { route: 'POST /api/v1/cascade-sessions/:id/reject', params: other.byCoordinator, body: reason },
    expectStatus: 403,
  },

  // ── Cascade sessions, pages ──
  {
    name: 'opens a session of a school that is not theirs',
    actor: 'coordinator',
    request: { route: 'GET /cascade-sessions/:id', params: other.byTrainer },
    expectStatus: 403,
  },
  {
    name: "opens the edit form of another coordinator's session",
    actor: 'coordinator',
    request: { route: 'GET /cascade-sessions/:id/edit', params: other.byCoordinator },
    expectStatus: 403,
  },
  {
    name: "saves another coordinator's session",
    actor: 'coordinator',
    request: {
      route: 'POST /cascade-sessions/:id/edit',
      params: other.byCoordinator,
      body: (x) => ({ ...sessionForm(x.other, SESSION_DAYS.byCoordinator), p_female: '20', a_10_14: '30' }),
    },
    expectStatus: 403,
  },
  {
    name: 'confirms a session of a school that is not theirs',
    actor: 'coordinator',
    request: { route: 'POST /cascade-sessions/:id/confirm', params: other.byTrainer },
    expectStatus: 403,
  },
  {
    name: 'rejects a session of a school that is not theirs',
    actor: 'coordinator',
    request: { route: 'POST /cascade-sessions/:id/reject', params: other.byTrainer, body: reason },
    expectStatus: 403,
  },
  {
    name: 'logs a session at a school that is not theirs',
    actor: 'coordinator',
    request: { route: 'POST /cascade-sessions', body: (x) => sessionForm(x.other, SESSION_DAYS.spare) },
    expectStatus: 403,
  },
  {
    name: "opens another trainer's session",
    actor: 'certified',
    request: { route: 'GET /cascade-sessions/:id', params: other.byCoordinator },
    expectStatus: 403,
  },
  {
    name: "opens the edit form of another trainer's session",
    actor: 'certified',
    request: { route: 'GET /cascade-sessions/:id/edit', params: other.byTrainer },
    expectStatus: 403,
  },
  {
    name: "saves another trainer's session",
    actor: 'certified',
    request: {
      route: 'POST /cascade-sessions/:id/edit',
      params: other.byTrainer,
      body: (x) => ({ ...sessionForm(x.other, SESSION_DAYS.byTrainer), p_female: '20', a_10_14: '30' }),
    },
    expectStatus: 403,
  },
  {
    name: 'confirms a session logged for another trainer',
    actor: 'certified',
    request: { route: 'POST /cascade-sessions/:id/confirm', params: other.byCoordinator },
    expectStatus: 403,
  },
  {
    name: 'rejects a session logged for another trainer',
    actor: 'certified',
    request: { route: 'POST /cascade-sessions/:id/reject', params: other.byCoordinator, body: reason },
    expectStatus: 403,
  },
  {
    name: "opens another trainer's session",
    actor: 'trainer',
    request: { route: 'GET /cascade-sessions/:id', params: other.byTrainer },
    expectStatus: 403,
  },
  {
    name: "opens another country's session",
    actor: 'manager',
    request: { route: 'GET /cascade-sessions/:id', params: other.byTrainer },
    expectStatus: 403,
  },
  {
    name: "opens the edit form of another country's session",
    actor: 'manager',
    request: { route: 'GET /cascade-sessions/:id/edit', params: other.byTrainer },
    expectStatus: 403,
  },
  {
    name: "saves another country's session",
    actor: 'manager',
    request: {
      route: 'POST /cascade-sessions/:id/edit',
      params: other.byTrainer,
      body: (x) => sessionForm(x.other, SESSION_DAYS.byTrainer),
    },
    expectStatus: 403,
  },
  {
    name: "confirms another country's session",
    actor: 'manager',
    request: { route: 'POST /cascade-sessions/:id/confirm', params: other.byTrainer },
    expectStatus: 403,
  },
  {
    name: "rejects another country's session",
    actor: 'manager',
    request: { route: 'POST /cascade-sessions/:id/reject', params: other.byCoordinator, body: reason },
    expectStatus: 403,
  },

  // ── Cascade lineage (the tree of a workshop or of a trainer), JSON API and pages ──
  ...(['/api/v1', ''] as const).flatMap((prefix): Refusal[] => [
    {
      name: `opens the lineage of another country's certification workshop (${prefix || 'page'})`,
      actor: 'manager',
      request: {
        route: `GET ${prefix}/lineage/cohorts/:cohortId`,
        params: (x) => ({ cohortId: x.other.certCohortId }),
      },
      expectStatus: 403,
    },
    {
      name: `opens the lineage of another country's workshop (${prefix || 'page'})`,
      actor: 'manager',
      request: {
        route: `GET ${prefix}/lineage/cohorts/:cohortId`,
        params: (x) => ({ cohortId: x.other.cohortId }),
      },
      expectStatus: 403,
    },
    {
      name: `opens the lineage of another country's certified trainer (${prefix || 'page'})`,
      actor: 'manager',
      request: {
        route: `GET ${prefix}/lineage/trainers/:userId`,
        params: (x) => ({ userId: x.other.users.certified.id }),
      },
      expectStatus: 403,
    },
    {
      name: `opens the lineage of another country's uncertified trainer (${prefix || 'page'})`,
      actor: 'manager',
      request: {
        route: `GET ${prefix}/lineage/trainers/:userId`,
        params: (x) => ({ userId: x.other.users.trainer.id }),
      },
      expectStatus: 404,
    },
    {
      name: `opens another trainer's lineage (${prefix || 'page'})`,
      actor: 'certified',
      request: {
        route: `GET ${prefix}/lineage/trainers/:userId`,
        params: (x) => ({ userId: x.other.users.certified.id }),
      },
      expectStatus: 403,
    },
    {
      name: `opens the lineage of a workshop they led (${prefix || 'page'}: workshop trees are for managers)`,
      actor: 'certified',
      request: {
        route: `GET ${prefix}/lineage/cohorts/:cohortId`,
        params: (x) => ({ cohortId: x.me.cohortId }),
      },
      expectStatus: 403,
    },
    {
      name: `opens another trainer's lineage (${prefix || 'page'})`,
      actor: 'trainer',
      request: {
        route: `GET ${prefix}/lineage/trainers/:userId`,
        params: (x) => ({ userId: x.other.users.certified.id }),
      },
      expectStatus: 403,
    },
    {
      name: `opens a workshop's lineage (${prefix || 'page'})`,
      actor: 'trainer',
      request: {
        route: `GET ${prefix}/lineage/cohorts/:cohortId`,
        params: (x) => ({ cohortId: x.other.certCohortId }),
      },
      expectStatus: 403,
    },
    {
      name: `opens a trainer's lineage (${prefix || 'page'})`,
      actor: 'coordinator',
      request: {
        route: `GET ${prefix}/lineage/trainers/:userId`,
        params: (x) => ({ userId: x.other.users.certified.id }),
      },
      expectStatus: 403,
    },
    {
      name: `opens a workshop's lineage (${prefix || 'page'})`,
      actor: 'coordinator',
      request: {
        route: `GET ${prefix}/lineage/cohorts/:cohortId`,
        params: (x) => ({ cohortId: x.other.certCohortId }),
      },
      expectStatus: 403,
    },
  ]),
];

/** Rows of a JSON list or report. */
const itemsOf = (res: request.Response) => (res.body.items ?? res.body.rows) as unknown[];
const isEmptyList = (res: request.Response) =>
  expect({ items: itemsOf(res), total: res.body.total ?? 0 }).toEqual({ items: [], total: 0 });
const REPORTS = ['completion', 'knowledge-gain', 'certifications', 'cascade', 'donor'] as const;

/**
 * Lists, exports and reports asked about the other world: they answer, with none of its rows (the
 * runner also checks that none of its ids or names appears anywhere in the answer).
 */
const SCOPED: Scoped[] = [
  // Lists filtered to the other country, school, trainer, workshop.
  {
    name: 'lists workshops of another country (?countryCode=)',
    actor: 'manager',
    request: { route: 'GET /api/v1/cohorts', query: (x) => ({ countryCode: x.other.country }) },
    expectStatus: 200,
    check: isEmptyList,
  },
  { name: 'lists workshops', actor: 'manager', request: { route: 'GET /api/v1/cohorts' }, expectStatus: 200 },
  {
    name: 'lists accounts of another country (?countryCode=)',
    actor: 'manager',
    request: { route: 'GET /api/v1/users', query: (x) => ({ countryCode: x.other.country }) },
    expectStatus: 200,
    check: isEmptyList,
  },
  { name: 'lists accounts', actor: 'manager', request: { route: 'GET /api/v1/users' }, expectStatus: 200 },
  {
    name: 'lists schools of another country (?countryCode=)',
    actor: 'manager',
    request: { route: 'GET /api/v1/schools', query: (x) => ({ countryCode: x.other.country }) },
    expectStatus: 200,
    check: isEmptyList,
  },
  {
    name: "lists schools of another country's municipality (?municipalityId=)",
    actor: 'manager',
    request: { route: 'GET /api/v1/schools', query: (x) => ({ municipalityId: x.other.municipalityId }) },
    expectStatus: 200,
    check: isEmptyList,
  },
  {
    name: 'lists municipalities of another country (?countryCode=)',
    actor: 'manager',
    request: { route: 'GET /api/v1/municipalities', query: (x) => ({ countryCode: x.other.country }) },
    expectStatus: 200,
    check: (res, x) =>
      expect(
        (res.body.items as Array<{ countryCode: string }>).filter((m) => m.countryCode !== x.me.country),
      ).toEqual([]),
  },
  {
    name: 'lists sessions of another country (?countryCode=)',
    actor: 'manager',
    request: { route: 'GET /api/v1/cascade-sessions', query: (x) => ({ countryCode: x.other.country }) },
    expectStatus: 200,
    check: isEmptyList,
  },
  {
    name: "lists sessions of another country's school (?schoolId=)",
    actor: 'manager',
    request: { route: 'GET /api/v1/cascade-sessions', query: (x) => ({ schoolId: x.other.schoolId }) },
    expectStatus: 200,
    check: isEmptyList,
  },
  {
    name: "lists sessions of another country's trainer (?trainerId=)",
    actor: 'manager',
    request: {
      route: 'GET /api/v1/cascade-sessions',
      query: (x) => ({ trainerId: x.other.users.certified.id }),
    },
    expectStatus: 200,
    check: isEmptyList,
  },
  {
    name: "lists certifications of another country's trainer (?userId=)",
    actor: 'manager',
    request: { route: 'GET /api/v1/certifications', query: (x) => ({ userId: x.other.users.certified.id }) },
    expectStatus: 200,
    check: isEmptyList,
  },
  {
    name: "lists certifications of another country's workshop (?cohortId=)",
    actor: 'manager',
    request: { route: 'GET /api/v1/certifications', query: (x) => ({ cohortId: x.other.certCohortId }) },
    expectStatus: 200,
    check: isEmptyList,
  },
  {
    name: 'lists certifications',
    actor: 'manager',
    request: { route: 'GET /api/v1/certifications' },
    expectStatus: 200,
  },
  {
    name: 'lists schools of another country (?countryCode=)',
    actor: 'coordinator',
    request: { route: 'GET /api/v1/schools', query: (x) => ({ countryCode: x.other.country }) },
    expectStatus: 200,
    check: isEmptyList,
  },
  {
    name: 'lists sessions of a school that is not theirs (?schoolId=)',
    actor: 'coordinator',
    request: { route: 'GET /api/v1/cascade-sessions', query: (x) => ({ schoolId: x.other.schoolId }) },
    expectStatus: 200,
    check: isEmptyList,
  },
  {
    name: 'lists sessions',
    actor: 'coordinator',
    request: { route: 'GET /api/v1/cascade-sessions' },
    expectStatus: 200,
  },
  {
    name: 'lists workshops',
    actor: 'coordinator',
    request: { route: 'GET /api/v1/cohorts' },
    expectStatus: 200,
  },
  {
    name: "lists another trainer's sessions (?trainerId=)",
    actor: 'certified',
    request: {
      route: 'GET /api/v1/cascade-sessions',
      query: (x) => ({ trainerId: x.other.users.certified.id }),
    },
    expectStatus: 200,
    check: isEmptyList,
  },
  {
    name: 'lists sessions of a school they did not deliver at (?schoolId=)',
    actor: 'certified',
    request: { route: 'GET /api/v1/cascade-sessions', query: (x) => ({ schoolId: x.other.schoolId }) },
    expectStatus: 200,
    check: isEmptyList,
  },
  {
    name: 'lists workshops of another country (?countryCode=)',
    actor: 'certified',
    request: { route: 'GET /api/v1/cohorts', query: (x) => ({ countryCode: x.other.country }) },
    expectStatus: 200,
    check: isEmptyList,
  },
  {
    name: "lists another trainer's certifications (?userId=)",
    actor: 'trainer',
    request: { route: 'GET /api/v1/certifications', query: (x) => ({ userId: x.other.users.certified.id }) },
    expectStatus: 200,
    check: isEmptyList,
  },
  {
    name: "lists another trainer's sessions (?trainerId=)",
    actor: 'trainer',
    request: {
      route: 'GET /api/v1/cascade-sessions',
      query: (x) => ({ trainerId: x.other.users.certified.id }),
    },
    expectStatus: 200,
    check: isEmptyList,
  },
  { name: 'lists workshops', actor: 'trainer', request: { route: 'GET /api/v1/cohorts' }, expectStatus: 200 },

  // Reports and exports (the reports answer with no rows of the other country).
  ...REPORTS.map((name): Scoped => ({
    name: `${name} report of another country (?countryCode=)`,
    actor: 'manager',
    request: {
      route: 'GET /api/v1/reports/:name',
      params: () => ({ name }),
      query: (x) => ({ countryCode: x.other.country, status: 'all' }),
    },
    expectStatus: 200,
    check: (res) => expect(res.body.rows).toEqual([]),
  })),
  ...REPORTS.map((name): Scoped => ({
    name: `${name} report of another country's workshop (?cohortId=)`,
    actor: 'manager',
    request: {
      route: 'GET /api/v1/reports/:name',
      params: () => ({ name }),
      query: (x) => ({ cohortId: x.other.certCohortId, status: 'all' }),
    },
    expectStatus: 200,
    check: (res) => expect(res.body.rows).toEqual([]),
  })),
  ...(['school', 'trainer', 'municipality', 'generation'] as const).map((groupBy): Scoped => ({
    name: `cascade report by ${groupBy}, every status`,
    actor: 'manager',
    request: {
      route: 'GET /api/v1/reports/:name',
      params: () => ({ name: 'cascade' }),
      query: () => ({ groupBy, status: 'all' }),
    },
    expectStatus: 200,
    check: (res) => expect((res.body.rows as unknown[]).length).toBeGreaterThan(0), // their own country's rows are there
  })),
  {
    name: 'certifications report',
    actor: 'manager',
    request: { route: 'GET /api/v1/reports/:name', params: () => ({ name: 'certifications' }) },
    expectStatus: 200,
    check: (res, x) =>
      expect((res.body.rows as Array<{ countryCode: string }>).map((r) => r.countryCode)).toEqual([
        x.me.country,
      ]),
  },
  {
    name: 'completion report',
    actor: 'manager',
    request: { route: 'GET /api/v1/reports/:name', params: () => ({ name: 'completion' }) },
    expectStatus: 200,
    check: (res) => expect((res.body.rows as unknown[]).length).toBe(2),
  },
  {
    name: 'cascade report CSV of another country (?countryCode=)',
    actor: 'manager',
    request: {
      route: 'GET /api/v1/reports/:name',
      params: () => ({ name: 'cascade.csv' }),
      query: (x) => ({ countryCode: x.other.country, status: 'all', groupBy: 'school' }),
    },
    expectStatus: 200,
    check: (res) => expect(res.text.trim().split(/\r?\n/)).toHaveLength(2),
  }, // header and totals
  {
    name: 'cascade report page of another country (?countryCode=)',
    actor: 'manager',
    request: {
      route: 'GET /reports/:name',
      params: () => ({ name: 'cascade' }),
      query: (x) => ({ countryCode: x.other.country, status: 'all', groupBy: 'trainer' }),
    },
    expectStatus: 200,
  },
  {
    name: 'donor summary page of another country (?countryCode=)',
    actor: 'manager',
    request: {
      route: 'GET /reports/:name',
      params: () => ({ name: 'donor' }),
      query: (x) => ({ countryCode: x.other.country }),
    },
    expectStatus: 200,
  },
  {
    name: 'completion report page of another workshop (?cohortId=)',
    actor: 'manager',
    request: {
      route: 'GET /reports/:name',
      params: () => ({ name: 'completion' }),
      query: (x) => ({ cohortId: x.other.cohortId }),
    },
    expectStatus: 200,
  },
  // The DHIS2 export of February (the confirmed session and the certifications): nothing is mapped here, so every value is listed as unmapped.
  {
    name: 'DHIS2 unmapped values of another country (?countryCode=)',
    actor: 'manager',
    request: {
      route: 'GET /api/v1/exports/dhis2/unmapped',
      query: (x) => ({ period: '202602', level: 'school', countryCode: x.other.country }),
    },
    expectStatus: 200,
    check: (res) => expect(res.body.unmapped).toEqual([]),
  },
  {
    name: 'DHIS2 unmapped values (their own country only)',
    actor: 'manager',
    request: {
      route: 'GET /api/v1/exports/dhis2/unmapped',
      query: () => ({ period: '202602', level: 'school' }),
    },
    expectStatus: 200,
    check: (res, x) => {
      expect((res.body.unmapped as unknown[]).length).toBeGreaterThan(0);
      expect(
        (res.body.unmapped as Array<{ countryCode: string }>).filter((u) => u.countryCode !== x.me.country),
      ).toEqual([]);
    },
  },
  {
    name: 'DHIS2 dataValueSets of another country (?countryCode=)',
    actor: 'manager',
    request: {
      route: 'GET /api/v1/exports/dhis2/data-value-sets',
      query: (x) => ({ period: '2026Q1', countryCode: x.other.country }),
    },
    expectStatus: 200,
    check: (res) => expect(res.body).toEqual({ dataValues: [] }),
  },
  {
    name: 'DHIS2 export page of another country (?countryCode=)',
    actor: 'manager',
    request: {
      route: 'GET /reports/dhis2',
      query: (x) => ({ period: '202602', countryCode: x.other.country }),
    },
    expectStatus: 200,
  },

  // List pages and exports.
  {
    name: 'workshops page of another country (?countryCode=)',
    actor: 'manager',
    request: { route: 'GET /cohorts', query: (x) => ({ countryCode: x.other.country }) },
    expectStatus: 200,
  },
  {
    name: 'schools page of another country (?countryCode=)',
    actor: 'manager',
    request: { route: 'GET /schools', query: (x) => ({ countryCode: x.other.country }) },
    expectStatus: 200,
  },
  {
    name: 'accounts page of another country (?countryCode=)',
    actor: 'manager',
    request: { route: 'GET /admin/users', query: (x) => ({ countryCode: x.other.country }) },
    expectStatus: 200,
  },
  {
    name: 'sessions page of another country (?countryCode=)',
    actor: 'manager',
    request: { route: 'GET /cascade-sessions', query: (x) => ({ countryCode: x.other.country }) },
    expectStatus: 200,
  },
  {
    name: 'sessions CSV of another country (?countryCode=)',
    actor: 'manager',
    request: { route: 'GET /cascade-sessions/export.csv', query: (x) => ({ countryCode: x.other.country }) },
    expectStatus: 200,
    check: (res) => expect(res.text.trim().split(/\r?\n/)).toHaveLength(1),
  },
  {
    name: "certifications page of another country's trainer (?userId=)",
    actor: 'manager',
    request: { route: 'GET /certifications', query: (x) => ({ userId: x.other.users.certified.id }) },
    expectStatus: 200,
  },
  { name: 'dashboard', actor: 'manager', request: { route: 'GET /' }, expectStatus: 200 },
  {
    name: 'their own school, with its coordinator candidates',
    actor: 'manager',
    request: { route: 'GET /schools/:id', params: mine.school },
    expectStatus: 200,
  },
  { name: 'schools page', actor: 'coordinator', request: { route: 'GET /schools' }, expectStatus: 200 },
  {
    name: 'sessions page of a school that is not theirs (?schoolId=)',
    actor: 'coordinator',
    request: { route: 'GET /cascade-sessions', query: (x) => ({ schoolId: x.other.schoolId }) },
    expectStatus: 200,
  },
  {
    name: 'sessions CSV',
    actor: 'coordinator',
    request: { route: 'GET /cascade-sessions/export.csv' },
    expectStatus: 200,
  },
  { name: 'dashboard', actor: 'coordinator', request: { route: 'GET /' }, expectStatus: 200 },
  {
    name: 'sessions page of another trainer (?trainerId=)',
    actor: 'certified',
    request: { route: 'GET /cascade-sessions', query: (x) => ({ trainerId: x.other.users.certified.id }) },
    expectStatus: 200,
  },
  { name: 'dashboard', actor: 'certified', request: { route: 'GET /' }, expectStatus: 200 },
  {
    name: 'their own lineage',
    actor: 'certified',
    request: {
      route: 'GET /api/v1/lineage/trainers/:userId',
      params: (x) => ({ userId: x.me.users.certified.id }),
    },
    expectStatus: 200,
    check: (res) => expect(res.body.totals.trainers).toBe(0),
  }, // the trainer they lead is not certified yet
  {
    name: 'the lineage of their own certification workshop',
    actor: 'manager',
    request: { route: 'GET /lineage/cohorts/:cohortId', params: (x) => ({ cohortId: x.me.certCohortId }) },
    expectStatus: 200,
  },
  {
    name: 'the lineage of their own certified trainer',
    actor: 'manager',
    request: {
      route: 'GET /api/v1/lineage/trainers/:userId',
      params: (x) => ({ userId: x.me.users.certified.id }),
    },
    expectStatus: 200,
    check: (res) => expect(res.body.totals.sessions).toBe(1),
  },
  { name: 'my learning', actor: 'trainer', request: { route: 'GET /learn' }, expectStatus: 200 },
  {
    name: 'certifications page (?userId= of another trainer)',
    actor: 'trainer',
    request: { route: 'GET /certifications', query: (x) => ({ userId: x.other.users.certified.id }) },
    expectStatus: 200,
  },
  { name: 'workshops page', actor: 'trainer', request: { route: 'GET /cohorts' }, expectStatus: 200 },

  // A foreign id in a form field of the caller's own object is ignored: nothing is recorded.
  {
    name: "saves their own attendance sheet with a field for the other country's trainer",
    actor: 'manager',
    request: {
      route: 'POST /cohorts/:id/days/:dayId',
      params: mine.day,
      body: (x) => ({ [`s.${x.other.users.trainer.id}`]: 'absent' }),
    },
    expectStatus: 303,
  },
];

/**
 * Routes with a path parameter that is not an object of the other world's people, so in neither
 * table. Everything else with a `:param` must be tried above.
 */
const NOT_OBJECT_IDS: Record<string, string> = {
  'GET /invite/:token': 'a link token (auth suite)',
  'POST /invite/:token': 'a link token (auth suite)',
  'GET /reset-password/:token': 'a link token (auth suite)',
  'POST /reset-password/:token': 'a link token (auth suite)',
  'GET /verify/:code': 'public verification, by design',
  'GET /api/v1/verify/:code': 'public verification, by design',
  'GET /ob/credentials/:code':
    'public verification, by design (the hosted Open Badges credential: what /verify/:code shows, signed)',
  'GET /ob/v2/assertions/:code':
    'public verification, by design (a hosted OB 2.0 assertion; the email only salted and hashed)',
  'GET /ob/status/:list': 'the public revocation list, everyone’s',
  'GET /ob/v2/badges/:slug': 'the catalogue is everyone’s',
  'GET /api/v1/courses/:slug': 'the catalogue is everyone’s',
  'GET /courses/:slug': 'the catalogue is everyone’s',
  'POST /courses/:slug/enrol': 'the catalogue is everyone’s (trainers enrol themselves)',
  'POST /api/v1/courses/:slug/enrolments': 'the catalogue is everyone’s (trainers enrol themselves)',
  'GET /courses/:slug/preview/:lessonSlug': 'the catalogue is everyone’s',
  'GET /content/:course/assets/:file': 'course assets are everyone’s',
  'GET /courses/:slug/handouts/:handout':
    'the catalogue is everyone’s (facts shown are the reader’s own country’s)',
  'GET /admin/content/:course/countries': 'admins only, who have no scope',
  'GET /admin/content/:course/countries/:country': 'admins only, who have no scope',
  'POST /admin/content/:course/countries/:country': 'admins only, who have no scope',
  'GET /admin/outbox/:id': 'admins only, who have no scope',
};

/** Tables that change on every request (sign-in sessions) or count sign-ins, not data. */
const VOLATILE_TABLES = new Set([
  'user_sessions',
  'rate_limit_buckets',
  'job_leases',
  'migrations',
  'typeorm_metadata',
]);

/** Routes the app registers, as `METHOD /path` (without the OpenAPI docs). */
function registeredRoutes(t: TestApp): string[] {
  const stack = t.app.getHttpAdapter().getInstance().router.stack as Array<{
    route?: { path: string | string[]; methods: Record<string, boolean> };
  }>;
  const routes = new Set<string>();
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const path of ([] as string[]).concat(layer.route.path)) {
      if (path.startsWith('/api/docs')) continue;
      for (const [method, on] of Object.entries(layer.route.methods))
        if (on && method !== '_all') routes.add(`${method.toUpperCase()} ${path}`);
    }
  }
  return [...routes].sort();
}

describe('object-level access (two countries, each role with the other one’s ids)', () => {
  let t: TestApp;
  const worlds = {} as Record<Country, World>;
  let tables: string[];
  let snapshotSql: string;
  let baseline: Record<string, string[]>;

  /** Every row of every table but the volatile ones, as sorted JSON lines per table (one query: it runs ~450 times). */
  async function snapshot(): Promise<Record<string, string[]>> {
    const [row] = (await t.db.manager.query(snapshotSql)) as Array<Record<string, string>>;
    return Object.fromEntries(
      tables.map((table) => [
        table,
        (JSON.parse(row[table]) as unknown[]).map((r) => JSON.stringify(r)).sort(),
      ]),
    );
  }

  /** Rows added or changed (`+`) and removed or changed (`-`) per table. */
  function changes(before: Record<string, string[]>, after: Record<string, string[]>) {
    const out: Record<string, { '+': string[]; '-': string[] }> = {};
    for (const table of tables) {
      const was = new Set(before[table]);
      const is = new Set(after[table]);
      const added = after[table].filter((r) => !was.has(r));
      const removed = before[table].filter((r) => !is.has(r));
      if (added.length || removed.length)
        out[table] = { '+': added.map((r) => r.slice(0, 300)), '-': removed.map((r) => r.slice(0, 300)) };
    }
    return out;
  }

  /** Sends `r` as `actor` of `x.me`: Bearer for the API, the signed-in page session with its CSRF token for pages. */
  function send(x: Pair, actor: Actor, r: Req) {
    const [method, pattern] = r.route.split(' ');
    const params = r.params?.(x) ?? {};
    const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
      if (!(name in params)) throw new Error(`${r.route}: no value for :${name}`);
      return encodeURIComponent(params[name]);
    });
    const query = r.query ? `?${new URLSearchParams(r.query(x))}` : '';
    const verb = method.toLowerCase() as 'get' | 'post' | 'put';
    const body = r.body?.(x) ?? {};
    if (pattern.startsWith('/api/')) {
      const api = request(t.http);
      const req = api[verb](path + query)
        .set('Authorization', `Bearer ${x.me.tokens[actor]}`)
        .set(r.headers?.(x) ?? {});
      return verb === 'get' ? req : req.send(body);
    }
    const req = x.me.agents[actor][verb](path + query).set(r.headers?.(x) ?? {});
    if (verb === 'get') return req;
    // Repeated fields (userIds) the way a browser sends them: `userIds=a&userIds=b`.
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...body, _csrf: x.me.csrf[actor] }))
      for (const v of ([] as unknown[]).concat(value)) form.append(key, String(v));
    return req.type('form').send(form.toString());
  }

  /** Sends, then compares the whole database with the state before (and moves the baseline on, so one leak is blamed once). */
  async function sendAndDiff(x: Pair, actor: Actor, r: Req) {
    const res = await send(x, actor, r);
    const after = await snapshot();
    const changed = changes(baseline, after);
    baseline = after;
    return { res, changed };
  }

  async function buildWorld(country: Country, municipality: string): Promise<World> {
    const tag = `World ${country}`;
    const users = {
      manager: await t.createUser('manager', { countryCode: country, name: `Mara Manager (${tag})` }),
      coordinator: await t.createUser('coordinator', {
        countryCode: country,
        name: `Coco Coordinator (${tag})`,
      }),
      certified: await t.createUser('trainer', { countryCode: country, name: `Cira Certified (${tag})` }),
      trainer: await t.createUser('trainer', { countryCode: country, name: `Tito Trainer (${tag})` }),
    };
    const tokens = Object.fromEntries(
      await Promise.all(ACTORS.map(async (actor) => [actor, await apiToken(t, users[actor].email)] as const)),
    ) as Record<Actor, string>;
    const as = (actor: Actor) => ({
      get: (path: string) =>
        request(t.http).get(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[actor]}`),
      post: (path: string, body: object = {}, headers: Record<string, string> = {}) =>
        request(t.http)
          .post(`/api/v1${path}`)
          .set('Authorization', `Bearer ${tokens[actor]}`)
          .set(headers)
          .send(body),
      put: (path: string, body: object) =>
        request(t.http).put(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[actor]}`).send(body),
    });
    const manager = as('manager');

    // An invited account (no password yet) and the school with its coordinator.
    const invited = (
      await manager
        .post('/users', {
          email: `invited.${country.toLowerCase()}@example.org`,
          name: `Ines Invited (${tag})`,
          role: 'trainer',
        })
        .expect(201)
    ).body as { id: string; email: string };
    const school = (
      await manager
        .post('/schools', {
          name: `Escuela (${tag})`,
          code: `${country}-OBJ-1`,
          countryCode: country,
          municipality,
        })
        .expect(201)
    ).body as { id: string; municipalityId: string };
    await manager.put(`/schools/${school.id}/coordinators`, { userIds: [users.coordinator.id] }).expect(200);

    // The certification workshop: `certified` completes everything and is certified on its day.
    const certCohortId = (
      await manager
        .post('/cohorts', {
          courseSlug: COURSE,
          name: `Certification workshop (${tag})`,
          countryCode: country,
          startsOn: CERT_DAY,
          endsOn: CERT_DAY,
          capacity: 10,
        })
        .expect(201)
    ).body.id as string;
    const certDayId = (await manager.post(`/cohorts/${certCohortId}/days`, { date: CERT_DAY }).expect(201))
      .body.id as string;
    await manager
      .post(`/cohorts/${certCohortId}/participants`, {
        email: users.certified.email,
        name: users.certified.name,
      })
      .expect(201);
    const certifiedEnrolment = (await as('certified').get('/me').expect(200)).body.enrolments[0].id as string;
    for (const lesson of LESSONS)
      await as('certified').post(`/enrolments/${certifiedEnrolment}/lessons/${lesson}/complete`).expect(200);
    await as('certified')
      .post(
        `/enrolments/${certifiedEnrolment}/quizzes/post-test/attempts`,
        await drawnAnswers(as('certified'), certifiedEnrolment, 'post-test'),
      )
      .expect(201);
    await manager
      .put(`/cohorts/${certCohortId}/days/${certDayId}/attendance`, {
        records: [{ userId: users.certified.id, status: 'present' }],
      })
      .expect(200);
    await manager
      .put(`/cohorts/${certCohortId}/participants/${users.certified.id}/practicum`, {
        passed: true,
        score: 90,
      })
      .expect(200);
    const certCode = (
      await manager
        .post('/certifications', { cohortId: certCohortId, userId: users.certified.id, issuedOn: CERT_DAY })
        .expect(201)
    ).body.code as string;

    // The workshop `certified` facilitates, with `trainer` taking part (recorded by the facilitator).
    const cohortValues = {
      courseSlug: COURSE,
      name: `Workshop (${tag})`,
      countryCode: country,
      startsOn: WORKSHOP.startsOn,
      endsOn: WORKSHOP.endsOn,
      capacity: 10,
      facilitatorIds: [users.certified.id],
    };
    const cohortId = (await manager.post('/cohorts', cohortValues).expect(201)).body.id as string;
    const dayId = (await manager.post(`/cohorts/${cohortId}/days`, { date: WORKSHOP.day }).expect(201)).body
      .id as string;
    await manager
      .post(`/cohorts/${cohortId}/participants`, { email: users.trainer.email, name: users.trainer.name })
      .expect(201);
    const enrolmentId = (await as('trainer').get('/me').expect(200)).body.enrolments[0].id as string;
    await as('trainer').post(`/enrolments/${enrolmentId}/lessons/welcome/complete`).expect(200);
    await as('trainer')
      .post(`/enrolments/${enrolmentId}/quizzes/basics-check/attempts`, rightChecks)
      .expect(201);
    await as('certified')
      .put(`/cohorts/${cohortId}/days/${dayId}/attendance`, {
        records: [{ userId: users.trainer.id, status: 'present' }],
      })
      .expect(200);
    await as('certified')
      .put(`/cohorts/${cohortId}/participants/${users.trainer.id}/practicum`, {
        passed: false,
        score: 40,
        notes: 'Again next week',
      })
      .expect(200);

    // Sessions at the school: one waiting for the coordinator, one waiting for the trainer, one confirmed.
    const partial = { country, tag, schoolId: school.id, users } as unknown as World;
    const byTrainer = (
      await as('certified')
        .post('/cascade-sessions', sessionJson(partial, SESSION_DAYS.byTrainer))
        .expect(201)
    ).body.id as string;
    const coordinatorLog = {
      key: `objects-${country}-coordinator-log`,
      body: sessionJson(partial, SESSION_DAYS.byCoordinator),
    };
    const byCoordinator = (
      await as('coordinator')
        .post('/cascade-sessions', coordinatorLog.body, { 'Idempotency-Key': coordinatorLog.key })
        .expect(201)
    ).body.id as string;
    const confirmed = (
      await as('certified')
        .post('/cascade-sessions', sessionJson(partial, SESSION_DAYS.confirmed))
        .expect(201)
    ).body.id as string;
    await as('coordinator').post(`/cascade-sessions/${confirmed}/confirm`).expect(200);

    const agents = {} as Record<Actor, Agent>;
    const csrf = {} as Record<Actor, string>;
    await Promise.all(
      ACTORS.map(async (actor) => {
        agents[actor] = await pageAgent(t, users[actor].email);
        csrf[actor] = await csrfOf(agents[actor]);
      }),
    );
    const sessions = { byTrainer, byCoordinator, confirmed };
    const ids = [
      ...Object.values(users).map((u) => u.id),
      invited.id,
      school.id,
      school.municipalityId,
      certCohortId,
      certDayId,
      cohortId,
      dayId,
      enrolmentId,
      certifiedEnrolment,
      certCode,
      ...Object.values(sessions),
    ];
    return {
      country,
      tag,
      users: { ...users, invited },
      schoolId: school.id,
      municipalityId: school.municipalityId,
      certCohortId,
      cohortId,
      dayId,
      cohortValues,
      enrolmentId,
      certCode,
      sessions,
      coordinatorLog,
      markers: [tag, ...ids],
      tokens,
      agents,
      csrf,
    };
  }

  beforeAll(async () => {
    t = await createTestApp({ CONTENT_DIR: CONTENT });
    [worlds.SV, worlds.PA] = await Promise.all([buildWorld('SV', 'Santa Tecla'), buildWorld('PA', 'Colón')]);
    const names =
      t.db.kind === 'postgres'
        ? ((await t.db.manager.query(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
          )) as Array<{ name: string }>)
        : ((await t.db.manager.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
          )) as Array<{ name: string }>);
    tables = names
      .map((n) => n.name)
      .filter((n) => !VOLATILE_TABLES.has(n))
      .sort();
    // One row, one column per table holding all its rows as a JSON array.
    const columns = await Promise.all(
      tables.map(async (table) => {
        if (t.db.kind === 'postgres')
          return `(SELECT coalesce(json_agg(x)::text, '[]') FROM "${table}" x) AS "${table}"`;
        const cols = (
          (await t.db.manager.query(`PRAGMA table_info("${table}")`)) as Array<{ name: string }>
        ).map((c) => `"${c.name}"`);
        return `(SELECT coalesce(json_group_array(json_array(${cols.join(', ')})), '[]') FROM "${table}") AS "${table}"`;
      }),
    );
    snapshotSql = `SELECT ${columns.join(', ')}`;
    baseline = await snapshot();
  }, 60_000);
  afterAll(() => t?.close());

  it('has two worlds that see their own objects (the control: the refusals below are about scope, not broken fixtures)', async () => {
    for (const [me, them] of [
      [worlds.SV, worlds.PA],
      [worlds.PA, worlds.SV],
    ]) {
      const x: Pair = { me, other: them };
      const own = async (actor: Actor, route: string, params: Record<string, string>) =>
        (await send(x, actor, { route, params: () => params })).status;
      expect({
        managerCohort: await own('manager', 'GET /api/v1/cohorts/:id', { id: me.cohortId }),
        managerCertificate: await own('manager', 'GET /api/v1/certifications/:code', { code: me.certCode }),
        managerSession: await own('manager', 'GET /api/v1/cascade-sessions/:id', {
          id: me.sessions.byTrainer,
        }),
        managerAccount: await own('manager', 'GET /admin/users/:id', { id: me.users.trainer.id }),
        facilitatorSheet: await own('certified', 'GET /cohorts/:id/days/:dayId', {
          id: me.cohortId,
          dayId: me.dayId,
        }),
        trainerEnrolment: await own('trainer', 'GET /api/v1/enrolments/:id', { id: me.enrolmentId }),
        trainerLearnPage: await own('trainer', 'GET /learn/:id', { id: me.enrolmentId }),
        coordinatorSchool: await own('coordinator', 'GET /api/v1/schools/:id', { id: me.schoolId }),
        coordinatorSession: await own('coordinator', 'GET /cascade-sessions/:id', {
          id: me.sessions.byTrainer,
        }),
        trainerSessionOfMine: await own('certified', 'GET /api/v1/cascade-sessions/:id', {
          id: me.sessions.byCoordinator,
        }),
      }).toEqual({
        managerCohort: 200,
        managerCertificate: 200,
        managerSession: 200,
        managerAccount: 200,
        facilitatorSheet: 200,
        trainerEnrolment: 200,
        trainerLearnPage: 200,
        coordinatorSchool: 200,
        coordinatorSession: 200,
        trainerSessionOfMine: 200,
      });
    }
    expect(changes(baseline, (baseline = await snapshot()))).toEqual({});
  });

  it('expects only refusals: 403 or 404, or 400 where the foreign id is input', () => {
    const odd = REFUSALS.filter(
      (c) => !(c.expectStatus === 403 || c.expectStatus === 404 || (c.asInput && c.expectStatus === 400)),
    );
    expect(odd).toEqual([]);
  });

  it('tries every registered route that takes an id (or says why it need not)', () => {
    const registered = registeredRoutes(t);
    const tried = new Set([...REFUSALS, ...SCOPED].map((c) => c.request.route));
    const withIds = registered.filter((route) => route.includes('/:'));
    expect({
      untried: withIds.filter((route) => !tried.has(route) && !(route in NOT_OBJECT_IDS)),
      notRegistered: [...tried, ...Object.keys(NOT_OBJECT_IDS)].filter(
        (route) => !registered.includes(route),
      ),
    }).toEqual({ untried: [], notRegistered: [] });
  });

  describe.each([
    ['SV', 'PA'],
    ['PA', 'SV'],
  ] as Array<[Country, Country]>)('%s people, %s objects', (mineCountry, otherCountry) => {
    const pair = (): Pair => ({ me: worlds[mineCountry], other: worlds[otherCountry] });

    it.each(REFUSALS)(
      '$actor $name ($request.route) → $expectStatus, nothing changes',
      async ({ actor, request: r, expectStatus }) => {
        const { res, changed } = await sendAndDiff(pair(), actor, r);
        expect({ status: res.status, succeeded: res.status >= 200 && res.status < 300, changed }).toEqual({
          status: expectStatus,
          succeeded: false,
          changed: {},
        });
      },
    );

    it.each(SCOPED)(
      '$actor: $name ($request.route) → $expectStatus, nothing of the other country',
      async ({ actor, request: r, expectStatus, check }) => {
        const x = pair();
        const { res, changed } = await sendAndDiff(x, actor, r);
        const text = res.text ?? JSON.stringify(res.body);
        // An id the caller asked with may be shown back to them (filter forms, links); nothing else of the other world.
        const asked = JSON.stringify([r.params?.(x), r.query?.(x), r.body?.(x)]);
        expect({
          status: res.status,
          leaked: x.other.markers.filter((m) => text.includes(m) && !asked.includes(m)),
          changed,
        }).toEqual({ status: expectStatus, leaked: [], changed: {} });
        check?.(res, x);
      },
    );
  });
});
