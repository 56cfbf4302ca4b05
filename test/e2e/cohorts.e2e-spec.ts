import { join } from 'node:path';
import request from 'supertest';
import { Certification } from '../../src/certification/certification.entity';
import { Attendance, CohortParticipant, PracticumResult } from '../../src/cohorts/cohort-member.entities';
import { Cohort } from '../../src/cohorts/cohort.entity';
import { AuditEntry } from '../../src/common/audit/audit-entry.entity';
import { Enrolment } from '../../src/courses/enrolment.entity';
import { OutboxMessage } from '../../src/mail/outbox-message.entity';
import { User } from '../../src/users/user.entity';
import { createTestApp, TestApp } from '../support/create-test-app';
import { apiToken, csrfOf, pageAgent } from '../support/login';

type Agent = ReturnType<typeof request.agent>;

const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const COURSE = 'tiny-course';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A valid POST /cohorts body (a workshop in El Salvador next week). */
const cohortBody = (overrides: Record<string, unknown> = {}) => ({
  courseSlug: COURSE,
  name: 'TOT San Salvador',
  countryCode: 'SV',
  municipality: 'San Salvador',
  venue: 'Casa de la Cultura',
  startsOn: '2026-03-09',
  endsOn: '2026-03-13',
  capacity: 10,
  ...overrides,
});

/** The fields PUT /cohorts/:id needs, taken from a cohort as the API shows it. */
const updateBody = (cohort: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
  courseSlug: cohort.courseSlug,
  name: cohort.name,
  countryCode: cohort.countryCode,
  municipality: cohort.municipality ?? undefined,
  venue: cohort.venue ?? undefined,
  startsOn: cohort.startsOn,
  endsOn: cohort.endsOn,
  capacity: cohort.capacity,
  ...overrides,
});

