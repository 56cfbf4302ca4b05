import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AuditEntry } from '../../src/common/audit/audit-entry.entity';
import { ContentImport } from '../../src/courses/content-import.entity';
import { CountryFact } from '../../src/courses/country-fact.entity';
import { ReferralContact } from '../../src/courses/referral-contact.entity';
import { migrations } from '../../migrations';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { apiToken, csrfFrom, pageAgent } from '../support/login';

const FIXTURE = join(__dirname, '..', 'fixtures', 'content', 'tiny-course');
const A = 'tiny-course';
const B = 'other-course';
const LESSON_A = `/courses/${A}/preview/first-session`;
const NOT_CONFIGURED_PA = 'Not configured yet for Panama: ask your program manager.';

jest.setTimeout(60_000);

/**
 * Country facts (formats.md §2), per-course referral contacts and handouts (§3), through the real
 * app: the fixture course A, a copy of it as course B, and two broken copies refused at import.
 */
describe('country facts, per-course contacts and handouts', () => {
  let t: TestApp;
  let root: string;
  let admin: Awaited<ReturnType<TestApp['createUser']>>;
  let adminAgent: Awaited<ReturnType<typeof pageAgent>>;
  let sv: Awaited<ReturnType<typeof pageAgent>>;
  let pa: Awaited<ReturnType<typeof pageAgent>>;
  let doAgent: Awaited<ReturnType<typeof pageAgent>>;
  let nowhere: Awaited<ReturnType<typeof pageAgent>>;

  const copyAs = (slug: string) => {
    cpSync(FIXTURE, join(root, slug), { recursive: true });
    const manifest = join(root, slug, 'course.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('slug: tiny-course', `slug: ${slug}`));
  };
  const edit = (path: string, from: string, to: string) =>
    writeFileSync(join(root, path), readFileSync(join(root, path), 'utf8').replace(from, to));

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cascada-facts-'));
    cpSync(FIXTURE, join(root, A), { recursive: true });
    copyAs(B);
    copyAs('bad-fact-key');
    edit(
      'bad-fact-key/practice/01-first-session.en.md',
      '{{country-fact:national-law}}',
      '{{country-fact:no-such-fact}}',
    );
    copyAs('bad-handout');
    edit('bad-handout/practice/01-first-session.es.md', '(handout:glossary)', '(handout:no-such-handout)');
    t = await createTestApp({ CONTENT_DIR: root });
    admin = await t.createUser('admin');
    adminAgent = await pageAgent(t, admin.email);
    sv = await pageAgent(t, (await t.createUser('trainer', { countryCode: 'SV' })).email);
    pa = await pageAgent(t, (await t.createUser('trainer', { countryCode: 'PA' })).email);
    doAgent = await pageAgent(t, (await t.createUser('trainer', { countryCode: 'DO' })).email);
    nowhere = await pageAgent(t, (await t.createUser('trainer', { countryCode: null })).email);
  });
  afterAll(async () => {
    await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  const countryPage = (course: string, country: string) => `/admin/content/${course}/countries/${country}`;
  /** Posts the (course, country) form as the admin and expects `status`. */
  async function save(course: string, country: string, fields: Record<string, string>, status: number) {
    const csrf = csrfFrom((await adminAgent.get(countryPage(A, 'SV')).expect(200)).text);
    return adminAgent
      .post(countryPage(course, country))
      .type('form')
      .send({ _csrf: csrf, ...fields })
      .expect(status);
  }

  it('refuses at import a marker with an unknown key and a link to an unknown handout, naming file and line', async () => {
    const rows = await t.db.manager.find(ContentImport, { order: { packageName: 'ASC' } });
    const outcome = Object.fromEntries(
      rows.map((r) => [
        r.packageName,
        {
          outcome: r.outcome,
          problems: JSON.parse(r.problems) as Array<{ file: string; line?: number; reason: string }>,
        },
      ]),
    );
    expect(outcome[A].outcome).toBe('imported');
    expect(outcome[B].outcome).toBe('imported');
    expect(outcome['bad-fact-key']).toEqual({
      outcome: 'refused',
      problems: [
        {
          file: join('bad-fact-key', 'practice', '01-first-session.en.md'),
          line: 14,
          reason: 'country-fact marker names "no-such-fact", which course.yaml countryFacts does not declare',
        },
      ],
    });
    expect(outcome['bad-handout']).toEqual({
      outcome: 'refused',
      problems: [
        {
          file: join('bad-handout', 'practice', '01-first-session.es.md'),
          line: 14,
          reason: 'link to handout "no-such-handout", which assets/handouts/ does not have',
        },
      ],
    });
    const page = await adminAgent.get('/admin/content').expect(200);
    expect(page.text).toContain(
      `<code>${join('bad-fact-key', 'practice', '01-first-session.en.md')}:14</code>`,
    );
  });

  it('shows the package default with its source in PA, the not-configured note in DO, and says so for a reader without a country', async () => {
    const paPage = await pa.get(LESSON_A).expect(200);
    expect(paPage.text).toContain('<h3 id="fact-national-law-1">National law on child protection</h3>');
    expect(paPage.text).toContain("Panama's test law, <strong>Law 1 of 2000</strong> (test fixture).");
    expect(paPage.text).toContain('Source: fixture-sources.md [F1] confirmed');
    const paEs = await pa.get(`${LESSON_A}?lang=es`).expect(200);
    expect(paEs.text).toContain('Ley nacional de protección de la niñez');
    expect(paEs.text).toContain('La ley de prueba de Panamá, <strong>Ley 1 de 2000</strong>');
    expect(paEs.text).toContain('Fuente: fixture-sources.md [F1] confirmed');
    await pa.get(`${LESSON_A}?lang=en`).expect(200);

    const doPage = await doAgent.get(LESSON_A).expect(200);
    expect(doPage.text).toContain('Not configured yet for Dominican Republic: ask your program manager.');
    expect(doPage.text).not.toContain('Law 1 of 2000');
    const none = await nowhere.get(LESSON_A).expect(200);
    expect(none.text).toContain('Your account has no country yet');
    expect(none.text).not.toContain('Law 1 of 2000');
  });

  it('lets an admin save a fact and contacts for SV and course A: SV readers of A see them, PA and course B do not', async () => {
    const svBefore = await sv.get(LESSON_A).expect(200);
    expect(svBefore.text).toContain('Not configured yet for El Salvador: ask your program manager.');

    const saved = await save(
      A,
      'SV',
      {
        'fact.national-law.en': 'The **Test Law of El Salvador** applies. <script>alert("x")</script>',
        'fact.national-law.es': 'Se aplica la **Ley de prueba de El Salvador**.',
        'fact.reporting-duty.en': '',
        'fact.reporting-duty.es': '',
        'contacts.en': 'Course A office, SV',
        'contacts.es': 'Oficina del curso A, SV',
      },
      303,
    );
    expect(saved.headers.location).toBe(countryPage(A, 'SV'));
    const after = await adminAgent.get(saved.headers.location).expect(200);
    expect(after.text).toContain('Country facts and contacts saved.');

    const svPage = await sv.get(LESSON_A).expect(200);
    expect(svPage.text).toContain('The <strong>Test Law of El Salvador</strong> applies.');
    // Typed HTML is text, never markup.
    expect(svPage.text).toContain('applies. &lt;script&gt;alert("x")&lt;/script&gt;</p>');
    expect(svPage.text).not.toContain('<script>alert');
    expect(svPage.text).not.toContain('Not configured yet for El Salvador');
    expect((await sv.get(`${LESSON_A}?lang=es`).expect(200)).text).toContain(
      'Se aplica la <strong>Ley de prueba de El Salvador</strong>.',
    );
    await sv.get(`${LESSON_A}?lang=en`).expect(200);
    const svContacts = await sv.get(`/courses/${A}/preview/warning-signs`).expect(200);
    expect(svContacts.text).toContain('Course A office, SV');

    // Panama still sees its package default; course B knows nothing of course A's texts.
    expect((await pa.get(LESSON_A).expect(200)).text).not.toContain('Test Law of El Salvador');
    const svB = await sv.get(`/courses/${B}/preview/first-session`).expect(200);
    expect(svB.text).toContain('Not configured yet for El Salvador: ask your program manager.');
    expect(svB.text).not.toContain('Test Law of El Salvador');
    const svBContacts = await sv.get(`/courses/${B}/preview/warning-signs`).expect(200);
    expect(svBContacts.text).not.toContain('Course A office');
    expect(svBContacts.text).toContain('Your program has not entered local referral contacts yet.');

    const audit = await t.db.manager.find(AuditEntry, {
      where: { actorId: admin.id },
      order: { action: 'ASC' },
    });
    expect(audit.map((a) => [a.action, a.entityId])).toEqual([
      ['country-fact.save', `${A}/SV/national-law`],
      ['referral-contacts.save', `${A}/SV`],
    ]);
  });

  it('keeps the older all-courses contacts as a fallback only for courses without contacts of their own', async () => {
    const csrf = csrfFrom((await adminAgent.get('/admin/content').expect(200)).text);
    await adminAgent
      .post('/admin/content/contacts')
      .type('form')
      .send({ _csrf: csrf, countryCode: 'SV', textEn: 'All-courses list, SV', textEs: 'Lista general, SV' })
      .expect(303);
    expect(
      await t.db.manager.findOneBy(ReferralContact, { courseSlug: '*', countryCode: 'SV' }),
    ).toMatchObject({ textEn: 'All-courses list, SV' });
    const inB = await sv.get(`/courses/${B}/preview/warning-signs`).expect(200);
    expect(inB.text).toContain('All-courses list, SV');
    const inA = await sv.get(`/courses/${A}/preview/warning-signs`).expect(200);
    expect(inA.text).toContain('Course A office, SV');
    expect(inA.text).not.toContain('All-courses list');
    // Once course B has contacts of its own (even only program-wide), the all-courses list no longer shows in it.
    await save(
      B,
      '--',
      { 'contacts.en': 'Course B programme line', 'contacts.es': 'Línea del curso B' },
      303,
    );
    const inBNow = await sv.get(`/courses/${B}/preview/warning-signs`).expect(200);
    expect(inBNow.text).toContain('Course B programme line');
    expect(inBNow.text).not.toContain('All-courses list');
  });

  it('shows per course what readers of each country see and what is not configured yet', async () => {
    const page = await adminAgent.get('/admin/content').expect(200);
    expect(page.text).toContain('Country facts and referral contacts');
    for (const country of ['SV', 'PA', 'DO', 'BZ', 'PR'])
      expect(page.text).toContain(`href="${countryPage(A, country)}"`);
    // Course A: SV has admin text, PA a package default; DO, BZ and PR are missing. Only the program's countries are listed.
    const sectionA = page.text.slice(
      page.text.indexOf(`id="local-${A}"`),
      page.text.indexOf(`<h2 id="contacts">`),
    );
    expect(sectionA).toContain('<li>Dominican Republic: National law on child protection</li>');
    expect(sectionA).toContain('<li>Belize: National law on child protection</li>');
    expect(sectionA).not.toContain('<li>El Salvador: National law on child protection</li>');
    expect(sectionA).not.toContain('<li>Panama: National law on child protection</li>');
    expect(sectionA).not.toContain('>Guatemala</a>');
    expect(sectionA).toContain('<option value="GT">Guatemala</option>');
    expect(sectionA).toContain('<td class="status-admin">Your text</td>');
    expect(sectionA).toContain('<td>Package default</td>');
    // Any country of the countries table is reachable through the picker.
    expect(
      (await adminAgent.get(`/admin/content/${A}/countries?country=gt`).expect(303)).headers.location,
    ).toBe(countryPage(A, 'GT'));
    expect(
      (await adminAgent.get(`/admin/content/${A}/countries?country=ZZ`).expect(303)).headers.location,
    ).toBe(`/admin/content#local-${A}`);
    expect((await adminAgent.get(countryPage(A, 'GT')).expect(200)).text).toContain('Tiny course: Guatemala');
    const form = await adminAgent.get(countryPage(A, 'PA')).expect(200);
    expect(form.text).toContain('Package default');
    // "Readers see now" shows the default as readers see it (rendered), with its source.
    expect(form.text).toContain(
      '<blockquote class="muted"><p>Panama\'s test law, <strong>Law 1 of 2000</strong> (test fixture).</p>',
    );
    expect(form.text).toContain('Source: fixture-sources.md [F1] confirmed');
    expect(form.text).toContain('Name, number and year of the law; what it requires of schools.');
    expect(form.text).toContain('<label for="f-fact.national-law.en">Text in English</label>');
    const es = await adminAgent.get(`${countryPage(A, 'PA')}?lang=es`).expect(200);
    expect(es.text).toContain('Predeterminado del paquete');
    await adminAgent.get(`${countryPage(A, 'PA')}?lang=en`).expect(200);
  });

  it('refuses input that is too long with a translated message beside the field, and changes nothing', async () => {
    const before = await t.db.manager.find(CountryFact, { order: { factKey: 'ASC' } });
    const res = await save(
      A,
      'SV',
      {
        'fact.national-law.en': 'x'.repeat(2001),
        'fact.national-law.es': 'Cambio que no debe guardarse',
        'contacts.en': 'Changed',
        'contacts.es': 'Cambiado',
      },
      400,
    );
    expect(res.text).toContain('<p class="error">Must be at most 2,000 characters.</p>');
    expect(res.text).toContain('Cambio que no debe guardarse');
    expect(await t.db.manager.find(CountryFact, { order: { factKey: 'ASC' } })).toEqual(before);
    expect(await t.db.manager.findOneBy(ReferralContact, { courseSlug: A, countryCode: 'SV' })).toMatchObject(
      { textEn: 'Course A office, SV' },
    );
    await save(A, 'XX', { 'contacts.en': 'x' }, 404);
    await save('no-such-course', 'SV', { 'contacts.en': 'x' }, 404);
    expect(await t.db.manager.count(ReferralContact, { where: { countryCode: 'XX' } })).toBe(0);
  });

  it('refuses managers and trainers (403) and changes nothing', async () => {
    const manager = await pageAgent(t, (await t.createUser('manager', { countryCode: 'SV' })).email);
    for (const agent of [manager, sv]) {
      await agent.get(countryPage(A, 'SV')).expect(403);
      const csrf = csrfFrom((await agent.get('/account').expect(200)).text);
      await agent
        .post(countryPage(A, 'SV'))
        .type('form')
        .send({ _csrf: csrf, 'fact.national-law.en': 'Hijacked', 'fact.national-law.es': 'Secuestrado' })
        .expect(403);
    }
    expect(
      await t.db.manager.findOneBy(CountryFact, {
        courseSlug: A,
        countryCode: 'SV',
        factKey: 'national-law',
      }),
    ).toMatchObject({ textEs: 'Se aplica la **Ley de prueba de El Salvador**.' });
  });

  it('lists the handouts on the course page and serves one printable, in en and es, with facts filled for the reader', async () => {
    const token = await apiToken(t, admin.email);
    const api = await request(t.http)
      .get(`/api/v1/courses/${A}?lang=es`)
      .set({ Authorization: `Bearer ${token}` })
      .expect(200);
    expect(api.body.handouts).toEqual([{ slug: 'glossary', title: 'Glosario' }]);
    const course = await sv.get(`/courses/${A}`).expect(200);
    expect(course.text).toContain('Handouts to print');
    expect(course.text).toContain(`<a href="/courses/${A}/handouts/glossary">Glossary</a>`);
    const lesson = await sv.get(LESSON_A).expect(200);
    expect(lesson.text).toContain(`href="/courses/${A}/handouts/glossary"`);

    const en = await sv.get(`/courses/${A}/handouts/glossary`).expect(200);
    expect(en.text).toContain('<h1 id="handout-title">Glossary</h1>');
    expect(en.text).toContain('css/print');
    expect(en.text).toContain('<td>Trainers passing on what they learned.</td>');
    expect(en.text).toContain('Who must report, and to whom');
    expect(en.text).toContain('Not configured yet for El Salvador: ask your program manager.');
    const es = await sv.get(`/courses/${A}/handouts/glossary?lang=es`).expect(200);
    expect(es.text).toContain('<html lang="es">');
    expect(es.text).toContain('<h1 id="handout-title">Glosario</h1>');
    expect(es.text).toContain('<a href="?lang=en" hreflang="en" lang="en">English</a>');
    expect(es.text).toContain('Quién debe denunciar y ante quién');
    expect(es.text).toContain('Aún no está configurado para El Salvador: consulte a su gerente de programa.');
    await sv.get(`/courses/${A}/handouts/glossary?lang=en`).expect(200);

    await sv.get(`/courses/${A}/handouts/no-such-handout`).expect(404);
    await sv.get(`/courses/no-such-course/handouts/glossary`).expect(404);
    const anonymous = await request(t.http).get(`/courses/${A}/handouts/glossary`);
    expect(anonymous.status).toBe(303);
  });

  it('does not show a lesson’s PA default to PA readers of the same lesson once an admin enters PA text', async () => {
    await save(
      A,
      'PA',
      { 'fact.national-law.en': 'Admin text for Panama', 'fact.national-law.es': 'Texto para Panamá' },
      303,
    );
    const page = await pa.get(LESSON_A).expect(200);
    expect(page.text).toContain('Admin text for Panama');
    expect(page.text).not.toContain('Law 1 of 2000');
    expect(page.text).not.toContain(NOT_CONFIGURED_PA);
    // Emptying both texts brings the package default back.
    await save(A, 'PA', { 'fact.national-law.en': '', 'fact.national-law.es': '' }, 303);
    expect((await pa.get(LESSON_A).expect(200)).text).toContain('Law 1 of 2000');
  });

  it('migrates contacts entered before they were per course into the all-courses list, losing nothing', async () => {
    const ds = t.db.dataSource;
    // Undo the migrations from `name` on (later features' migrations come after this feature's).
    const undoFrom = async (name: string) => {
      const index = migrations.findIndex((m) => m.name === name);
      for (let i = index; i < migrations.length; i++) await ds.undoLastMigration();
    };
    await undoFrom('AddCourseToReferralContacts1764130800002');
    await ds.createQueryBuilder().delete().from('referral_contacts').execute();
    // Raw SQL: the entity already has the new column. Placeholders differ by driver.
    const p = (n: number) => (ds.options.type === 'postgres' ? `$${n}` : '?');
    await ds.query(
      `INSERT INTO referral_contacts (country_code, text_en, text_es, updated_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})`,
      ['BZ', 'Belize line', 'Línea de Belice', '2026-01-05T10:00:00.000Z'],
    );
    await ds.runMigrations();
    expect(await t.db.manager.find(ReferralContact)).toEqual([
      expect.objectContaining({
        courseSlug: '*',
        countryCode: 'BZ',
        textEn: 'Belize line',
        textEs: 'Línea de Belice',
      }),
    ]);
    const bz = await pageAgent(t, (await t.createUser('trainer', { countryCode: 'BZ' })).email);
    expect((await bz.get(`/courses/${A}/preview/warning-signs`).expect(200)).text).toContain('Belize line');
    // All three migrations of this feature go down and up again, keeping the all-courses rows.
    await undoFrom('CreateCountryFacts1764130800000');
    await ds.runMigrations();
    expect(await t.db.manager.find(ReferralContact)).toEqual([
      expect.objectContaining({ courseSlug: '*', countryCode: 'BZ' }),
    ]);
  });
});
