/**
 * The hostile-text corpus (test/support/payloads.ts) through the paths security.e2e-spec.ts does not
 * take: the HTML forms of the cascade and of cohorts (posted with the page's CSRF token, as a browser
 * does), the two CSV imports, the mails, and the reports (SVG chart, table, CSV and XLSX exports).
 * Accepted text is stored exactly as typed and shown as text; refused text is a 400 that changes
 * nothing; never a 5xx. Pages and mails are read with an HTML parser (test/support/html.ts): what a
 * value broke out into would be an element or an attribute there.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { CascadeSession } from '../../src/cascade/cascade-session.entity';
import { addDays } from '../../src/certification/validity';
import { CohortParticipant, PracticumResult } from '../../src/cohorts/cohort-member.entities';
import { OutboxMessage } from '../../src/mail/outbox-message.entity';
import { Municipality, School } from '../../src/schools/school.entities';
import { User } from '../../src/users/user.entity';
import { createTestApp, TestApp } from '../support/create-test-app';
import { drawnAnswers } from '../support/quizzes';
import {
  byId,
  byTag,
  definition,
  injectedMarkup,
  injectedSvgMarkup,
  parseHtml,
  tableRows,
  textOf,
  type HtmlDocument,
  type HtmlElement,
} from '../support/html';
import { apiToken, csrfFrom, pageAgent } from '../support/login';
import { ACCEPTED, FORMULAS, PAYLOADS, refused } from '../support/payloads';

type Agent = ReturnType<typeof request.agent>;
type Json = Record<string, unknown>;

const FIXTURE = join(__dirname, '..', 'fixtures', 'content');
const COURSE = 'tiny-course';
const MODULE = 'practice';
const LESSONS = ['welcome', 'warning-signs', 'first-session'];
/** Ana's workshop day, before the fake clock's first day; her certification is backdated to it. */
const WORKSHOP_DAY = '2026-02-27';
/** "Today" for the tests: sessions may be logged on any day from March on. */
const NOW = '2026-06-01T10:00:00.000Z';
const INVALID_EMAIL = 'Enter a valid email address, like name@example.org.';
/** Shown in the chart when a label is longer than 26 characters (src/reports/svg-chart.ts). */
const chartLabel = (label: string) => (label.length > 26 ? `${label.slice(0, 25)}…` : label);
/** Cell text a spreadsheet would run as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

const binary = ((res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}) as unknown as Parameters<request.Test['parse']>[0];

/** The page parsed, with no injected markup (the failure names the page and the payload). */
function inertPage(html: string, where: string): HtmlDocument {
  const doc = parseHtml(html);
  expect({ where, injected: injectedMarkup(doc) }).toEqual({ where, injected: [] });
  return doc;
}

/** `value` is among the texts (cells, definitions, headings) — compared exactly, as the reader sees them. */
function expectText(actual: string | string[], value: string, where: string) {
  const texts = ([] as string[]).concat(actual);
  expect({ where, shown: texts.includes(value) }).toEqual({ where, shown: true });
}

jest.setTimeout(60_000);

