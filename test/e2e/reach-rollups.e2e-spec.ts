/**
 * The reach rollups (migration CreateCascadeReachRollups, src/cascade/reach-rollups.ts) stay equal
 * to a fresh GROUP BY over the sessions through every write the application makes — logging,
 * editing (to another month, year, school and municipality), confirming, rejecting, concurrent
 * logging — and the cascade reach report answers exactly what a brute-force count of the session
 * rows gives, for ranges that cut months and years anywhere (fast-check), every grouping and both
 * status choices. Runs on SQLite and on PostgreSQL.
 *
 * The workshop and certifications are inserted as a fixture (back-dated to 2024); every session
 * goes through the JSON API, as users log them.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import request from 'supertest';
import { CascadeSession } from '../../src/cascade/cascade-session.entity';
import { rebuildRollups } from '../../src/cascade/reach-rollups';
import { Certification } from '../../src/certification/certification.entity';
import { Cohort } from '../../src/cohorts/cohort.entity';
import { Course } from '../../src/courses/course.entity';
import { Municipality, School } from '../../src/schools/school.entities';
import type { User } from '../../src/users/user.entity';
import { createTestApp, TestApp } from '../support/create-test-app';
import { apiToken, csrfOf, pageAgent } from '../support/login';

type Json = Record<string, unknown>;
const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const COURSE = 'tiny-course';
const NOW = new Date('2026-03-02T10:00:00.000Z');
const GROUPS = ['country', 'municipality', 'school', 'month', 'trainer'] as const;

/** Deterministic dates from 2024-01-15 to 2025-12-28, spread over months and both years. */
function dateOf(i: number): string {
  const day = new Date(Date.UTC(2024, 0, 15) + ((i * 37) % 713) * 86_400_000);
  return day.toISOString().slice(0, 10);
}

