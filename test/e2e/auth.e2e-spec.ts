import { createHmac, randomUUID } from 'node:crypto';
import request from 'supertest';
import { LinkTokensService } from '../../src/auth/link-tokens.service';
import { hashPassword } from '../../src/auth/password';
import {
  RESET_REQUESTS_PER_ADDRESS,
  RESET_REQUESTS_PER_EMAIL,
  TOKEN_FAILURES_PER_ACCOUNT,
  TOKEN_FAILURES_PER_ADDRESS,
} from '../../src/common/http/rate-limiter';
import { OutboxMessage } from '../../src/mail/outbox-message.entity';
import { User } from '../../src/users/user.entity';
import { createTestApp, TestApp, TEST_PASSWORD } from '../support/create-test-app';
import { apiToken, csrfFrom, csrfOf, pageAgent } from '../support/login';

const MINUTE = 60_000;
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const payloadOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { sub: string; sid: string };

/** A JWT built by hand (no library), so the tests control every part of it. */
function handMadeJwt(payload: object, key: string | null, alg = 'HS256'): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg, typ: 'JWT' });
  const body = b64({ iat: now, exp: now + 3600, ...payload });
  const signature =
    key === null ? '' : createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

/** The value of the session cookie a response set. */
function sessionCookie(res: request.Response): string {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = cookies.find((c) => c.startsWith('cascada_session='));
  if (!cookie) throw new Error('no session cookie set');
  return cookie.split(';')[0];
}

