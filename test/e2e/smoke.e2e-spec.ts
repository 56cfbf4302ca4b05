import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { VIEWS_DIR } from '../../src/common/paths';
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

  it('serves our assets from memory with a content type, a long cache and an ETag that answers 304', async () => {
    const css = await request(t.http).get('/assets/css/app.css').expect(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=604800');
    expect(css.text).toBe(readFileSync(join(VIEWS_DIR, 'assets', 'css', 'app.css'), 'utf8'));
    const etag = css.headers.etag;
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    const again = await request(t.http).get('/assets/css/app.css').set('If-None-Match', etag).expect(304);
    expect(again.text).toBe('');
    const head = await request(t.http).head('/assets/js/offline.js').expect(200);
    expect(head.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Number(head.headers['content-length'])).toBe(
      readFileSync(join(VIEWS_DIR, 'assets', 'js', 'offline.js')).length,
    );
    expect((await request(t.http).get('/assets/img/favicon.svg').expect(200)).headers['content-type']).toBe(
      'image/svg+xml',
    );
    await request(t.http).get('/assets/css/missing.css').expect(404);
    // Pages link each asset with its content's hash, so an upgrade is never hidden by the 7-day cache.
    const login = await request(t.http).get('/login').expect(200);
    const href = /<link rel="stylesheet" href="(\/assets\/css\/app\.css\?[\w-]{10})">/.exec(login.text)?.[1];
    expect(href).toBeDefined();
    expect(
      (
        await request(t.http)
          .get(href as string)
          .expect(200)
      ).text,
    ).toBe(css.text);
    await request(t.http).get('/assets/%2e%2e/%2e%2e/package.json').expect(404);
    await request(t.http)
      .post('/assets/css/app.css')
      .expect((res) => expect(res.status).not.toBe(200));
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

  it('ignores unknown query parameters (a shared link with utm_source or fbclid still opens) but still validates known ones', async () => {
    const manager = await t.createUser('manager');
    const agent = await pageAgent(t, manager.email);
    const page = await agent
      .get('/reports/cascade?groupBy=month&utm_source=whatsapp&fbclid=abc123')
      .expect(200);
    expect(page.text).toContain('<h1');
    const token = await apiToken(t, manager.email);
    await request(t.http)
      .get('/api/v1/reports/cascade?groupBy=country&utm_campaign=x')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    const bad = await request(t.http)
      .get('/api/v1/reports/cascade?groupBy=planet&utm_campaign=x')
      .set('Authorization', `Bearer ${token}`)
      .expect(400);
    expect(Object.keys(bad.body.fields)).toEqual(['groupBy']);
  });

  it('still refuses unknown fields in a JSON body', async () => {
    const admin = await t.createUser('admin');
    const token = await apiToken(t, admin.email);
    const res = await request(t.http)
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${token}`)
      .send({ email: 'new.person@example.org', name: 'New Person', role: 'trainer', isAdmin: true })
      .expect(400);
    expect(Object.keys(res.body.fields)).toEqual(['isAdmin']);
  });
});
