/**
 * The cascade lineage (DESIGN.md "Second-generation cascade"): the tree per cohort and per trainer
 * (/lineage/..., /api/v1/lineage/...) and the reach report's `generation` grouping.
 *
 * The program is built through the real API (workshops, lessons, post-test, attendance, practicum,
 * certification, sessions logged by the trainers and confirmed), today being 2026-03-02:
 *
 *   A (SV, 2025-01-13, led by the SV manager)          certifies Ana, Beto         → generation 1
 *     B (SV, 2025-03-10, led by Ana)                    certifies Carla, Dario      → generation 2
 *       D (SV, 2025-06-09, led by Carla and the manager) certifies Fabio           → generation 3
 *     C (PA, 2025-03-17, led by Beto)                   certifies Elena             → generation 2
 *   E (SV, 2025-09-01, led by the SV manager)          certifies Gabi              → generation 1
 *
 * Later a chain grows below Fabio: F (led by Fabio) → Ivan, G (Ivan) → Juan, H (Juan) → Kira, so
 * the tree of A is six levels deep and the depth limit (5) cuts H.
 *
 * Expected figures are sums over the SESSIONS table below (brute force), never the code under test.
 */
import { join } from 'node:path';
import request from 'supertest';
import { ReportReader } from '../../src/reports/report-reader';
import type { User } from '../../src/users/user.entity';
import { drawnAnswers } from '../support/quizzes';
import { createTestApp, TestApp } from '../support/create-test-app';
import { apiToken, pageAgent } from '../support/login';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const COURSE = 'tiny-course';
const LESSONS = ['welcome', 'warning-signs', 'first-session'];

type Trainer = 'ana' | 'beto' | 'carla' | 'dario' | 'elena' | 'fabio' | 'gabi' | 'ivan' | 'juan' | 'kira';
type SchoolKey = 'SV1' | 'SV2' | 'PA1';
interface SessionSpec {
  trainer: Trainer;
  school: SchoolKey;
  date: string;
  female: number;
  male: number;
  confirmed: boolean;
}
const SESSIONS: SessionSpec[] = [
  { trainer: 'ana', school: 'SV1', date: '2025-02-03', female: 10, male: 10, confirmed: true },
  { trainer: 'ana', school: 'SV1', date: '2025-02-10', female: 5, male: 5, confirmed: true },
  { trainer: 'ana', school: 'SV2', date: '2025-02-17', female: 3, male: 3, confirmed: false }, // only with status=all
  { trainer: 'beto', school: 'SV2', date: '2025-02-04', female: 8, male: 7, confirmed: true },
  { trainer: 'carla', school: 'SV1', date: '2025-04-07', female: 6, male: 6, confirmed: true },
  { trainer: 'carla', school: 'SV2', date: '2025-04-14', female: 4, male: 4, confirmed: true },
  { trainer: 'dario', school: 'SV2', date: '2025-04-08', female: 9, male: 9, confirmed: true },
  { trainer: 'elena', school: 'PA1', date: '2025-04-21', female: 12, male: 11, confirmed: true },
  { trainer: 'fabio', school: 'SV1', date: '2025-07-07', female: 7, male: 8, confirmed: true },
  { trainer: 'gabi', school: 'SV2', date: '2025-10-06', female: 5, male: 5, confirmed: true },
];
/** Sessions of the chain grown later (F, G, H). */
const CHAIN_SESSIONS: SessionSpec[] = [
  { trainer: 'ivan', school: 'SV1', date: '2025-08-18', female: 4, male: 5, confirmed: true },
  { trainer: 'juan', school: 'SV2', date: '2025-09-22', female: 6, male: 2, confirmed: true },
  { trainer: 'kira', school: 'SV1', date: '2025-10-27', female: 3, male: 3, confirmed: true }, // below the depth limit of A's tree
];