describe('security: hostile text through forms, CSV imports, mails and reports', () => {
  let t: TestApp;
  let manager: User;
  let ana: User; // certified trainer: logs sessions
  let cora: User; // coordinator of the payload schools: decides sessions
  let managerAgent: Agent;
  let anaAgent: Agent;
  let coraAgent: Agent;
  const tokens = new Map<string, string>();
  const api = (user: User) => ({
    get: (path: string) =>
      request(t.http)
        .get(`/api/v1${path}`)
        .set('Authorization', `Bearer ${tokens.get(user.id)}`),
    post: (path: string, body?: object) =>
      request(t.http)
        .post(`/api/v1${path}`)
        .set('Authorization', `Bearer ${tokens.get(user.id)}`)
        .send(body),
    put: (path: string, body?: object) =>
      request(t.http)
        .put(`/api/v1${path}`)
        .set('Authorization', `Bearer ${tokens.get(user.id)}`)
        .send(body),
  });

  /** GETs the page that holds a form and posts the form with that page's CSRF token, as a browser does. */
  async function submit(
    agent: Agent,
    pagePath: string,
    action: string,
    fields: Json,
  ): Promise<request.Response> {
    const page = await agent.get(pagePath);
    expect({ pagePath, status: page.status }).toEqual({ pagePath, status: 200 });
    return agent
      .post(action)
      .type('form')
      .send({ ...fields, _csrf: csrfFrom(page.text) });
  }
  /** Renames the agent's own account through the profile form (names then reach mails and reports). */
  async function rename(agent: Agent, name: string) {
    const res = await submit(agent, '/account', '/account/profile', { name, language: 'en' });
    expect({ name: name.slice(0, 40), status: res.status }).toEqual({ name: name.slice(0, 40), status: 303 });
  }
  const statusIs = (res: request.Response, status: number, where: string) =>
    expect({ where, status: res.status }).toEqual({ where, status });
  const mailsTo = (address: string, template: string) =>
    t.db.manager.find(OutboxMessage, {
      where: { toAddress: address, template },
      order: { createdAt: 'ASC' },
    });
  const outboxCount = () => t.db.manager.count(OutboxMessage);

  /** An HTML mail body: nothing injected; each value is in its text exactly as typed, and in the text part verbatim. */
  function expectMailCarries(mail: OutboxMessage | undefined, values: string[], where: string) {
    expect({ where, found: mail !== undefined }).toEqual({ where, found: true });
    const doc = parseHtml(mail?.htmlBody ?? '');
    expect({ where, injected: injectedMarkup(doc) }).toEqual({ where, injected: [] });
    const text = textOf(doc);
    for (const value of values) {
      expect({ where, value, inHtml: text.includes(value), inText: mail?.textBody.includes(value) }).toEqual({
        where,
        value,
        inHtml: true,
        inText: true,
      });
    }
  }

  let schoolSeq = 0;
  /** A school (API) in SV whose coordinator is Cora. */
  async function newSchool(name: string, municipality: string): Promise<string> {
    const code = `PAY-${++schoolSeq}`;
    const res = await api(manager).post('/schools', { name, code, countryCode: 'SV', municipality });
    statusIs(res, 201, `school ${code}`);
    await api(manager)
      .put(`/schools/${res.body.id}/coordinators`, { userIds: [cora.id] })
      .expect(200);
    return res.body.id as string;
  }
  let dayNo = 0;
  /** A session date after Ana's certification and not after "today"; no school gets two sessions on one day. */
  const nextDay = () => addDays('2026-03-02', dayNo++ % 80);
  /** The logging form's fields (flat, as views/cascade/form.hbs posts them). */
  const sessionForm = (schoolId: string, notes: string, date = nextDay()) => ({
    idempotencyKey: randomUUID(),
    schoolId,
    courseSlug: COURSE,
    moduleSlugs: MODULE,
    date,
    durationMinutes: '50',
    p_female: '10',
    p_male: '12',
    p_unspecified: '0',
    a_under_10: '0',
    a_10_14: '22',
    a_15_17: '0',
    a_18_plus: '0',
    teachers: '1',
    parents: '2',
    notes,
  });
  /** A confirmed session at the school (API; the forms are tested separately). */
  async function confirmedSession(schoolId: string, female = 3) {
    const res = await api(ana).post('/cascade-sessions', {
      schoolId,
      trainerId: ana.id,
      courseSlug: COURSE,
      moduleSlugs: [MODULE],
      date: nextDay(),
      durationMinutes: 50,
      participants: { female, male: 2, unspecified: 0 },
      ageBands: { under_10: 0, '10_14': female + 2, '15_17': 0, '18_plus': 0 },
    });
    statusIs(res, 201, `session at ${schoolId}`);
    await api(manager).post(`/cascade-sessions/${res.body.id}/confirm`).expect(200);
    return res.body.id as string;
  }
  const newCohort = (overrides: Json = {}) => ({
    courseSlug: COURSE,
    name: 'Taller de prueba',
    countryCode: 'SV',
    startsOn: '2026-07-06',
    endsOn: '2026-07-08',
    capacity: 40,
    ...overrides,
  });

  beforeAll(async () => {
    t = await createTestApp({ CONTENT_DIR: FIXTURE });
    manager = await t.createUser('manager', { name: 'Mario Manager' });
    ana = await t.createUser('trainer', { name: 'Ana Certified', countryCode: 'SV' });
    cora = await t.createUser('coordinator', { name: 'Cora Coordinator', countryCode: 'SV' });
    for (const user of [manager, ana, cora]) tokens.set(user.id, await apiToken(t, user.email));

    // Ana completes a one-day workshop and is certified on its day.
    const cohortId = (
      await api(manager)
        .post('/cohorts', newCohort({ name: 'TOT Ana', startsOn: WORKSHOP_DAY, endsOn: WORKSHOP_DAY }))
        .expect(201)
    ).body.id;
    const dayId = (await api(manager).post(`/cohorts/${cohortId}/days`, { date: WORKSHOP_DAY }).expect(201))
      .body.id;
    await api(manager)
      .post(`/cohorts/${cohortId}/participants`, { email: ana.email, name: ana.name })
      .expect(201);
    const enrolmentId = (await api(ana).get('/me').expect(200)).body.enrolments[0].id as string;
    for (const lesson of LESSONS)
      await api(ana).post(`/enrolments/${enrolmentId}/lessons/${lesson}/complete`).expect(200);
    await api(ana)
      .post(
        `/enrolments/${enrolmentId}/quizzes/post-test/attempts`,
        await drawnAnswers(api(ana), enrolmentId, 'post-test'),
      )
      .expect(201);
    await api(manager)
      .put(`/cohorts/${cohortId}/participants/${ana.id}/practicum`, { passed: true, score: 90 })
      .expect(200);
    await api(manager)
      .put(`/cohorts/${cohortId}/days/${dayId}/attendance`, {
        records: [{ userId: ana.id, status: 'present' }],
      })
      .expect(200);
    await api(manager)
      .post('/certifications', { cohortId, userId: ana.id, issuedOn: WORKSHOP_DAY })
      .expect(201);

    t.clock.set(NOW);
    for (const user of [manager, ana, cora]) tokens.set(user.id, await apiToken(t, user.email));
    managerAgent = await pageAgent(t, manager.email);
    anaAgent = await pageAgent(t, ana.email);
    coraAgent = await pageAgent(t, cora.email);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  describe('cascade session forms', () => {
    let plainSchool: string;
    beforeAll(async () => {
      plainSchool = await newSchool('Centro Escolar Llano', 'Llano');
    });

    it.each(ACCEPTED)(
      '%s: logged and edited through the form, rejected with it as the reason; shown as text; mailed escaped',
      async (_label, value) => {
        // Every name the session's pages and mails show carries the payload too.
        await rename(anaAgent, value);
        await rename(coraAgent, value);
        const schoolId = await newSchool(value, value);

        // Log (the form of /cascade-sessions/new).
        const logged = await submit(
          anaAgent,
          '/cascade-sessions/new',
          '/cascade-sessions',
          sessionForm(schoolId, value),
        );
        statusIs(logged, 303, 'log');
        const id = /^\/cascade-sessions\/([0-9a-f-]{36})$/.exec(logged.headers.location)?.[1] as string;
        expect(id).toBeDefined();
        expect((await t.db.manager.findOneByOrFail(CascadeSession, { id })).notes).toBe(value);

        const show = inertPage(
          (await anaAgent.get(`/cascade-sessions/${id}`).expect(200)).text,
          'session page',
        );
        expectText(textOf(definition(show, 'Notes')), value, 'Notes');
        expectText(textOf(byTag(definition(show, 'School'), 'a')[0]), value, 'School link');
        expectText(textOf(definition(show, 'Trainer')), value, 'Trainer');
        expect(textOf(definition(show, 'School'))).toContain(`· ${value} · SV`); // the municipality

        // Edit: the form shows the notes as typed, and saving it again keeps them exactly (no double escaping).
        const edit = inertPage(
          (await anaAgent.get(`/cascade-sessions/${id}/edit`).expect(200)).text,
          'edit form',
        );
        expectText(textOf(byId(edit, 'f-notes')), value, 'edit form notes');
        const saved = await submit(anaAgent, `/cascade-sessions/${id}/edit`, `/cascade-sessions/${id}/edit`, {
          ...sessionForm(schoolId, textOf(byId(edit, 'f-notes')), byId(edit, 'f-date').attribs.value),
          durationMinutes: '55',
        });
        statusIs(saved, 303, 'edit');
        expect(await t.db.manager.findOneByOrFail(CascadeSession, { id })).toMatchObject({
          notes: value,
          durationMinutes: 55,
        });

        // The list pages (trainer's and coordinator's).
        for (const [who, agent] of [
          ['trainer', anaAgent],
          ['coordinator', coraAgent],
        ] as const) {
          const list = inertPage(
            (await agent.get(`/cascade-sessions?schoolId=${schoolId}`).expect(200)).text,
            `${who}'s list`,
          );
          const [row] = tableRows(list);
          expect({ who, school: row[1].startsWith(value), trainer: row[2] }).toEqual({
            who,
            school: true,
            trainer: value,
          });
        }

        // Cora rejects it, giving the payload as the reason.
        const rejected = await submit(
          coraAgent,
          `/cascade-sessions/${id}`,
          `/cascade-sessions/${id}/reject`,
          { reason: value },
        );
        statusIs(rejected, 303, 'reject');
        expect(await t.db.manager.findOneByOrFail(CascadeSession, { id })).toMatchObject({
          status: 'rejected',
          rejectionReason: value,
        });
        const decided = inertPage(
          (await anaAgent.get(`/cascade-sessions/${id}`).expect(200)).text,
          'rejected session page',
        );
        expect(textOf(byTag(decided, 'main')[0])).toContain(`Rejected — ${value}`);

        // Mails: Cora was asked to confirm, then both sides learnt of the rejection.
        const link = `/cascade-sessions/${id}`;
        const forSession = (mails: OutboxMessage[]) => mails.filter((m) => m.textBody.includes(link));
        expectMailCarries(
          forSession(await mailsTo(cora.email, 'session-to-confirm'))[0],
          [`Hello ${value},`, value],
          'session-to-confirm',
        );
        expectMailCarries(
          forSession(await mailsTo(ana.email, 'session-rejected'))[0],
          [`Hello ${value},`, value],
          'session-rejected (trainer)',
        );
        expectMailCarries(
          forSession(await mailsTo(cora.email, 'session-rejected'))[0],
          [value],
          'session-rejected (coordinator)',
        );

        // A second session, confirmed through the form: the confirmation mails carry the names escaped too.
        const second = await submit(
          anaAgent,
          '/cascade-sessions/new',
          '/cascade-sessions',
          sessionForm(schoolId, 'second'),
        );
        statusIs(second, 303, 'log second');
        const secondId = second.headers.location.split('/').pop() as string;
        statusIs(
          await submit(
            coraAgent,
            `/cascade-sessions/${secondId}`,
            `/cascade-sessions/${secondId}/confirm`,
            {},
          ),
          303,
          'confirm',
        );
        const confirmed = (await mailsTo(ana.email, 'session-confirmed')).filter((m) =>
          m.textBody.includes(`/cascade-sessions/${secondId}`),
        );
        expectMailCarries(confirmed[0], [`Hello ${value},`, value], 'session-confirmed');
      },
    );

    it.each(PAYLOADS.filter(([, v]) => refused(v)))(
      '%s: refused by the logging and the rejection forms (400), nothing stored, no mail',
      async (_label, value) => {
        await rename(anaAgent, 'Ana Certified');
        const before = { sessions: await t.db.manager.count(CascadeSession), mails: await outboxCount() };
        const res = await submit(
          anaAgent,
          '/cascade-sessions/new',
          '/cascade-sessions',
          sessionForm(plainSchool, value),
        );
        statusIs(res, 400, 'log');
        const form = inertPage(res.text, 'refused logging form');
        expect(textOf(byTag(form, 'main')[0])).toMatch(/Must be at most 2,000 characters\.|cannot be stored/);
        if (value.length > 2000) expectText(textOf(byId(form, 'f-notes')), value, 'the form keeps the input');
        expect({ sessions: await t.db.manager.count(CascadeSession), mails: await outboxCount() }).toEqual(
          before,
        );

        // The rejection form, on a session waiting for Cora.
        const logged = await submit(
          anaAgent,
          '/cascade-sessions/new',
          '/cascade-sessions',
          sessionForm(plainSchool, 'to reject'),
        );
        statusIs(logged, 303, 'log');
        const id = logged.headers.location.split('/').pop() as string;
        const mails = await outboxCount();
        const rejected = await submit(
          coraAgent,
          `/cascade-sessions/${id}`,
          `/cascade-sessions/${id}/reject`,
          { reason: value },
        );
        statusIs(rejected, 400, 'reject');
        inertPage(rejected.text, 'refused rejection form');
        expect(await t.db.manager.findOneByOrFail(CascadeSession, { id })).toMatchObject({
          status: 'submitted',
          rejectionReason: null,
        });
        expect(await outboxCount()).toBe(mails);
      },
    );
  });

  describe('cohort forms: adding a participant, recording the practicum', () => {
    it.each(ACCEPTED)(
      '%s: as a participant name, organisation and practicum notes; shown as text on the roster and the participant page; mailed escaped',
      async (_label, value) => {
        // The inviting manager's name is in the invitation; the workshop's name and venue in the welcome mail.
        await rename(managerAgent, value);
        const cohortId = (
          await api(manager)
            .post('/cohorts', newCohort({ name: value, venue: value, municipality: value }))
            .expect(201)
        ).body.id as string;
        const email = `participant.${randomUUID().slice(0, 8)}@example.org`;

        const added = await submit(
          managerAgent,
          `/cohorts/${cohortId}`,
          `/cohorts/${cohortId}/participants`,
          { name: value, email, sex: 'female', organisation: value },
        );
        statusIs(added, 303, 'add participant');
        const user = await t.db.manager.findOneByOrFail(User, { email });
        expect(user).toMatchObject({ name: value, organisation: value, status: 'invited' });

        // The cohort page after the redirect: the flash message and the roster.
        const show = inertPage(
          (await managerAgent.get(added.headers.location).expect(200)).text,
          'cohort page',
        );
        // Compared with white space collapsed, as the page shows it: Handlebars indents every line of an
        // indented partial's output (the flash partial), line breaks inside a value included.
        const flash = byTag(show, 'div').find((el) => el.attribs.role === 'status');
        expect(textOf(flash ?? show).replace(/\s+/g, ' ')).toBe(
          `${value} has been invited and enrolled.`.replace(/\s+/g, ' '),
        );
        expectText(textOf(byTag(show, 'h1')[0]), value, 'cohort name');
        const [link] = rosterLinks(show, cohortId, user.id);
        expectText(textOf(link), value, 'roster name');
        expectText(
          byTag(link.parent as HtmlElement, 'small').map((el) => textOf(el)),
          value,
          'roster organisation',
        );

        // The practicum form on the participant page.
        const participantPath = `/cohorts/${cohortId}/participants/${user.id}`;
        const page = inertPage(
          (await managerAgent.get(participantPath).expect(200)).text,
          'participant page',
        );
        expectText(textOf(byTag(page, 'h1')[0]), value, 'participant name');
        expectText(textOf(byTag(page, 'title')[0]), `${value} · Cascada`, 'page title');
        const saved = await submit(managerAgent, participantPath, `${participantPath}/practicum`, {
          passed: 'true',
          score: '80',
          notes: value,
        });
        statusIs(saved, 303, 'practicum');
        expect(
          await t.db.manager.findOneByOrFail(PracticumResult, { cohortId, userId: user.id }),
        ).toMatchObject({ passed: true, score: 80, notes: value });
        const after = inertPage(
          (await managerAgent.get(participantPath).expect(200)).text,
          'participant page after the practicum',
        );
        expectText(textOf(byId(after, 'f-notes')), value, 'practicum notes');
        expect(byId(after, 'p-yes').attribs).toHaveProperty('checked');

        // Mails: the invitation (name, inviter) and the welcome (name, workshop, venue; the workshop in the subject).
        expectMailCarries(
          (await mailsTo(email, 'invitation'))[0],
          [`Hello ${value},`, `${value} has invited you`],
          'invitation',
        );
        const [welcome] = await mailsTo(email, 'cohort-welcome');
        expectMailCarries(welcome, [`Hello ${value},`, value], 'cohort-welcome');
        expect(welcome.subject).toBe(`You are registered for the workshop ${value}`);
      },
    );

    it.each(PAYLOADS.filter(([, v]) => refused(v)))(
      '%s: refused as a participant name and as practicum notes (400), nothing stored, no mail',
      async (_label, value) => {
        await rename(managerAgent, 'Mario Manager');
        const cohortId = (
          await api(manager)
            .post('/cohorts', newCohort({ name: 'TOT refused' }))
            .expect(201)
        ).body.id as string;
        const before = { users: await t.db.manager.count(User), mails: await outboxCount() };
        const email = `refused.${randomUUID().slice(0, 8)}@example.org`;
        const res = await submit(managerAgent, `/cohorts/${cohortId}`, `/cohorts/${cohortId}/participants`, {
          name: value,
          email,
          sex: 'female',
          organisation: value,
        });
        statusIs(res, 400, 'add participant');
        inertPage(res.text, 'refused participant form');
        expect({ users: await t.db.manager.count(User), mails: await outboxCount() }).toEqual(before);

        await api(manager)
          .post(`/cohorts/${cohortId}/participants`, { email, name: 'Plain Participant' })
          .expect(201);
        const user = await t.db.manager.findOneByOrFail(User, { email });
        const participantPath = `/cohorts/${cohortId}/participants/${user.id}`;
        const practicum = await submit(managerAgent, participantPath, `${participantPath}/practicum`, {
          passed: 'false',
          score: '',
          notes: value,
        });
        statusIs(practicum, 400, 'practicum');
        inertPage(practicum.text, 'refused practicum form');
        expect(await t.db.manager.findOneBy(PracticumResult, { cohortId, userId: user.id })).toBeNull();
      },
    );
  });

  describe('CSV imports', () => {
    it('cohort roster: names and organisations are previewed as text, imported as typed, shown and mailed escaped', async () => {
      await rename(managerAgent, 'Mario Manager');
      const cohortId = (
        await api(manager)
          .post('/cohorts', newCohort({ name: 'TOT roster import' }))
          .expect(201)
      ).body.id as string;
      const rows = ACCEPTED.map(([, value], i) => ({
        name: value,
        email: `roster.${i}@example.org`,
        sex: 'female',
        organisation: value,
      }));
      const csv = stringify(rows, { header: true, columns: ['name', 'email', 'sex', 'organisation'] });
      const importPath = `/cohorts/${cohortId}/import`;

      const preview = await submit(managerAgent, importPath, importPath, { csv });
      statusIs(preview, 200, 'preview');
      const shown = inertPage(preview.text, 'roster preview');
      const cells = tableRows(shown);
      expect(cells).toHaveLength(rows.length);
      for (const [i, row] of rows.entries()) {
        expect({ line: i + 2, cells: cells[i] }).toEqual({
          line: i + 2,
          cells: [String(i + 2), row.name, row.email, 'Female', row.organisation, '✓'],
        });
      }
      // The confirm form carries the CSV back exactly as pasted.
      const carried = byTag(shown, 'textarea').find((el) => el.attribs.hidden !== undefined);
      expect(carried && textOf(carried)).toBe(csv);

      const confirmed = await managerAgent
        .post(`${importPath}/confirm`)
        .type('form')
        .send({ csv: carried ? textOf(carried) : '', _csrf: csrfFrom(preview.text) });
      statusIs(confirmed, 303, 'confirm');
      const roster = inertPage((await managerAgent.get(`/cohorts/${cohortId}`).expect(200)).text, 'roster');
      for (const row of rows) {
        const user = await t.db.manager.findOneByOrFail(User, { email: row.email });
        expect({ email: row.email, name: user.name, organisation: user.organisation }).toEqual({
          email: row.email,
          name: row.name,
          organisation: row.organisation,
        });
        expect({
          email: row.email,
          onRoster: rosterLinks(roster, cohortId, user.id).map((a) => textOf(a)),
        }).toEqual({ email: row.email, onRoster: [row.name] });
        expectMailCarries(
          (await mailsTo(row.email, 'invitation'))[0],
          [`Hello ${row.name},`],
          `invitation to ${row.email}`,
        );
        expectMailCarries(
          (await mailsTo(row.email, 'cohort-welcome'))[0],
          [`Hello ${row.name},`],
          `welcome to ${row.email}`,
        );
      }
    });

    /** Invalid addresses that carry a payload; each is refused by the preview with the translated message. */
    const INVALID_EMAILS = [
      '"><img src=x onerror=alert(1)>@example.org',
      'javascript:alert(1)',
      "' OR 1=1 --@example.org",
      'ana@example.org\r\nBcc: evil@example.org',
      'victim@example.org,attacker@evil.example',
      "=cmd|' /C calc'!A0@example.org",
      '',
    ];

    it('cohort roster: invalid emails are refused in the preview with a translated message, and importing them changes nothing', async () => {
      const cohortId = (
        await api(manager)
          .post('/cohorts', newCohort({ name: 'TOT bad emails' }))
          .expect(201)
      ).body.id as string;
      const importPath = `/cohorts/${cohortId}/import`;
      const csv = stringify(
        INVALID_EMAILS.map((email, i) => ({ name: `Bad Email ${i}`, email })),
        { header: true, columns: ['name', 'email'] },
      );
      const before = {
        users: await t.db.manager.count(User),
        participants: await t.db.manager.count(CohortParticipant),
        mails: await outboxCount(),
      };

      const preview = await submit(managerAgent, importPath, importPath, { csv });
      statusIs(preview, 200, 'preview');
      const shown = inertPage(preview.text, 'roster preview with bad emails');
      const cells = tableRows(shown);
      for (const [i, email] of INVALID_EMAILS.entries()) {
        expect({ email, email_shown: cells[i][2], problem: cells[i][5] }).toEqual({
          email,
          email_shown: email.toLowerCase(),
          problem: INVALID_EMAIL,
        });
      }
      expect(byTag(shown, 'form').some((f) => f.attribs.action === `${importPath}/confirm`)).toBe(false);
      expect(textOf(byTag(shown, 'main')[0])).toContain(
        'Correct the rows with problems and check again: nothing has been imported.',
      );

      const confirmed = await managerAgent
        .post(`${importPath}/confirm`)
        .type('form')
        .send({ csv, _csrf: csrfFrom(preview.text) });
      statusIs(confirmed, 400, 'confirm');
      inertPage(confirmed.text, 'refused roster import');
      expect({
        users: await t.db.manager.count(User),
        participants: await t.db.manager.count(CohortParticipant),
        mails: await outboxCount(),
      }).toEqual(before);
    });

    /** Invalid addresses the preview's own check lets through (src/cohorts/roster-import.ts `EMAIL`). */
    const LOOSE_INVALID_EMAILS = [
      '<script>alert(1)</script>@example.org',
      'attacker@evil.example,x.y',
      '../../etc/passwd@example.org',
    ];

    it('cohort roster: an invalid email the preview lets through is still refused on import, with the translated message, changing nothing', async () => {
      const cohortId = (
        await api(manager)
          .post('/cohorts', newCohort({ name: 'TOT loose emails' }))
          .expect(201)
      ).body.id as string;
      const importPath = `/cohorts/${cohortId}/import`;
      for (const email of LOOSE_INVALID_EMAILS) {
        const csv = stringify([{ name: 'Loose Email', email }], { header: true, columns: ['name', 'email'] });
        const before = {
          users: await t.db.manager.count(User),
          participants: await t.db.manager.count(CohortParticipant),
          mails: await outboxCount(),
        };
        const preview = await submit(managerAgent, importPath, importPath, { csv });
        inertPage(preview.text, `preview of ${email}`);
        const confirmed = await managerAgent
          .post(`${importPath}/confirm`)
          .type('form')
          .send({ csv, _csrf: csrfFrom(preview.text) });
        statusIs(confirmed, 400, `import of ${email}`);
        const page = inertPage(confirmed.text, `refused import of ${email}`);
        expect({ email, message: textOf(byTag(page, 'main')[0]).includes(INVALID_EMAIL) }).toEqual({
          email,
          message: true,
        });
        expect({
          users: await t.db.manager.count(User),
          participants: await t.db.manager.count(CohortParticipant),
          mails: await outboxCount(),
        }).toEqual(before);
        expect(await t.db.manager.findOneBy(User, { email })).toBeNull();
      }
    });

    it('cohort roster: the preview flags every invalid email, including the ones its loose pattern accepts', async () => {
      const cohortId = (
        await api(manager)
          .post('/cohorts', newCohort({ name: 'TOT loose preview' }))
          .expect(201)
      ).body.id as string;
      const importPath = `/cohorts/${cohortId}/import`;
      const csv = stringify(
        LOOSE_INVALID_EMAILS.map((email) => ({ name: 'Loose Email', email })),
        { header: true, columns: ['name', 'email'] },
      );
      const preview = await submit(managerAgent, importPath, importPath, { csv });
      expect(tableRows(parseHtml(preview.text)).map((r) => r[5])).toEqual(
        LOOSE_INVALID_EMAILS.map(() => INVALID_EMAIL),
      );
    });

    it('schools: names and municipality names are previewed as text, imported as typed and shown escaped', async () => {
      const rows = ACCEPTED.map(([, value], i) => ({
        country: 'SV',
        municipality: `${value} (imp)`,
        name: value,
        code: `IMP-${i}`,
        level: 'primary',
        address: value,
      }));
      const csv = stringify(rows, {
        header: true,
        columns: ['country', 'municipality', 'name', 'code', 'level', 'address'],
      });
      const preview = await submit(managerAgent, '/schools/import', '/schools/import', { csv });
      statusIs(preview, 200, 'preview');
      const shown = inertPage(preview.text, 'schools preview');
      const cells = tableRows(shown);
      expect(cells).toHaveLength(rows.length);
      for (const [i, row] of rows.entries()) {
        expect({ line: i + 2, cells: cells[i] }).toEqual({
          line: i + 2,
          cells: [String(i + 2), 'SV', row.municipality, row.name, row.code, '✓'],
        });
      }
      const carried = byTag(shown, 'textarea').find((el) => el.attribs.hidden !== undefined);
      expect(carried && textOf(carried)).toBe(csv);

      const confirmed = await managerAgent
        .post('/schools/import/confirm')
        .type('form')
        .send({ csv: carried ? textOf(carried) : '', _csrf: csrfFrom(preview.text) });
      statusIs(confirmed, 303, 'confirm');
      for (const row of rows) {
        const school = await t.db.manager.findOneByOrFail(School, { code: row.code });
        const municipality = await t.db.manager.findOneByOrFail(Municipality, { id: school.municipalityId });
        expect({
          code: row.code,
          name: school.name,
          address: school.address,
          municipality: municipality.name,
        }).toEqual({ code: row.code, name: row.name, address: row.address, municipality: row.municipality });
        const page = inertPage(
          (await managerAgent.get(`/schools/${school.id}`).expect(200)).text,
          `/schools/${school.id}`,
        );
        expectText(textOf(byTag(page, 'h1')[0]), row.name, 'school name');
        expectText(textOf(definition(page, 'Address')), row.address, 'address');
        expectText(textOf(definition(page, 'Place')), `${row.municipality} · SV`, 'municipality');
        const list = inertPage(
          (await managerAgent.get(`/schools?q=${encodeURIComponent(row.code)}`).expect(200)).text,
          'schools list',
        );
        expect(tableRows(list)[0].slice(0, 3)).toEqual([row.name, row.code, row.municipality]);
      }
    });

    it('schools: a row with a refused value is shown with its problem and nothing is imported; a NUL character refuses the paste', async () => {
      const before = {
        schools: await t.db.manager.count(School),
        municipalities: await t.db.manager.count(Municipality),
      };
      const tooLong = stringify(
        [
          {
            country: 'SV',
            municipality: 'Largo',
            name: PAYLOADS.find(([l]) => l === '10,000 characters')?.[1],
            code: 'LONG-1',
          },
          { country: 'SV', municipality: '<script>alert(1)</script>', name: 'Fine', code: 'LONG-2' },
        ],
        { header: true, columns: ['country', 'municipality', 'name', 'code'] },
      );
      const preview = await submit(managerAgent, '/schools/import', '/schools/import', { csv: tooLong });
      statusIs(preview, 200, 'preview');
      const cells = tableRows(inertPage(preview.text, 'schools preview with a long name'));
      expect(cells[0][5]).toBe('Must be between 1 and 200 characters.');
      expect(cells[1][2]).toBe('<script>alert(1)</script>');
      statusIs(
        await managerAgent
          .post('/schools/import/confirm')
          .type('form')
          .send({ csv: tooLong, _csrf: csrfFrom(preview.text) }),
        400,
        'confirm',
      );

      const withNul = stringify(
        [
          {
            country: 'SV',
            municipality: 'Nula',
            name: PAYLOADS.find(([l]) => l === 'NUL character')?.[1],
            code: 'NUL-1',
          },
        ],
        { header: true, columns: ['country', 'municipality', 'name', 'code'] },
      );
      const refusedPaste = await submit(managerAgent, '/schools/import', '/schools/import', { csv: withNul });
      statusIs(refusedPaste, 400, 'preview with NUL');
      expect(textOf(byTag(inertPage(refusedPaste.text, 'schools import with NUL'), 'main')[0])).toContain(
        'cannot be stored',
      );
      expect({
        schools: await t.db.manager.count(School),
        municipalities: await t.db.manager.count(Municipality),
      }).toEqual(before);
    });
  });

  describe('mails', () => {
    it('a password reset mail carries a hostile name escaped', async () => {
      const anonymous = request.agent(t.http);
      for (const [, value] of ACCEPTED) {
        const user = await t.createUser('trainer', { name: value });
        const res = await submit(anonymous, '/reset-password', '/reset-password', { email: user.email });
        statusIs(res, 303, 'reset request');
        expectMailCarries(
          (await mailsTo(user.email, 'password-reset'))[0],
          [`Hello ${value},`],
          'password-reset',
        );
      }
    });

    it('no name, workshop name or reason breaks the headers of any mail sent (CR/LF cannot inject a header)', async () => {
      // A workshop whose name (it is in the subject) tries to add a header, and a participant named the same.
      const crlf = 'TOT\r\nBcc: evil@example.org\r\nX-Injected: yes';
      const cohortId = (
        await api(manager)
          .post('/cohorts', newCohort({ name: crlf, venue: crlf }))
          .expect(201)
      ).body.id as string;
      await api(manager)
        .post(`/cohorts/${cohortId}/participants`, { email: 'crlf.participant@example.org', name: crlf })
        .expect(201);
      expect((await mailsTo('crlf.participant@example.org', 'cohort-welcome'))[0].subject).toContain(
        '\r\nBcc:',
      );

      // Every mail of this suite is sent (to .eml files: the app's transport without SMTP_URL).
      await t.outbox.deliverDue();
      const rows = await t.db.manager.find(OutboxMessage);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
      const allowed = new Set([
        'from',
        'to',
        'subject',
        'message-id',
        'date',
        'mime-version',
        'content-type',
        'content-transfer-encoding',
      ]);
      for (const row of rows) {
        const file = join(t.dataDir, 'outbox', `${row.id}.eml`);
        expect({ id: row.id, sent: existsSync(file) }).toEqual({ id: row.id, sent: true });
        const raw = readFileSync(file, 'utf8');
        const head = raw.slice(0, raw.indexOf('\n\n'));
        // Unfold continuation lines, then every line is `Name: value`.
        const lines = head.replace(/\n[ \t]+/g, ' ').split('\n');
        const names = lines.map(
          (line) =>
            /^([A-Za-z0-9-]+):/.exec(line)?.[1]?.toLowerCase() ?? `(not a header) ${line.slice(0, 60)}`,
        );
        expect({ id: row.id, unexpected: names.filter((n) => !allowed.has(n)) }).toEqual({
          id: row.id,
          unexpected: [],
        });
        expect({
          id: row.id,
          once: ['from', 'to', 'subject'].map((n) => names.filter((x) => x === n).length),
        }).toEqual({ id: row.id, once: [1, 1, 1] });
        const mail = await simpleParser(raw);
        const to = (Array.isArray(mail.to) ? mail.to : [mail.to])
          .flatMap((a) => a?.value ?? [])
          .map((a) => a.address);
        expect({ id: row.id, to, cc: mail.cc, bcc: mail.bcc }).toEqual({
          id: row.id,
          to: [row.toAddress],
          cc: undefined,
          bcc: undefined,
        });
        expect({ id: row.id, subject: mail.subject?.replace(/\s+/g, ' ') }).toEqual({
          id: row.id,
          subject: row.subject.replace(/\s+/g, ' '),
        });
        if (mail.html)
          expect({ id: row.id, injected: injectedMarkup(parseHtml(mail.html)) }).toEqual({
            id: row.id,
            injected: [],
          });
      }
    });
  });

  describe('reports: hostile school and municipality names', () => {
    const reportSchools: Array<{ name: string; municipality: string }> = [];
    beforeAll(async () => {
      await rename(anaAgent, 'Ana Certified');
      for (const [i, [, value]] of ACCEPTED.entries()) {
        const entry = { name: value, municipality: `${value} · m${i}` };
        reportSchools.push(entry);
        await confirmedSession(await newSchool(entry.name, entry.municipality), i + 1);
      }
    });

    it.each(['school', 'municipality'] as const)(
      '/reports/cascade?groupBy=%s: the SVG chart and the table show each name as text',
      async (groupBy) => {
        const res = await managerAgent.get(`/reports/cascade?groupBy=${groupBy}&status=all`).expect(200);
        const page = inertPage(res.text, `report by ${groupBy}`);
        expect({ groupBy, injected: injectedSvgMarkup(res.text) }).toEqual({ groupBy, injected: [] });
        const svg = byTag(page, 'svg');
        expect(svg).toHaveLength(1);
        const labels = byTag(svg[0], 'text').map((el) => textOf(el));
        const tooltips = byTag(svg[0], 'rect').flatMap((r) => byTag(r, 'title').map((el) => textOf(el)));
        const firstCells = tableRows(page).map((r) => r[0]);
        for (const school of reportSchools) {
          const label = groupBy === 'school' ? school.name : school.municipality;
          expectText(firstCells, label, `table row for ${label}`);
          expectText(labels, chartLabel(label), `chart label for ${label}`);
          expect({ label, tooltip: tooltips.some((tip) => tip.startsWith(`${label} — `)) }).toEqual({
            label,
            tooltip: true,
          });
        }
      },
    );

    it('the municipality filter of the report page is kept as text in its input', async () => {
      for (const { municipality } of reportSchools) {
        const res = await managerAgent.get(
          `/reports/cascade?groupBy=school&status=all&municipality=${encodeURIComponent(municipality)}`,
        );
        statusIs(res, 200, `filter ${municipality}`);
        const page = inertPage(res.text, `report filtered by ${municipality}`);
        expect(byId(page, 'municipality').attribs.value).toBe(municipality);
        expect(tableRows(page)).toHaveLength(1);
      }
    });
  });

  describe('exports: formula injection', () => {
    const formulaSchools: Array<{ name: string; municipality: string; code: string }> = FORMULAS.map(
      ([, value], i) => ({ name: value, municipality: `${value} m${i}`, code: `FML-${i}` }),
    );
    const trainerName = FORMULAS[0][1];
    beforeAll(async () => {
      // The schools come in through the CSV import, as they would in production.
      const csv = stringify(
        formulaSchools.map((s) => ({ country: 'SV', ...s })),
        { header: true, columns: ['country', 'municipality', 'name', 'code'] },
      );
      const preview = await submit(managerAgent, '/schools/import', '/schools/import', { csv });
      statusIs(preview, 200, 'preview');
      statusIs(
        await managerAgent
          .post('/schools/import/confirm')
          .type('form')
          .send({ csv, _csrf: csrfFrom(preview.text) }),
        303,
        'import',
      );
      // Ana delivers at each under a formula of a name.
      await rename(anaAgent, trainerName);
      for (const s of formulaSchools) {
        const school = await t.db.manager.findOneByOrFail(School, { code: s.code });
        await confirmedSession(school.id);
      }
      // A workshop named as a formula, with a participant (the completion report lists workshops).
      const cohortId = (
        await api(manager)
          .post('/cohorts', newCohort({ name: FORMULAS[1][1] }))
          .expect(201)
      ).body.id as string;
      await api(manager)
        .post(`/cohorts/${cohortId}/participants`, {
          email: 'formula.participant@example.org',
          name: FORMULAS[2][1],
        })
        .expect(201);
    });
    afterAll(async () => {
      await rename(anaAgent, 'Ana Certified');
    });

    /** Every text cell: none starts like a formula; the given values are there, prefixed with an apostrophe. */
    function expectNeutralised(cells: string[], values: string[], where: string) {
      expect({ where, formulas: cells.filter((c) => FORMULA_START.test(c)) }).toEqual({
        where,
        formulas: [],
      });
      for (const value of values)
        expect({
          where,
          value,
          neutralised: cells.some((c) => c === `'${value}` || c.startsWith(`'${value} · `)),
        }).toEqual({ where, value, neutralised: true });
    }
    const csvCells = (text: string) =>
      (parseCsv(text, { bom: true, relax_column_count: true }) as string[][]).flat();
    async function xlsxCells(path: string): Promise<string[]> {
      const res = await managerAgent.get(path).buffer(true).parse(binary).expect(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.body as Parameters<ExcelJS.Xlsx['load']>[0]);
      const cells: string[] = [];
      book.eachSheet((sheet) =>
        sheet.eachRow((row) =>
          row.eachCell((cell) => {
            expect({
              path,
              sheet: sheet.name,
              cell: cell.address,
              formula: cell.type === ExcelJS.ValueType.Formula,
            }).toEqual({ path, sheet: sheet.name, cell: cell.address, formula: false });
            if (typeof cell.value === 'string') cells.push(cell.value);
          }),
        ),
      );
      return cells;
    }

    it.each([
      ['school', formulaSchools.map((s) => s.name)],
      ['municipality', formulaSchools.map((s) => s.municipality)],
      ['trainer', [trainerName]],
    ] as const)(
      '/reports/cascade.csv and .xlsx grouped by %s: names that look like formulas are neutralised',
      async (groupBy, values) => {
        const csv = await managerAgent.get(`/reports/cascade.csv?groupBy=${groupBy}&status=all`).expect(200);
        expectNeutralised(csvCells(csv.text), [...values], `cascade.csv by ${groupBy}`);
        expectNeutralised(
          await xlsxCells(`/reports/cascade.xlsx?groupBy=${groupBy}&status=all`),
          [...values],
          `cascade.xlsx by ${groupBy}`,
        );
      },
    );

    it('/reports/completion.csv and .xlsx: a workshop named like a formula is neutralised', async () => {
      const csv = await managerAgent.get('/reports/completion.csv').expect(200);
      expectNeutralised(csvCells(csv.text), [FORMULAS[1][1]], 'completion.csv');
      expectNeutralised(await xlsxCells('/reports/completion.xlsx'), [FORMULAS[1][1]], 'completion.xlsx');
    });

    it('/cascade-sessions/export.csv: school, municipality and trainer names that look like formulas are neutralised', async () => {
      const csv = await managerAgent.get('/cascade-sessions/export.csv').expect(200);
      expectNeutralised(
        csvCells(csv.text),
        [...formulaSchools.flatMap((s) => [s.name, s.municipality]), trainerName],
        'cascade-sessions/export.csv',
      );
    });

    it('/reports/cascade.xlsx with a municipality filter that looks like a formula: its filters sheet holds it as text, never as a formula', async () => {
      const municipality = formulaSchools[0].municipality;
      const cells = await xlsxCells(
        `/reports/cascade.xlsx?groupBy=school&status=all&municipality=${encodeURIComponent(municipality)}`,
      );
      // The data rows and the filter as typed are neutralised (and xlsxCells refuses any formula cell).
      expect(cells).toContain(`'${formulaSchools[0].name}`);
      expect(cells.filter((c) => c.includes(municipality))).toEqual([`'${municipality}`]);
    });

    it('the report pages show those names as text (no apostrophe there)', async () => {
      const page = inertPage(
        (await managerAgent.get('/reports/cascade?groupBy=school&status=all').expect(200)).text,
        'report by school',
      );
      for (const s of formulaSchools)
        expectText(
          tableRows(page).map((r) => r[0]),
          s.name,
          s.code,
        );
    });
  });

  /** The roster's links to one participant's page. */
  function rosterLinks(doc: HtmlDocument, cohortId: string, userId: string) {
    return byTag(doc, 'a').filter((a) => a.attribs.href === `/cohorts/${cohortId}/participants/${userId}`);
  }
});
