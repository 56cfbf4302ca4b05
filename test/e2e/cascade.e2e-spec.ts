import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { FindOptionsWhere } from 'typeorm';
import { CascadeSession, IdempotencyKey } from '../../src/cascade/cascade-session.entity';
import { AuditEntry } from '../../src/common/audit/audit-entry.entity';
import { OutboxMessage } from '../../src/mail/outbox-message.entity';
import { Municipality, School } from '../../src/schools/school.entities';
import type { User } from '../../src/users/user.entity';
import { createTestApp, TestApp } from '../support/create-test-app';
import { drawnAnswers } from '../support/quizzes';
import { apiToken, csrfFrom, csrfOf, pageAgent } from '../support/login';

type Agent = ReturnType<typeof request.agent>;
type Json = Record<string, unknown>;

const FIXTURE = join(__dirname, '..', 'fixtures', 'content');
const COURSE = 'tiny-course';
/** Deliverable modules of the course (the fixture's `practice` plus `follow-up`, added below). */
const PRACTICE = 'practice';
const FOLLOW_UP = 'follow-up';
const NOT_DELIVERABLE = 'basics';
const LESSONS = ['welcome', 'warning-signs', 'first-session', 'review'];
/** The workshop ran the week before the fake clock's first day (2026-03-02); certifications are backdated to its last day. */
const DAYS = ['2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27'];
const ISSUED_ON = '2026-02-27';
const EXPIRES_ON = '2028-02-27'; // 24 months
/** The tests run on this day (so that sessions between the issue date and today can be logged). */
const TODAY = '2026-06-01';
const NOW = `${TODAY}T10:00:00.000Z`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * A copy of the fixture content with a second deliverable module, so that "the same module set in
 * another order" can be tested (the fixture course has one deliverable module).
 */
function contentWithTwoDeliverableModules(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cascada-content-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const course = join(dir, COURSE);
  appendFileSync(
    join(course, 'course.yaml'),
    [
      '',
      `  - slug: ${FOLLOW_UP}`,
      '    order: 3',
      '    deliverable: true',
      '    title:',
      '      en: "Follow-up"',
      '      es: "Seguimiento"',
      '',
    ].join('\n'),
  );
  mkdirSync(join(course, FOLLOW_UP));
  writeFileSync(
    join(course, FOLLOW_UP, '01-review.en.md'),
    '---\ntitle: "Review"\nminutes: 5\n---\n\nLook back at the first session.\n',
  );
  writeFileSync(
    join(course, FOLLOW_UP, '01-review.es.md'),
    '---\ntitle: "Repaso"\nminutes: 5\n---\n\nRepase la primera sesión.\n',
  );
  return dir;
}

/** Collects a response body as a Buffer (to see the bytes of a CSV, BOM included). */
const binary = ((res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}) as unknown as Parameters<request.Test['parse']>[0];

/** The session id of a `/cascade-sessions/<id>` location. */
const idFrom = (location: string) => /^\/cascade-sessions\/([0-9a-f-]{36})$/.exec(location)?.[1] as string;

jest.setTimeout(60_000);

