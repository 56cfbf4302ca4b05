import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import type { User } from '../../src/users/user.entity';
import { createTestApp, TestApp } from '../support/create-test-app';
import { apiToken, csrfFrom, pageAgent } from '../support/login';
import { drawnAnswers } from '../support/quizzes';

type Agent = ReturnType<typeof request.agent>;

const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const COURSE = 'tiny-course';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const ALL_RIGHT = {
  pre: { q1: ['a'], q2: ['b'] },
  post: { q1: ['a'], q2: ['b'] },
  check: { signs: ['a', 'c'] },
};

describe('courses and learning (tiny fixture course)', () => {
  let t: TestApp;
  let admin: User;
  let adminToken: string;

  /** A new trainer (in El Salvador unless told), signed in for the API. */
  async function trainer(overrides: Partial<User> = {}) {
    const user = await t.createUser('trainer', { countryCode: 'SV', ...overrides });
    return { user, token: await apiToken(t, user.email) };
  }

  /** A new trainer enrolled in the fixture course through the API. */
  async function enrolled(overrides: Partial<User> = {}) {
    const who = await trainer(overrides);
    const res = await request(t.http)
      .post(`/api/v1/courses/${COURSE}/enrolments`)
      .set(bearer(who.token))
      .expect(201);
    return { ...who, id: res.body.id as string };
  }

  const api = (token: string) => ({
    get: (path: string) => request(t.http).get(`/api/v1${path}`).set(bearer(token)),
    post: (path: string, body?: object) =>
      request(t.http).post(`/api/v1${path}`).set(bearer(token)).send(body),
  });
  const complete = (token: string, id: string, lesson: string) =>
    api(token).post(`/enrolments/${id}/lessons/${lesson}/complete`);
  const attempt = (token: string, id: string, quiz: string, answers: unknown) =>
    api(token).post(`/enrolments/${id}/quizzes/${quiz}/attempts`, { answers });

  beforeAll(async () => {
    t = await createTestApp({ CONTENT_DIR: CONTENT });
    admin = await t.createUser('admin');
    adminToken = await apiToken(t, admin.email);
  });
  afterAll(() => t.close());

  describe('the catalogue API', () => {
    const expectedModules = [
      {
        slug: 'basics',
        title: 'The basics',
        deliverable: false,
        lessons: [
          { slug: 'welcome', title: 'Welcome', minutes: 5 },
          { slug: 'warning-signs', title: 'Warning signs', minutes: 10 },
        ],
        quizzes: [
          { slug: 'basics-check', kind: 'check' },
          { slug: 'pre-test', kind: 'pre' },
        ],
      },
      {
        slug: 'practice',
        title: 'In practice',
        deliverable: true,
        lessons: [{ slug: 'first-session', title: 'Your first session', minutes: 15 }],
        quizzes: [{ slug: 'post-test', kind: 'post' }],
      },
    ];

    it('lists the courses with their modules, lessons and quizzes', async () => {
      const { token } = await trainer();
      const res = await api(token).get('/courses').expect(200);
      expect(res.body.total).toBe(1);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0]).toMatchObject({
        slug: COURSE,
        version: 1,
        title: 'Tiny course',
        summary: 'A very small course for tests.',
      });
      expect(res.body.items[0].modules).toEqual(expectedModules.map((m) => expect.objectContaining(m)));
    });

    it('shows one course in the same shape, and in Spanish with ?lang=es', async () => {
      const { token } = await trainer();
      const en = await api(token).get(`/courses/${COURSE}`).expect(200);
      const listed = await api(token).get('/courses').expect(200);
      expect(en.body).toEqual(listed.body.items[0]);

      const es = await api(token).get(`/courses/${COURSE}?lang=es`).expect(200);
      expect(es.body).toMatchObject({
        slug: COURSE,
        title: 'Curso mínimo',
        summary: 'Un curso muy pequeño para las pruebas.',
      });
      expect(es.body.modules.map((m: { title: string }) => m.title)).toEqual(['Lo básico', 'En la práctica']);
      expect(
        es.body.modules.flatMap((m: { lessons: Array<{ title: string }> }) => m.lessons.map((l) => l.title)),
      ).toEqual(['Bienvenida', 'Señales de alerta', 'Su primera sesión']);
    });

    it('answers 404 for an unknown course and 401 without a token', async () => {
      await request(t.http).get(`/api/v1/courses/no-such-course`).set(bearer(adminToken)).expect(404);
      await request(t.http).get('/api/v1/courses').expect(401);
    });
  });

  describe('enrolment', () => {
    it('enrols a trainer once: 201 with the pinned version, then 409', async () => {
      const { token } = await trainer();
      const res = await api(token).post(`/courses/${COURSE}/enrolments`).expect(201);
      expect(res.body).toMatchObject({ courseSlug: COURSE, version: 1, status: 'enrolled' });
      expect(typeof res.body.id).toBe('string');
      const again = await api(token).post(`/courses/${COURSE}/enrolments`).expect(409);
      expect(again.body).toMatchObject({
        statusCode: 409,
        error: 'Conflict',
        message: 'You are already enrolled in this course.',
      });
    });

    it('refuses to enrol a manager (403) and answers 404 for an unknown course', async () => {
      const manager = await t.createUser('manager');
      const res = await api(await apiToken(t, manager.email))
        .post(`/courses/${COURSE}/enrolments`)
        .expect(403);
      expect(res.body.statusCode).toBe(403);
      const { token } = await trainer();
      const missing = await api(token).post('/courses/no-such-course/enrolments').expect(404);
      expect(missing.body.message).toBe('This course does not exist.');
    });

    it('shows an enrolment to its owner, an admin and a manager of the trainer’s country only', async () => {
      const owner = await enrolled({ countryCode: 'SV' });
      const mine = await api(owner.token).get(`/enrolments/${owner.id}`).expect(200);
      expect(mine.body).toEqual({
        id: owner.id,
        courseSlug: COURSE,
        version: 1,
        status: 'enrolled',
        percent: 0,
        completedLessons: [],
        quizResults: [
          { quizSlug: 'basics-check', kind: 'check', bestScore: null, passed: false, attempts: 0 },
          { quizSlug: 'pre-test', kind: 'pre', bestScore: null, passed: false, attempts: 0 },
          { quizSlug: 'post-test', kind: 'post', bestScore: null, passed: false, attempts: 0 },
        ],
      });

      const other = await trainer({ countryCode: 'SV' });
      const refused = await api(other.token).get(`/enrolments/${owner.id}`).expect(403);
      expect(refused.body.message).toBe('This enrolment belongs to someone else.');

      expect((await api(adminToken).get(`/enrolments/${owner.id}`).expect(200)).body.id).toBe(owner.id);

      const panama = await t.createUser('manager', { countryCode: 'PA' });
      await api(await apiToken(t, panama.email))
        .get(`/enrolments/${owner.id}`)
        .expect(403);
      const salvador = await t.createUser('manager', { countryCode: 'SV' });
      await api(await apiToken(t, salvador.email))
        .get(`/enrolments/${owner.id}`)
        .expect(200);

      await api(owner.token).get(`/enrolments/${randomUUID()}`).expect(404);
      await api(owner.token).get('/enrolments/not-an-id').expect(404);
    });
  });

  describe('lessons', () => {
    it('counts progress as completed lessons over all lessons, rounded, once per lesson', async () => {
      const { token, id } = await enrolled();
      const first = await complete(token, id, 'welcome').expect(200);
      expect(first.body).toMatchObject({
        id,
        status: 'in_progress',
        percent: 33,
        completedLessons: ['welcome'],
      });
      const twice = await complete(token, id, 'welcome').expect(200);
      expect(twice.body).toMatchObject({ percent: 33, completedLessons: ['welcome'] });
      const second = await complete(token, id, 'first-session').expect(200);
      expect(second.body).toMatchObject({ percent: 67, completedLessons: ['welcome', 'first-session'] });
      const all = await complete(token, id, 'warning-signs').expect(200);
      expect(all.body).toMatchObject({
        percent: 100,
        status: 'completed',
        completedLessons: ['welcome', 'warning-signs', 'first-session'],
      });
    });

    it('answers 404 for an unknown lesson and 403 for another user’s enrolment', async () => {
      const { token, id } = await enrolled();
      const missing = await complete(token, id, 'no-such-lesson').expect(404);
      expect(missing.body.message).toBe('This lesson is not part of the course.');
      const other = await trainer();
      await complete(other.token, id, 'welcome').expect(403);
      await complete(adminToken, id, 'welcome').expect(403);
      expect((await api(token).get(`/enrolments/${id}`).expect(200)).body).toMatchObject({
        percent: 0,
        completedLessons: [],
      });
    });

    it('lists the enrolment with its percent in GET /me', async () => {
      const { token, id } = await enrolled();
      await complete(token, id, 'welcome').expect(200);
      const me = await api(token).get('/me').expect(200);
      expect(me.body.enrolments).toEqual([{ id, courseSlug: COURSE, percent: 33, status: 'in_progress' }]);
    });
  });

  describe('quizzes', () => {
    it('shows quiz questions and options without answers', async () => {
      const { token, id } = await enrolled();
      for (const quiz of ['pre-test', 'basics-check', 'post-test']) {
        const res = await api(token).get(`/enrolments/${id}/quizzes/${quiz}`).expect(200);
        expect(res.text).not.toMatch(/correct/i);
        expect(res.body.questions.length).toBeGreaterThan(0);
      }
      const check = await api(token).get(`/enrolments/${id}/quizzes/basics-check`).expect(200);
      // Options come in the sitting's shuffled order.
      const sorted = (options: Array<{ id: string }>) =>
        [...options].sort((x, y) => x.id.localeCompare(y.id));
      expect(
        check.body.questions.map((q: { options: Array<{ id: string }> }) => ({
          ...q,
          options: sorted(q.options),
        })),
      ).toEqual([
        {
          id: 'signs',
          text: 'Which are warning signs?',
          multiple: true,
          options: [
            { id: 'a', text: 'Sudden absences' },
            { id: 'b', text: 'Good marks' },
            { id: 'c', text: 'New expensive gifts' },
          ],
        },
      ]);
      const es = await api(token).get(`/enrolments/${id}/quizzes/basics-check?lang=es`).expect(200);
      expect(es.body.questions[0].text).toBe('¿Cuáles son señales de alerta?');
      await api(token).get(`/enrolments/${id}/quizzes/no-such-quiz`).expect(404);
      const other = await trainer();
      await api(other.token).get(`/enrolments/${id}/quizzes/basics-check`).expect(403);
    });

    it('scores all-correct answers 100 and a multiple-choice answer missing one correct option as wrong', async () => {
      const { token, id } = await enrolled();
      const right = await attempt(token, id, 'basics-check', ALL_RIGHT.check).expect(201);
      expect(right.body).toEqual({ score: 100, passed: true, attemptNumber: 1 });
      const partial = await attempt(token, id, 'basics-check', { signs: ['a'] }).expect(201);
      expect(partial.body).toEqual({ score: 0, passed: false, attemptNumber: 2 });
      const extra = await attempt(token, id, 'basics-check', { signs: ['a', 'b', 'c'] }).expect(201);
      expect(extra.body).toEqual({ score: 0, passed: false, attemptNumber: 3 });
      const result = (await api(token).get(`/enrolments/${id}`).expect(200)).body.quizResults.find(
        (r: { quizSlug: string }) => r.quizSlug === 'basics-check',
      );
      expect(result).toEqual({
        quizSlug: 'basics-check',
        kind: 'check',
        bestScore: 100,
        passed: true,
        attempts: 3,
      });
    });

    it('refuses malformed answers with 400 listing each bad field, and records nothing', async () => {
      const { token, id } = await enrolled();
      const cases: Array<[string, unknown, string]> = [
        ['an unknown question', { nope: ['a'] }, 'answers.nope'],
        ['an unknown option', { q1: ['z'] }, 'answers.q1'],
        ['not a list', { q1: 'a' }, 'answers.q1'],
        ['two options on a single-choice question', { q1: ['a', 'b'] }, 'answers.q1'],
      ];
      for (const [label, answers, field] of cases) {
        const res = await attempt(token, id, 'post-test', answers);
        expect({ label, status: res.status }).toEqual({ label, status: 400 });
        expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expect({ label, fields: Object.keys(res.body.fields) }).toEqual({ label, fields: [field] });
        expect(res.body.message).toEqual([
          expect.stringMatching(new RegExp(`^${field.replace('.', '\\.')}: `)),
        ]);
      }
      const both = await attempt(token, id, 'post-test', { q1: ['a', 'b'], q2: ['x'] }).expect(400);
      expect(Object.keys(both.body.fields).sort()).toEqual(['answers.q1', 'answers.q2']);
      expect(both.body.fields['answers.q1']).toEqual(['Choose only one option for this question.']);
      expect(both.body.fields['answers.q2']).toEqual([
        'One of the options does not belong to this question.',
      ]);

      for (const body of [{ answers: ['a'] }, { answers: 'q1=a' }, { answers: null }, {}]) {
        const res = await api(token).post(`/enrolments/${id}/quizzes/post-test/attempts`, body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(Object.keys(res.body.fields)).toEqual(['answers']);
      }
      const post = (await api(token).get(`/enrolments/${id}`).expect(200)).body.quizResults.find(
        (r: { quizSlug: string }) => r.quizSlug === 'post-test',
      );
      expect(post.attempts).toBe(0);
    });

    it('limits post-test attempts to maxAttempts (then 422) and counts the best score', async () => {
      const { token, id } = await enrolled();
      const right = await drawnAnswers(api(token), id, 'post-test');
      expect(
        (await api(token).post(`/enrolments/${id}/quizzes/post-test/attempts`, right).expect(201)).body,
      ).toEqual({ score: 100, passed: true, attemptNumber: 1 });
      // Three drawn questions (two anchors and one other): one right, one wrong, one unanswered.
      expect((await attempt(token, id, 'post-test', { q1: ['a'], q2: ['a'] }).expect(201)).body).toEqual({
        score: 33,
        passed: false,
        attemptNumber: 2,
      });
      const third = await attempt(token, id, 'post-test', ALL_RIGHT.post).expect(422);
      expect(third.body).toMatchObject({
        statusCode: 422,
        message: 'You have used all the attempts for this quiz (2).',
      });
      const quiz = await api(token).get(`/enrolments/${id}/quizzes/post-test`).expect(200);
      expect(quiz.body).toMatchObject({ attemptsUsed: 2, open: false });
      const results = (await api(token).get(`/enrolments/${id}`).expect(200)).body.quizResults;
      expect(results).toContainEqual({
        quizSlug: 'post-test',
        kind: 'post',
        bestScore: 100,
        passed: true,
        attempts: 2,
      });
    });

    it('allows one pre-test attempt, taken before the first lesson', async () => {
      const { token, id } = await enrolled();
      expect((await attempt(token, id, 'pre-test', { q1: ['a'], q2: ['a'] }).expect(201)).body).toEqual({
        score: 50,
        passed: false,
        attemptNumber: 1,
      });
      const again = await attempt(token, id, 'pre-test', ALL_RIGHT.pre).expect(422);
      expect(again.body.message).toBe('You have used all the attempts for this quiz (1).');
      await complete(token, id, 'welcome').expect(200);
      const results = (await api(token).get(`/enrolments/${id}`).expect(200)).body.quizResults;
      expect(results).toContainEqual({
        quizSlug: 'pre-test',
        kind: 'pre',
        bestScore: 50,
        passed: false,
        attempts: 1,
      });
    });

    it('closes the pre-test once a lesson is completed if it was not taken', async () => {
      const { token, id } = await enrolled();
      expect((await api(token).get(`/enrolments/${id}/quizzes/pre-test`).expect(200)).body).toMatchObject({
        open: true,
        attemptsUsed: 0,
      });
      await complete(token, id, 'welcome').expect(200);
      expect((await api(token).get(`/enrolments/${id}/quizzes/pre-test`).expect(200)).body).toMatchObject({
        open: false,
        attemptsUsed: 0,
      });
      const closed = await attempt(token, id, 'pre-test', ALL_RIGHT.pre).expect(422);
      expect(closed.body).toMatchObject({
        statusCode: 422,
        message: 'The pre-test closed when you completed your first lesson.',
      });
      // Other quizzes stay open.
      await attempt(token, id, 'basics-check', ALL_RIGHT.check).expect(201);
    });

    it('refuses attempts on another user’s enrolment', async () => {
      const { id } = await enrolled();
      const other = await trainer();
      await attempt(other.token, id, 'basics-check', ALL_RIGHT.check).expect(403);
      await attempt(adminToken, id, 'basics-check', ALL_RIGHT.check).expect(403);
    });
  });

  describe('pages', () => {
    let user: User;
    let agent: Agent;
    let enrolmentId: string;

    /** Posts a page form with the CSRF token of `page` (a GET path) and the extra fields; expects `status`. */
    async function submit(page: string, action: string, fields: string, status: number) {
      const csrf = csrfFrom((await agent.get(page).expect(200)).text);
      return agent
        .post(action)
        .type('form')
        .send(`_csrf=${encodeURIComponent(csrf)}${fields ? `&${fields}` : ''}`)
        .expect(status);
    }

    beforeAll(async () => {
      user = await t.createUser('trainer', { countryCode: 'SV' });
      agent = await pageAgent(t, user.email);
    });

    it('lists the course on /courses', async () => {
      const page = await agent.get('/courses').expect(200);
      expect(page.text).toContain(`<a href="/courses/${COURSE}">Tiny course</a>`);
      expect(page.text).toContain('A very small course for tests.');
    });

    it('shows the certification rule in plain words and an enrol button to a trainer', async () => {
      const page = await agent.get(`/courses/${COURSE}`).expect(200);
      for (const line of [
        'Complete every lesson.',
        'Pass the post-test with at least 70%.',
        'Attend at least 80% of the TOT workshop days.',
        'Pass the practicum: teach a segment to the group (teach-back).',
        'The certification is valid for 24 months and can be renewed.',
      ]) {
        expect(page.text).toContain(`<li>${line}</li>`);
      }
      expect(page.text).toContain(`action="/courses/${COURSE}/enrol"`);
      expect(page.text).toContain('Enrol in this course');
    });

    it('shows no enrol button to a manager', async () => {
      const manager = await t.createUser('manager');
      const page = await (await pageAgent(t, manager.email)).get(`/courses/${COURSE}`).expect(200);
      expect(page.text).toContain('Pass the post-test with at least 70%.');
      expect(page.text).not.toContain('/enrol"');
      expect(page.text).not.toContain('Enrol in this course');
    });

    it('enrols from the course page and invites the trainer to take the pre-test first', async () => {
      const res = await submit(`/courses/${COURSE}`, `/courses/${COURSE}/enrol`, '', 303);
      const match = /^\/learn\/([0-9a-f-]{36})$/.exec(res.headers.location);
      expect(match).not.toBeNull();
      enrolmentId = match![1];
      const page = await agent.get(`/learn/${enrolmentId}`).expect(200);
      expect(page.text).toContain('You are enrolled. Start with the pre-test.');
      expect(page.text).toContain('Take the pre-test first');
      expect(page.text).toContain(`href="/learn/${enrolmentId}/quizzes/pre-test"`);
    });

    it('shows single-choice questions as radio buttons and multiple-choice as checkboxes, never the answers', async () => {
      const pre = await agent.get(`/learn/${enrolmentId}/quizzes/pre-test`).expect(200);
      expect(pre.text).toContain('<input type="radio" id="a-q1-a" name="a.q1" value="a">');
      expect(pre.text).toContain('<input type="radio" id="a-q2-b" name="a.q2" value="b">');
      expect(pre.text).not.toContain('type="checkbox"');
      const check = await agent.get(`/learn/${enrolmentId}/quizzes/basics-check`).expect(200);
      expect(check.text).toContain('<input type="checkbox" id="a-signs-a" name="a.signs" value="a">');
      expect(check.text).toContain('<input type="checkbox" id="a-signs-c" name="a.signs" value="c">');
      expect(check.text).not.toContain('type="radio"');
      for (const page of [
        pre,
        check,
        await agent.get(`/learn/${enrolmentId}/quizzes/post-test`).expect(200),
      ]) {
        expect(page.text).not.toMatch(/correct/i);
      }
    });

    it('submits the pre-test form to a result page that shows no correct answers', async () => {
      const quiz = `/learn/${enrolmentId}/quizzes/pre-test`;
      const res = await submit(quiz, quiz, 'a.q1=a&a.q2=a', 303);
      expect(res.headers.location).toBe(`${quiz}/result?attempt=1`);
      const result = await agent.get(res.headers.location).expect(200);
      expect(result.text).toContain('Your score: 50%');
      expect(result.text).toContain('The pre-test is your starting point');
      expect(result.text).not.toMatch(/correct answer|Certified trainers|No, it is a clue/);
      expect(result.text).not.toContain('Try again');
      const overview = await agent.get(`/learn/${enrolmentId}`).expect(200);
      expect(overview.text).not.toContain('Take the pre-test first');
      expect(overview.text).toContain(`href="/learn/${enrolmentId}/lessons/welcome"`);
    });

    it('submits a check quiz with several checkboxes and shows the correct answers on its result page', async () => {
      const quiz = `/learn/${enrolmentId}/quizzes/basics-check`;
      const res = await submit(quiz, quiz, 'a.signs=a&a.signs=b', 303);
      expect(res.headers.location).toBe(`${quiz}/result?attempt=1`);
      const result = await agent.get(res.headers.location).expect(200);
      expect(result.text).toContain('Your score: 0%');
      expect(result.text).toContain('Not right');
      expect(result.text).toMatch(
        /Sudden absences <em>\(your choice\)<\/em> <strong>✓ correct answer<\/strong>/,
      );
      expect(result.text).toMatch(/Good marks <em>\(your choice\)<\/em><\/li>/);
      expect(result.text).toMatch(/New expensive gifts <strong>✓ correct answer<\/strong>/);
      const api = await request(t.http)
        .get(`/api/v1/enrolments/${enrolmentId}`)
        .set(bearer(await apiToken(t, user.email)))
        .expect(200);
      expect(api.body.quizResults).toContainEqual({
        quizSlug: 'basics-check',
        kind: 'check',
        bestScore: 0,
        passed: false,
        attempts: 1,
      });
    });

    it('shows previous and next links on a lesson page', async () => {
      const page = await agent.get(`/learn/${enrolmentId}/lessons/warning-signs`).expect(200);
      expect(page.text).toContain('<h1 id="lesson-title">Warning signs</h1>');
      expect(page.text).toContain(`<a rel="prev" href="/learn/${enrolmentId}/lessons/welcome">← Welcome</a>`);
      expect(page.text).toContain(
        `<a rel="next" href="/learn/${enrolmentId}/lessons/first-session">Your first session →</a>`,
      );
      const first = await agent.get(`/learn/${enrolmentId}/lessons/welcome`).expect(200);
      expect(first.text).not.toContain('rel="prev"');
      const last = await agent.get(`/learn/${enrolmentId}/lessons/first-session`).expect(200);
      expect(last.text).not.toContain('rel="next"');
    });

    it('marks a lesson complete with a plain form and goes on to the next lesson', async () => {
      const lesson = `/learn/${enrolmentId}/lessons/welcome`;
      const before = await agent.get(lesson).expect(200);
      expect(before.text).toContain(`<form method="post" action="${lesson}/complete"`);
      expect(before.text).toContain('Mark this lesson as complete');
      const res = await submit(lesson, `${lesson}/complete`, '', 303);
      expect(res.headers.location).toBe(`/learn/${enrolmentId}/lessons/warning-signs`);
      const next = await agent.get(res.headers.location).expect(200);
      expect(next.text).toContain('Lesson completed. Here is the next one.');
      const after = await agent.get(lesson).expect(200);
      expect(after.text).not.toContain('Mark this lesson as complete');
      expect(after.text).toContain('Completed');
      const overview = await agent.get(`/learn/${enrolmentId}`).expect(200);
      expect(overview.text).toContain('1 of 3 lessons completed');
    });

    it('refuses another user’s learning pages with a 403 page', async () => {
      const other = await pageAgent(t, (await t.createUser('trainer')).email);
      for (const path of [
        `/learn/${enrolmentId}`,
        `/learn/${enrolmentId}/lessons/welcome`,
        `/learn/${enrolmentId}/quizzes/post-test`,
      ]) {
        const res = await other.get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
        expect(res.text).toContain('This enrolment belongs to someone else.');
        expect(res.text).not.toContain('Welcome to the tiny course.');
      }
    });

    it('shows the Spanish lesson with ?lang=es', async () => {
      const page = await agent.get(`/learn/${enrolmentId}/lessons/welcome?lang=es`).expect(200);
      expect(page.text).toContain('<h1 id="lesson-title">Bienvenida</h1>');
      expect(page.text).toContain('Bienvenida al curso mínimo.');
      expect(page.text).toContain('<h2>Objetivo</h2>');
      expect(page.text).not.toContain('Welcome to the tiny course.');
      // Back to English for the rest (?lang= also saved the preference).
      await agent.get(`/learn/${enrolmentId}?lang=en`).expect(200);
    });

    it('fills the referral contacts placeholder: a note until configured, then the country’s contacts, escaped', async () => {
      const lesson = `/learn/${enrolmentId}/lessons/warning-signs`;
      const before = await agent.get(lesson).expect(200);
      expect(before.text).toContain('Your program has not entered local referral contacts yet.');
      expect(before.text).not.toContain('{{local-referral-contacts}}');

      const adminAgent = await pageAgent(t, admin.email);
      const csrf = csrfFrom((await adminAgent.get('/admin/content').expect(200)).text);
      const saved = await adminAgent
        .post('/admin/content/contacts')
        .type('form')
        .send({ _csrf: csrf, countryCode: 'sv', textEn: '<b>Línea</b> 123', textEs: '<b>Línea</b> 456' })
        .expect(303);
      expect(saved.headers.location).toBe('/admin/content#contacts');

      const after = await agent.get(lesson).expect(200);
      expect(after.text).toContain('&lt;b&gt;Línea&lt;/b&gt; 123');
      expect(after.text).not.toContain('<b>Línea</b>');
      expect(after.text).not.toContain('Your program has not entered local referral contacts yet.');
      const es = await agent.get(`${lesson}?lang=es`).expect(200);
      expect(es.text).toContain('&lt;b&gt;Línea&lt;/b&gt; 456');
      await agent.get(`${lesson}?lang=en`).expect(200);

      // A trainer of another country still sees the note.
      const panama = await enrolled({ countryCode: 'PA' });
      const other = await pageAgent(t, panama.user.email);
      const theirs = await other.get(`/learn/${panama.id}/lessons/warning-signs`).expect(200);
      expect(theirs.text).toContain('Your program has not entered local referral contacts yet.');
      expect(theirs.text).not.toContain('Línea');
    });
  });
});
