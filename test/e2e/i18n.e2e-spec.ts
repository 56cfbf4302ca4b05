import request from 'supertest';
import { User } from '../../src/users/user.entity';
import { createTestApp, TestApp, TEST_PASSWORD } from '../support/create-test-app';
import { apiToken, csrfFrom, csrfOf, pageAgent } from '../support/login';

const htmlLang = (html: string) => /<html lang="(\w+)">/.exec(html)?.[1];
const cookies = (res: request.Response): string[] => ([] as string[]).concat(res.headers['set-cookie'] ?? []);

describe('language', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  }, 30_000); // the app's start-up (migrations, content import) plus this file's fixtures
  afterAll(() => t?.close());

  /** Signs in through the form and returns the session cookie (`name=value`), leaving no other cookie behind. */
  async function sessionCookieOf(email: string): Promise<string> {
    const agent = request.agent(t.http);
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ email, password: TEST_PASSWORD, _csrf: csrfFrom(page.text) })
      .expect(303);
    return cookies(res)
      .find((c) => c.startsWith('cascada_session='))
      ?.split(';')[0] as string;
  }

  describe('order of DESIGN.md', () => {
    it('lets ?lang= win, set the lang cookie and save the signed-in user’s preference', async () => {
      const user = await t.createUser('trainer', { language: 'en' });
      const agent = await pageAgent(t, user.email);
      const page = await agent.get('/account?lang=es').set('Accept-Language', 'en').expect(200);
      expect(htmlLang(page.text)).toBe('es');
      expect(page.text).toContain('Mi cuenta');
      expect(cookies(page).some((c) => /^lang=es;/.test(c))).toBe(true);

      const me = await request(t.http)
        .get('/api/v1/me')
        .set('Authorization', `Bearer ${await apiToken(t, user.email)}`)
        .expect(200);
      expect(me.body.language).toBe('es');
      // The saved preference now holds without the query, even against the browser's own language.
      const later = await request(t.http)
        .get('/account')
        .set('Cookie', await sessionCookieOf(user.email))
        .set('Accept-Language', 'en')
        .expect(200);
      expect(htmlLang(later.text)).toBe('es');
    });

    it('lets ?lang= win over the saved preference on the API too, and saves it', async () => {
      const user = await t.createUser('trainer', { language: 'es' });
      const token = await apiToken(t, user.email);
      const asked = await request(t.http)
        .get('/api/v1/me?lang=en')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(asked.body.language).toBe('en');
      const refused = await request(t.http)
        .get('/api/v1/users')
        .set('Authorization', `Bearer ${token}`)
        .expect(403);
      expect(refused.body.message).toBe('You do not have permission to do this.');
      const me = await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(me.body.language).toBe('en');
    });

    it('puts the signed-in user’s saved preference before a lang cookie someone else left', async () => {
      const user = await t.createUser('coordinator', { language: 'es' });
      const session = await sessionCookieOf(user.email);
      const page = await request(t.http)
        .get('/account')
        .set('Cookie', `lang=en; ${session}`)
        .set('Accept-Language', 'en')
        .expect(200);
      expect(htmlLang(page.text)).toBe('es');
      expect(page.text).toContain('Mi cuenta');
    });

    it('sets the lang cookie to the account’s language at login, for the pages before the next login', async () => {
      const user = await t.createUser('coordinator', { language: 'es' });
      const agent = request.agent(t.http);
      const form = await agent.get('/login').set('Cookie', 'lang=en');
      const res = await agent
        .post('/login')
        .type('form')
        .send({ email: user.email, password: TEST_PASSWORD, _csrf: csrfFrom(form.text) })
        .expect(303);
      expect(cookies(res).some((c) => /^lang=es;/.test(c))).toBe(true);
    });

    it('puts the lang cookie before Accept-Language', async () => {
      const es = await request(t.http)
        .get('/login')
        .set('Cookie', 'lang=es')
        .set('Accept-Language', 'en-US,en;q=0.9')
        .expect(200);
      expect(htmlLang(es.text)).toBe('es');
      expect(es.text).toContain('Iniciar sesión');
      const en = await request(t.http)
        .get('/login')
        .set('Cookie', 'lang=en')
        .set('Accept-Language', 'es-SV,es;q=0.9')
        .expect(200);
      expect(htmlLang(en.text)).toBe('en');
      expect(en.text).toContain('Sign in');
    });

    it('gives an anonymous visitor Spanish for Accept-Language es-SV', async () => {
      const page = await request(t.http).get('/login').set('Accept-Language', 'es-SV').expect(200);
      expect(htmlLang(page.text)).toBe('es');
      expect(page.text).toContain('Inicie sesión con el correo electrónico que registró su programa.');
    });

    it('falls back to English', async () => {
      for (const header of [undefined, 'de-DE,fr;q=0.8']) {
        const req = request(t.http).get('/login');
        const page = await (header ? req.set('Accept-Language', header) : req).expect(200);
        expect(htmlLang(page.text)).toBe('en');
        expect(page.text).toContain('Sign in with the email address your program registered.');
      }
    });

    it('ignores a lang value it does not support', async () => {
      const page = await request(t.http)
        .get('/login?lang=xx')
        .set('Cookie', 'lang=fr')
        .set('Accept-Language', 'es')
        .expect(200);
      expect(htmlLang(page.text)).toBe('es');
      expect(cookies(page).some((c) => c.startsWith('lang='))).toBe(false);
    });
  });

  describe('API messages', () => {
    it('answers 401 in Spanish with ?lang=es', async () => {
      const res = await request(t.http)
        .post('/api/v1/auth/login?lang=es')
        .send({ email: 'nadie@example.org', password: 'una clave cualquiera' })
        .expect(401);
      expect(res.body).toMatchObject({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'El correo o la contraseña no son correctos.',
      });
      const anonymous = await request(t.http).get('/api/v1/me?lang=es').expect(401);
      expect(anonymous.body.message).toBe('Inicie sesión, por favor.');
    });

    it('lists field messages in Spanish with ?lang=es, and in English for Accept-Language en', async () => {
      const admin = await t.createUser('admin', { language: 'en' });
      const token = await apiToken(t, admin.email);
      const body = { email: 'not-an-email', name: 'Ana', role: 'trainer' };
      const es = await request(t.http)
        .post('/api/v1/users?lang=es')
        .set('Authorization', `Bearer ${token}`)
        .send(body)
        .expect(400);
      expect(es.body.fields).toEqual({ email: ['Escriba un correo válido, como nombre@ejemplo.org.'] });
      expect(es.body.message).toEqual(['email: Escriba un correo válido, como nombre@ejemplo.org.']);
      // ?lang=es saved Spanish for this admin; ?lang=en brings English back.
      const en = await request(t.http)
        .post('/api/v1/users?lang=en')
        .set('Authorization', `Bearer ${token}`)
        .send(body)
        .expect(400);
      expect(en.body.fields).toEqual({ email: ['Enter a valid email address, like name@example.org.'] });
    });

    it('follows Accept-Language for an anonymous API caller', async () => {
      const res = await request(t.http)
        .post('/api/v1/auth/login')
        .set('Accept-Language', 'es-PA')
        .send({})
        .expect(400);
      expect(res.body.fields).toEqual({
        email: ['Este campo es obligatorio.'],
        password: ['Este campo es obligatorio.'],
      });
    });
  });

  describe('pages', () => {
    it('translates the 404 page', async () => {
      const es = await request(t.http).get('/no-such-page?lang=es').expect(404);
      expect(htmlLang(es.text)).toBe('es');
      expect(es.text).toContain('Página no encontrada');
      const en = await request(t.http).get('/no-such-page').expect(404);
      expect(en.text).toContain('Page not found');
    });

    it('translates the 403 page, in the signed-in user’s language', async () => {
      const trainer = await t.createUser('trainer', { language: 'es' });
      const agent = await pageAgent(t, trainer.email);
      const res = await agent.get('/admin/users').expect(403);
      expect(htmlLang(res.text)).toBe('es');
      expect(res.text).toContain('Acceso denegado');
      expect(res.text).toContain('No tiene permiso para hacer esto.');
      const en = await agent.get('/admin/users?lang=en').expect(403);
      expect(en.text).toContain('Access denied');
    });

    it('counts in the singular and the plural in both languages ("1 school", "2 escuelas")', async () => {
      const admin = await t.createUser('admin', { language: 'en' });
      const token = await apiToken(t, admin.email);
      const agent = await pageAgent(t, admin.email);
      const addSchool = (code: string) =>
        request(t.http)
          .post('/api/v1/schools')
          .set('Authorization', `Bearer ${token}`)
          .send({ name: `School ${code}`, code, countryCode: 'BZ', municipality: 'Belmopan' })
          .expect(201);
      // The count line under the search form.
      const countLine = async (lang: string) =>
        /role="search">[\s\S]*?<\/form>\s*<p>([^<]*)<\/p>/.exec(
          (await agent.get(`/schools?countryCode=BZ&lang=${lang}`).expect(200)).text,
        )?.[1];
      await addSchool('BZ-PLURAL-1');
      expect([await countLine('en'), await countLine('es')]).toEqual(['1 school', '1 escuela']);
      await addSchool('BZ-PLURAL-2');
      expect([await countLine('en'), await countLine('es')]).toEqual(['2 schools', '2 escuelas']);
    });

    it('re-renders a refused form with the message beside the field and the typed values kept (400)', async () => {
      const admin = await t.createUser('admin', { language: 'en' });
      const agent = await pageAgent(t, admin.email);
      const form = {
        name: 'Rosa <Montes> & Co',
        email: 'rosa-at-example.org',
        role: 'coordinator',
        sex: 'female',
        language: 'es',
        _csrf: await csrfOf(agent, '/admin/users/new'),
      };
      const res = await agent.post('/admin/users').type('form').send(form).expect(400);
      expect(htmlLang(res.text)).toBe('en');
      // The message sits inside the email field, right before its input, and is summarised on top.
      expect(res.text).toMatch(
        /<p class="error" id="e-email">Enter a valid email address, like name@example\.org\.<\/p>\s*<input id="f-email"[^>]* value="rosa-at-example\.org"[^>]*aria-invalid="true"/,
      );
      expect(res.text).toContain('Please correct the following');
      // Typed values are kept (escaped), including the selects.
      expect(res.text).toMatch(
        /<input id="f-name" name="name" type="text" value="Rosa &lt;Montes&gt; &amp; Co"/,
      );
      expect(res.text).toMatch(/<option value="coordinator" selected>/);
      expect(res.text).toMatch(/<option value="female" selected>/);
      expect(await t.db.manager.findOne(User, { where: { email: 'rosa-at-example.org' } })).toBeNull();

      const es = await agent.post('/admin/users?lang=es').type('form').send(form).expect(400);
      expect(es.text).toMatch(
        /<p class="error" id="e-email">Escriba un correo válido, como nombre@ejemplo\.org\.<\/p>/,
      );
      expect(es.text).toContain('value="Rosa &lt;Montes&gt; &amp; Co"');
    });
  });
});