describe('schools and cascade sessions', () => {
  let t: TestApp;
  let content: string;
  let admin: User;
  let manager: User; // scoped to El Salvador
  let managerAll: User; // no country scope
  let managerPanama: User;
  let coordA: User;
  let coordB: User;
  let ana: User;
  let beto: User;
  let carla: User;
  let dani: User; // a trainer who was never certified
  let schoolA: Json & { id: string };
  let schoolB: Json & { id: string };
  const tokens = new Map<string, string>();

  /** Fresh Bearer tokens (sessions are checked against the fake clock: sign in again after moving it forward). */
  async function signIn(...users: User[]) {
    for (const user of users) tokens.set(user.id, await apiToken(t, user.email));
  }

  const as = (user: User) => {
    const auth = () => bearer(tokens.get(user.id) as string);
    return {
      get: (path: string) => request(t.http).get(`/api/v1${path}`).set(auth()),
      post: (path: string, body?: object, headers: Record<string, string> = {}) =>
        request(t.http).post(`/api/v1${path}`).set(auth()).set(headers).send(body),
      put: (path: string, body?: object) => request(t.http).put(`/api/v1${path}`).set(auth()).send(body),
    };
  };

  /** A valid API body: Ana at school A, 22 students aged 10–14. */
  const session = (overrides: Json = {}): Json => ({
    schoolId: schoolA.id,
    trainerId: ana.id,
    courseSlug: COURSE,
    moduleSlugs: [PRACTICE],
    date: '2026-03-02',
    durationMinutes: 50,
    participants: { female: 10, male: 12, unspecified: 0 },
    ageBands: { under_10: 0, '10_14': 22, '15_17': 0, '18_plus': 0 },
    teachers: 1,
    parents: 0,
    ...overrides,
  });
  const log = (user: User, overrides: Json = {}, headers: Record<string, string> = {}) =>
    as(user).post('/cascade-sessions', session(overrides), headers);
  const sessionRows = (where: FindOptionsWhere<CascadeSession>) =>
    t.db.manager.find(CascadeSession, { where });
  const count = () => t.db.manager.count(CascadeSession);
  const audit = (action: string, entityId: string) =>
    t.db.manager.find(AuditEntry, { where: { action, entityId } });
  const mailsAbout = async (template: string, sessionId: string) =>
    (await t.db.manager.find(OutboxMessage, { where: { template } })).filter((m) =>
      m.textBody.includes(`/cascade-sessions/${sessionId}`),
    );

  /** A TOT cohort of the course whose trainers complete it over the API and are certified on ISSUED_ON. */
  async function certifiedTrainers(names: string[]): Promise<User[]> {
    const cohort = await as(manager)
      .post('/cohorts', {
        courseSlug: COURSE,
        name: 'TOT Santa Tecla',
        countryCode: 'SV',
        startsOn: DAYS[0],
        endsOn: DAYS[4],
        capacity: 10,
      })
      .expect(201);
    const dayIds: string[] = [];
    for (const date of DAYS)
      dayIds.push((await as(manager).post(`/cohorts/${cohort.body.id}/days`, { date }).expect(201)).body.id);
    const people: User[] = [];
    for (const name of names) {
      const user = await t.createUser('trainer', { countryCode: 'SV', name });
      await as(manager)
        .post(`/cohorts/${cohort.body.id}/participants`, { email: user.email, name })
        .expect(201);
      await signIn(user);
      const enrolmentId = (await as(user).get('/me').expect(200)).body.enrolments[0].id as string;
      for (const lesson of LESSONS)
        await as(user).post(`/enrolments/${enrolmentId}/lessons/${lesson}/complete`).expect(200);
      await as(user)
        .post(
          `/enrolments/${enrolmentId}/quizzes/post-test/attempts`,
          await drawnAnswers(as(user), enrolmentId, 'post-test'),
        )
        .expect(201);
      await as(manager)
        .put(`/cohorts/${cohort.body.id}/participants/${user.id}/practicum`, { passed: true, score: 90 })
        .expect(200);
      people.push(user);
    }
    for (const dayId of dayIds) {
      await as(manager)
        .put(`/cohorts/${cohort.body.id}/days/${dayId}/attendance`, {
          records: people.map((p) => ({ userId: p.id, status: 'present' })),
        })
        .expect(200);
    }
    for (const person of people) {
      const cert = await as(manager)
        .post('/certifications', { cohortId: cohort.body.id, userId: person.id, issuedOn: ISSUED_ON })
        .expect(201);
      expect(cert.body).toMatchObject({ issuedOn: ISSUED_ON, expiresOn: EXPIRES_ON, status: 'active' });
    }
    return people;
  }

  /** Runs `work` with the fake clock at `at` and `users` signed in then; afterwards the clock and their NOW tokens are back. */
  async function on<T>(at: string, users: User[], work: () => Promise<T>): Promise<T> {
    const saved = new Map(tokens);
    t.clock.set(at);
    try {
      await signIn(...users);
      return await work();
    } finally {
      t.clock.set(NOW);
      for (const [id, token] of saved) tokens.set(id, token);
    }
  }

  beforeAll(async () => {
    content = contentWithTwoDeliverableModules();
    t = await createTestApp({ CONTENT_DIR: content });
    admin = await t.createUser('admin');
    manager = await t.createUser('manager', { countryCode: 'SV', name: 'Marta Manager' });
    managerAll = await t.createUser('manager', { name: 'Regional Manager' });
    managerPanama = await t.createUser('manager', { countryCode: 'PA', name: 'Pedro Panama' });
    coordA = await t.createUser('coordinator', { countryCode: 'SV', name: 'Carmen Coordinator' });
    coordB = await t.createUser('coordinator', { countryCode: 'SV', name: 'Bruno Coordinator' });
    dani = await t.createUser('trainer', { countryCode: 'SV', name: 'Dani Uncertified' });
    await signIn(admin, manager, managerAll, managerPanama, coordA, coordB, dani);

    schoolA = (
      await as(manager)
        .post('/schools', {
          name: 'Centro Escolar Las Flores',
          code: 'SV-A-001',
          countryCode: 'SV',
          municipality: 'Santa Tecla',
          level: 'primary',
        })
        .expect(201)
    ).body;
    schoolB = (
      await as(manager)
        .post('/schools', {
          name: 'Escuela República de Chile',
          code: 'SV-B-002',
          countryCode: 'sv',
          municipality: 'San Salvador',
        })
        .expect(201)
    ).body;
    await as(manager)
      .put(`/schools/${schoolA.id}/coordinators`, { userIds: [coordA.id] })
      .expect(200);
    await as(manager)
      .put(`/schools/${schoolB.id}/coordinators`, { userIds: [coordB.id] })
      .expect(200);

    [ana, beto, carla] = await certifiedTrainers(['Ana Trainer', 'Beto Trainer', 'Carla Revoked']);

    // From here on "today" is TODAY: every session between the issue date and today may be logged.
    t.clock.set(NOW);
    await signIn(admin, manager, managerAll, managerPanama, coordA, coordB, ana, beto, carla, dani);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    if (content) rmSync(content, { recursive: true, force: true });
  });

  describe('schools', () => {
    it('creates schools with their municipality, audited', async () => {
      expect(schoolA).toMatchObject({
        name: 'Centro Escolar Las Flores',
        code: 'SV-A-001',
        countryCode: 'SV',
        municipality: 'Santa Tecla',
        level: 'primary',
      });
      expect(schoolB).toMatchObject({ countryCode: 'SV', municipality: 'San Salvador', level: null });
      const municipality = await t.db.manager.findOneByOrFail(Municipality, {
        id: schoolA.municipalityId as string,
      });
      expect(municipality).toMatchObject({ countryCode: 'SV', name: 'Santa Tecla' });
      const [entry] = await audit('school.create', schoolA.id);
      expect(entry.actorId).toBe(manager.id);
      const [coordinators] = await audit('school.coordinators', schoolA.id);
      expect(JSON.parse(coordinators.after as string)).toEqual({ userIds: [coordA.id] });
    });

    it('refuses a ministry code already used in the same country (409) but accepts it in another country', async () => {
      const before = await t.db.manager.count(School);
      const res = await as(manager)
        .post('/schools', {
          name: 'Otra escuela',
          code: 'SV-A-001',
          countryCode: 'SV',
          municipality: 'Santa Tecla',
        })
        .expect(409);
      expect(res.body).toMatchObject({
        statusCode: 409,
        message: 'Another school in this country already has the code SV-A-001.',
      });
      expect(await t.db.manager.count(School)).toBe(before);
      const panama = await as(managerAll)
        .post('/schools', {
          name: 'Escuela Panamá',
          code: 'SV-A-001',
          countryCode: 'PA',
          municipality: 'Colón',
        })
        .expect(201);
      expect(panama.body).toMatchObject({ code: 'SV-A-001', countryCode: 'PA', municipality: 'Colón' });
    });

    it('refuses a school outside the manager’s country (403) and refuses trainers and coordinators', async () => {
      const before = await t.db.manager.count(School);
      const body = { name: 'Escuela fuera', code: 'PA-9', countryCode: 'PA', municipality: 'Colón' };
      await as(manager).post('/schools', body).expect(403);
      await as(coordA).post('/schools', body).expect(403);
      await as(ana).post('/schools', body).expect(403);
      await as(manager)
        .put(`/schools/${schoolA.id}/coordinators`, { userIds: [ana.id] })
        .expect(400);
      expect(await t.db.manager.count(School)).toBe(before);
    });

    it('shows a coordinator their schools in GET /me and only those', async () => {
      const me = await as(coordA).get('/me').expect(200);
      expect(me.body.scope.schoolIds).toEqual([schoolA.id]);
      const list = await as(coordA).get('/schools').expect(200);
      expect(list.body.items.map((s: Json) => s.id)).toEqual([schoolA.id]);
      expect(list.body.total).toBe(1);
      await as(coordA).get(`/schools/${schoolB.id}`).expect(403);
    });

    describe('CSV import', () => {
      let agent: Agent;
      // The preview writes nothing: 200, not 201.
      const check = async (csv: string, status = 200) =>
        agent
          .post('/schools/import')
          .type('form')
          .send({ _csrf: await csrfOf(agent, '/schools/import'), csv })
          .expect(status);
      const confirm = async (csv: string, status: number) =>
        agent
          .post('/schools/import/confirm')
          .type('form')
          .send({ _csrf: await csrfOf(agent, '/schools/import'), csv })
          .expect(status);
      const totals = async () => [await t.db.manager.count(School), await t.db.manager.count(Municipality)];

      beforeAll(async () => {
        agent = await pageAgent(t, manager.email);
      });

      it('previews a chosen CSV file (multipart) as it does pasted text, and a workbook is explained', async () => {
        const before = await totals();
        const form = await agent.get('/schools/import').expect(200);
        expect(form.text).toContain('enctype="multipart/form-data"');
        const file = Buffer.from(
          'país;municipio;nombre;código\r\nSV;Santa Ana;Escuela Peñas Blancas;SV-UP-001\r\n',
          'latin1',
        );
        const shown = await agent
          .post('/schools/import')
          .field('_csrf', await csrfOf(agent, '/schools/import'))
          .attach('file', file, 'escuelas.csv')
          .expect(200);
        expect(shown.text).toContain('Escuela Peñas Blancas');
        expect(shown.text).toContain('action="/schools/import/confirm"');
        const workbook = await agent
          .post('/schools/import')
          .field('_csrf', await csrfOf(agent, '/schools/import'))
          .attach('file', Buffer.from('PK\u0003\u0004xlsx'), 'escuelas.xlsx')
          .expect(400);
        expect(workbook.text).toContain('This is an Excel workbook, not a CSV file.');
        expect(await totals()).toEqual(before);
      });

      it('shows a row with an unknown country and writes nothing', async () => {
        const before = await totals();
        const csv =
          'country,municipality,name,code\nSV,Apopa,Centro Escolar Apopa,SV-I-001\nXX,Nowhere,Escuela Fantasma,SV-I-002\n';
        const page = await check(csv);
        expect(page.text).toContain('1 row ready, 1 with problems.');
        expect(page.text).toContain('This country is not in the list.');
        expect(page.text).toContain(
          'Correct the rows with problems and check again: nothing has been imported.',
        );
        expect(page.text).not.toContain('action="/schools/import/confirm"');
        await confirm(csv, 400);
        expect(await totals()).toEqual(before);
      });

      it('shows a code that already exists, or appears twice in the file, and writes nothing', async () => {
        const before = await totals();
        const existing = await check(
          'country,municipality,name,code\nSV,Apopa,Centro Escolar Apopa,SV-A-001\n',
        );
        expect(existing.text).toContain('A school with this code already exists.');
        const twice =
          'country,municipality,name,code\nSV,Apopa,Centro Escolar Apopa,SV-I-003\nSV,Apopa,Centro Escolar Apopa II,sv-i-003\n';
        const page = await check(twice);
        expect(page.text).toContain('1 row ready, 1 with problems.');
        expect(page.text).toMatch(/<tr class="row-error"><td>3<\/td>/);
        expect(page.text).toContain('line 2');
        await confirm(twice, 400);
        expect(await totals()).toEqual(before);
      });

      it('imports every row of a good CSV and creates the new municipalities, audited', async () => {
        const [schools, municipalities] = await totals();
        const csv = [
          'país;municipio;nombre;código;nivel',
          'SV;Apopa;Centro Escolar Apopa;SV-I-010;primaria',
          'SV;Soyapango;Instituto Nacional de Soyapango;SV-I-011;bachillerato',
          'SV;santa tecla;Centro Escolar Las Palmas;SV-I-012;',
        ].join('\r\n');
        const page = await check(csv);
        expect(page.text).toContain('3 rows ready, 0 with problems.');
        expect(page.text).toContain('Import 3 schools');
        const res = await confirm(csv, 303);
        expect(res.headers.location).toBe('/schools');
        expect((await agent.get('/schools').expect(200)).text).toContain(
          'Import finished: 3 schools and 2 new municipalities.',
        );
        expect(await totals()).toEqual([schools + 3, municipalities + 2]);
        const palmas = await t.db.manager.findOneByOrFail(School, { countryCode: 'SV', code: 'SV-I-012' });
        expect(palmas.municipalityId).toBe(schoolA.municipalityId); // the existing municipality, whatever the case
        expect(await t.db.manager.findOneByOrFail(School, { code: 'SV-I-011' })).toMatchObject({
          level: 'upper_secondary',
          name: 'Instituto Nacional de Soyapango',
        });
        expect(
          await t.db.manager.count(AuditEntry, { where: { action: 'school.import', actorId: manager.id } }),
        ).toBe(1);
      });

      it('adds municipalities on their own from rows without a school', async () => {
        const [schools, municipalities] = await totals();
        const csv = 'country,municipality,name,code\nSV,Ilopango,,\nSV,Mejicanos,,\n';
        expect((await check(csv)).text).toContain('2 rows ready, 0 with problems.');
        await confirm(csv, 303);
        expect(await totals()).toEqual([schools, municipalities + 2]);
        expect(
          await t.db.manager.findOneBy(Municipality, { countryCode: 'SV', name: 'Ilopango' }),
        ).not.toBeNull();
      });
    });
  });

  describe('the rules of a session', () => {
    it('accepts a session on the day the certification was issued', async () => {
      const res = await log(coordA, { date: ISSUED_ON }).expect(201);
      expect(res.body).toMatchObject({
        status: 'submitted',
        schoolId: schoolA.id,
        trainerId: ana.id,
        courseSlug: COURSE,
        moduleSlugs: [PRACTICE],
        date: ISSUED_ON,
        participants: { female: 10, male: 12, unspecified: 0 },
        ageBands: { under_10: 0, '10_14': 22, '15_17': 0, '18_plus': 0 },
        students: 22,
        loggedBy: coordA.id,
        loggedByRole: 'coordinator',
      });
      expect(typeof res.body.id).toBe('string');
      expect(await sessionRows({ id: res.body.id })).toHaveLength(1);
      const [entry] = await audit('session.log', res.body.id);
      expect(entry.actorId).toBe(coordA.id);
    });

    it('refuses a session the day before the issue date, naming the trainer and the date', async () => {
      const before = await count();
      const res = await log(coordA, { date: '2026-02-26' }).expect(422);
      expect(res.body).toMatchObject({
        statusCode: 422,
        error: 'Unprocessable Entity',
        code: 'cascade.trainer-not-certified',
        field: 'trainerId',
        message: 'Ana Trainer had no valid certification for this course on 2026-02-26.',
      });
      // In Spanish too (`?lang=` also saves the user's preference: asked by a user who only appears here).
      const es = await as(dani)
        .post('/cascade-sessions?lang=es', session({ trainerId: dani.id, date: '2026-02-26' }))
        .expect(422);
      expect(es.body.message).toBe(
        'Dani Uncertified no tenía una certificación vigente para este curso el 2026-02-26.',
      );
      expect(await count()).toBe(before);
    });

    it('refuses a trainer who was never certified', async () => {
      const res = await log(coordA, { trainerId: dani.id, date: '2026-04-01' }).expect(422);
      expect(res.body.message).toBe(
        'Dani Uncertified had no valid certification for this course on 2026-04-01.',
      );
    });

    it('accepts a session on the expiry day and refuses one the day after', async () => {
      await on('2028-02-28T10:00:00.000Z', [coordA], async () => {
        const last = await log(coordA, { date: EXPIRES_ON }).expect(201);
        expect(last.body.date).toBe(EXPIRES_ON);
        const after = await log(coordA, { date: '2028-02-28' }).expect(422);
        expect(after.body.message).toBe(
          'Ana Trainer had no valid certification for this course on 2028-02-28.',
        );
      });
    });

    it('refuses tomorrow and accepts today', async () => {
      const tomorrow = await log(coordA, { date: '2026-06-02' }).expect(422);
      expect(tomorrow.body).toMatchObject({ field: 'date', message: 'The date cannot be in the future.' });
      const today = await log(coordA, { date: TODAY }).expect(201);
      expect(today.body.date).toBe(TODAY);
    });

    it('refuses breakdowns whose totals are off by one, naming both totals', async () => {
      const before = await count();
      const moreBoys = await log(coordA, {
        date: '2026-03-03',
        participants: { female: 10, male: 13, unspecified: 0 },
      }).expect(422);
      expect(moreBoys.body).toMatchObject({
        field: 'ageBands',
        message: 'The totals do not match: 23 by sex but 22 by age band.',
      });
      const moreAges = await log(coordA, {
        date: '2026-03-03',
        ageBands: { under_10: 0, '10_14': 22, '15_17': 1, '18_plus': 0 },
      }).expect(422);
      expect(moreAges.body.message).toBe('The totals do not match: 22 by sex but 23 by age band.');
      expect(await count()).toBe(before);
    });

    it('refuses a module that is not delivered in schools', async () => {
      const res = await log(coordA, { date: '2026-03-03', moduleSlugs: [PRACTICE, NOT_DELIVERABLE] }).expect(
        422,
      );
      expect(res.body).toMatchObject({
        field: 'moduleSlugs',
        message: 'The module "basics" is not delivered in schools.',
      });
      await log(coordA, { date: '2026-03-03', moduleSlugs: ['no-such-module'] }).expect(422);
    });

    it('refuses negative, too large and fractional counts with 400, listing each field', async () => {
      const before = await count();
      const res = await log(coordA, {
        date: '2026-03-03',
        participants: { female: -1, male: 2001, unspecified: 0 },
        ageBands: { under_10: 0, '10_14': 2.5, '15_17': '3x', '18_plus': 0 },
        teachers: -2,
      }).expect(400);
      expect(Object.keys(res.body.fields).sort()).toEqual([
        'ageBands.10_14',
        'ageBands.15_17',
        'participants.female',
        'participants.male',
        'teachers',
      ]);
      expect(res.body.fields['participants.male']).toEqual(['Must be between 0 and 2,000.']);
      expect(res.body.fields['ageBands.10_14']).toEqual(['Must be a whole number.']);
      expect(res.body.message).toContain('participants.female: Must be between 0 and 2,000.');
      // 2000 itself is allowed.
      await log(coordA, {
        date: '2026-03-03',
        participants: { female: 2000, male: 0, unspecified: 0 },
        ageBands: { under_10: 0, '10_14': 2000, '15_17': 0, '18_plus': 0 },
      }).expect(201);
      expect(await count()).toBe(before + 1);
    });

    it('refuses an exact duplicate with 409 and the existing id, and accepts it again once the first is rejected', async () => {
      const first = await log(coordA, { date: '2026-03-10', moduleSlugs: [PRACTICE, FOLLOW_UP] }).expect(201);
      expect(first.body.moduleSlugs).toEqual([FOLLOW_UP, PRACTICE]);
      const again = await log(coordA, {
        date: '2026-03-10',
        moduleSlugs: [FOLLOW_UP, PRACTICE],
        participants: { female: 5, male: 5, unspecified: 0 },
        ageBands: { under_10: 10, '10_14': 0, '15_17': 0, '18_plus': 0 },
      }).expect(409);
      expect(again.body).toMatchObject({
        statusCode: 409,
        existingId: first.body.id,
        message: 'This session has already been logged (same school, trainer, modules and date).',
      });
      // The same session logged by the trainer is the same duplicate.
      const byTrainer = await log(ana, {
        date: '2026-03-10',
        moduleSlugs: [FOLLOW_UP, PRACTICE, FOLLOW_UP],
      }).expect(409);
      expect(byTrainer.body.existingId).toBe(first.body.id);
      // Another module set, school or date is another session.
      await log(coordA, { date: '2026-03-10', moduleSlugs: [FOLLOW_UP] }).expect(201);
      expect(await sessionRows({ schoolId: schoolA.id, trainerId: ana.id, date: '2026-03-10' })).toHaveLength(
        2,
      );

      await as(ana)
        .post(`/cascade-sessions/${first.body.id}/reject`, { reason: 'Logged by mistake' })
        .expect(200);
      const relogged = await log(coordA, { date: '2026-03-10', moduleSlugs: [FOLLOW_UP, PRACTICE] }).expect(
        201,
      );
      expect(relogged.body.id).not.toBe(first.body.id);
      const rows = await sessionRows({
        schoolId: schoolA.id,
        trainerId: ana.id,
        date: '2026-03-10',
        moduleSlugs: `${FOLLOW_UP},${PRACTICE}`,
      });
      expect(rows.map((r) => r.status).sort()).toEqual(['rejected', 'submitted']);
    });

    describe('after a revocation', () => {
      let before: { confirmed: string; submitted: string };

      beforeAll(async () => {
        // On 2026-05-20 Carla's sessions are logged, one is confirmed, and then her certification is revoked.
        before = await on('2026-05-20T09:00:00.000Z', [coordA, carla, manager], async () => {
          const confirmed = (await log(coordA, { trainerId: carla.id, date: '2026-05-10' }).expect(201)).body
            .id as string;
          const submitted = (await log(coordA, { trainerId: carla.id, date: '2026-05-15' }).expect(201)).body
            .id as string;
          await as(carla).post(`/cascade-sessions/${confirmed}/confirm`).expect(200);
          const { code } = (await as(manager).get(`/certifications?userId=${carla.id}`).expect(200)).body
            .items[0];
          const revoked = await as(manager)
            .post(`/certifications/${code}/revoke`, {
              reason: 'Certificate obtained with a false attendance sheet',
            })
            .expect(200);
          expect(revoked.body).toMatchObject({ status: 'revoked', revokedOn: '2026-05-20' });
          return { confirmed, submitted };
        });
      });

      it('still accepts a session dated the day before the revocation', async () => {
        const res = await log(coordA, { trainerId: carla.id, date: '2026-05-19' }).expect(201);
        expect(res.body.trainerId).toBe(carla.id);
      });

      it('refuses sessions dated on the day of the revocation and later', async () => {
        for (const date of ['2026-05-20', '2026-05-21', TODAY]) {
          const res = await log(coordA, { trainerId: carla.id, date }).expect(422);
          expect(res.body.message).toBe(
            `Carla Revoked had no valid certification for this course on ${date}.`,
          );
        }
        const own = await log(carla, { trainerId: carla.id, date: '2026-05-25' }).expect(422);
        expect(own.body.message).toContain('2026-05-25');
      });

      it('keeps the sessions logged before the revocation, with their status, in the lists', async () => {
        expect((await as(manager).get(`/cascade-sessions/${before.confirmed}`).expect(200)).body.status).toBe(
          'confirmed',
        );
        expect((await as(manager).get(`/cascade-sessions/${before.submitted}`).expect(200)).body.status).toBe(
          'submitted',
        );
        const list = await as(manager).get(`/cascade-sessions?trainerId=${carla.id}`).expect(200);
        expect(list.body.items.map((s: Json) => s.id)).toEqual(
          expect.arrayContaining([before.confirmed, before.submitted]),
        );
        const own = await as(carla).get('/cascade-sessions').expect(200);
        expect(own.body.items.map((s: Json) => s.id)).toEqual(
          expect.arrayContaining([before.confirmed, before.submitted]),
        );
      });
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a retry with the same key and body with the first status and body, and creates one session', async () => {
      const key = { 'Idempotency-Key': 'ana-2026-03-11-first' };
      const first = await log(ana, { date: '2026-03-11' }, key).expect(201);
      const retry = await log(ana, { date: '2026-03-11' }, key).expect(201);
      expect(retry.body).toEqual(first.body);
      // The same body with its keys in another order is the same request.
      const reordered = Object.fromEntries(Object.entries(session({ date: '2026-03-11' })).reverse());
      expect((await as(ana).post('/cascade-sessions', reordered, key).expect(201)).body.id).toBe(
        first.body.id,
      );
      expect(await sessionRows({ trainerId: ana.id, date: '2026-03-11' })).toHaveLength(1);
    });

    it('refuses the same key with a different body (422) and creates nothing', async () => {
      const key = { 'Idempotency-Key': 'ana-2026-03-11-first' };
      const res = await log(ana, { date: '2026-03-11', teachers: 2 }, key).expect(422);
      expect(res.body.message).toBe('This Idempotency-Key was already used with a different request.');
      expect(await sessionRows({ trainerId: ana.id, date: '2026-03-11' })).toHaveLength(1);
    });

    it('gives 20 parallel requests with one key the same response and creates exactly one session', async () => {
      const key = { 'Idempotency-Key': 'parallel-2026-03-12' };
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => log(coordA, { date: '2026-03-12' }, key)),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
      const ids = new Set(responses.map((r) => r.body.id));
      expect(ids.size).toBe(1);
      for (const r of responses) expect(r.body).toEqual(responses[0].body);
      expect(
        await t.db.manager.count(CascadeSession, {
          where: { trainerId: ana.id, schoolId: schoolA.id, date: '2026-03-12' },
        }),
      ).toBe(1);
      expect(
        await t.db.manager.count(IdempotencyKey, {
          where: { userId: coordA.id, key: 'parallel-2026-03-12' },
        }),
      ).toBe(1);
    });

    it('keeps no key when the request is refused inside its transaction (an exact duplicate), so the key may be used again', async () => {
      const dup = { 'Idempotency-Key': 'ana-2026-03-11-duplicate' };
      const refused = await log(ana, { date: '2026-03-11' }, dup).expect(409);
      expect(refused.body.code).toBe('cascade.duplicate');
      expect(
        await t.db.manager.count(IdempotencyKey, {
          where: { userId: ana.id, key: 'ana-2026-03-11-duplicate' },
        }),
      ).toBe(0);
      const fixed = await log(ana, { date: '2026-03-25' }, dup).expect(201);
      expect(
        (
          await t.db.manager.findOneByOrFail(IdempotencyKey, {
            userId: ana.id,
            key: 'ana-2026-03-11-duplicate',
          })
        ).responseStatus,
      ).toBe(201);
      expect(await sessionRows({ trainerId: ana.id, date: '2026-03-25' })).toEqual([
        expect.objectContaining({ id: fixed.body.id }),
      ]);
    });

    it('takes over at once a key left claimed without an answer (by a version that claimed in its own transaction)', async () => {
      const key = 'ana-2026-03-26-orphan';
      await t.db.manager.insert(IdempotencyKey, {
        userId: ana.id,
        key,
        requestHash: 'left-by-a-crash',
        responseStatus: null,
        responseBody: null,
        createdAt: new Date(),
      });
      const res = await log(ana, { date: '2026-03-26' }, { 'Idempotency-Key': key }).expect(201);
      const row = await t.db.manager.findOneByOrFail(IdempotencyKey, { userId: ana.id, key });
      expect([row.responseStatus, JSON.parse(row.responseBody ?? 'null')]).toEqual([201, res.body]);
      expect((await log(ana, { date: '2026-03-26' }, { 'Idempotency-Key': key }).expect(201)).body).toEqual(
        res.body,
      );
      expect(await sessionRows({ trainerId: ana.id, date: '2026-03-26' })).toHaveLength(1);
    });

    it('scopes keys to the user: another user may use the same key string', async () => {
      const key = { 'Idempotency-Key': 'ana-2026-03-11-first' };
      const mine = await t.db.manager.findOneByOrFail(CascadeSession, {
        trainerId: ana.id,
        date: '2026-03-11',
      });
      const other = await log(beto, { trainerId: beto.id, date: '2026-03-11' }, key).expect(201);
      expect(other.body.id).not.toBe(mine.id);
      expect(other.body.trainerId).toBe(beto.id);
      const coordinator = await log(
        coordB,
        { schoolId: schoolB.id, trainerId: beto.id, date: '2026-03-11' },
        key,
      ).expect(201);
      expect(new Set([mine.id, other.body.id, coordinator.body.id]).size).toBe(3);
    });

    it('refuses a malformed key (400)', async () => {
      const res = await log(ana, { date: '2026-03-12' }, { 'Idempotency-Key': 'short' }).expect(400);
      expect(Object.keys(res.body.fields)).toEqual(['Idempotency-Key']);
    });
  });

  describe('scope', () => {
    let atB: string; // logged by school B's coordinator for Beto

    beforeAll(async () => {
      atB = (await log(coordB, { schoolId: schoolB.id, trainerId: beto.id, date: '2026-03-13' }).expect(201))
        .body.id;
    });

    it('refuses a coordinator another school’s sessions: logging, reading, listing, confirming', async () => {
      const before = await count();
      const logged = await log(coordA, {
        schoolId: schoolB.id,
        trainerId: beto.id,
        date: '2026-03-14',
      }).expect(403);
      expect(logged.body.statusCode).toBe(403);
      expect(await count()).toBe(before);
      await as(coordA).get(`/cascade-sessions/${atB}`).expect(403);
      const list = await as(coordA).get('/cascade-sessions?limit=500').expect(200);
      expect(list.body.items.length).toBeGreaterThan(0);
      expect(list.body.items.every((s: Json) => s.schoolId === schoolA.id)).toBe(true);
      expect((await as(coordA).get(`/cascade-sessions?schoolId=${schoolB.id}`).expect(200)).body).toEqual({
        items: [],
        total: 0,
      });
      await as(coordA).post(`/cascade-sessions/${atB}/confirm`).expect(403);
      await as(coordA).post(`/cascade-sessions/${atB}/reject`, { reason: 'Not ours' }).expect(403);
      expect((await as(coordB).get(`/cascade-sessions/${atB}`).expect(200)).body.status).toBe('submitted');
    });

    it('lets a trainer log only their own sessions and see only those', async () => {
      const res = await log(ana, { trainerId: beto.id, date: '2026-03-14' }).expect(403);
      expect(res.body.message).toBe('Trainers log only their own sessions.');
      const mine = await as(beto).get('/cascade-sessions?limit=500').expect(200);
      expect(mine.body.items.map((s: Json) => s.id)).toContain(atB);
      expect(mine.body.items.every((s: Json) => s.trainerId === beto.id)).toBe(true);
      const anas = await as(ana).get('/cascade-sessions?limit=500').expect(200);
      expect(anas.body.items.every((s: Json) => s.trainerId === ana.id)).toBe(true);
      expect(anas.body.total).toBe(
        await t.db.manager.count(CascadeSession, { where: { trainerId: ana.id } }),
      );
      expect((await as(ana).get(`/cascade-sessions?trainerId=${beto.id}`).expect(200)).body).toEqual({
        items: [],
        total: 0,
      });
      await as(ana).get(`/cascade-sessions/${atB}`).expect(403);
    });

    it('refuses a manager of another country (403) and lists nothing for them', async () => {
      await as(managerPanama).get(`/cascade-sessions/${atB}`).expect(403);
      expect((await as(managerPanama).get('/cascade-sessions').expect(200)).body).toEqual({
        items: [],
        total: 0,
      });
      expect((await as(managerPanama).get('/cascade-sessions?countryCode=SV').expect(200)).body).toEqual({
        items: [],
        total: 0,
      });
      await as(managerPanama).post(`/cascade-sessions/${atB}/confirm`).expect(403);
      const page = await (
        await pageAgent(t, managerPanama.email)
      )
        .get(`/cascade-sessions/${atB}`)
        .expect(403);
      expect(page.text).not.toContain('Escuela República de Chile');
      // Managers of the country and without a country see it.
      await as(manager).get(`/cascade-sessions/${atB}`).expect(200);
      await as(managerAll).get(`/cascade-sessions/${atB}`).expect(200);
    });

    it('lets only coordinators and trainers log sessions', async () => {
      await log(manager, { date: '2026-03-14' }).expect(403);
      await log(admin, { date: '2026-03-14' }).expect(403);
      await request(t.http)
        .post('/api/v1/cascade-sessions')
        .send(session({ date: '2026-03-14' }))
        .expect(401);
      await request(t.http).get('/api/v1/cascade-sessions').expect(401);
    });
  });

  describe('confirmation by the other side', () => {
    it('lets the school’s coordinator confirm a session the trainer logged, but not the trainer; both are mailed', async () => {
      const id = (await log(ana, { date: '2026-03-14' }).expect(201)).body.id as string;
      expect((await mailsAbout('session-to-confirm', id)).map((m) => m.toAddress)).toEqual([coordA.email]);
      const own = await as(ana).post(`/cascade-sessions/${id}/confirm`).expect(403);
      expect(own.body.message).toBe(
        "The session is confirmed by the other side: the school's coordinator or the trainer.",
      );
      await as(coordB).post(`/cascade-sessions/${id}/confirm`).expect(403);
      const res = await as(coordA).post(`/cascade-sessions/${id}/confirm`).expect(200);
      expect(res.body).toMatchObject({ id, status: 'confirmed', decidedBy: coordA.id });
      expect((await mailsAbout('session-confirmed', id)).map((m) => m.toAddress).sort()).toEqual(
        [ana.email, coordA.email].sort(),
      );
      const [entry] = await audit('session.confirm', id);
      expect(entry.actorId).toBe(coordA.id);
      expect(JSON.parse(entry.after as string)).toMatchObject({ status: 'confirmed' });

      const twice = await as(coordA).post(`/cascade-sessions/${id}/confirm`).expect(409);
      expect(twice.body.message).toBe('This session has already been decided.');
      await as(manager).post(`/cascade-sessions/${id}/reject`, { reason: 'Too late now' }).expect(409);
      expect(await audit('session.confirm', id)).toHaveLength(1);
    });

    it('decides a session once when both sides decide at the same moment', async () => {
      const id = (await log(ana, { date: '2026-03-20' }).expect(201)).body.id as string;
      const [confirmed, rejected] = await Promise.all([
        as(coordA).post(`/cascade-sessions/${id}/confirm`),
        as(manager).post(`/cascade-sessions/${id}/reject`, { reason: 'Duplicate of another visit' }),
      ]);
      expect([confirmed.status, rejected.status].sort()).toEqual([200, 409]);
      const winner = confirmed.status === 200 ? confirmed : rejected;
      const row = await t.db.manager.findOneByOrFail(CascadeSession, { id });
      expect(row.status).toBe(winner.body.status);
      expect(row.decidedBy).toBe(winner.body.decidedBy);
      const decisions =
        (await audit('session.confirm', id)).length + (await audit('session.reject', id)).length;
      expect(decisions).toBe(1);
      expect(
        (await mailsAbout('session-confirmed', id)).length +
          (await mailsAbout('session-rejected', id)).length,
      ).toBe(2);
    });

    it('lets the trainer confirm a session the coordinator logged, but not the coordinator', async () => {
      const id = (await log(coordA, { date: '2026-03-15' }).expect(201)).body.id as string;
      expect((await mailsAbout('session-to-confirm', id)).map((m) => m.toAddress)).toEqual([ana.email]);
      await as(coordA).post(`/cascade-sessions/${id}/confirm`).expect(403);
      await as(beto).post(`/cascade-sessions/${id}/confirm`).expect(403);
      expect((await as(ana).post(`/cascade-sessions/${id}/confirm`).expect(200)).body.status).toBe(
        'confirmed',
      );
      expect((await mailsAbout('session-confirmed', id)).map((m) => m.toAddress).sort()).toEqual(
        [ana.email, coordA.email].sort(),
      );
    });

    it('lets a manager of the country confirm either kind', async () => {
      const byTrainer = (await log(ana, { date: '2026-03-16' }).expect(201)).body.id as string;
      const byCoordinator = (await log(coordA, { date: '2026-03-17' }).expect(201)).body.id as string;
      expect(
        (await as(manager).post(`/cascade-sessions/${byTrainer}/confirm`).expect(200)).body,
      ).toMatchObject({ status: 'confirmed', decidedBy: manager.id });
      expect(
        (await as(managerAll).post(`/cascade-sessions/${byCoordinator}/confirm`).expect(200)).body,
      ).toMatchObject({ status: 'confirmed', decidedBy: managerAll.id });
    });

    it('rejects only with a reason, and mails both sides', async () => {
      const id = (await log(ana, { date: '2026-03-18' }).expect(201)).body.id as string;
      for (const body of [{}, { reason: '' }, { reason: '  ' }]) {
        const res = await as(coordA).post(`/cascade-sessions/${id}/reject`, body).expect(400);
        expect(Object.keys(res.body.fields)).toEqual(['reason']);
      }
      expect((await t.db.manager.findOneByOrFail(CascadeSession, { id })).status).toBe('submitted');
      const res = await as(coordA)
        .post(`/cascade-sessions/${id}/reject`, { reason: 'The visit was cancelled that day' })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'rejected',
        rejectionReason: 'The visit was cancelled that day',
        decidedBy: coordA.id,
      });
      const mails = await mailsAbout('session-rejected', id);
      expect(mails.map((m) => m.toAddress).sort()).toEqual([ana.email, coordA.email].sort());
      expect(mails[0].textBody).toContain('Centro Escolar Las Flores');
      const [entry] = await audit('session.reject', id);
      expect(JSON.parse(entry.after as string)).toEqual({
        status: 'rejected',
        reason: 'The visit was cancelled that day',
      });
    });

    describe('editing', () => {
      let coordinatorAgent: Agent;
      let id: string;
      const form = (overrides: Json = {}): Json => ({
        schoolId: schoolA.id,
        trainerId: ana.id,
        courseSlug: COURSE,
        moduleSlugs: PRACTICE,
        date: '2026-03-19',
        durationMinutes: '45',
        p_female: '11',
        p_male: '11',
        p_unspecified: '1',
        a_under_10: '0',
        a_10_14: '20',
        a_15_17: '3',
        a_18_plus: '0',
        teachers: '2',
        parents: '',
        notes: 'Second visit',
        ...overrides,
      });
      const edit = async (agent: Agent, body: Json, status: number) =>
        agent
          .post(`/cascade-sessions/${id}/edit`)
          .type('form')
          .send({ ...body, _csrf: await csrfOf(agent, '/cascade-sessions') })
          .expect(status);

      beforeAll(async () => {
        coordinatorAgent = await pageAgent(t, coordA.email);
        id = (await log(coordA, { date: '2026-03-19' }).expect(201)).body.id;
      });

      it('lets the author edit a submitted session, audited with before and after', async () => {
        const page = await coordinatorAgent.get(`/cascade-sessions/${id}/edit`).expect(200);
        expect(page.text).toContain(`action="/cascade-sessions/${id}/edit"`);
        const res = await edit(coordinatorAgent, form(), 303);
        expect(res.headers.location).toBe(`/cascade-sessions/${id}`);
        expect(await t.db.manager.findOneByOrFail(CascadeSession, { id })).toMatchObject({
          female: 11,
          male: 11,
          unspecified: 1,
          age15To17: 3,
          durationMinutes: 45,
          teachers: 2,
          notes: 'Second visit',
          status: 'submitted',
        });
        const [entry] = await audit('session.edit', id);
        expect(entry.actorId).toBe(coordA.id);
        expect(JSON.parse(entry.before as string)).toMatchObject({ female: 10, male: 12, unspecified: 0 });
        expect(JSON.parse(entry.after as string)).toMatchObject({ female: 11, male: 11, unspecified: 1 });
      });

      it('keeps the edit form on the session when the input is refused', async () => {
        const res = await edit(coordinatorAgent, form({ p_male: '12' }), 422);
        expect(res.text).toContain('The totals do not match: 24 by sex but 23 by age band.');
        expect(res.text).toContain(`action="/cascade-sessions/${id}/edit"`);
        expect(res.text).toContain('Edit the session');
        expect((await t.db.manager.findOneByOrFail(CascadeSession, { id })).male).toBe(11);
      });

      it('refuses an edit by anyone but the author', async () => {
        const trainerAgent = await pageAgent(t, ana.email);
        await trainerAgent.get(`/cascade-sessions/${id}/edit`).expect(403);
        await edit(trainerAgent, form({ p_female: '12', a_10_14: '21' }), 403);
        expect((await t.db.manager.findOneByOrFail(CascadeSession, { id })).female).toBe(11);
      });

      it('never turns a confirmation back when an edit arrives at the same moment', async () => {
        const other = (await log(coordA, { date: '2026-03-21' }).expect(201)).body.id as string;
        const csrf = await csrfOf(coordinatorAgent, '/cascade-sessions');
        const [edited, confirmed] = await Promise.all([
          coordinatorAgent
            .post(`/cascade-sessions/${other}/edit`)
            .type('form')
            .send({ ...form({ date: '2026-03-21', notes: 'Edited' }), _csrf: csrf }),
          as(ana).post(`/cascade-sessions/${other}/confirm`),
        ]);
        expect(confirmed.status).toBe(200);
        expect([303, 409]).toContain(edited.status);
        const row = await t.db.manager.findOneByOrFail(CascadeSession, { id: other });
        expect(row).toMatchObject({ status: 'confirmed', decidedBy: ana.id });
        // The edit counts only if it was saved before the confirmation.
        expect(row.notes === 'Edited').toBe(edited.status === 303);
      });

      it('refuses an edit once the session is confirmed (409)', async () => {
        await as(ana).post(`/cascade-sessions/${id}/confirm`).expect(200);
        const res = await edit(coordinatorAgent, form({ p_female: '12', a_10_14: '21' }), 409);
        expect(res.text).toContain('A confirmed or rejected session can no longer be changed.');
        expect(await t.db.manager.findOneByOrFail(CascadeSession, { id })).toMatchObject({
          female: 11,
          status: 'confirmed',
        });
        await coordinatorAgent.get(`/cascade-sessions/${id}/edit`).expect(403);
        expect(await audit('session.edit', id)).toHaveLength(1);
      });
    });
  });

  describe('GET /api/v1/cascade-sessions', () => {
    type Item = { id: string; schoolId: string; trainerId: string; date: string; status: string };
    const ids = (items: Item[]) => items.map((s) => s.id).sort();
    let all: CascadeSession[];

    beforeAll(async () => {
      all = await t.db.manager.find(CascadeSession);
    });

    it('filters by school, trainer, dates and status', async () => {
      const get = async (query: string) =>
        (await as(managerAll).get(`/cascade-sessions?limit=500&${query}`).expect(200)).body as {
          items: Item[];
          total: number;
        };
      const expectIds = (rows: CascadeSession[]) => rows.map((s) => s.id).sort();

      const bySchool = await get(`schoolId=${schoolB.id}`);
      expect(ids(bySchool.items)).toEqual(expectIds(all.filter((s) => s.schoolId === schoolB.id)));
      expect(bySchool.total).toBe(bySchool.items.length);
      expect(bySchool.total).toBeGreaterThan(0);

      const byTrainer = await get(`trainerId=${beto.id}`);
      expect(ids(byTrainer.items)).toEqual(expectIds(all.filter((s) => s.trainerId === beto.id)));

      const range = await get('from=2026-03-14&to=2026-03-17');
      expect(ids(range.items)).toEqual(
        expectIds(all.filter((s) => s.date >= '2026-03-14' && s.date <= '2026-03-17')),
      );
      expect(range.total).toBe(4);

      for (const status of ['submitted', 'confirmed', 'rejected']) {
        const res = await get(`status=${status}`);
        expect(ids(res.items)).toEqual(expectIds(all.filter((s) => s.status === status)));
        expect(res.total).toBeGreaterThan(0);
      }

      const combined = await get(`trainerId=${ana.id}&status=confirmed&from=2026-03-01&to=2026-03-31`);
      expect(ids(combined.items)).toEqual(
        expectIds(
          all.filter(
            (s) =>
              s.trainerId === ana.id &&
              s.status === 'confirmed' &&
              s.date >= '2026-03-01' &&
              s.date <= '2026-03-31',
          ),
        ),
      );

      const newestFirst = (await get('')).items.map((s) => s.date);
      expect(newestFirst).toEqual([...newestFirst].sort().reverse());

      await as(managerAll).get('/cascade-sessions?status=maybe').expect(400);
      await as(managerAll).get('/cascade-sessions?from=01/03/2026').expect(400);
    });

    it('pages with limit and offset and answers every count as a JSON number', async () => {
      const page = await as(managerAll).get('/cascade-sessions?limit=2&offset=1').expect(200);
      expect(page.body.items).toHaveLength(2);
      expect(page.body.total).toBe(all.length);
      expect(typeof page.body.total).toBe('number');
      for (const item of page.body.items) {
        for (const value of [
          item.durationMinutes,
          item.students,
          item.teachers,
          item.parents,
          ...Object.values(item.participants),
          ...Object.values(item.ageBands),
        ]) {
          expect(typeof value).toBe('number');
        }
        expect(typeof item.id).toBe('string');
        expect(item.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    });

    it('runs the same number of queries for a few sessions as for many (no N+1)', async () => {
      const agent = await pageAgent(t, managerAll.email);
      const spy = jest.spyOn(t.db.dataSource.logger, 'logQuery');
      const queries = async (work: () => Promise<unknown>) => {
        spy.mockClear();
        await work();
        return spy.mock.calls.length;
      };
      try {
        const few = await queries(() => as(managerAll).get('/cascade-sessions?limit=2').expect(200));
        const many = await queries(async () =>
          expect(
            (await as(managerAll).get('/cascade-sessions?limit=20').expect(200)).body.items,
          ).toHaveLength(20),
        );
        expect(many).toBe(few);
        const fewOnPage = await queries(() => agent.get('/cascade-sessions?to=2026-02-27').expect(200));
        const manyOnPage = await queries(() => agent.get('/cascade-sessions').expect(200));
        expect(manyOnPage).toBe(fewOnPage);
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('pages', () => {
    let coordinatorAgent: Agent;
    let trainerAgent: Agent;
    const newForm = async (agent: Agent) => {
      const page = await agent.get('/cascade-sessions/new').expect(200);
      return {
        page,
        csrf: csrfFrom(page.text),
        key: /name="idempotencyKey" value="([^"]+)"/.exec(page.text)?.[1] as string,
      };
    };
    const fields = (overrides: Json = {}): Json => ({
      schoolId: schoolA.id,
      trainerId: ana.id,
      courseSlug: COURSE,
      moduleSlugs: [PRACTICE, FOLLOW_UP],
      date: '2026-04-02',
      durationMinutes: '50',
      p_female: '14',
      p_male: '13',
      p_unspecified: '',
      a_under_10: '5',
      a_10_14: '22',
      a_15_17: '',
      a_18_plus: '',
      teachers: '2',
      parents: '1',
      notes: 'Delivered with the school counsellor',
      ...overrides,
    });

    beforeAll(async () => {
      coordinatorAgent = await pageAgent(t, coordA.email);
      trainerAgent = await pageAgent(t, ana.email);
    });

    it('narrows the trainer list by name for a coordinator (works without JavaScript)', async () => {
      const page = await coordinatorAgent
        .get(`/cascade-sessions/new?trainer=${encodeURIComponent(ana.name.slice(0, 4).toUpperCase())}`)
        .expect(200);
      expect(page.text).toContain(`<option value="${ana.id}">${ana.name}</option>`);
      if (!beto.name.toLowerCase().includes(ana.name.slice(0, 4).toLowerCase()))
        expect(page.text).not.toContain(`<option value="${beto.id}">`);
    });

    it('offers a coordinator only their schools and the trainers certified today', async () => {
      const { page, key } = await newForm(coordinatorAgent);
      expect(page.text).toContain(
        `<option value="${schoolA.id}">Centro Escolar Las Flores (SV-A-001)</option>`,
      );
      expect(page.text).not.toContain(schoolB.id);
      expect(page.text).not.toContain('Escuela República de Chile');
      for (const trainer of [ana, beto])
        expect(page.text).toContain(`<option value="${trainer.id}">${trainer.name}</option>`);
      for (const trainer of [carla, dani]) expect(page.text).not.toContain(trainer.id);
      expect(page.text).toContain(`value="${PRACTICE}"`);
      expect(page.text).toContain(`value="${FOLLOW_UP}"`);
      expect(page.text).not.toContain(`value="${NOT_DELIVERABLE}"`);
      expect(key).toMatch(/^[A-Za-z0-9._:-]{8,100}$/);
      expect(page.text).toContain(`id="f-date" name="date" type="date" value="${TODAY}"`); // today by the app's clock
      // Trainers log for themselves: no trainer list; managers do not log.
      const own = await newForm(trainerAgent);
      expect(own.page.text).not.toContain('name="trainerId"');
      await (await pageAgent(t, manager.email)).get('/cascade-sessions/new').expect(403);
    });

    it('logs a session from the form and shows it', async () => {
      const { csrf, key } = await newForm(coordinatorAgent);
      const res = await coordinatorAgent
        .post('/cascade-sessions')
        .type('form')
        .send({ ...fields(), idempotencyKey: key, _csrf: csrf })
        .expect(303);
      const id = idFrom(res.headers.location);
      expect(id).toBeDefined();
      expect(await t.db.manager.findOneByOrFail(CascadeSession, { id })).toMatchObject({
        female: 14,
        male: 13,
        unspecified: 0,
        ageUnder10: 5,
        age10To14: 22,
        teachers: 2,
        parents: 1,
        moduleSlugs: `${FOLLOW_UP},${PRACTICE}`,
        loggedByRole: 'coordinator',
      });
      const page = await coordinatorAgent.get(res.headers.location).expect(200);
      expect(page.text).toContain('The session has been logged and waits for confirmation.');
      expect(page.text).toContain('Centro Escolar Las Flores');
      expect(page.text).toContain('Ana Trainer');
    });

    it('creates one session when the same form is submitted twice', async () => {
      const { csrf, key } = await newForm(coordinatorAgent);
      const body = { ...fields({ date: '2026-04-03' }), idempotencyKey: key, _csrf: csrf };
      const first = await coordinatorAgent.post('/cascade-sessions').type('form').send(body).expect(303);
      const second = await coordinatorAgent.post('/cascade-sessions').type('form').send(body).expect(303);
      expect(second.headers.location).toBe(first.headers.location);
      expect(await sessionRows({ schoolId: schoolA.id, trainerId: ana.id, date: '2026-04-03' })).toHaveLength(
        1,
      );
    });

    it('re-renders the form with the message and the typed numbers when the totals differ', async () => {
      const { csrf, key } = await newForm(coordinatorAgent);
      const before = await count();
      const res = await coordinatorAgent
        .post('/cascade-sessions')
        .type('form')
        .send({ ...fields({ date: '2026-04-04', p_male: '14' }), idempotencyKey: key, _csrf: csrf })
        .expect(422);
      expect(res.text).toContain('The totals do not match: 28 by sex but 27 by age band.');
      expect(res.text).toMatch(/id="f-p_female" name="p_female"[^>]*value="14"/);
      expect(res.text).toMatch(/id="f-p_male" name="p_male"[^>]*value="14"/);
      expect(res.text).toMatch(/id="f-a_10_14" name="a_10_14"[^>]*value="22"/);
      expect(res.text).toContain(`name="idempotencyKey" value="${key}"`);
      expect(res.text).toContain('Delivered with the school counsellor');
      expect(res.text).toMatch(new RegExp(`<option value="${schoolA.id}" selected>`));
      expect(await count()).toBe(before);
      // Corrected, the same form (same key) goes through.
      const fixed = await coordinatorAgent
        .post('/cascade-sessions')
        .type('form')
        .send({ ...fields({ date: '2026-04-04' }), idempotencyKey: key, _csrf: csrfFrom(res.text) })
        .expect(303);
      expect(idFrom(fixed.headers.location)).toBeDefined();
      expect(await count()).toBe(before + 1);
    });

    it('answers JSON to a form post that asks for it', async () => {
      const { csrf, key } = await newForm(coordinatorAgent);
      const body = { ...fields({ date: '2026-04-05' }), idempotencyKey: key, _csrf: csrf };
      const res = await coordinatorAgent
        .post('/cascade-sessions')
        .type('form')
        .set('Accept', 'application/json')
        .send(body)
        .expect(201);
      expect(res.body).toEqual({ id: expect.any(String), url: `/cascade-sessions/${res.body.id}` });
      // A resend (the offline queue retrying) gets the same answer.
      const resent = await coordinatorAgent
        .post('/cascade-sessions')
        .type('form')
        .set('Accept', 'application/json')
        .send(body)
        .expect(201);
      expect(resent.body).toEqual(res.body);
      expect(await sessionRows({ schoolId: schoolA.id, date: '2026-04-05' })).toHaveLength(1);

      const mismatch = await coordinatorAgent
        .post('/cascade-sessions')
        .type('form')
        .set('Accept', 'application/json')
        .send({ ...fields({ date: '2026-04-06', p_female: '1' }), idempotencyKey: `${key}-2`, _csrf: csrf })
        .expect(422);
      expect(mismatch.body).toMatchObject({
        statusCode: 422,
        field: 'ageBands',
        message: 'The totals do not match: 14 by sex but 27 by age band.',
      });
      const invalid = await coordinatorAgent
        .post('/cascade-sessions')
        .type('form')
        .set('Accept', 'application/json')
        .send({
          ...fields({ date: '2026-04-06', p_female: '-3', durationMinutes: 'long' }),
          idempotencyKey: `${key}-3`,
          _csrf: csrf,
        })
        .expect(400);
      expect(Object.keys(invalid.body.fields).sort()).toEqual(['durationMinutes', 'participants.female']);
      const duplicate = await coordinatorAgent
        .post('/cascade-sessions')
        .type('form')
        .set('Accept', 'application/json')
        .send({ ...fields({ date: '2026-04-05' }), idempotencyKey: `${key}-4`, _csrf: csrf })
        .expect(409);
      expect(duplicate.body.existingId).toBe(res.body.id);
    });

    it('shows confirm and reject only to the other side', async () => {
      const { csrf, key } = await newForm(coordinatorAgent);
      const res = await coordinatorAgent
        .post('/cascade-sessions')
        .type('form')
        .send({ ...fields({ date: '2026-04-07' }), idempotencyKey: key, _csrf: csrf })
        .expect(303);
      const id = idFrom(res.headers.location);
      const author = await coordinatorAgent.get(`/cascade-sessions/${id}`).expect(200);
      expect(author.text).not.toContain('Confirm this session');
      expect(author.text).not.toContain(`action="/cascade-sessions/${id}/reject"`);
      expect(author.text).toContain(`href="/cascade-sessions/${id}/edit"`);
      const other = await trainerAgent.get(`/cascade-sessions/${id}`).expect(200);
      expect(other.text).toContain('Confirm this session');
      expect(other.text).toContain(`action="/cascade-sessions/${id}/confirm"`);
      expect(other.text).toContain(`action="/cascade-sessions/${id}/reject"`);
      expect(other.text).not.toContain(`href="/cascade-sessions/${id}/edit"`);

      // The trainer confirms from the page.
      const confirmed = await trainerAgent
        .post(`/cascade-sessions/${id}/confirm`)
        .type('form')
        .send({ _csrf: csrfFrom(other.text) })
        .expect(303);
      expect(confirmed.headers.location).toBe(`/cascade-sessions/${id}`);
      const after = await trainerAgent.get(`/cascade-sessions/${id}`).expect(200);
      expect(after.text).toContain('The session is confirmed.');
      expect(after.text).not.toContain('Confirm this session');
    });

    it('rejects from the page only with a reason', async () => {
      const { csrf, key } = await newForm(coordinatorAgent);
      const res = await coordinatorAgent
        .post('/cascade-sessions')
        .type('form')
        .send({ ...fields({ date: '2026-04-08' }), idempotencyKey: key, _csrf: csrf })
        .expect(303);
      const id = idFrom(res.headers.location);
      const token = await csrfOf(trainerAgent, `/cascade-sessions/${id}`);
      const refused = await trainerAgent
        .post(`/cascade-sessions/${id}/reject`)
        .type('form')
        .send({ _csrf: token, reason: '' })
        .expect(400);
      expect(refused.text).toContain('Must be between 3 and 500 characters.');
      await trainerAgent
        .post(`/cascade-sessions/${id}/reject`)
        .type('form')
        .send({ _csrf: token, reason: 'I was not there that day' })
        .expect(303);
      expect(await t.db.manager.findOneByOrFail(CascadeSession, { id })).toMatchObject({
        status: 'rejected',
        rejectionReason: 'I was not there that day',
      });
    });

    it('exports a CSV with a BOM, a translated header and a file name that says it has names', async () => {
      const agent = await pageAgent(t, manager.email);
      const res = await agent.get('/cascade-sessions/export.csv').buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/filename="[^"]*with-names[^"]*\.csv"/);
      const bytes = res.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
      expect(lines[0]).toBe(
        'Date,Status,School,School code,Municipality,Country,Trainer,Course,Modules,Minutes,Female,Male,Sex not specified,Under 10,10-14,15-17,18+,Teachers,Parents',
      );
      expect(lines.length - 1).toBe(await t.db.manager.count(CascadeSession));
      expect(lines.some((l) => l.includes('Escuela República de Chile'))).toBe(true);

      const es = await agent
        .get('/cascade-sessions/export.csv?lang=es')
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect((es.body as Buffer).subarray(3).toString('utf8').split(/\r?\n/)[0]).toMatch(
        /^Fecha,Estado,Escuela,Código de escuela,Municipio,País,/,
      );

      // A coordinator's export holds their schools only.
      const own = await coordinatorAgent
        .get('/cascade-sessions/export.csv?lang=en')
        .buffer(true)
        .parse(binary)
        .expect(200);
      const ownLines = (own.body as Buffer).subarray(3).toString('utf8').trim().split(/\r?\n/).slice(1);
      expect(ownLines.length).toBe(
        await t.db.manager.count(CascadeSession, { where: { schoolId: schoolA.id } }),
      );
      expect(ownLines.every((l) => !l.includes('Escuela República de Chile'))).toBe(true);
    });

    it('lists on the sessions page only what the coordinator may see', async () => {
      const page = await coordinatorAgent.get('/cascade-sessions').expect(200);
      expect(page.text).toContain('Centro Escolar Las Flores');
      expect(page.text).not.toContain('Escuela República de Chile');
    });
  });
});