describe('authentication', () => {
  let t: TestApp;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const login = (email: string, password: string) =>
    request(t.http).post('/api/v1/auth/login').send({ email, password });

  beforeAll(async () => {
    t = await createTestApp();
  }, 30_000); // the app's start-up (migrations, content import) plus this file's fixtures
  afterAll(() => t?.close());

  describe('API login', () => {
    it('answers 200 with an access token and the user', async () => {
      const user = await t.createUser('trainer', { name: 'Tomás Trainer' });
      const res = await login(user.email, TEST_PASSWORD).expect(200);
      expect(res.body).toMatchObject({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        user: { id: user.id, email: user.email, name: 'Tomás Trainer', role: 'trainer' },
      });
      expect(res.body.user).not.toHaveProperty('passwordHash');
      await request(t.http).get('/api/v1/me').set(bearer(res.body.accessToken)).expect(200);
    });

    it('answers 401 with the same JSON error for a wrong password and an unknown email', async () => {
      const user = await t.createUser('trainer');
      const wrong = await login(user.email, 'not the password').expect(401);
      const unknown = await login('nobody-here@example.org', TEST_PASSWORD).expect(401);
      const expected = {
        statusCode: 401,
        error: 'Unauthorized',
        message: 'The email or password is not correct.',
      };
      expect(wrong.body).toMatchObject(expected);
      expect(unknown.body).toEqual(wrong.body);
      expect(wrong.body).not.toHaveProperty('accessToken');
    });

    it('answers 400 listing every missing field', async () => {
      const res = await request(t.http).post('/api/v1/auth/login').send({}).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      // One line per problem, each naming its field (the same message is not repeated).
      expect(res.body.message).toEqual([
        'email: This field is required.',
        'password: This field is required.',
      ]);
      expect(res.body.fields).toEqual({
        email: ['This field is required.'],
        password: ['This field is required.'],
      });
      const partly = await request(t.http)
        .post('/api/v1/auth/login')
        .send({ email: 'a@example.org' })
        .expect(400);
      expect(Object.keys(partly.body.fields)).toEqual(['password']);
    });
  });

  describe('sessions end', () => {
    it('refuses the same Bearer token after API logout', async () => {
      const user = await t.createUser('trainer');
      const token = await apiToken(t, user.email);
      const other = await apiToken(t, user.email);
      await request(t.http).get('/api/v1/me').set(bearer(token)).expect(200);
      await request(t.http).post('/api/v1/auth/logout').set(bearer(token)).expect(204);
      const replay = await request(t.http).get('/api/v1/me').set(bearer(token)).expect(401);
      expect(replay.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      await request(t.http).post('/api/v1/auth/logout').set(bearer(token)).expect(401);
      // Only that session ended.
      await request(t.http).get('/api/v1/me').set(bearer(other)).expect(200);
    });

    it('refuses the same cookie after page logout', async () => {
      const user = await t.createUser('coordinator');
      const agent = request.agent(t.http);
      const page = await agent.get('/login').expect(200);
      const signedIn = await agent
        .post('/login')
        .type('form')
        .send({ email: user.email, password: TEST_PASSWORD, _csrf: csrfFrom(page.text) })
        .expect(303);
      const cookie = sessionCookie(signedIn);
      await request(t.http).get('/account').set('Cookie', cookie).expect(200);

      const out = await agent
        .post('/logout')
        .type('form')
        .send({ _csrf: await csrfOf(agent, '/account') })
        .expect(303);
      expect(out.headers.location).toBe('/login');
      const replay = await request(t.http).get('/account').set('Cookie', cookie).expect(303);
      expect(replay.headers.location).toBe('/login?next=%2Faccount');
    });

    it('refuses a disabled user’s existing token and cookie', async () => {
      const admin = await pageAgent(t, (await t.createUser('admin')).email);
      const user = await t.createUser('trainer');
      const token = await apiToken(t, user.email);
      const browser = await pageAgent(t, user.email);
      await request(t.http).get('/api/v1/me').set(bearer(token)).expect(200);

      await admin
        .post(`/admin/users/${user.id}/disable`)
        .type('form')
        .send({ _csrf: await csrfOf(admin, `/admin/users/${user.id}`) })
        .expect(303);
      await request(t.http).get('/api/v1/me').set(bearer(token)).expect(401);
      expect((await browser.get('/').expect(303)).headers.location).toBe('/login?next=%2F');
      await login(user.email, TEST_PASSWORD).expect(401);
    });

    it('refuses the token as soon as the account is disabled, even with its session still open', async () => {
      const user = await t.createUser('trainer');
      const token = await apiToken(t, user.email);
      await request(t.http).get('/api/v1/me').set(bearer(token)).expect(200);
      await t.db.transaction((tx) => tx.update(User, { id: user.id }, { status: 'disabled' }));
      await request(t.http).get('/api/v1/me').set(bearer(token)).expect(401);
    });

    it('refuses a token once its session has expired (12 hours)', async () => {
      const user = await t.createUser('trainer');
      const token = await apiToken(t, user.email);
      const start = t.clock.now();
      try {
        t.clock.advance(12 * 60 * MINUTE - 1_000);
        await request(t.http).get('/api/v1/me').set(bearer(token)).expect(200);
        t.clock.advance(2_000);
        await request(t.http).get('/api/v1/me').set(bearer(token)).expect(401);
      } finally {
        t.clock.set(start);
      }
    });
  });

  describe('forged tokens', () => {
    let user: User;
    let sid: string;
    beforeAll(async () => {
      user = await t.createUser('admin');
      sid = payloadOf(await apiToken(t, user.email)).sid;
    });

    it('accepts a hand-made token with the right key and an open session (the control case)', async () => {
      const token = handMadeJwt({ sub: user.id, sid }, t.config.jwtSecret);
      const me = await request(t.http).get('/api/v1/me').set(bearer(token)).expect(200);
      expect(me.body.id).toBe(user.id);
    });

    it('refuses a token signed with another key', async () => {
      const token = handMadeJwt({ sub: user.id, sid }, 'another-secret-that-is-long-enough-0123456789');
      await request(t.http).get('/api/v1/me').set(bearer(token)).expect(401);
      await request(t.http).get('/admin/users').set('Cookie', `cascada_session=${token}`).expect(303);
    });

    it('refuses an unsigned token (alg: none)', async () => {
      await request(t.http)
        .get('/api/v1/me')
        .set(bearer(handMadeJwt({ sub: user.id, sid }, null, 'none')))
        .expect(401);
      await request(t.http)
        .get('/api/v1/me')
        .set(bearer(handMadeJwt({ sub: user.id, sid }, null, 'None')))
        .expect(401);
    });

    it('refuses a correctly signed token whose session does not exist or belongs to someone else', async () => {
      await request(t.http)
        .get('/api/v1/me')
        .set(bearer(handMadeJwt({ sub: user.id, sid: randomUUID() }, t.config.jwtSecret)))
        .expect(401);
      const other = await t.createUser('trainer');
      await request(t.http)
        .get('/api/v1/me')
        .set(bearer(handMadeJwt({ sub: other.id, sid }, t.config.jwtSecret)))
        .expect(401);
      await request(t.http)
        .get('/api/v1/me')
        .set(bearer(handMadeJwt({ sub: user.id }, t.config.jwtSecret)))
        .expect(401);
    });
  });

  describe('cookie for pages, Bearer for the API', () => {
    it('does not sign a page in with a Bearer token', async () => {
      const user = await t.createUser('admin');
      const token = await apiToken(t, user.email);
      const res = await request(t.http).get('/admin/users').set(bearer(token)).expect(303);
      expect(res.headers.location).toBe('/login?next=%2Fadmin%2Fusers');
    });

    it('answers 401 to an API call that carries only the session cookie', async () => {
      const user = await t.createUser('admin');
      const agent = request.agent(t.http);
      const page = await agent.get('/login');
      const signedIn = await agent
        .post('/login')
        .type('form')
        .send({ email: user.email, password: TEST_PASSWORD, _csrf: csrfFrom(page.text) })
        .expect(303);
      await agent.get('/admin/users').expect(200);
      await agent.get('/api/v1/me').expect(401);
      await request(t.http).get('/api/v1/me').set('Cookie', sessionCookie(signedIn)).expect(401);
      await agent
        .post('/api/v1/users')
        .send({ email: 'csrf-victim@example.org', name: 'Victim', role: 'admin' })
        .expect(401);
      expect(await t.db.manager.findOne(User, { where: { email: 'csrf-victim@example.org' } })).toBeNull();
    });
  });

  describe('throttling', () => {
    it('refuses the 11th attempt for one email with 429, even with the right password, until 15 minutes pass', async () => {
      const user = await t.createUser('trainer', { email: 'throttled@example.org' });
      const bystander = await t.createUser('trainer');
      const start = t.clock.now();
      try {
        for (let i = 0; i < 10; i++) {
          // The count is per email whatever its case.
          await login(i % 2 ? user.email : user.email.toUpperCase(), `wrong password ${i}`).expect(401);
        }
        const blocked = await login(user.email, TEST_PASSWORD).expect(429);
        expect(blocked.body).toMatchObject({
          statusCode: 429,
          error: 'Too Many Requests',
          message: expect.stringContaining('Too many attempts'),
        });
        expect(blocked.body).not.toHaveProperty('accessToken');
        // Other people on the same address are not affected.
        await login(bystander.email, TEST_PASSWORD).expect(200);

        t.clock.advance(14 * MINUTE);
        await login(user.email, TEST_PASSWORD).expect(429);
        t.clock.advance(1 * MINUTE);
        await login(user.email, TEST_PASSWORD).expect(200);
      } finally {
        t.clock.set(start);
      }
    });

    it('counts failures for an email that has no account the same way', async () => {
      const start = t.clock.now();
      try {
        for (let i = 0; i < 10; i++) await login('ghost@example.org', `guess ${i}`).expect(401);
        await login('ghost@example.org', 'guess 11').expect(429);
        t.clock.advance(15 * MINUTE);
        await login('ghost@example.org', 'guess 12').expect(401);
      } finally {
        t.clock.set(start);
      }
    });

    it('lets a workshop room of 30 people behind one address sign in within the same minute, typos included', async () => {
      // 30 accounts sharing one password hash (hashing 30 times would only slow the test down).
      const passwordHash = await hashPassword(TEST_PASSWORD);
      const now = t.clock.now();
      const room = Array.from({ length: 30 }, (_, i) =>
        t.db.manager.create(User, {
          email: `room.${i}@example.org`,
          name: `Participant ${i}`,
          role: 'trainer',
          status: 'active',
          passwordHash,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await t.db.transaction((tx) => tx.insert(User, room));
      const typos = await Promise.all(room.map((person) => login(person.email, 'first try typo')));
      expect(typos.map((r) => r.status)).toEqual(room.map(() => 401));
      const results = await Promise.all(room.map((person) => login(person.email, TEST_PASSWORD)));
      expect(results.map((r) => r.status)).toEqual(room.map(() => 200));
    }, 20_000);
  });

  // Requests fired at once: a limit that checks before it counts lets them all pass the check.
  describe('limits under concurrent requests', () => {
    const EXTRA = 8;
    const burst = <T>(n: number, make: (i: number) => Promise<T>) =>
      Promise.all(Array.from({ length: n }, (_, i) => make(i)));
    const statusCounts = (answers: request.Response[]) =>
      answers.reduce<Record<number, number>>(
        (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
        {},
      );
    const invitationFor = async (userId: string) =>
      t.db.transaction((tx) => t.app.get(LinkTokensService).issue(tx, userId, 'invitation'));
    // Every request here comes from 127.0.0.1: start and end each test with fresh counters.
    const clearCounters = () => t.db.manager.query('DELETE FROM rate_limit_buckets');
    beforeEach(clearCounters);
    afterEach(clearCounters);

    it('lets no more than the per-address limit of bad invitation tokens be checked when they arrive at once', async () => {
      const answers = await burst(TOKEN_FAILURES_PER_ADDRESS.max + EXTRA, (i) =>
        request(t.http)
          .post('/api/v1/auth/accept-invitation')
          .send({ token: `not-a-real-token-${i}-${randomUUID()}`, password: TEST_PASSWORD }),
      );
      const counts = statusCounts(answers);
      expect(Object.keys(counts).sort()).toEqual(['400', '429']);
      expect(counts[400]).toBeLessThanOrEqual(TOKEN_FAILURES_PER_ADDRESS.max);
      expect(counts[400] + counts[429]).toBe(TOKEN_FAILURES_PER_ADDRESS.max + EXTRA);
    });

    it('lets no more than the per-account limit of refused passwords through for one invitation at once, and keeps the token usable after the window', async () => {
      const invited = await t.createUser('trainer');
      const token = await invitationFor(invited.id);
      const start = t.clock.now();
      try {
        const answers = await burst(TOKEN_FAILURES_PER_ACCOUNT.max + EXTRA, () =>
          request(t.http).post('/api/v1/auth/accept-invitation').send({ token, password: 'short' }),
        );
        const counts = statusCounts(answers);
        expect(Object.keys(counts).sort()).toEqual(['400', '429']);
        expect(counts[400]).toBeLessThanOrEqual(TOKEN_FAILURES_PER_ACCOUNT.max);
        // A good token is not a failure of the address: the burst above did not use up its budget.
        await request(t.http).get(`/invite/${token}`).expect(200);
        t.clock.advance(TOKEN_FAILURES_PER_ACCOUNT.windowMs);
        await request(t.http)
          .post('/api/v1/auth/accept-invitation')
          .send({ token, password: TEST_PASSWORD })
          .expect(200);
      } finally {
        t.clock.set(start);
      }
    });

    it('does not count good invitation tokens against the address: a room of 40 can open theirs', async () => {
      const room = await burst(TOKEN_FAILURES_PER_ADDRESS.max + 10, () => t.createUser('trainer'));
      const tokens = await Promise.all(room.map((person) => invitationFor(person.id)));
      for (const token of tokens) await request(t.http).get(`/invite/${token}`).expect(200);
      // The address still has its whole budget for bad tokens.
      for (let i = 0; i < TOKEN_FAILURES_PER_ADDRESS.max; i++)
        await request(t.http).get(`/invite/not-a-real-token-${i}-${randomUUID()}`).expect(400);
      await request(t.http).get(`/invite/not-a-real-token-${randomUUID()}`).expect(429);
    }, 20_000);

    it('lets no more than the per-address limit of reset requests through when they arrive at once', async () => {
      const answers = await burst(RESET_REQUESTS_PER_ADDRESS.max + EXTRA, (i) =>
        request(t.http)
          .post('/api/v1/auth/password-reset')
          .send({ email: `nobody.${i}@example.org` }),
      );
      const counts = statusCounts(answers);
      expect(Object.keys(counts).sort()).toEqual(['202', '429']);
      expect(counts[202]).toBeLessThanOrEqual(RESET_REQUESTS_PER_ADDRESS.max);
    }, 20_000);

    it('mails no more than the per-email limit of reset links when requests for one account arrive at once', async () => {
      const user = await t.createUser('trainer');
      const answers = await burst(RESET_REQUESTS_PER_EMAIL.max + EXTRA, () =>
        request(t.http).post('/api/v1/auth/password-reset').send({ email: user.email }),
      );
      expect(answers.map((r) => r.status)).toEqual(answers.map(() => 202));
      const mails = await t.db.manager.count(OutboxMessage, {
        where: { toAddress: user.email, template: 'password-reset' },
      });
      expect(mails).toBeGreaterThan(0);
      expect(mails).toBeLessThanOrEqual(RESET_REQUESTS_PER_EMAIL.max);
    });
  });

  describe('page login', () => {
    async function loginWithNext(next: string): Promise<string | undefined> {
      const user = await t.createUser('manager');
      const agent = request.agent(t.http);
      const page = await agent.get(`/login?next=${encodeURIComponent(next)}`).expect(200);
      const res = await agent
        .post(`/login?next=${encodeURIComponent(next)}`)
        .type('form')
        .send({ email: user.email, password: TEST_PASSWORD, _csrf: csrfFrom(page.text) })
        .expect(303);
      return res.headers.location;
    }

    it('follows a same-site `next` path after login', async () => {
      expect(await loginWithNext('/admin/users?role=trainer')).toBe('/admin/users?role=trainer');
    });

    it('never follows `next` off the site', async () => {
      for (const next of [
        '//evil.example',
        '/\\evil.example',
        'https://evil.example/',
        'evil.example',
        '/\t/evil.example',
        'javascript:alert(1)',
      ]) {
        expect({ next, location: await loginWithNext(next) }).toEqual({ next, location: '/' });
      }
    });

    it('re-renders the form with 401 and the typed email on bad credentials', async () => {
      const agent = request.agent(t.http);
      const page = await agent.get('/login');
      const res = await agent
        .post('/login')
        .type('form')
        .send({ email: 'who@example.org', password: 'nope nope', _csrf: csrfFrom(page.text) })
        .expect(401);
      expect(res.text).toContain('The email or password is not correct.');
      expect(res.text).toContain('value="who@example.org"');
      expect(res.text).not.toContain('nope nope');
      expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('cascada_session=');
    });
  });
});
