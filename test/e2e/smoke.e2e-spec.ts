import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app';
import { apiToken, pageAgent } from '../support/login';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers health with the database kind', async () => {
    const res = await request(t.http).get('/healthz').expect(200);
    expect(res.body.status).toBe('ok');
  });

  it('signs in through the API and the login form', async () => {
    const admin = await t.createUser('admin');
    const token = await apiToken(t, admin.email);
    const me = await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toMatchObject({ id: admin.id, role: 'admin', enrolments: [] });
    const agent = await pageAgent(t, admin.email);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain(admin.name);
  });
});