/** Brute force: sessions, distinct schools and students of these trainers. */
function sum(
  trainers: Trainer[],
  opts: { all?: boolean; country?: 'SV' | 'PA'; specs?: SessionSpec[] } = {},
) {
  const list = (opts.specs ?? SESSIONS).filter(
    (s) =>
      trainers.includes(s.trainer) &&
      (opts.all || s.confirmed) &&
      (!opts.country || s.school.startsWith(opts.country)),
  );
  return {
    sessions: list.length,
    schools: new Set(list.map((s) => s.school)).size,
    students: list.reduce((n, s) => n + s.female + s.male, 0),
  };
}

jest.setTimeout(120_000);

describe('cascade lineage', () => {
  let t: TestApp;
  let admin: User;
  let managerSv: User;
  let managerPa: User;
  let coordinator: User;
  let newcomer: User; // a trainer with no certification
  const people = {} as Record<Trainer, User>;
  const tokens = new Map<string, string>();
  const cohorts = {} as Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H', string>;
  const schools = {} as Record<SchoolKey, string>;

  const bearer = (u: User) => ({ Authorization: `Bearer ${tokens.get(u.id) as string}` });
  const as = (u: User) => ({
    get: (path: string) => request(t.http).get(`/api/v1${path}`).set(bearer(u)),
    post: (path: string, body: object = {}) =>
      request(t.http).post(`/api/v1${path}`).set(bearer(u)).send(body),
    put: (path: string, body: object) => request(t.http).put(`/api/v1${path}`).set(bearer(u)).send(body),
  });

  /** A one-day workshop on `day` that certifies `trainers` on that day (every rule met through the API). */
  async function workshop(
    key: keyof typeof cohorts,
    by: User,
    country: 'SV' | 'PA',
    day: string,
    facilitators: User[],
    trainers: Trainer[],
  ) {
    const id = (
      await as(by)
        .post('/cohorts', {
          courseSlug: COURSE,
          name: `TOT ${key} ${country}`,
          countryCode: country,
          startsOn: day,
          endsOn: day,
          capacity: 20,
          facilitatorIds: facilitators.map((f) => f.id),
        })
        .expect(201)
    ).body.id as string;
    cohorts[key] = id;
    const dayId = (await as(by).post(`/cohorts/${id}/days`, { date: day }).expect(201)).body.id as string;
    for (const name of trainers) {
      const p = people[name];
      await as(by).post(`/cohorts/${id}/participants`, { email: p.email, name: p.name }).expect(201);
      const enrolment = (await as(p).get('/me').expect(200)).body.enrolments[0].id as string;
      for (const lesson of LESSONS)
        await as(p).post(`/enrolments/${enrolment}/lessons/${lesson}/complete`).expect(200);
      await as(p)
        .post(
          `/enrolments/${enrolment}/quizzes/post-test/attempts`,
          await drawnAnswers(as(p), enrolment, 'post-test'),
        )
        .expect(201);
    }
    await as(by)
      .put(`/cohorts/${id}/days/${dayId}/attendance`, {
        records: trainers.map((n) => ({ userId: people[n].id, status: 'present' })),
      })
      .expect(200);
    for (const name of trainers)
      await as(by)
        .put(`/cohorts/${id}/participants/${people[name].id}/practicum`, { passed: true, score: 90 })
        .expect(200);
    for (const name of trainers)
      await as(by)
        .post('/certifications', { cohortId: id, userId: people[name].id, issuedOn: day })
        .expect(201);
  }

  async function deliver(specs: SessionSpec[]) {
    for (const s of specs) {
      const session = await as(people[s.trainer])
        .post('/cascade-sessions', {
          schoolId: schools[s.school],
          trainerId: people[s.trainer].id,
          courseSlug: COURSE,
          moduleSlugs: ['practice'],
          date: s.date,
          durationMinutes: 50,
          participants: { female: s.female, male: s.male, unspecified: 0 },
          ageBands: { under_10: 0, '10_14': s.female + s.male, '15_17': 0, '18_plus': 0 },
        })
        .expect(201);
      if (s.confirmed) await as(admin).post(`/cascade-sessions/${session.body.id}/confirm`).expect(200);
    }
  }

  /** Every node of a tree, depth first. */
  const nodes = (n: Json): Json[] => [n, ...(n.kind === 'trainer' ? n.cohorts : n.trainers).flatMap(nodes)];
  const trainerNamed = (tree: Json, name: string) =>
    nodes(tree).find((n) => n.kind === 'trainer' && n.name === name) as Json;
  const cohortNamed = (tree: Json, name: string) =>
    nodes(tree).find((n) => n.kind === 'cohort' && n.name === name) as Json;

  beforeAll(async () => {
    t = await createTestApp({ CONTENT_DIR: CONTENT });
    admin = await t.createUser('admin', { name: 'Ada Admin' });
    managerSv = await t.createUser('manager', { name: 'Sara Scoped', countryCode: 'SV' });
    managerPa = await t.createUser('manager', { name: 'Pablo Panamá', countryCode: 'PA' });
    coordinator = await t.createUser('coordinator', { name: 'Cora Coordinator' });
    newcomer = await t.createUser('trainer', { name: 'Nico Newcomer', countryCode: 'SV' });
    const names: Record<Trainer, string> = {
      ana: 'Ana Uno',
      beto: 'Beto Uno',
      carla: 'Carla Dos',
      dario: 'Dario Dos',
      elena: 'Elena Panamá',
      fabio: 'Fabio Tres',
      gabi: 'Gabi Uno',
      ivan: 'Ivan Cuatro',
      juan: 'Juan Cinco',
      kira: 'Kira Seis',
    };
    for (const [key, name] of Object.entries(names) as Array<[Trainer, string]>)
      people[key] = await t.createUser('trainer', { name, countryCode: key === 'elena' ? 'PA' : 'SV' });
    for (const u of [admin, managerSv, managerPa, coordinator, newcomer, ...Object.values(people)])
      tokens.set(u.id, await apiToken(t, u.email));
    for (const [key, country, municipality] of [
      ['SV1', 'SV', 'Santa Tecla'],
      ['SV2', 'SV', 'San Salvador'],
      ['PA1', 'PA', 'Colón'],
    ] as const) {
      schools[key] = (
        await as(admin)
          .post('/schools', {
            name: `Escuela ${key}`,
            code: `LIN-${key}`,
            countryCode: country,
            municipality,
          })
          .expect(201)
      ).body.id;
    }
    await workshop('A', managerSv, 'SV', '2025-01-13', [managerSv], ['ana', 'beto']);
    await workshop('B', managerSv, 'SV', '2025-03-10', [people.ana], ['carla', 'dario']);
    await workshop('C', managerPa, 'PA', '2025-03-17', [people.beto], ['elena']);
    await workshop('D', managerSv, 'SV', '2025-06-09', [people.carla, managerSv], ['fabio']);
    await workshop('E', managerSv, 'SV', '2025-09-01', [managerSv], ['gabi']);
    await deliver(SESSIONS);
  });
  afterAll(() => t?.close());

  describe('the tree of a cohort', () => {
    it('shows facilitator → trainers certified → cohorts they led → … with every trainer’s own sessions', async () => {
      const body = (await as(admin).get(`/lineage/cohorts/${cohorts.A}`).expect(200)).body as Json;
      const root = body.root;
      expect(root).toMatchObject({
        kind: 'cohort',
        cohortId: cohorts.A,
        name: 'TOT A SV',
        level: 1,
        generation: 1,
        countryCode: 'SV',
        startsOn: '2025-01-13',
      });
      expect(root.facilitators).toEqual([{ userId: managerSv.id, name: 'Sara Scoped', hidden: false }]);
      expect(root.trainers.map((n: Json) => n.name)).toEqual(['Ana Uno', 'Beto Uno']);
      const ana = trainerNamed(root, 'Ana Uno');
      expect(ana.cohorts.map((c: Json) => c.name)).toEqual(['TOT B SV']);
      expect(ana.cohorts[0].trainers.map((n: Json) => n.name)).toEqual(['Carla Dos', 'Dario Dos']);
      expect(trainerNamed(root, 'Carla Dos').cohorts[0]).toMatchObject({
        name: 'TOT D SV',
        level: 3,
        generation: 3,
      });
      expect(trainerNamed(root, 'Carla Dos').cohorts[0].facilitators.map((f: Json) => f.name)).toEqual([
        'Carla Dos',
        'Sara Scoped',
      ]);
      expect(trainerNamed(root, 'Beto Uno').cohorts[0]).toMatchObject({
        name: 'TOT C PA',
        countryCode: 'PA',
        level: 2,
        generation: 2,
      });
      // Gabi was certified in another root workshop (E): not in A's tree.
      expect(trainerNamed(root, 'Gabi Uno')).toBeUndefined();
      // Every trainer's own figures are the brute-force sums of their sessions.
      for (const name of ['ana', 'beto', 'carla', 'dario', 'elena', 'fabio'] as Trainer[]) {
        expect(trainerNamed(root, people[name].name).own).toEqual(sum([name]));
      }
      expect(
        Object.fromEntries(
          nodes(root)
            .filter((n) => n.kind === 'trainer')
            .map((n) => [n.name, n.generation]),
        ),
      ).toEqual({
        'Ana Uno': 1,
        'Beto Uno': 1,
        'Carla Dos': 2,
        'Dario Dos': 2,
        'Elena Panamá': 2,
        'Fabio Tres': 3,
      });
    });

    it('totals per branch, per level and overall equal the sums of the sessions below', async () => {
      for (const all of [false, true]) {
        const body = (
          await as(admin)
            .get(`/lineage/cohorts/${cohorts.A}${all ? '?status=all' : ''}`)
            .expect(200)
        ).body as Json;
        const root = body.root;
        const everyone: Trainer[] = ['ana', 'beto', 'carla', 'dario', 'elena', 'fabio'];
        expect(body.totals).toEqual({ trainers: 6, cohorts: 4, ...sum(everyone, { all }) });
        expect(root.branch).toEqual({ trainers: 6, ...sum(everyone, { all }) });
        expect(trainerNamed(root, 'Ana Uno').branch).toEqual({
          trainers: 4,
          ...sum(['ana', 'carla', 'dario', 'fabio'], { all }),
        });
        expect(trainerNamed(root, 'Beto Uno').branch).toEqual({
          trainers: 2,
          ...sum(['beto', 'elena'], { all }),
        });
        expect(cohortNamed(root, 'TOT B SV').branch).toEqual({
          trainers: 3,
          ...sum(['carla', 'dario', 'fabio'], { all }),
        });
        expect(trainerNamed(root, 'Carla Dos').branch).toEqual({
          trainers: 2,
          ...sum(['carla', 'fabio'], { all }),
        });
        expect(body.levels).toEqual([
          { level: 1, trainers: 2, cohorts: 1, ...sum(['ana', 'beto'], { all }) },
          { level: 2, trainers: 3, cohorts: 2, ...sum(['carla', 'dario', 'elena'], { all }) },
          { level: 3, trainers: 1, cohorts: 1, ...sum(['fabio'], { all }) },
        ]);
        expect(body.cutCohorts).toBe(0);
      }
    });

    it('a manager sees the branch that leaves their country counted but not named', async () => {
      const body = (await as(managerSv).get(`/lineage/cohorts/${cohorts.A}`).expect(200)).body as Json;
      expect(body.totals).toEqual({
        trainers: 6,
        cohorts: 4,
        ...sum(['ana', 'beto', 'carla', 'dario', 'elena', 'fabio']),
      });
      const beto = trainerNamed(body.root, 'Beto Uno');
      expect(beto.cohorts[0]).toMatchObject({
        cohortId: null,
        name: null,
        hidden: true,
        countryCode: null,
        startsOn: null,
      });
      expect(beto.cohorts[0].trainers[0]).toMatchObject({
        userId: null,
        name: null,
        hidden: true,
        own: sum(['elena']),
      });
      expect(beto.branch).toEqual({ trainers: 2, ...sum(['beto', 'elena']) });
      const text = JSON.stringify(body);
      for (const leak of ['TOT C PA', 'Elena', cohorts.C, people.elena.id]) expect(text).not.toContain(leak);
    });

    it('refuses a cohort outside the manager’s country, coordinators and trainers; unknown cohorts are not found', async () => {
      expect((await as(managerSv).get(`/lineage/cohorts/${cohorts.C}`).expect(403)).body.message).toBe(
        'This lineage is outside the country you manage.',
      );
      expect(
        (await as(managerSv).get(`/lineage/cohorts/${cohorts.C}?lang=es`).expect(403)).body.message,
      ).toBe('Este linaje está fuera del país que usted gestiona.');
      await as(managerSv).get(`/lineage/cohorts/${cohorts.A}?lang=en`).expect(200);
      await as(managerPa).get(`/lineage/cohorts/${cohorts.A}`).expect(403);
      await as(managerPa).get(`/lineage/cohorts/${cohorts.C}`).expect(200);
      await as(coordinator).get(`/lineage/cohorts/${cohorts.A}`).expect(403);
      await as(people.ana).get(`/lineage/cohorts/${cohorts.B}`).expect(403);
      expect(
        (await as(admin).get('/lineage/cohorts/00000000-0000-4000-8000-000000000000').expect(404)).body
          .message,
      ).toBe('This workshop does not exist.');
      await as(admin).get('/lineage/cohorts/not-a-uuid').expect(404);
      await as(admin).get(`/lineage/cohorts/${cohorts.A}?status=everything`).expect(400);
      const anonymous = await request(t.http).get(`/api/v1/lineage/cohorts/${cohorts.A}`);
      expect(anonymous.status).toBe(401);
    });
  });

  describe('the tree of a trainer', () => {
    it('starts at the trainer: own sessions, the cohorts they led, and where they were certified', async () => {
      const body = (await as(admin).get(`/lineage/trainers/${people.ana.id}`).expect(200)).body as Json;
      expect(body.root).toMatchObject({
        kind: 'trainer',
        userId: people.ana.id,
        name: 'Ana Uno',
        level: 0,
        generation: 1,
        own: sum(['ana']),
      });
      expect(body.certifiedIn).toEqual([
        {
          cohortId: cohorts.A,
          name: 'TOT A SV',
          hidden: false,
          facilitators: [{ userId: managerSv.id, name: 'Sara Scoped', hidden: false }],
        },
      ]);
      expect(body.root.cohorts.map((c: Json) => c.name)).toEqual(['TOT B SV']);
      expect(body.totals).toEqual({ trainers: 3, cohorts: 2, ...sum(['ana', 'carla', 'dario', 'fabio']) });
      expect(body.levels).toEqual([
        { level: 0, trainers: 0, cohorts: 0, ...sum(['ana']) },
        { level: 1, trainers: 2, cohorts: 1, ...sum(['carla', 'dario']) },
        { level: 2, trainers: 1, cohorts: 1, ...sum(['fabio']) },
      ]);
    });

    it('lets a trainer see their own tree, naming only the trainers they certified themselves', async () => {
      const body = (await as(people.ana).get(`/lineage/trainers/${people.ana.id}`).expect(200)).body as Json;
      expect(body.totals).toEqual({ trainers: 3, cohorts: 2, ...sum(['ana', 'carla', 'dario', 'fabio']) });
      expect(body.root.cohorts[0].trainers.map((n: Json) => n.name)).toEqual(['Carla Dos', 'Dario Dos']);
      const below = body.root.cohorts[0].trainers[0].cohorts[0];
      expect(below.name).toBe('TOT D SV');
      expect(below.facilitators.every((f: Json) => f.hidden && f.name === null)).toBe(true);
      expect(below.trainers[0]).toMatchObject({
        hidden: true,
        name: null,
        userId: null,
        own: sum(['fabio']),
      });
      expect(body.linkable).toBe(false);
      expect(JSON.stringify(body)).not.toContain('Fabio');
      // Another trainer's lineage, and the cohort pages, are not theirs.
      await as(people.ana).get(`/lineage/trainers/${people.beto.id}`).expect(403);
      // A trainer not yet certified sees an empty tree of their own.
      const empty = (await as(newcomer).get(`/lineage/trainers/${newcomer.id}`).expect(200)).body as Json;
      expect(empty.totals).toEqual({ trainers: 0, cohorts: 0, sessions: 0, schools: 0, students: 0 });
      expect(empty.certifiedIn).toEqual([]);
    });

    it('scopes trainers by where they were certified or what they led', async () => {
      await as(managerSv).get(`/lineage/trainers/${people.elena.id}`).expect(403);
      await as(managerPa).get(`/lineage/trainers/${people.elena.id}`).expect(200);
      // Beto: certified in SV, led a workshop in PA: both managers may look, each sees the other country's part unnamed.
      const sv = (await as(managerSv).get(`/lineage/trainers/${people.beto.id}`).expect(200)).body as Json;
      expect(sv.root.cohorts[0]).toMatchObject({ hidden: true, name: null });
      expect(sv.certifiedIn[0]).toMatchObject({ name: 'TOT A SV', hidden: false });
      const pa = (await as(managerPa).get(`/lineage/trainers/${people.beto.id}`).expect(200)).body as Json;
      expect(pa.root.cohorts[0]).toMatchObject({ hidden: false, name: 'TOT C PA' });
      expect(pa.certifiedIn[0]).toMatchObject({ name: null, hidden: true, cohortId: null });
      expect(sv.totals).toEqual(pa.totals);
      await as(managerPa).get(`/lineage/trainers/${people.ana.id}`).expect(403);
      await as(coordinator).get(`/lineage/trainers/${people.ana.id}`).expect(403);
      await as(admin).get(`/lineage/trainers/${newcomer.id}`).expect(404); // nobody's lineage
      await as(admin).get('/lineage/trainers/00000000-0000-4000-8000-000000000000').expect(404);
    });
  });

  describe('the page', () => {
    it('renders the tree as nested lists with headings, links and translated text', async () => {
      const agent = await pageAgent(t, admin.email);
      const en = await agent.get(`/lineage/cohorts/${cohorts.A}`).expect(200);
      expect(en.text).toContain('<h1>Cascade lineage of TOT A SV</h1>');
      expect(en.text).toContain('aria-labelledby="tree-heading"');
      expect(en.text).toContain(`href="/lineage/trainers/${people.ana.id}"`);
      expect(en.text).toContain(`href="/lineage/cohorts/${cohorts.B}"`);
      expect(en.text).toContain('Level 3');
      expect(en.text).toContain('generation 2');
      expect(en.text).toMatch(/<ul class="lineage-tree"[^>]*>\s*<li class="lineage-node is-trainer">/);
      expect(en.text).not.toContain('<script');
      expect(Buffer.byteLength(en.text)).toBeLessThan(100_000);
      const es = await agent.get(`/lineage/cohorts/${cohorts.A}?lang=es`).expect(200);
      expect(es.text).toContain('Linaje de la cascada de TOT A SV');
      expect(es.text).toContain('Nivel 3');
      expect(es.text).toContain(
        `<strong>${sum(['ana', 'beto', 'carla', 'dario', 'elena', 'fabio']).students}</strong> estudiantes alcanzados`,
      );
      await agent.get(`/lineage/cohorts/${cohorts.A}?lang=en`).expect(200); // (the choice sticks to the account: back to English)
      // Reached from the workshop page (managers) and from a trainer's home page.
      expect((await agent.get(`/cohorts/${cohorts.A}`).expect(200)).text).toContain(
        `href="/lineage/cohorts/${cohorts.A}"`,
      );
      const anaAgent = await pageAgent(t, people.ana.email);
      expect((await anaAgent.get('/').expect(200)).text).toContain(
        `href="/lineage/trainers/${people.ana.id}"`,
      );
      const trainer = await anaAgent.get(`/lineage/trainers/${people.ana.id}`).expect(200);
      expect(trainer.text).toContain('A trainer further down your cascade');
      expect(trainer.text).not.toContain('href="/lineage/cohorts/');
      expect(trainer.text).not.toContain(`href="/lineage/trainers/${people.carla.id}"`);
      await (await pageAgent(t, managerSv.email)).get(`/lineage/cohorts/${cohorts.C}`).expect(403);
      await (await pageAgent(t, coordinator.email)).get(`/lineage/trainers/${people.ana.id}`).expect(403);
    });
  });

  describe('the reach report by generation', () => {
    const reach = async (u: User, query: string) =>
      (await as(u).get(`/reports/cascade?${query}`).expect(200)).body as Json;

    it('groups sessions by the trainers’ generation, and the groups add up to the ungrouped totals', async () => {
      for (const all of [false, true]) {
        const status = all ? 'all' : 'confirmed';
        const body = await reach(admin, `groupBy=generation&status=${status}`);
        expect(body.rows.map((r: Json) => [r.key, r.label])).toEqual([
          ['1', 'Generation 1'],
          ['2', 'Generation 2'],
          ['3', 'Generation 3'],
        ]);
        const only = (r: Json) => ({ sessions: r.sessions, schools: r.schools, students: r.students });
        expect(only(body.rows[0])).toEqual(sum(['ana', 'beto', 'gabi'], { all }));
        expect(only(body.rows[1])).toEqual(sum(['carla', 'dario', 'elena'], { all }));
        expect(only(body.rows[2])).toEqual(sum(['fabio'], { all }));
        const ungrouped = await reach(admin, `groupBy=country&status=${status}`);
        expect(body.totals).toEqual(ungrouped.totals);
        for (const k of ['sessions', 'students', 'female', 'male', '10_14'])
          expect(body.rows.reduce((n: number, r: Json) => n + r[k], 0)).toBe(ungrouped.totals[k]);
      }
    });

    it('takes the filters and the manager’s scope like the other groupings', async () => {
      const sv = await reach(managerSv, 'groupBy=generation');
      expect(sv.rows.map((r: Json) => [r.key, r.sessions])).toEqual([
        ['1', sum(['ana', 'beto', 'gabi']).sessions],
        ['2', sum(['carla', 'dario'], { country: 'SV' }).sessions],
        ['3', 1],
      ]);
      expect(sv.totals).toEqual((await reach(managerSv, 'groupBy=country')).totals);
      const other = await reach(managerSv, 'groupBy=generation&countryCode=PA');
      expect(other.rows).toEqual([]);
      const window = await reach(admin, 'groupBy=generation&from=2025-04-01&to=2025-06-30');
      expect(window.rows.map((r: Json) => [r.key, r.sessions])).toEqual([['2', 4]]);
      const cohortB = await reach(admin, `groupBy=generation&cohortId=${cohorts.B}`);
      expect(cohortB.rows.map((r: Json) => [r.key, r.students])).toEqual([
        ['2', sum(['carla', 'dario']).students],
      ]);
    });

    it('exports CSV and XLSX and explains generations on the page, in both languages', async () => {
      const csv = await as(admin).get('/reports/cascade.csv?groupBy=generation');
      expect(csv.status).toBe(200);
      const lines = csv.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/);
      expect(lines).toHaveLength(5); // header, three generations, total
      expect(lines[1]).toMatch(/^"?Generation 1"?,/);
      const xlsx = await as(admin).get('/reports/cascade.xlsx?groupBy=generation');
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      const agent = await pageAgent(t, admin.email);
      const page = await agent.get('/reports/cascade?groupBy=generation').expect(200);
      expect(page.text).toContain('What is a generation?');
      expect(page.text).toContain('<option value="generation" selected>Generation</option>');
      const es = await agent.get('/reports/cascade?groupBy=generation&lang=es').expect(200);
      expect(es.text).toContain('Generación 2');
      expect(es.text).toContain('¿Qué es una generación?');
      await agent.get('/reports/cascade?lang=en').expect(200);
    });
  });

  describe('a deeper tree', () => {
    /**
     * Queries behind one GET: those of the main connection (TypeORM's logger) and the report
     * queries, which on SQLite run in the report worker thread (ReportReader) and are counted there.
     */
    const queriesOf = async (agent: ReturnType<typeof request.agent>, path: string) => {
      const main = jest.spyOn(t.db.dataSource.logger, 'logQuery');
      const reports = jest.spyOn(t.app.get(ReportReader), 'query');
      try {
        const res = await agent.get(path).expect(200);
        return { main: main.mock.calls.length, reports: reports.mock.calls.length, html: res.text };
      } finally {
        main.mockRestore();
        reports.mockRestore();
      }
    };

    it('runs the same number of queries however many nodes, and cuts the tree after five levels with a note', async () => {
      const agent = await pageAgent(t, admin.email);
      const small = await queriesOf(agent, `/lineage/cohorts/${cohorts.A}`);
      const fabioSmall = await queriesOf(agent, `/lineage/trainers/${people.fabio.id}`); // led nothing yet
      const apiSmall = (await as(admin).get(`/lineage/cohorts/${cohorts.A}`).expect(200)).body as Json;
      expect(nodes(apiSmall.root)).toHaveLength(10); // 4 cohorts, 6 trainers

      await workshop('F', admin, 'SV', '2025-08-04', [people.fabio], ['ivan']);
      await workshop('G', admin, 'SV', '2025-09-08', [people.ivan], ['juan']);
      await workshop('H', admin, 'SV', '2025-10-13', [people.juan], ['kira']);
      await deliver(CHAIN_SESSIONS);

      const large = await queriesOf(agent, `/lineage/cohorts/${cohorts.A}`);
      expect(large.html).toContain('Juan Cinco');
      expect(large.html).toContain('The tree stops after 5 levels');
      expect(large.reports).toBe(small.reports);
      expect(large.main).toBe(small.main);
      expect(small.reports).toBe(6); // the cohort, then five grouped queries over the tree
      expect(large.html).toContain('Ivan Cuatro');
      const fabioLarge = await queriesOf(agent, `/lineage/trainers/${people.fabio.id}`); // three workshops below now
      expect(fabioLarge.html).toContain('Kira Seis');
      expect([fabioLarge.reports, fabioLarge.main]).toEqual([fabioSmall.reports, fabioSmall.main]);
      expect(fabioSmall.reports).toBe(7); // scope check, then six grouped queries (with where the trainer was certified)
      const body = (await as(admin).get(`/lineage/cohorts/${cohorts.A}`).expect(200)).body as Json;
      expect(nodes(body.root)).toHaveLength(14); // + F, Ivan, G, Juan; H and Kira are below the limit
      expect(body.cutCohorts).toBe(1);
      expect(trainerNamed(body.root, 'Juan Cinco')).toMatchObject({
        level: 5,
        generation: 5,
        cutCohorts: 1,
        cohorts: [],
      });
      expect(trainerNamed(body.root, 'Kira Seis')).toBeUndefined();
      const specs = [...SESSIONS, ...CHAIN_SESSIONS];
      expect(body.totals).toEqual({
        trainers: 8,
        cohorts: 6,
        ...sum(['ana', 'beto', 'carla', 'dario', 'elena', 'fabio', 'ivan', 'juan'], { specs }),
      });
      expect(body.levels.map((l: Json) => l.level)).toEqual([1, 2, 3, 4, 5]);
      // From Fabio's own page the chain is within the limit.
      const fabio = (await as(admin).get(`/lineage/trainers/${people.fabio.id}`).expect(200)).body as Json;
      expect(fabio.totals).toEqual({
        trainers: 3,
        cohorts: 3,
        ...sum(['fabio', 'ivan', 'juan', 'kira'], { specs }),
      });
      expect(fabio.cutCohorts).toBe(0);
      // The report's generations go on down the chain; the groups still add up.
      const report = (await as(admin).get('/reports/cascade?groupBy=generation').expect(200)).body as Json;
      expect(report.rows.map((r: Json) => r.key)).toEqual(['1', '2', '3', '4', '5', '6']);
      expect(report.rows.reduce((n: number, r: Json) => n + r.sessions, 0)).toBe(report.totals.sessions);
    });
  });
});
