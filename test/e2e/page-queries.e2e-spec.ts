/**
 * No N+1 on the busiest pages: the number of database queries behind a page does not grow with the
 * data on it. Counted with TypeORM's query logger (every query through the main connection), so a
 * loop that queries per participant or per day fails here before it reaches a program with
 * hundreds of trainers (issue 6: the roster page's throughput).
 */
import { join } from 'node:path';
import request from 'supertest';
import type { User } from '../../src/users/user.entity';
import { createTestApp, TestApp } from '../support/create-test-app';
import { apiToken, pageAgent } from '../support/login';

const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('queries per page', () => {
  let t: TestApp;
  let manager: User;
  let token: string;
  let cohortId: string;
  let agent: ReturnType<typeof request.agent>;
  const everyone: string[] = [];

  const api = {
    post: (path: string, body?: object) =>
      request(t.http).post(`/api/v1${path}`).set(bearer(token)).send(body),
    put: (path: string, body?: object) => request(t.http).put(`/api/v1${path}`).set(bearer(token)).send(body),
  };

  /** Queries behind one GET of the page, and its status. */
  const queriesOf = async (path: string) => {
    const spy = jest.spyOn(t.db.dataSource.logger, 'logQuery');
    try {
      const res = await agent.get(path);
      if (process.env.SHOW_QUERIES)
        console.log(spy.mock.calls.map((c) => String(c[0]).slice(0, 300)).join('\n---\n'));
      return { status: res.status, queries: spy.mock.calls.length, html: res.text };
    } finally {
      spy.mockRestore();
    }
  };

  /** Adds `n` participants, a workshop day with everyone present, and a practicum for each. */
  const grow = async (n: number, date: string) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push(
        (
          await api
            .post(`/cohorts/${cohortId}/participants`, {
              email: `p-${date}-${i}@example.org`,
              name: `Participant ${date} ${i}`,
            })
            .expect(201)
        ).body.userId,
      );
    const day = (await api.post(`/cohorts/${cohortId}/days`, { date }).expect(201)).body;
    everyone.push(...ids);
    await api
      .put(`/cohorts/${cohortId}/days/${day.id}/attendance`, {
        records: everyone.map((userId) => ({ userId, status: 'present' })),
      })
      .expect(200);
    for (const id of ids)
      await api
        .put(`/cohorts/${cohortId}/participants/${id}/practicum`, { passed: true, score: 80 })
        .expect(200);
  };

  beforeAll(async () => {
    t = await createTestApp({ CONTENT_DIR: CONTENT });
    manager = await t.createUser('manager', { countryCode: 'SV' });
    token = await apiToken(t, manager.email);
    cohortId = (
      await api
        .post('/cohorts', {
          courseSlug: 'tiny-course',
          name: 'TOT Santa Tecla',
          countryCode: 'SV',
          startsOn: '2026-02-23',
          endsOn: '2026-02-27',
          capacity: 40,
        })
        .expect(201)
    ).body.id;
    agent = await pageAgent(t, manager.email);
  });
  afterAll(() => t?.close());

  it('the cohort roster runs the same few queries for 2 participants and for 22', async () => {
    await grow(2, '2026-02-23');
    const small = await queriesOf(`/cohorts/${cohortId}`);
    expect(small.status).toBe(200);
    expect(small.html).toContain('Participant 2026-02-23 1');

    await grow(20, '2026-02-24');
    const large = await queriesOf(`/cohorts/${cohortId}`);
    expect(large.status).toBe(200);
    expect(large.html).toContain('Participant 2026-02-24 19');
    expect(large.queries).toBe(small.queries);
    expect(small.queries).toBeLessThanOrEqual(12); // session, cohort, courses, facilitators, days, participants, attendance, practicum, enrolments, lessons, quizzes, certificates
  });
});
