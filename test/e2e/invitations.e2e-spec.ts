import request from 'supertest';
import { IsNull } from 'typeorm';
import { UserSession } from '../../src/auth/user-session.entity';
import { MailTransport } from '../../src/mail/mail-transport';
import { User } from '../../src/users/user.entity';
import { createTestApp, TestApp } from '../support/create-test-app';
import { apiToken, csrfFrom } from '../support/login';
import { linkToken, startSmtp, TestSmtp } from '../support/smtp';

const DAY = 24 * 60 * 60 * 1000;
const NEW_PASSWORD = 'a long and private sentence';

describe('invitations, password reset and creating users', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let adminToken: string;
  let managerToken: string;
  let n = 0;
  const email = (name: string) => `${name}.${++n}@example.org`;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    smtp = await startSmtp();
    t.app.get(MailTransport).useTransport(smtp.transport());
    const admin = await t.createUser('admin', { name: 'Ada Admin' });
    const manager = await t.createUser('manager');
    adminToken = await apiToken(t, admin.email);
    managerToken = await apiToken(t, manager.email);
  }, 30_000); // the app's start-up (migrations, content import) plus this file's fixtures
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  /** Creates a user through the API as the admin and returns the invitation token from the delivered mail. */
  async function invite(body: Record<string, unknown>): Promise<{ id: string; token: string }> {
    const res = await request(t.http).post('/api/v1/users').set(bearer(adminToken)).send(body).expect(201);
    await t.outbox.deliverDue();
    const mails = smtp.to(body.email as string);
    expect(mails).toHaveLength(1);
    return { id: res.body.id, token: linkToken(mails[0], 'invite') };
  }

  const userByEmail = (address: string) =>
    t.db.manager.findOne(User, { where: { email: address.toLowerCase() } });

  it('invites a user created without a password, by one mail in their language with a link to APP_URL', async () => {
    const spanish = email('lucia');
    const res = await request(t.http)
      .post('/api/v1/users')
      .set(bearer(adminToken))
      .send({ email: spanish, name: 'Lucía Pérez', role: 'trainer', language: 'es' })
      .expect(201);
    expect(res.body).toMatchObject({
      email: spanish,
      name: 'Lucía Pérez',
      role: 'trainer',
      status: 'invited',
      language: 'es',
    });
    expect(res.body).not.toHaveProperty('passwordHash');

    const english = email('liam');
    await request(t.http)
      .post('/api/v1/users')
      .set(bearer(adminToken))
      .send({ email: english, name: 'Liam Reyes', role: 'coordinator', language: 'en' })
      .expect(201);

    expect(smtp.to(spanish)).toHaveLength(0); // nothing leaves before the outbox runs
    expect(await t.outbox.deliverDue()).toEqual({ sent: 2, failed: 0 });

    const [es] = smtp.to(spanish);
    expect(smtp.to(spanish)).toHaveLength(1);
    expect(es.subject).toBe('Su invitación a Cascada');
    expect(es.text).toContain('Hola, Lucía Pérez:');
    expect(es.text).toMatch(/http:\/\/cascada\.test\/invite\/[A-Za-z0-9_-]{40,}/);
    const [en] = smtp.to(english);
    expect(smtp.to(english)).toHaveLength(1);
    expect(en.subject).toBe('Your invitation to Cascada');
    expect(en.text).toContain('http://cascada.test/invite/');
    expect(linkToken(en, 'invite')).not.toBe(linkToken(es, 'invite'));
  });

  it('greets the invitee by name, and the form activates the account and signs them in', async () => {
    const address = email('marta');
    const { token } = await invite({ email: address, name: 'Marta Gómez', role: 'trainer' });
    const agent = request.agent(t.http);
    const page = await agent.get(`/invite/${token}`).expect(200);
    expect(page.text).toContain('Hello Marta Gómez. Choose a password to activate your account.');

    const done = await agent
      .post(`/invite/${token}`)
      .type('form')
      .send({ password: NEW_PASSWORD, confirm: NEW_PASSWORD, _csrf: csrfFrom(page.text) })
      .expect(303);
    expect(done.headers.location).toBe('/');
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Welcome, Marta Gómez');
    expect((await userByEmail(address))?.status).toBe('active');
    await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: address, password: NEW_PASSWORD })
      .expect(200);
  });

  it('refuses an invitation token the second time, on the API and on the page', async () => {
    const address = email('nico');
    const { token } = await invite({ email: address, name: 'Nico Ruiz', role: 'trainer' });
    await request(t.http)
      .post('/api/v1/auth/accept-invitation')
      .send({ token, password: NEW_PASSWORD })
      .expect(200);

    const again = await request(t.http)
      .post('/api/v1/auth/accept-invitation')
      .send({ token, password: 'another good password' })
      .expect(400);
    expect(again.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'This invitation link is unknown, has already been used or has expired.',
      code: 'auth.invitation-invalid',
    });
    const page = await request(t.http).get(`/invite/${token}`).expect(400);
    expect(page.text).toContain('This link cannot be used');
    // The password set the first time is the one that works.
    await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: address, password: NEW_PASSWORD })
      .expect(200);
    await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: address, password: 'another good password' })
      .expect(401);
  });

  it('refuses an invitation token after its 7 days', async () => {
    const address = email('olga');
    const { token } = await invite({ email: address, name: 'Olga Soto', role: 'trainer' });
    const start = t.clock.now();
    try {
      t.clock.advance(8 * DAY);
      await request(t.http)
        .post('/api/v1/auth/accept-invitation')
        .send({ token, password: NEW_PASSWORD })
        .expect(400);
      const page = await request(t.http).get(`/invite/${token}`).expect(400);
      expect(page.text).toContain('This link cannot be used');
      expect((await userByEmail(address))?.status).toBe('invited');
    } finally {
      t.clock.set(start);
    }
  });

  it('refuses a weak password and keeps the token usable', async () => {
    const address = email('pablo');
    const { token } = await invite({ email: address, name: 'Pablo Díaz', role: 'trainer' });
    const short = await request(t.http)
      .post('/api/v1/auth/accept-invitation')
      .send({ token, password: 'short' })
      .expect(400);
    expect(short.body.fields).toEqual({ password: ['The password must be 8 to 128 characters long.'] });
    const common = await request(t.http)
      .post('/api/v1/auth/accept-invitation')
      .send({ token, password: 'Password1' })
      .expect(400);
    expect(common.body.fields).toEqual({ password: ['This password is too common; choose another.'] });
    expect((await userByEmail(address))?.status).toBe('invited');

    const ok = await request(t.http)
      .post('/api/v1/auth/accept-invitation')
      .send({ token, password: NEW_PASSWORD })
      .expect(200);
    expect(ok.body.user).toMatchObject({ email: address, name: 'Pablo Díaz', role: 'trainer' });
    await request(t.http).get('/api/v1/me').set(bearer(ok.body.accessToken)).expect(200);
  });

  it('answers a password-reset request with 202 whether or not the email exists, and mails only a real account', async () => {
    const user = await t.createUser('trainer');
    const unknown = email('nobody');
    const known = await request(t.http)
      .post('/api/v1/auth/password-reset')
      .send({ email: user.email.toUpperCase() })
      .expect(202);
    const stranger = await request(t.http)
      .post('/api/v1/auth/password-reset')
      .send({ email: unknown })
      .expect(202);
    expect(stranger.body).toEqual(known.body);

    await t.outbox.deliverDue();
    expect(smtp.to(unknown)).toHaveLength(0);
    const mails = smtp.to(user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Reset your Cascada password');
    expect(linkToken(mails[0], 'reset-password')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('resets the password once with the mailed token and ends the user’s other sessions', async () => {
    const user = await t.createUser('coordinator');
    const laptop = await apiToken(t, user.email);
    const phone = await apiToken(t, user.email);
    await request(t.http).get('/api/v1/me').set(bearer(laptop)).expect(200);

    await request(t.http).post('/api/v1/auth/password-reset').send({ email: user.email }).expect(202);
    await t.outbox.deliverDue();
    const token = linkToken(smtp.to(user.email)[0], 'reset-password');

    const page = await request(t.http).get(`/reset-password/${token}`).expect(200);
    expect(page.text).toContain(`Hello ${user.name}. Choose a new password for your account.`);

    const done = await request(t.http)
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token, password: NEW_PASSWORD })
      .expect(200);
    await request(t.http).get('/api/v1/me').set(bearer(done.body.accessToken)).expect(200);
    await request(t.http).get('/api/v1/me').set(bearer(laptop)).expect(401);
    await request(t.http).get('/api/v1/me').set(bearer(phone)).expect(401);
    const open = await t.db.manager.count(UserSession, { where: { userId: user.id, revokedAt: IsNull() } });
    expect(open).toBeGreaterThan(0);

    await request(t.http)
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token, password: 'yet another sentence' })
      .expect(400);
    await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: NEW_PASSWORD })
      .expect(200);
    await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'yet another sentence' })
      .expect(401);
  });

  it('answers 409 for an email that already exists, whatever its case', async () => {
    const lower = `ana.${++n}@x.org`;
    await request(t.http)
      .post('/api/v1/users')
      .set(bearer(adminToken))
      .send({ email: lower, name: 'Ana', role: 'trainer' })
      .expect(201);
    const res = await request(t.http)
      .post('/api/v1/users')
      .set(bearer(adminToken))
      .send({ email: lower.toUpperCase(), name: 'Ana Again', role: 'trainer' })
      .expect(409);
    expect(res.body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      message: 'An account with this email already exists.',
    });
    const rows = await t.db.manager
      .createQueryBuilder(User, 'u')
      .where('LOWER(u.email) = :e', { e: lower })
      .getMany();
    expect(rows.map((u) => u.name)).toEqual(['Ana']);
  });

  it('lets a manager create trainers and coordinators but not managers or admins', async () => {
    for (const role of ['trainer', 'coordinator']) {
      const res = await request(t.http)
        .post('/api/v1/users')
        .set(bearer(managerToken))
        .send({ email: email(role), name: `New ${role}`, role })
        .expect(201);
      expect(res.body).toMatchObject({ role, status: 'invited' });
    }
    for (const role of ['manager', 'admin']) {
      const address = email(role);
      const res = await request(t.http)
        .post('/api/v1/users')
        .set(bearer(managerToken))
        .send({ email: address, name: `New ${role}`, role })
        .expect(403);
      expect(res.body).toMatchObject({
        statusCode: 403,
        error: 'Forbidden',
        message: 'You cannot give this role.',
      });
      expect(await userByEmail(address)).toBeNull();
    }
  });

  it('keeps a manager scoped to SV inside SV, when creating and when listing', async () => {
    const sv = await t.createUser('manager', { countryCode: 'SV' });
    const token = await apiToken(t, sv.email);
    const svTrainer = await t.createUser('trainer', { countryCode: 'SV' });
    const svCoordinator = await t.createUser('coordinator', { countryCode: 'SV' });
    const paTrainer = await t.createUser('trainer', { countryCode: 'PA' });
    const noCountry = await t.createUser('trainer');
    const svAdmin = await t.createUser('admin', { countryCode: 'SV' });

    const pa = email('panama');
    const refused = await request(t.http)
      .post('/api/v1/users')
      .set(bearer(token))
      .send({ email: pa, name: 'Pana Má', role: 'trainer', countryCode: 'PA' })
      .expect(403);
    expect(refused.body).toMatchObject({
      statusCode: 403,
      error: 'Forbidden',
      message: 'This is outside the countries or schools you are responsible for.',
    });
    expect(await userByEmail(pa)).toBeNull();

    const created = await request(t.http)
      .post('/api/v1/users')
      .set(bearer(token))
      .send({ email: email('salva'), name: 'Salva Dor', role: 'trainer' })
      .expect(201);
    expect(created.body.countryCode).toBe('SV');

    const list = await request(t.http).get('/api/v1/users?limit=100').set(bearer(token)).expect(200);
    const ids = list.body.items.map((u: { id: string }) => u.id);
    expect(list.body.total).toBe(list.body.items.length);
    for (const item of list.body.items) {
      expect({ email: item.email, countryCode: item.countryCode }).toEqual({
        email: item.email,
        countryCode: 'SV',
      });
      expect(['trainer', 'coordinator']).toContain(item.role);
    }
    expect(ids).toEqual(expect.arrayContaining([svTrainer.id, svCoordinator.id, created.body.id]));
    expect(ids).not.toContain(paTrainer.id);
    expect(ids).not.toContain(noCountry.id);
    expect(ids).not.toContain(svAdmin.id);
    expect(ids).not.toContain(sv.id);

    const asked = await request(t.http).get('/api/v1/users?countryCode=PA').set(bearer(token)).expect(200);
    expect(asked.body).toEqual({ items: [], total: 0 });
  });
});
