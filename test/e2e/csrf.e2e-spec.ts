import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { IsNull } from 'typeorm';
import { UserSession } from '../../src/auth/user-session.entity';
import { User } from '../../src/users/user.entity';
import { createTestApp, TestApp, TEST_PASSWORD } from '../support/create-test-app';
import { csrfFrom, csrfOf, pageAgent } from '../support/login';

type Agent = ReturnType<typeof request.agent>;
const CSRF_MESSAGE = 'This form has expired or did not come from Cascada.';

describe('CSRF protection of page forms', () => {
  let t: TestApp;
  let admin: User;
  let adminAgent: Agent;
  /** A token that is valid, but for another visitor (another browser). */
  let strangersToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin');
    adminAgent = await pageAgent(t, admin.email);
    const stranger = request.agent(t.http);
    strangersToken = csrfFrom((await stranger.get('/login')).text);
  }, 30_000); // the app's start-up (migrations, content import) plus this file's fixtures
  afterAll(() => t?.close());

  const openSessions = (userId: string) =>
    t.db.manager.count(UserSession, { where: { userId, revokedAt: IsNull() } });
  const findUser = (email: string) => t.db.manager.findOne(User, { where: { email } });

  /** Every way of getting the token wrong, given the right one (so the forged one has the same length). */
  const badTokens = (right: string): Array<[string, Record<string, string>]> => [
    ['no token', {}],
    ['an empty token', { _csrf: '' }],
    ['another visitor’s token', { _csrf: strangersToken }],
    ['a forged token', { _csrf: randomBytes(64).toString('base64url').slice(0, right.length) }],
    ['the token with one character changed', { _csrf: (right[0] === 'A' ? 'B' : 'A') + right.slice(1) }],
  ];

  function expectRefused(res: request.Response) {
    expect(res.status).toBe(403);
    expect(res.text).toContain(CSRF_MESSAGE);
    expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('cascada_session=');
  }

  it('refuses the login form without the visitor’s own token, and opens no session', async () => {
    const user = await t.createUser('trainer');
    const agent = request.agent(t.http);
    const right = csrfFrom((await agent.get('/login').expect(200)).text);
    expect(right).not.toBe(strangersToken);
    for (const [label, extra] of badTokens(right)) {
      const res = await agent
        .post('/login')
        .type('form')
        .send({ email: user.email, password: TEST_PASSWORD, ...extra });
      expect({ label, status: res.status }).toEqual({ label, status: 403 });
      expectRefused(res);
    }
    expect(await openSessions(user.id)).toBe(0);
    expect((await findUser(user.email))?.lastLoginAt).toBeNull();

    // A request with no visitor cookie at all cannot present a valid token either.
    expectRefused(
      await request(t.http)
        .post('/login')
        .type('form')
        .send({ email: user.email, password: TEST_PASSWORD, _csrf: right }),
    );
    expect(await openSessions(user.id)).toBe(0);

    await agent
      .post('/login')
      .type('form')
      .send({ email: user.email, password: TEST_PASSWORD, _csrf: right })
      .expect(303);
    expect(await openSessions(user.id)).toBe(1);
  });

  it('refuses logout without the right token and keeps the session', async () => {
    const user = await t.createUser('trainer');
    const agent = await pageAgent(t, user.email);
    const right = await csrfOf(agent, '/account');
    for (const [label, extra] of badTokens(right)) {
      const res = await agent.post('/logout').type('form').send(extra);
      expect({ label, status: res.status }).toEqual({ label, status: 403 });
      expectRefused(res);
    }
    expect(await openSessions(user.id)).toBe(1);
    await agent.get('/account').expect(200);

    await agent.post('/logout').type('form').send({ _csrf: right }).expect(303);
    expect(await openSessions(user.id)).toBe(0);
    await agent.get('/account').expect(303);
  });

  it('refuses a profile change without the right token and changes nothing', async () => {
    const user = await t.createUser('coordinator', { name: 'Original Name' });
    const agent = await pageAgent(t, user.email);
    const right = await csrfOf(agent, '/account');
    for (const [label, extra] of badTokens(right)) {
      const res = await agent
        .post('/account/profile')
        .type('form')
        .send({ name: 'Changed Name', language: 'es', ...extra });
      expect({ label, status: res.status }).toEqual({ label, status: 403 });
      expectRefused(res);
    }
    expect(await findUser(user.email)).toMatchObject({ name: 'Original Name', language: 'en' });

    await agent
      .post('/account/profile')
      .type('form')
      .send({ name: 'Changed Name', language: 'es', _csrf: right })
      .expect(303);
    expect(await findUser(user.email)).toMatchObject({ name: 'Changed Name', language: 'es' });
  });

  it('refuses creating a user at /admin/users without the right token and creates nothing', async () => {
    const right = await csrfOf(adminAgent, '/admin/users/new');
    const form = {
      name: 'Forged Admin',
      email: 'forged@example.org',
      role: 'admin',
      sex: 'unspecified',
      language: 'en',
    };
    for (const [label, extra] of badTokens(right)) {
      const res = await adminAgent
        .post('/admin/users')
        .type('form')
        .send({ ...form, ...extra });
      expect({ label, status: res.status }).toEqual({ label, status: 403 });
      expectRefused(res);
    }
    expect(await findUser('forged@example.org')).toBeNull();

    const res = await adminAgent
      .post('/admin/users')
      .type('form')
      .send({ ...form, _csrf: right })
      .expect(303);
    const created = await findUser('forged@example.org');
    expect(created).toMatchObject({ name: 'Forged Admin', role: 'admin', status: 'invited' });
    expect(res.headers.location).toBe(`/admin/users/${created?.id}`);
  });

  it('refuses a CSRF token in a JSON body or header from another visitor too', async () => {
    const right = await csrfOf(adminAgent, '/admin/users/new');
    await adminAgent
      .post('/admin/users')
      .set('X-CSRF-Token', strangersToken)
      .type('form')
      .send({ name: 'X', email: 'hdr@example.org', role: 'trainer' })
      .expect(403);
    await adminAgent
      .post('/admin/users')
      .send({ name: 'X', email: 'json@example.org', role: 'trainer', _csrf: strangersToken })
      .expect(403);
    expect(await findUser('hdr@example.org')).toBeNull();
    expect(await findUser('json@example.org')).toBeNull();
    await adminAgent
      .post('/admin/users')
      .set('X-CSRF-Token', right)
      .type('form')
      .send({ name: 'X', email: 'hdr@example.org', role: 'trainer' })
      .expect(303);
    expect(await findUser('hdr@example.org')).not.toBeNull();
  });

  it('never changes state on GET, whatever the query says', async () => {
    const user = await t.createUser('trainer', { name: 'Steady Name' });
    const agent = await pageAgent(t, user.email);
    const sessionsBefore = await t.db.manager.count(UserSession);
    const usersBefore = await t.db.manager.count(User);

    await agent.get('/logout').expect(404);
    await agent.get(`/account/profile?name=Changed&language=es`).expect(404);
    // Unknown query fields are ignored (the list opens); the point here is that nothing is created.
    await adminAgent.get(`/admin/users?name=Sneaky&email=sneaky@example.org&role=admin`).expect(200);
    await adminAgent.get(`/admin/users/${user.id}/disable`).expect(404);
    await request(t.http)
      .get(`/login?email=${encodeURIComponent(user.email)}&password=${encodeURIComponent(TEST_PASSWORD)}`)
      .expect(200);
    await request(t.http).head('/logout').expect(404);

    expect(await findUser(user.email)).toMatchObject({
      name: 'Steady Name',
      language: 'en',
      status: 'active',
    });
    expect(await findUser('sneaky@example.org')).toBeNull();
    expect(await t.db.manager.count(User)).toBe(usersBefore);
    expect(await t.db.manager.count(UserSession)).toBe(sessionsBefore);
    expect(await openSessions(user.id)).toBe(1);
    await agent.get('/account').expect(200);
  });
});