describe('cohorts (TOT workshops)', () => {
  let t: TestApp;
  let admin: User;
  let adminToken: string;
  let manager: User;
  let managerToken: string;

  const api = (token: string) => ({
    get: (path: string) => request(t.http).get(`/api/v1${path}`).set(bearer(token)),
    post: (path: string, body?: object) =>
      request(t.http).post(`/api/v1${path}`).set(bearer(token)).send(body),
    put: (path: string, body?: object) => request(t.http).put(`/api/v1${path}`).set(bearer(token)).send(body),
  });

  async function signedIn(role: User['role'], overrides: Partial<User> = {}) {
    const user = await t.createUser(role, overrides);
    return { user, token: await apiToken(t, user.email) };
  }

  async function createCohort(token: string, overrides: Record<string, unknown> = {}) {
    return (await api(token).post('/cohorts', cohortBody(overrides)).expect(201)).body as Record<
      string,
      unknown
    > & { id: string };
  }

  async function addTrainer(token: string, cohortId: string, overrides: Partial<User> = {}) {
    const trainer = await t.createUser('trainer', { countryCode: 'SV', ...overrides });
    await api(token)
      .post(`/cohorts/${cohortId}/participants`, { email: trainer.email, name: trainer.name })
      .expect(201);
    return trainer;
  }

  const mails = (to: string) =>
    t.db.manager.find(OutboxMessage, { where: { toAddress: to }, order: { createdAt: 'ASC' } });
  /** Audit entries of `action` on a cohort about one participant (the participant is named in the values). */
  const auditOf = async (action: string, cohortId: string, userId: string) =>
    (
      await t.db.manager.find(AuditEntry, { where: { action, entityType: 'cohort', entityId: cohortId } })
    ).filter((a) => (JSON.parse(a.after ?? '{}') as { userId?: string }).userId === userId);
  const participantCount = (cohortId: string) =>
    t.db.manager.count(CohortParticipant, { where: { cohortId } });

  beforeAll(async () => {
    t = await createTestApp({ CONTENT_DIR: CONTENT });
    admin = await t.createUser('admin');
    adminToken = await apiToken(t, admin.email);
    manager = await t.createUser('manager', { countryCode: 'SV' });
    managerToken = await apiToken(t, manager.email);
  });
  afterAll(() => t.close());

  describe('creating a cohort', () => {
    it('creates a cohort for a manager and for an admin (201, status planned)', async () => {
      const byManager = await api(managerToken).post('/cohorts', cohortBody()).expect(201);
      expect(byManager.body).toMatchObject({
        ...cohortBody(),
        status: 'planned',
        participants: [],
        days: [],
      });
      expect(typeof byManager.body.id).toBe('string');
      const byAdmin = await api(adminToken)
        .post('/cohorts', cohortBody({ countryCode: 'pa', name: 'TOT Panamá' }))
        .expect(201);
      expect(byAdmin.body).toMatchObject({ countryCode: 'PA', name: 'TOT Panamá', status: 'planned' });
      const stored = await t.db.manager.findOneByOrFail(Cohort, { id: byManager.body.id });
      expect(stored).toMatchObject({
        name: 'TOT San Salvador',
        countryCode: 'SV',
        capacity: 10,
        createdBy: manager.id,
      });
    });

    it('refuses trainers and coordinators (403) and anonymous callers (401)', async () => {
      const before = await t.db.manager.count(Cohort);
      for (const role of ['trainer', 'coordinator'] as const) {
        const { token } = await signedIn(role);
        const res = await api(token).post('/cohorts', cohortBody()).expect(403);
        expect(res.body.statusCode).toBe(403);
      }
      await request(t.http).post('/api/v1/cohorts').send(cohortBody()).expect(401);
      expect(await t.db.manager.count(Cohort)).toBe(before);
    });

    it('refuses bad input with 400 naming the bad field, and creates nothing', async () => {
      const before = await t.db.manager.count(Cohort);
      const { name: _name, ...noName } = cohortBody();
      const cases: Array<[string, object, string, string]> = [
        ['missing name', noName, 'name', 'This field is required.'],
        [
          'endsOn before startsOn',
          cohortBody({ startsOn: '2026-03-13', endsOn: '2026-03-09' }),
          'endsOn',
          'The last day cannot be before the first day.',
        ],
        ['capacity 0', cohortBody({ capacity: 0 }), 'capacity', 'Must be between 1 and 500.'],
        [
          'country XYZ',
          cohortBody({ countryCode: 'XYZ' }),
          'countryCode',
          'Enter a two-letter country code, like SV or DO.',
        ],
        ['unknown course', cohortBody({ courseSlug: 'no-such-course' }), 'courseSlug', 'Choose a course.'],
        [
          'an impossible date',
          cohortBody({ startsOn: '2026-02-30' }),
          'startsOn',
          'Enter a date as YYYY-MM-DD.',
        ],
      ];
      for (const [label, body, field, message] of cases) {
        const res = await api(adminToken).post('/cohorts', body);
        expect({ label, status: res.status }).toEqual({ label, status: 400 });
        expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expect({ label, fields: Object.keys(res.body.fields) }).toEqual({ label, fields: [field] });
        expect({ label, messages: res.body.fields[field] }).toEqual({
          label,
          messages: expect.arrayContaining([message]),
        });
        expect(res.body.message).toContain(`${field}: ${message}`);
      }
      const several = await api(adminToken)
        .post('/cohorts', { courseSlug: COURSE, capacity: 0, countryCode: 'XYZ' })
        .expect(400);
      expect(Object.keys(several.body.fields).sort()).toEqual([
        'capacity',
        'countryCode',
        'endsOn',
        'name',
        'startsOn',
      ]);
      expect(await t.db.manager.count(Cohort)).toBe(before);
    });
  });

  describe('a manager scoped to one country', () => {
    it('cannot create a cohort in another country', async () => {
      const before = await t.db.manager.count(Cohort);
      const res = await api(managerToken)
        .post('/cohorts', cohortBody({ countryCode: 'PA' }))
        .expect(403);
      expect(res.body.message).toBe('This workshop is outside the country you manage.');
      expect(await t.db.manager.count(Cohort)).toBe(before);
    });

    it('can neither read nor change a cohort of another country, and nothing changes', async () => {
      const panama = await createCohort(adminToken, { countryCode: 'PA', name: 'TOT Colón' });
      const day = (
        await api(adminToken).post(`/cohorts/${panama.id}/days`, { date: '2026-03-10' }).expect(201)
      ).body;
      const trainer = await addTrainer(adminToken, panama.id, { countryCode: 'PA' });

      await api(managerToken).get(`/cohorts/${panama.id}`).expect(403);
      const put = await api(managerToken)
        .put(`/cohorts/${panama.id}`, updateBody(panama, { name: 'Renamed', status: 'open' }))
        .expect(403);
      expect(put.body.message).toBe('This workshop is outside the country you manage.');
      const stranger = `stranger.${Date.now()}@example.org`;
      await api(managerToken)
        .post(`/cohorts/${panama.id}/participants`, { email: stranger, name: 'Stranger' })
        .expect(403);
      await api(managerToken)
        .put(`/cohorts/${panama.id}/days/${day.id}/attendance`, {
          records: [{ userId: trainer.id, status: 'present' }],
        })
        .expect(403);
      await api(managerToken).post(`/cohorts/${panama.id}/days`, { date: '2026-03-11' }).expect(403);
      await api(managerToken)
        .put(`/cohorts/${panama.id}/participants/${trainer.id}/practicum`, { passed: true })
        .expect(403);
      await api(managerToken).get(`/cohorts/${panama.id}/participants/${trainer.id}/eligibility`).expect(403);

      const stored = await t.db.manager.findOneByOrFail(Cohort, { id: panama.id });
      expect(stored).toMatchObject({ name: 'TOT Colón', status: 'planned' });
      expect(await participantCount(panama.id)).toBe(1);
      expect(await t.db.manager.count(Attendance, { where: { cohortId: panama.id } })).toBe(0);
      expect(await t.db.manager.count(PracticumResult, { where: { cohortId: panama.id } })).toBe(0);
      expect((await api(adminToken).get(`/cohorts/${panama.id}`).expect(200)).body.days).toHaveLength(1);
      expect(await mails(stranger)).toHaveLength(0);

      const list = await api(managerToken).get('/cohorts').expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(panama.id);
      expect(list.body.items.every((c: { countryCode: string }) => c.countryCode === 'SV')).toBe(true);
    });
  });

  describe('accounts without a country', () => {
    it("are outside a scoped manager's country: not added to their workshop, not made coordinator of their school; an unscoped manager may", async () => {
      const nowhere = await t.createUser('trainer', { countryCode: null, name: 'Nadia Nowhere' });
      const cohort = await createCohort(managerToken, { name: 'TOT Sonsonate' });
      const refused = await api(managerToken)
        .post(`/cohorts/${cohort.id}/participants`, { email: nowhere.email, name: nowhere.name })
        .expect(403);
      expect(refused.body.message).toBe('This is outside the countries or schools you are responsible for.');
      expect(await participantCount(cohort.id)).toBe(0);
      // The same rule as the people pages: the manager cannot open that account either.
      await api(managerToken).get(`/users/${nowhere.id}`).expect(404);

      const school = (
        await api(managerToken)
          .post('/schools', {
            name: 'Escuela Sin País',
            code: 'SV-NOWHERE-1',
            countryCode: 'SV',
            municipality: 'Sonsonate',
            level: 'primary',
          })
          .expect(201)
      ).body;
      const loose = await t.createUser('coordinator', { countryCode: null });
      await api(managerToken)
        .put(`/schools/${school.id}/coordinators`, { userIds: [loose.id] })
        .expect(403);
      expect(
        (await api(managerToken).get(`/schools/${school.id}`).expect(200)).body.coordinators ?? [],
      ).toEqual([]);

      const { token: unscoped } = await signedIn('manager', { countryCode: null });
      await api(unscoped)
        .post(`/cohorts/${cohort.id}/participants`, { email: nowhere.email, name: nowhere.name })
        .expect(201);
      expect(await participantCount(cohort.id)).toBe(1);
    });
  });

  describe('status', () => {
    it('moves planned → open → in_progress → completed one step at a time, never back from completed', async () => {
      const cohort = await createCohort(managerToken);
      const to = (status: string) =>
        api(managerToken).put(`/cohorts/${cohort.id}`, updateBody(cohort, { status }));
      const skip = await to('completed').expect(422);
      expect(skip.body).toMatchObject({
        statusCode: 422,
        message: 'A workshop cannot go from this status to that one.',
        field: 'status',
      });
      expect((await to('open').expect(200)).body.status).toBe('open');
      expect((await to('in_progress').expect(200)).body.status).toBe('in_progress');
      expect((await to('completed').expect(200)).body.status).toBe('completed');
      for (const status of ['in_progress', 'open', 'planned']) {
        const res = await to(status);
        expect({ status, code: res.status }).toEqual({ status, code: 422 });
      }
      expect((await t.db.manager.findOneByOrFail(Cohort, { id: cohort.id })).status).toBe('completed');
      // The roster of a completed workshop is closed.
      const closed = await api(managerToken)
        .post(`/cohorts/${cohort.id}/participants`, { email: 'late.comer@example.org', name: 'Late' })
        .expect(422);
      expect(closed.body.message).toBe('The workshop is completed: its roster is closed.');
    });
  });

  describe('participants', () => {
    it('invites a new email: an invited trainer, an invitation and a welcome mail, enrolled in the course', async () => {
      const cohort = await createCohort(managerToken);
      const email = 'nueva.formadora@example.org';
      const res = await api(managerToken)
        .post(`/cohorts/${cohort.id}/participants`, {
          email: 'Nueva.Formadora@Example.org ',
          name: 'Nueva Formadora',
          sex: 'female',
        })
        .expect(201);
      expect(res.body).toMatchObject({ email, name: 'Nueva Formadora', invited: true });
      const user = await t.db.manager.findOneByOrFail(User, { email });
      expect(user).toMatchObject({ role: 'trainer', status: 'invited', sex: 'female', countryCode: 'SV' });
      const sent = await mails(email);
      expect(sent.map((m) => m.template).sort()).toEqual(['cohort-welcome', 'invitation']);
      const welcome = sent.find((m) => m.template === 'cohort-welcome') as OutboxMessage;
      expect(welcome.subject).toBe('You are registered for the workshop TOT San Salvador');
      expect(welcome.textBody).toContain('Casa de la Cultura');
      expect(welcome.textBody).toContain('http://cascada.test/login');
      const enrolment = await t.db.manager.findOneByOrFail(Enrolment, { userId: user.id });
      const detail = await api(managerToken).get(`/cohorts/${cohort.id}`).expect(200);
      expect(detail.body.participants).toEqual([
        expect.objectContaining({
          userId: user.id,
          name: 'Nueva Formadora',
          status: 'invited',
          enrolmentId: enrolment.id,
        }),
      ]);
    });

    it("invites a new participant in the language chosen for them, not the manager's; refuses an unknown language", async () => {
      const cohort = await createCohort(managerToken, { name: 'TOT Idiomas' });
      expect(manager.language).toBe('en');
      await api(managerToken)
        .post(`/cohorts/${cohort.id}/participants`, {
          email: 'rosa.es@example.org',
          name: 'Rosa Español',
          language: 'es',
        })
        .expect(201);
      expect((await t.db.manager.findOneByOrFail(User, { email: 'rosa.es@example.org' })).language).toBe(
        'es',
      );
      const sent = await mails('rosa.es@example.org');
      expect(sent.map((m) => [m.template, m.language]).sort()).toEqual([
        ['cohort-welcome', 'es'],
        ['invitation', 'es'],
      ]);
      expect(sent.find((m) => m.template === 'cohort-welcome')?.subject).not.toBe(
        'You are registered for the workshop TOT Idiomas',
      );
      // Without a choice, the manager's language, as before.
      await api(managerToken)
        .post(`/cohorts/${cohort.id}/participants`, { email: 'sam.en@example.org', name: 'Sam English' })
        .expect(201);
      expect((await t.db.manager.findOneByOrFail(User, { email: 'sam.en@example.org' })).language).toBe('en');
      const bad = await api(managerToken)
        .post(`/cohorts/${cohort.id}/participants`, {
          email: 'nadie.fr@example.org',
          name: 'Nadie',
          language: 'fr',
        })
        .expect(400);
      expect(Object.keys(bad.body.fields)).toEqual(['language']);
      expect(await t.db.manager.findOneBy(User, { email: 'nadie.fr@example.org' })).toBeNull();
    });

    it('adds an existing trainer with their account and enrols them (visible in GET /me)', async () => {
      const cohort = await createCohort(managerToken);
      const { user, token } = await signedIn('trainer', { countryCode: 'SV' });
      const res = await api(managerToken)
        .post(`/cohorts/${cohort.id}/participants`, { email: user.email, name: 'Another name' })
        .expect(201);
      expect(res.body).toMatchObject({ userId: user.id, name: user.name, invited: false });
      const sent = await mails(user.email);
      expect(sent.map((m) => m.template)).toEqual(['cohort-welcome']);
      const me = await api(token).get('/me').expect(200);
      expect(me.body.enrolments).toEqual([expect.objectContaining({ courseSlug: COURSE, percent: 0 })]);
      const detail = await api(managerToken).get(`/cohorts/${cohort.id}`).expect(200);
      expect(detail.body.participants).toEqual([
        expect.objectContaining({ userId: user.id, status: 'active', enrolmentId: me.body.enrolments[0].id }),
      ]);
    });

    it('refuses a coordinator’s email, the same person twice and a full cohort (409), changing nothing', async () => {
      const cohort = await createCohort(managerToken, { capacity: 2 });
      const coordinator = await t.createUser('coordinator');
      const asCoordinator = await api(managerToken)
        .post(`/cohorts/${cohort.id}/participants`, { email: coordinator.email, name: 'X' })
        .expect(409);
      expect(asCoordinator.body.message).toBe(
        `${coordinator.email} has an account with another role and cannot join as a participant.`,
      );
      expect(await t.db.manager.count(Enrolment, { where: { userId: coordinator.id } })).toBe(0);

      const first = await addTrainer(managerToken, cohort.id);
      const twice = await api(managerToken)
        .post(`/cohorts/${cohort.id}/participants`, { email: first.email, name: first.name })
        .expect(409);
      expect(twice.body.message).toBe(`${first.email} is already a participant.`);
      expect(await participantCount(cohort.id)).toBe(1);

      await addTrainer(managerToken, cohort.id);
      const extra = await t.createUser('trainer');
      const full = await api(managerToken)
        .post(`/cohorts/${cohort.id}/participants`, { email: extra.email, name: extra.name })
        .expect(409);
      expect(full.body.message).toBe('The workshop is full (2 places).');
      const newcomer = 'too.late@example.org';
      await api(managerToken)
        .post(`/cohorts/${cohort.id}/participants`, { email: newcomer, name: 'Too late' })
        .expect(409);
      expect(await participantCount(cohort.id)).toBe(2);
      expect(await mails(extra.email)).toHaveLength(0);
      expect(await mails(newcomer)).toHaveLength(0);
      expect(await t.db.manager.count(Enrolment, { where: { userId: extra.id } })).toBe(0);
    });

    it('refuses invalid participant input with 400 per field', async () => {
      const cohort = await createCohort(managerToken);
      const res = await api(managerToken)
        .post(`/cohorts/${cohort.id}/participants`, { email: 'not-an-email', name: '', sex: 'x' })
        .expect(400);
      expect(Object.keys(res.body.fields).sort()).toEqual(['email', 'name', 'sex']);
      expect(await participantCount(cohort.id)).toBe(0);
    });

    it('shows the cohort to its participants but not to other trainers', async () => {
      const cohort = await createCohort(managerToken);
      const { user, token } = await signedIn('trainer', { countryCode: 'SV' });
      await api(managerToken)
        .post(`/cohorts/${cohort.id}/participants`, { email: user.email, name: user.name })
        .expect(201);
      const mine = await api(token).get(`/cohorts/${cohort.id}`).expect(200);
      expect(mine.body).toMatchObject({
        id: cohort.id,
        name: 'TOT San Salvador',
        participants: [{ userId: user.id, name: user.name }],
      });
      // Participants see names only: no emails, enrolments or other people's figures.
      expect(Object.keys(mine.body.participants[0]).sort()).toEqual(['name', 'userId']);
      expect(mine.text).not.toContain(user.email);

      const other = await signedIn('trainer', { countryCode: 'SV' });
      const refused = await api(other.token).get(`/cohorts/${cohort.id}`).expect(403);
      expect(refused.body.message).toBe('You are not part of this workshop.');
      await api(other.token).get(`/cohorts/${cohort.id}/participants/${user.id}/eligibility`).expect(403);
      expect((await api(other.token).get('/cohorts').expect(200)).body.items).toEqual([]);
      await api(token).get(`/cohorts/${cohort.id}/participants/${user.id}/eligibility`).expect(200);
    });
  });

  describe('days, attendance and practicum', () => {
    let cohort: Record<string, unknown> & { id: string };
    let ana: User;
    let ben: User;

    beforeAll(async () => {
      cohort = await createCohort(managerToken, { name: 'TOT Santa Ana' });
      ana = await addTrainer(managerToken, cohort.id, { name: 'Ana Attendance' });
      ben = await addTrainer(managerToken, cohort.id, { name: 'Ben Attendance' });
    });

    it('adds days inside the cohort’s dates only, once per date', async () => {
      const res = await api(managerToken)
        .post(`/cohorts/${cohort.id}/days`, { date: '2026-03-09', title: 'Opening' })
        .expect(201);
      expect(res.body).toEqual({ id: expect.any(String), date: '2026-03-09', title: 'Opening' });
      for (const date of ['2026-03-08', '2026-03-14']) {
        const outside = await api(managerToken).post(`/cohorts/${cohort.id}/days`, { date }).expect(400);
        expect(outside.body.fields).toEqual({ date: ['The day must be between 2026-03-09 and 2026-03-13.'] });
      }
      const duplicate = await api(managerToken)
        .post(`/cohorts/${cohort.id}/days`, { date: '2026-03-09' })
        .expect(409);
      expect(duplicate.body.message).toBe('The workshop already has a day on 2026-03-09.');
      await api(managerToken).post(`/cohorts/${cohort.id}/days`, { date: 'tomorrow' }).expect(400);
      const detail = await api(managerToken).get(`/cohorts/${cohort.id}`).expect(200);
      expect(detail.body.days).toEqual([{ id: res.body.id, date: '2026-03-09', title: 'Opening' }]);
      const { token } = await signedIn('trainer');
      await api(token).post(`/cohorts/${cohort.id}/days`, { date: '2026-03-10' }).expect(403);
    });

    it('records attendance (200), audits each change, and refuses records for non-participants (400)', async () => {
      const day = (
        await api(managerToken).post(`/cohorts/${cohort.id}/days`, { date: '2026-03-10' }).expect(201)
      ).body;
      const res = await api(managerToken)
        .put(`/cohorts/${cohort.id}/days/${day.id}/attendance`, {
          records: [
            { userId: ana.id, status: 'present' },
            { userId: ben.id, status: 'late' },
          ],
        })
        .expect(200);
      expect(res.body).toEqual({ ok: true, recorded: 2 });
      const rows = await t.db.manager.find(Attendance, {
        where: { dayId: day.id },
        order: { status: 'ASC' },
      });
      expect(rows.map((r) => [r.userId, r.status, r.recordedBy])).toEqual([
        [ben.id, 'late', manager.id],
        [ana.id, 'present', manager.id],
      ]);
      const audit = await auditOf('attendance.record', cohort.id, ana.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorId: manager.id, before: null });
      expect(JSON.parse(audit[0].after as string)).toEqual({
        userId: ana.id,
        status: 'present',
        date: '2026-03-10',
      });
      expect(await auditOf('attendance.record', cohort.id, ben.id)).toHaveLength(1);

      // A correction is audited with the value before.
      await api(managerToken)
        .put(`/cohorts/${cohort.id}/days/${day.id}/attendance`, {
          records: [{ userId: ana.id, status: 'excused' }],
        })
        .expect(200);
      const corrected = await auditOf('attendance.record', cohort.id, ana.id);
      expect(corrected).toHaveLength(2);
      expect(corrected.map((a) => JSON.parse(a.before ?? 'null'))).toContainEqual({
        userId: ana.id,
        status: 'present',
        date: '2026-03-10',
      });
      expect(corrected.map((a) => JSON.parse(a.after as string))).toContainEqual({
        userId: ana.id,
        status: 'excused',
        date: '2026-03-10',
      });

      const outsider = await t.createUser('trainer');
      const refused = await api(managerToken)
        .put(`/cohorts/${cohort.id}/days/${day.id}/attendance`, {
          records: [
            { userId: ben.id, status: 'absent' },
            { userId: outsider.id, status: 'present' },
          ],
        })
        .expect(400);
      expect(refused.body.fields).toEqual({ 'records.1.userId': ['This person is not a participant.'] });
      expect(await t.db.manager.count(Attendance, { where: { userId: outsider.id } })).toBe(0);
      expect((await t.db.manager.findOneByOrFail(Attendance, { dayId: day.id, userId: ben.id })).status).toBe(
        'late',
      );

      const bad = await api(managerToken)
        .put(`/cohorts/${cohort.id}/days/${day.id}/attendance`, {
          records: [{ userId: ana.id, status: 'asleep' }],
        })
        .expect(400);
      expect(Object.keys(bad.body.fields)).toEqual(['records.0.status']);

      // A day of another cohort is not a day of this one.
      const elsewhere = await createCohort(managerToken, { name: 'TOT elsewhere' });
      const otherDay = (
        await api(managerToken).post(`/cohorts/${elsewhere.id}/days`, { date: '2026-03-10' }).expect(201)
      ).body;
      await api(managerToken)
        .put(`/cohorts/${cohort.id}/days/${otherDay.id}/attendance`, {
          records: [{ userId: ana.id, status: 'present' }],
        })
        .expect(404);
      expect(await t.db.manager.count(Attendance, { where: { dayId: otherDay.id } })).toBe(0);
    });

    it('lets facilitators record attendance: a manager listed as facilitator and a certified trainer, not another trainer', async () => {
      // A manager of another country may facilitate; so may a trainer holding a valid certification in the course (a fixture row).
      const guest = await signedIn('manager', { countryCode: 'PA' });
      const master = await signedIn('trainer', { countryCode: 'SV' });
      const { courseId } = await t.db.manager.findOneByOrFail(Cohort, { id: cohort.id });
      await t.db.manager.insert(
        Certification,
        t.db.manager.create(Certification, {
          code: 'CSC-FACE-2222',
          userId: master.user.id,
          courseId,
          cohortId: cohort.id,
          facilitatorId: null,
          issuedBy: admin.id,
          issuedOn: '2025-06-01',
          expiresOn: '2027-06-01',
          status: 'active',
          revokedOn: null,
          revokedReason: null,
          reminderSentAt: null,
          createdAt: new Date('2025-06-01T10:00:00Z'),
        }),
      );
      const withFacilitators = await createCohort(managerToken, {
        name: 'TOT facilitated',
        facilitatorIds: [guest.user.id, master.user.id],
      });
      const trainee = await addTrainer(managerToken, withFacilitators.id);
      const day = (
        await api(managerToken)
          .post(`/cohorts/${withFacilitators.id}/days`, { date: '2026-03-11' })
          .expect(201)
      ).body;
      const path = `/cohorts/${withFacilitators.id}/days/${day.id}/attendance`;

      await api(guest.token)
        .put(path, { records: [{ userId: trainee.id, status: 'present' }] })
        .expect(200);
      expect(
        (await t.db.manager.findOneByOrFail(Attendance, { dayId: day.id, userId: trainee.id })).recordedBy,
      ).toBe(guest.user.id);
      await api(master.token)
        .put(path, { records: [{ userId: trainee.id, status: 'late' }] })
        .expect(200);
      expect(
        (await t.db.manager.findOneByOrFail(Attendance, { dayId: day.id, userId: trainee.id })).recordedBy,
      ).toBe(master.user.id);
      await api(master.token)
        .put(`/cohorts/${withFacilitators.id}/participants/${trainee.id}/practicum`, {
          passed: false,
          score: 40,
        })
        .expect(200);
      // Facilitators see the cohort, but do not manage it.
      await api(master.token).get(`/cohorts/${withFacilitators.id}`).expect(200);
      await api(master.token)
        .post(`/cohorts/${withFacilitators.id}/days`, { date: '2026-03-12' })
        .expect(403);

      const other = await signedIn('trainer', { countryCode: 'SV' });
      const refused = await api(other.token)
        .put(path, { records: [{ userId: trainee.id, status: 'absent' }] })
        .expect(403);
      expect(refused.body.message).toBe(
        "Only the workshop's facilitators and program managers can record this.",
      );
      // A participant cannot record their own attendance either.
      await api(await apiToken(t, trainee.email))
        .put(path, { records: [{ userId: trainee.id, status: 'present' }] })
        .expect(403);
      expect(
        (await t.db.manager.findOneByOrFail(Attendance, { dayId: day.id, userId: trainee.id })).status,
      ).toBe('late');

      // A trainer certified in no course is not accepted as facilitator.
      const uncertified = await t.createUser('trainer');
      const res = await api(managerToken)
        .post('/cohorts', cohortBody({ facilitatorIds: [uncertified.id] }))
        .expect(400);
      expect(res.body.fields).toEqual({
        facilitatorIds: ['Facilitators must be program managers or trainers certified in this course.'],
      });
    });

    it('records the practicum (200, audited) and eligibility reflects it', async () => {
      const path = `/cohorts/${cohort.id}/participants/${ana.id}/practicum`;
      const eligibility = () =>
        api(managerToken).get(`/cohorts/${cohort.id}/participants/${ana.id}/eligibility`).expect(200);
      const practicumOf = (body: { conditions: Array<{ code: string }> }) =>
        body.conditions.find((c) => c.code === 'practicum');

      expect(practicumOf((await eligibility()).body)).toMatchObject({
        met: false,
        detail: 'not recorded yet',
      });
      const failed = await api(managerToken)
        .put(path, { passed: false, score: 55, notes: 'Needs another try' })
        .expect(200);
      expect(failed.body).toEqual({ userId: ana.id, passed: false, score: 55, notes: 'Needs another try' });
      expect(practicumOf((await eligibility()).body)).toMatchObject({ met: false, detail: 'not passed' });

      await api(managerToken).put(path, { passed: true, score: 85 }).expect(200);
      const after = (await eligibility()).body;
      expect(practicumOf(after)).toMatchObject({ met: true, detail: 'passed' });
      expect(after.eligible).toBe(false);
      expect(after.conditions.map((c: { code: string }) => c.code)).toEqual([
        'lessons-complete',
        'post-test-passed',
        'attendance',
        'practicum',
      ]);
      expect(
        await t.db.manager.findOneByOrFail(PracticumResult, { cohortId: cohort.id, userId: ana.id }),
      ).toMatchObject({ passed: true, score: 85, recordedBy: manager.id });

      const audit = await auditOf('practicum.record', cohort.id, ana.id);
      expect(audit).toHaveLength(2);
      expect(audit.map((a) => JSON.parse(a.after as string))).toEqual(
        expect.arrayContaining([
          { userId: ana.id, passed: false, score: 55 },
          { userId: ana.id, passed: true, score: 85 },
        ]),
      );
      expect(audit.map((a) => JSON.parse(a.before ?? 'null'))).toEqual(
        expect.arrayContaining([null, { userId: ana.id, passed: false, score: 55 }]),
      );
      expect(audit.every((a) => a.actorId === manager.id)).toBe(true);

      await api(managerToken).put(path, { passed: 'maybe', score: 101 }).expect(400);
      const outsider = await t.createUser('trainer');
      await api(managerToken)
        .put(`/cohorts/${cohort.id}/participants/${outsider.id}/practicum`, { passed: true })
        .expect(404);
      const { token } = await signedIn('trainer');
      await api(token).put(path, { passed: false }).expect(403);
      expect(
        (await t.db.manager.findOneByOrFail(PracticumResult, { cohortId: cohort.id, userId: ana.id })).passed,
      ).toBe(true);
    });
  });

  describe('pages', () => {
    let agent: Agent;

    /** Posts a form with a CSRF token from `page`. */
    async function submit(
      page: string,
      action: string,
      fields: Record<string, string | string[]>,
      status: number,
    ) {
      const csrf = await csrfOf(agent, page);
      return agent
        .post(action)
        .type('form')
        .send({ ...fields, _csrf: csrf })
        .expect(status);
    }

    beforeAll(async () => {
      agent = await pageAgent(t, manager.email);
    });

    it('creates a cohort from the /cohorts/new form and redirects to it', async () => {
      const form = await agent.get('/cohorts/new').expect(200);
      expect(form.text).toContain('action="/cohorts"');
      expect(form.text).toContain('name="courseSlug"');
      const res = await submit(
        '/cohorts/new',
        '/cohorts',
        {
          courseSlug: COURSE,
          name: 'TOT desde el formulario',
          countryCode: 'SV',
          municipality: '',
          venue: '',
          startsOn: '2026-04-06',
          endsOn: '2026-04-08',
          capacity: '12',
        },
        303,
      );
      const match = /^\/cohorts\/([0-9a-f-]{36})$/.exec(res.headers.location);
      expect(match).not.toBeNull();
      const stored = await t.db.manager.findOneByOrFail(Cohort, { id: match![1] });
      expect(stored).toMatchObject({
        name: 'TOT desde el formulario',
        capacity: 12,
        municipality: null,
        startsOn: '2026-04-06',
      });
      const page = await agent.get(res.headers.location).expect(200);
      expect(page.text).toContain('<h1>TOT desde el formulario</h1>');
      expect(page.text).toContain('The workshop has been created. Add its days and participants.');
    });

    it('shows a refused form again with the message beside the field, creating nothing', async () => {
      const before = await t.db.manager.count(Cohort);
      const res = await submit(
        '/cohorts/new',
        '/cohorts',
        {
          courseSlug: COURSE,
          name: 'Backwards',
          countryCode: 'SV',
          startsOn: '2026-04-08',
          endsOn: '2026-04-06',
          capacity: '12',
        },
        400,
      );
      expect(res.text).toContain('The last day cannot be before the first day.');
      expect(res.text).toContain('value="Backwards"');
      expect(await t.db.manager.count(Cohort)).toBe(before);
    });

    describe('roster, attendance sheet and sign-in sheet', () => {
      let cohort: Record<string, unknown> & { id: string };
      let carla: User;
      let dario: User;
      let dayIds: string[];

      beforeAll(async () => {
        cohort = await createCohort(managerToken, { name: 'TOT Roster', venue: 'Sala 3' });
        carla = await addTrainer(managerToken, cohort.id, { name: 'Carla Roster', organisation: 'MINED' });
        dario = await addTrainer(managerToken, cohort.id, { name: 'Dario Roster' });
        dayIds = [];
        for (const date of ['2026-03-09', '2026-03-10'])
          dayIds.push(
            (await api(managerToken).post(`/cohorts/${cohort.id}/days`, { date }).expect(201)).body.id,
          );
      });

      it('marks everyone present with the "mark everyone present" button', async () => {
        const sheet = await agent.get(`/cohorts/${cohort.id}/days/${dayIds[0]}`).expect(200);
        expect(sheet.text).toContain('name="all" value="present"');
        expect(sheet.text).toContain('Mark everyone present');
        const res = await submit(
          `/cohorts/${cohort.id}/days/${dayIds[0]}`,
          `/cohorts/${cohort.id}/days/${dayIds[0]}`,
          { all: 'present' },
          303,
        );
        expect(res.headers.location).toBe(`/cohorts/${cohort.id}/days/${dayIds[0]}`);
        const rows = await t.db.manager.find(Attendance, { where: { dayId: dayIds[0] } });
        expect(rows.map((r) => [r.userId, r.status]).sort()).toEqual(
          [
            [carla.id, 'present'],
            [dario.id, 'present'],
          ].sort(),
        );
        const after = await agent.get(res.headers.location).expect(200);
        expect(after.text).toContain('Everyone has been marked present.');
        expect(after.text).toContain(
          `id="s-${carla.id}-present" name="s.${carla.id}" value="present" checked`,
        );
      });

      it('saves one status per participant from the radio buttons', async () => {
        const path = `/cohorts/${cohort.id}/days/${dayIds[1]}`;
        await submit(path, path, { [`s.${carla.id}`]: 'late', [`s.${dario.id}`]: 'absent' }, 303);
        const rows = await t.db.manager.find(Attendance, { where: { dayId: dayIds[1] } });
        expect(Object.fromEntries(rows.map((r) => [r.userId, r.status]))).toEqual({
          [carla.id]: 'late',
          [dario.id]: 'absent',
        });
      });

      it('shows each participant’s attendance and eligibility on the roster', async () => {
        await api(managerToken)
          .put(`/cohorts/${cohort.id}/participants/${carla.id}/practicum`, { passed: true })
          .expect(200);
        const page = await agent.get(`/cohorts/${cohort.id}`).expect(200);
        const rowOf = (name: string) => {
          const match = new RegExp(
            `<tr>\\s*<td><a href="/cohorts/${cohort.id}/participants/[^"]+">${name}</a>[\\s\\S]*?</tr>`,
          ).exec(page.text);
          if (!match) throw new Error(`no roster row for ${name}`);
          return match[0];
        };
        const carlaRow = rowOf('Carla Roster');
        expect(carlaRow).toContain('MINED');
        expect(carlaRow).toMatch(/<td class="num">100%<\/td>/);
        expect(carlaRow).toContain('Passed');
        expect(carlaRow).toContain('All lessons completed, Post-test passed');
        expect(carlaRow).not.toContain('Workshop attendance');
        const darioRow = rowOf('Dario Roster');
        expect(darioRow).toMatch(/<td class="num">50%<\/td>/);
        expect(darioRow).toContain('Not recorded');
        expect(darioRow).toContain(
          'All lessons completed, Post-test passed, Workshop attendance, Practicum passed',
        );
        // The add-participant form asks the language of the invitation, the page's language first.
        expect(page.text).toMatch(
          /<label for="f-language">Language of the invitation \(new people\)<\/label>[\s\S]*?<select id="f-language" name="language"/,
        );
        expect(page.text).toMatch(/<option value="en" selected>/);
      });

      it('prints the sign-in sheet with the print layout and no site navigation', async () => {
        const res = await agent.get(`/cohorts/${cohort.id}/days/${dayIds[0]}/sign-in`).expect(200);
        expect(res.text).toContain('/assets/css/print.css');
        expect(res.text).not.toContain('/assets/css/app.css');
        expect(res.text).not.toContain('<nav');
        expect(res.text).not.toContain('site-header');
        expect(res.text).not.toContain('action="/logout"');
        expect(res.text).toContain('Printable sign-in sheet: TOT Roster');
        expect(res.text).toContain('Sala 3');
        for (const name of ['Carla Roster', 'Dario Roster']) expect(res.text).toContain(`<td>${name}</td>`);
      });

      it('refuses the attendance sheet to a trainer who does not facilitate', async () => {
        const participant = await pageAgent(t, carla.email);
        await participant.get(`/cohorts/${cohort.id}/days/${dayIds[0]}`).expect(403);
        await participant.get(`/cohorts/${cohort.id}/days/${dayIds[0]}/sign-in`).expect(403);
        const csrf = await csrfOf(participant, `/cohorts/${cohort.id}`);
        await participant
          .post(`/cohorts/${cohort.id}/days/${dayIds[1]}`)
          .type('form')
          .send({ _csrf: csrf, all: 'present' })
          .expect(403);
        expect(
          (await t.db.manager.findOneByOrFail(Attendance, { dayId: dayIds[1], userId: dario.id })).status,
        ).toBe('absent');
      });
    });

    describe('CSV import', () => {
      const importPath = (id: string) => `/cohorts/${id}/import`;
      const preview = (id: string, csv: string, status: number) =>
        submit(importPath(id), importPath(id), { csv }, status);
      const confirm = (id: string, csv: string, status: number) =>
        submit(importPath(id), `${importPath(id)}/confirm`, { csv }, status);
      const counts = async (id: string) => ({
        users: await t.db.manager.count(User),
        participants: await participantCount(id),
      });

      it('shows a bad row’s problem in the preview and writes nothing; once fixed, imports every row', async () => {
        const cohort = await createCohort(managerToken, { name: 'TOT import', capacity: 5 });
        const existing = await t.createUser('trainer', { countryCode: 'SV', name: 'Existing Importee' });
        const bad = [
          'name,email,sex,organisation',
          'Elena Import,elena.import@example.org,female,MINED',
          'Fabio Import,fabio.import(at)example.org,male,PNC',
          `Existing Importee,${existing.email},,`,
        ].join('\n');
        const before = await counts(cohort.id);

        const shown = await preview(cohort.id, bad, 200);
        expect(shown.text).toContain('Preview');
        expect(shown.text).toContain('2 rows ready, 1 with problems; 5 places left in the workshop.');
        expect(shown.text).toMatch(
          /<td>3<\/td><td>Fabio Import<\/td><td>fabio\.import\(at\)example\.org<\/td>[\s\S]*?Enter a valid email address, like name@example.org\./,
        );
        expect(shown.text).toContain(
          'Correct the rows with problems and check again: nothing has been imported.',
        );
        expect(shown.text).not.toContain('/import/confirm');
        expect(await counts(cohort.id)).toEqual(before);

        // Posting the unfixed CSV to the confirm address does not import either.
        await confirm(cohort.id, bad, 400);
        expect(await counts(cohort.id)).toEqual(before);
        expect(await mails('elena.import@example.org')).toHaveLength(0);

        const fixed = bad.replace('fabio.import(at)example.org', 'fabio.import@example.org');
        const ready = await preview(cohort.id, fixed, 200);
        expect(ready.text).toContain('3 rows ready, 0 with problems; 5 places left in the workshop.');
        expect(ready.text).toContain(`action="/cohorts/${cohort.id}/import/confirm"`);
        expect(ready.text).toContain('Import 3 participants');
        expect(await counts(cohort.id)).toEqual(before);

        const done = await confirm(cohort.id, fixed, 303);
        expect(done.headers.location).toBe(`/cohorts/${cohort.id}#roster`);
        expect(await counts(cohort.id)).toEqual({ users: before.users + 2, participants: 3 });
        const detail = await api(managerToken).get(`/cohorts/${cohort.id}`).expect(200);
        expect(detail.body.participants.map((p: { name: string }) => p.name).sort()).toEqual([
          'Elena Import',
          'Existing Importee',
          'Fabio Import',
        ]);
        const elena = await t.db.manager.findOneByOrFail(User, { email: 'elena.import@example.org' });
        expect(elena).toMatchObject({
          role: 'trainer',
          status: 'invited',
          sex: 'female',
          organisation: 'MINED',
          countryCode: 'SV',
        });
        expect((await mails('elena.import@example.org')).map((m) => m.template).sort()).toEqual([
          'cohort-welcome',
          'invitation',
        ]);
        expect(await t.db.manager.count(Enrolment, { where: { userId: elena.id } })).toBe(1);

        // The same rows again: everyone is already in.
        const again = await preview(cohort.id, fixed, 200);
        expect(again.text).toContain('0 rows ready, 3 with problems');
        expect(again.text).toContain('Already a participant.');
      });

      it('refuses, in the preview, a CSV with more rows than places left', async () => {
        const cohort = await createCohort(managerToken, { name: 'TOT small', capacity: 2 });
        await addTrainer(managerToken, cohort.id);
        const csv = ['name,email', 'Gina Cap,gina.cap@example.org', 'Hugo Cap,hugo.cap@example.org'].join(
          '\n',
        );
        const before = await counts(cohort.id);
        const shown = await preview(cohort.id, csv, 200);
        expect(shown.text).toContain('1 row ready, 1 with problems; 1 place left in the workshop.');
        expect(shown.text).toContain('Over the workshop&#x27;s capacity (2).');
        expect(shown.text).not.toContain('/import/confirm');
        await confirm(cohort.id, csv, 400);
        expect(await counts(cohort.id)).toEqual(before);
      });

      it('reads Spanish headers separated by semicolons (nombre;correo;sexo)', async () => {
        const cohort = await createCohort(managerToken, { name: 'TOT en español' });
        const csv =
          '\uFEFFnombre;correo;sexo\r\nÍrida Peña;irida.pena@example.org;mujer\r\nJosé Núñez;jose.nunez@example.org;hombre\r\n';
        const shown = await preview(cohort.id, csv, 200);
        expect(shown.text).toContain('2 rows ready, 0 with problems');
        await confirm(cohort.id, csv, 303);
        expect(await t.db.manager.findOneByOrFail(User, { email: 'irida.pena@example.org' })).toMatchObject({
          name: 'Írida Peña',
          sex: 'female',
        });
        expect(await t.db.manager.findOneByOrFail(User, { email: 'jose.nunez@example.org' })).toMatchObject({
          name: 'José Núñez',
          sex: 'male',
        });
        expect(await participantCount(cohort.id)).toBe(2);
      });

      it("invites each new person in the language of the idioma column, the manager's when empty, and refuses an unknown one", async () => {
        const cohort = await createCohort(managerToken, { name: 'TOT idiomas CSV' });
        const bad =
          'nombre;correo;idioma\r\nLía Ruiz;lia.ruiz@example.org;español\r\nTom Reed;tom.reed@example.org;\r\nZoé Dupont;zoe.dupont@example.org;français\r\n';
        const refused = await preview(cohort.id, bad, 200);
        expect(refused.text).toContain(
          '&quot;français&quot; is not a language (es or en, or empty for yours).',
        );
        await confirm(cohort.id, bad, 400);
        expect(await t.db.manager.findOneBy(User, { email: 'lia.ruiz@example.org' })).toBeNull();
        await confirm(cohort.id, bad.replace('français', 'inglés'), 303);
        const languageOf = async (email: string) =>
          (await t.db.manager.findOneByOrFail(User, { email })).language;
        expect([
          await languageOf('lia.ruiz@example.org'),
          await languageOf('tom.reed@example.org'),
          await languageOf('zoe.dupont@example.org'),
        ]).toEqual(['es', 'en', 'en']);
        expect((await mails('lia.ruiz@example.org')).map((m) => m.language)).toEqual(['es', 'es']);
      });

      it('explains a CSV without the needed headers', async () => {
        const cohort = await createCohort(managerToken, { name: 'TOT headers' });
        const res = await preview(cohort.id, 'foo,bar\n1,2', 400);
        expect(res.text).toContain('The first line must name the columns, with at least name and email.');
      });

      describe('from a chosen file (multipart, as the form sends it)', () => {
        const upload = async (
          id: string,
          status: number,
          file: Buffer | null,
          fields: Record<string, string> = {},
          name = 'roster.csv',
        ) => {
          const req = agent.post(importPath(id)).field('_csrf', await csrfOf(agent, importPath(id)));
          for (const [k, v] of Object.entries(fields)) req.field(k, v);
          return (file ? req.attach('file', file, name) : req).expect(status);
        };

        it('previews a UTF-8 file with a BOM, and a Windows-1252 file saved by a Spanish Excel (semicolons), with the accents intact', async () => {
          const cohort = await createCohort(managerToken, { name: 'TOT upload' });
          const form = await agent.get(importPath(cohort.id)).expect(200);
          expect(form.text).toContain('enctype="multipart/form-data"');
          expect(form.text).toMatch(
            /<label for="f-file">CSV file<\/label>[\s\S]*<input type="file" id="f-file" name="file"/,
          );

          const utf8 = Buffer.from('\uFEFFname,email,sex\nZoë Núñez,zoe.upload@example.org,female\n', 'utf8');
          const shown = await upload(cohort.id, 200, utf8, { csv: '' });
          expect(shown.text).toContain('<td>Zoë Núñez</td>');
          expect(shown.text).toContain('1 row ready, 0 with problems');

          const latin1 = Buffer.from(
            'nombre;correo;sexo\r\nJosé Peña;jose.upload@example.org;hombre\r\n',
            'latin1',
          );
          expect(() => new TextDecoder('utf-8', { fatal: true }).decode(latin1)).toThrow();
          const windows = await upload(cohort.id, 200, latin1);
          expect(windows.text).toContain('<td>José Peña</td>');
          // The preview carries the file's text to the confirm step, which imports it.
          const carried =
            /<textarea name="csv" hidden aria-hidden="true">([\s\S]*?)<\/textarea>/.exec(windows.text)?.[1] ??
            '';
          expect(carried).toContain('José Peña');
          await confirm(cohort.id, carried.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'), 303);
          expect(
            await t.db.manager.findOneByOrFail(User, { email: 'jose.upload@example.org' }),
          ).toMatchObject({ name: 'José Peña', sex: 'male' });
        });

        it('takes the file over pasted text, and the pasted text without a file', async () => {
          const cohort = await createCohort(managerToken, { name: 'TOT upload or paste' });
          const file = await upload(
            cohort.id,
            200,
            Buffer.from('name,email\nFile Person,file.person@example.org\n'),
            { csv: 'name,email\nPasted Person,pasted.person@example.org' },
          );
          expect(file.text).toContain('<td>File Person</td>');
          expect(file.text).not.toContain('Pasted Person');
          const pasted = await upload(cohort.id, 200, null, {
            csv: 'name,email\nPasted Person,pasted.person@example.org',
          });
          expect(pasted.text).toContain('<td>Pasted Person</td>');
        });

        it('explains an Excel workbook, an empty form and a file over 1 MB, and writes nothing', async () => {
          const cohort = await createCohort(managerToken, { name: 'TOT upload problems' });
          const before = await counts(cohort.id);
          const workbook = await upload(
            cohort.id,
            400,
            Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200)]),
            {},
            'roster.xlsx',
          );
          expect(workbook.text).toContain('This is an Excel workbook, not a CSV file.');
          const empty = await upload(cohort.id, 400, null, { csv: '' });
          expect(empty.text).toContain('Choose the CSV file, or paste its text, first.');
          const big = await upload(cohort.id, 400, Buffer.alloc(1024 * 1024 + 1, 'a'));
          expect(big.text).toContain('The file is larger than 1 MB.');
          expect(await counts(cohort.id)).toEqual(before);
        });

        it('still requires the CSRF token in a multipart form', async () => {
          const cohort = await createCohort(managerToken, { name: 'TOT upload csrf' });
          await agent
            .post(importPath(cohort.id))
            .attach('file', Buffer.from('name,email\nNo Token,no.token@example.org\n'), 'roster.csv')
            .expect(403);
          await agent
            .post(importPath(cohort.id))
            .field('_csrf', 'forged-token-forged-token-forged-token-xx')
            .attach('file', Buffer.from('name,email\nA,a@example.org\n'), 'r.csv')
            .expect(403);
        });
      });
    });
  });
});