describe('reach rollups', () => {
  let t: TestApp;
  let manager: User;
  let coordinator: User;
  const trainers: User[] = [];
  const schools: School[] = [];
  const tokens = new Map<string, string>();

  const as = (user: User) => ({
    post: (path: string, body?: object) =>
      request(t.http)
        .post(`/api/v1${path}`)
        .set({ Authorization: `Bearer ${tokens.get(user.id)}` })
        .send(body),
    get: (path: string) =>
      request(t.http)
        .get(`/api/v1${path}`)
        .set({ Authorization: `Bearer ${tokens.get(user.id)}` }),
  });
  const body = (i: number, overrides: Json = {}): Json => {
    const female = 3 + (i % 7);
    const male = 2 + (i % 5);
    const unspecified = i % 3 === 0 ? 1 : 0;
    const students = female + male + unspecified;
    return {
      schoolId: schools[i % schools.length].id,
      trainerId: trainers[i % trainers.length].id,
      courseSlug: COURSE,
      moduleSlugs: ['practice'],
      date: dateOf(i),
      durationMinutes: 45,
      participants: { female, male, unspecified },
      ageBands: { under_10: i % 2 ? students : 0, '10_14': i % 2 ? 0 : students, '15_17': 0, '18_plus': 0 },
      teachers: i % 4,
      parents: i % 6 === 0 ? 2 : 0,
      ...overrides,
    };
  };

  const snapshot = async () => ({
    schools: await t.db.manager.query(
      'SELECT * FROM cascade_reach_rollups ORDER BY grain, status, period, course_id, country_code, municipality_id, school_id',
    ),
    trainers: await t.db.manager.query(
      'SELECT * FROM cascade_trainer_rollups ORDER BY grain, status, period, course_id, country_code, trainer_id',
    ),
    months: await t.db.manager.query(
      'SELECT * FROM cascade_month_reach ORDER BY status_key, course_key, country_key, period',
    ),
  });
  /** Rollups as the writes left them must equal a rebuild from the sessions. */
  const expectRollupsConsistent = async () => {
    const kept = await snapshot();
    expect(kept.schools.length).toBeGreaterThan(0);
    expect(kept.months.length).toBeGreaterThan(0);
    await t.db.transaction((tx) => rebuildRollups(tx));
    expect(await snapshot()).toEqual(kept);
  };

  beforeAll(async () => {
    t = await createTestApp({ CONTENT_DIR: CONTENT });
    const m = t.db.manager;
    manager = await t.createUser('manager');
    coordinator = await t.createUser('coordinator');
    for (const name of ['Ana', 'Beto', 'Carla'])
      trainers.push(await t.createUser('trainer', { name, countryCode: 'SV' }));
    const course = await m.findOneOrFail(Course, { where: { slug: COURSE } });
    const cohort = await m.save(
      m.create(Cohort, {
        courseId: course.id,
        name: 'TOT 2024',
        countryCode: 'SV',
        municipality: 'Santa Tecla',
        venue: null,
        startsOn: '2024-01-08',
        endsOn: '2024-01-12',
        capacity: 20,
        status: 'completed',
        createdBy: manager.id,
        createdAt: NOW,
      }),
    );
    for (const [n, trainer] of trainers.entries()) {
      await m.save(
        m.create(Certification, {
          code: `CSC-ROLL-000${n}`,
          userId: trainer.id,
          courseId: course.id,
          cohortId: cohort.id,
          facilitatorId: manager.id,
          issuedBy: manager.id,
          issuedOn: '2024-01-12',
          expiresOn: '2026-01-12',
          status: 'active',
          revokedOn: null,
          revokedReason: null,
          reminderSentAt: null,
          createdAt: NOW,
        }),
      );
    }
    for (const [countryCode, names] of [
      ['SV', ['Santa Tecla', 'San Salvador']],
      ['PA', ['Colón']],
    ] as const) {
      for (const name of names) {
        const municipality = await m.save(m.create(Municipality, { countryCode, name }));
        for (const k of [1, 2]) {
          schools.push(
            await m.save(
              m.create(School, {
                name: `${name} ${k}`,
                code: `${countryCode}-${schools.length}`,
                countryCode,
                municipalityId: municipality.id,
                level: 'primary',
                address: null,
                createdAt: NOW,
              }),
            ),
          );
        }
      }
    }
    for (const school of schools) {
      await request(t.http)
        .put(`/api/v1/schools/${school.id}/coordinators`)
        .set({ Authorization: `Bearer ${await apiToken(t, manager.email)}` })
        .send({ userIds: [coordinator.id] })
        .expect(200);
    }
    for (const user of [manager, coordinator, ...trainers])
      tokens.set(user.id, await apiToken(t, user.email));
  });
  afterAll(() => t?.close());

  it('logging, editing, confirming and rejecting keep the rollups equal to a rebuild', async () => {
    const ids: string[] = [];
    // Trainers log their own sessions (waiting for the coordinator).
    for (let i = 0; i < 36; i++) {
      const trainer = trainers[i % trainers.length];
      ids.push((await as(trainer).post('/cascade-sessions', body(i)).expect(201)).body.id);
    }
    // Edits move sessions to another month and year, another school (municipality, country) and other counts.
    // (Editing is a page form: the author's edit page.)
    const edit = async (user: User, id: string, b: Json) => {
      const agent = await pageAgent(t, user.email);
      const p = b.participants as Record<string, number>;
      const a = b.ageBands as Record<string, number>;
      const form = {
        schoolId: b.schoolId,
        trainerId: b.trainerId,
        courseSlug: COURSE,
        moduleSlugs: 'practice',
        date: b.date,
        durationMinutes: '45',
        p_female: p.female,
        p_male: p.male,
        p_unspecified: p.unspecified,
        a_under_10: a.under_10,
        a_10_14: a['10_14'],
        a_15_17: a['15_17'],
        a_18_plus: a['18_plus'],
        teachers: b.teachers,
        parents: b.parents,
        notes: '',
        _csrf: await csrfOf(agent, '/cascade-sessions'),
      };
      await agent.post(`/cascade-sessions/${id}/edit`).type('form').send(form).expect(303);
    };
    await edit(trainers[0], ids[0], body(0, { date: '2025-11-30', schoolId: schools[5].id }));
    await edit(
      trainers[1],
      ids[1],
      body(1, {
        date: '2024-02-01',
        participants: { female: 1, male: 1, unspecified: 0 },
        ageBands: { under_10: 2, '10_14': 0, '15_17': 0, '18_plus': 0 },
      }),
    );
    expect(await t.db.manager.findOneByOrFail(CascadeSession, { id: ids[0] })).toMatchObject({
      date: '2025-11-30',
      schoolId: schools[5].id,
      countryCode: 'PA',
    });
    // Most are confirmed, a few rejected (they leave the rollups), the rest stay submitted.
    for (const [n, id] of ids.entries()) {
      if (n % 9 === 4)
        await as(coordinator).post(`/cascade-sessions/${id}/reject`, { reason: 'Wrong school' }).expect(200);
      else if (n % 5 !== 3) await as(coordinator).post(`/cascade-sessions/${id}/confirm`).expect(200);
    }
    await expectRollupsConsistent();
    const counted = await t.db.manager.count(CascadeSession);
    expect(counted).toBe(36);
  });

  it('concurrent logging (parallel requests) adds up in the rollups', async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, k) =>
        as(coordinator)
          .post('/cascade-sessions', body(100 + k))
          .expect(201),
      ),
    );
    await expectRollupsConsistent();
  });

  it('a school with several sessions in one month stays reached there while one is left', async () => {
    // Four sessions of one school in March 2025 (other tests leave at most one per school and month).
    const ids: string[] = [];
    for (const [k, date] of ['2025-03-03', '2025-03-10', '2025-03-17', '2025-03-24'].entries())
      ids.push(
        (
          await as(trainers[k % 3])
            .post(
              '/cascade-sessions',
              body(200 + k, { date, schoolId: schools[2].id, trainerId: trainers[k % 3].id }),
            )
            .expect(201)
        ).body.id,
      );
    await expectRollupsConsistent();
    const march = async () => {
      const query = new URLSearchParams({
        groupBy: 'month',
        from: '2025-03-01',
        to: '2025-03-31',
        status: 'all',
      });
      const res = await as(manager).get(`/reports/cascade?${query}`).expect(200);
      return (res.body.rows as Json[]).find((r) => r.key === '2025-03');
    };
    const before = await march();
    // Two confirmed (the school enters the confirmed cells once), two rejected while waiting: the
    // school keeps two sessions there, so it is still reached, once.
    for (const id of [ids[1], ids[2]])
      await as(coordinator).post(`/cascade-sessions/${id}/confirm`).expect(200);
    await expectRollupsConsistent();
    for (const id of [ids[0], ids[3]])
      await as(coordinator).post(`/cascade-sessions/${id}/reject`, { reason: 'Duplicate' }).expect(200);
    await expectRollupsConsistent();
    const after = await march();
    expect({ sessions: after?.sessions, schools: after?.schools }).toEqual({
      sessions: Number(before?.sessions) - 2,
      schools: before?.schools,
    });
  });

  it('the reach report equals a brute-force count of the session rows for any range, grouping and status', async () => {
    const sessions = await t.db.manager.find(CascadeSession);
    const municipalities = new Map((await t.db.manager.find(Municipality)).map((m) => [m.id, m.name]));
    const expected = (
      from: string | undefined,
      to: string | undefined,
      groupBy: (typeof GROUPS)[number],
      all: boolean,
      countryCode?: string,
    ) => {
      const inRange = sessions.filter(
        (s) =>
          (all ? s.status !== 'rejected' : s.status === 'confirmed') &&
          (!from || s.date >= from) &&
          (!to || s.date <= to) &&
          (!countryCode || s.countryCode === countryCode),
      );
      const keyOf = (s: CascadeSession) =>
        ({
          country: s.countryCode ?? '',
          municipality: municipalities.get(s.municipalityId ?? '') ?? '',
          school: s.schoolId,
          month: s.date.slice(0, 7),
          trainer: s.trainerId,
        })[groupBy];
      const figure = (list: CascadeSession[]) => ({
        sessions: list.length,
        schools: new Set(list.map((s) => s.schoolId)).size,
        students: list.reduce((n, s) => n + s.female + s.male + s.unspecified, 0),
        under_10: list.reduce((n, s) => n + s.ageUnder10, 0),
        teachers: list.reduce((n, s) => n + s.teachers, 0),
        parents: list.reduce((n, s) => n + s.parents, 0),
      });
      const groups = new Map<string, CascadeSession[]>();
      for (const s of inRange) groups.set(keyOf(s), [...(groups.get(keyOf(s)) ?? []), s]);
      return {
        rows: Object.fromEntries([...groups].map(([key, list]) => [key, figure(list)])),
        totals: { ...figure(inRange), trainers: new Set(inRange.map((s) => s.trainerId)).size },
      };
    };
    const day = fc
      .integer({ min: 0, max: 760 })
      .map((n) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    await fc.assert(
      fc.asyncProperty(
        fc.option(day, { nil: undefined }),
        fc.option(day, { nil: undefined }),
        fc.constantFrom(...GROUPS),
        fc.boolean(),
        // A country and the (only) course as filters: the month reach table keeps cells for each.
        fc.constantFrom(undefined, 'SV', 'PA'),
        fc.boolean(),
        async (from, to, groupBy, all, countryCode, byCourse) => {
          const query = new URLSearchParams({
            groupBy,
            ...(from ? { from } : {}),
            ...(to ? { to } : {}),
            ...(all ? { status: 'all' } : {}),
            ...(countryCode ? { countryCode } : {}),
            ...(byCourse ? { courseSlug: COURSE } : {}),
          });
          const res = await as(manager).get(`/reports/cascade?${query}`).expect(200);
          const pick = (r: Json) => ({
            sessions: r.sessions,
            schools: r.schools,
            students: r.students,
            under_10: r.under_10,
            teachers: r.teachers,
            parents: r.parents,
          });
          const got = {
            rows: Object.fromEntries((res.body.rows as Json[]).map((r) => [r.key, pick(r)])),
            totals: { ...pick(res.body.totals as Json), trainers: (res.body.totals as Json).trainers },
          };
          expect({ query: query.toString(), ...got }).toEqual({
            query: query.toString(),
            ...expected(from, to, groupBy, all, countryCode),
          });
        },
      ),
      { numRuns: 80 },
    );
    // The edges the generator may miss: whole years, whole months, one day, a range ending before it starts.
    for (const [from, to] of [
      ['2024-01-01', '2024-12-31'],
      ['2025-01-01', undefined],
      [undefined, '2024-12-31'],
      ['2024-03-01', '2025-02-28'],
      ['2025-11-30', '2025-11-30'],
      ['2024-06-15', '2025-06-14'],
      ['2025-02-01', '2024-02-01'],
    ] as const) {
      for (const groupBy of GROUPS) {
        const query = new URLSearchParams({ groupBy, ...(from ? { from } : {}), ...(to ? { to } : {}) });
        const res = await as(manager).get(`/reports/cascade?${query}`).expect(200);
        const want = expected(from, to, groupBy, false);
        expect({
          query: query.toString(),
          sessions: res.body.totals.sessions,
          schools: res.body.totals.schools,
          trainers: res.body.totals.trainers,
          rows: (res.body.rows as Json[]).length,
        }).toEqual({
          query: query.toString(),
          sessions: want.totals.sessions,
          schools: want.totals.schools,
          trainers: want.totals.trainers,
          rows: Object.keys(want.rows).length,
        });
      }
    }
  });
});
