import { DomUtils, parseDocument } from 'htmlparser2';
import { join } from 'node:path';
import request from 'supertest';
import { IsNull, Like } from 'typeorm';
import { Certification } from '../../src/certification/certification.entity';
import { CertificationExpiryJob, REMINDER_BATCH } from '../../src/certification/expiry.job';
import { AuditEntry } from '../../src/common/audit/audit-entry.entity';
import { OutboxMessage } from '../../src/mail/outbox-message.entity';
import { User } from '../../src/users/user.entity';
import { createTestApp, TestApp } from '../support/create-test-app';
import { drawnAnswers } from '../support/quizzes';
import { apiToken, csrfOf, pageAgent } from '../support/login';

const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const COURSE = 'tiny-course';
const LESSONS = ['welcome', 'warning-signs', 'first-session'];
const CODE = /^CSC-[2346789ABCDEFGHJKMNPQRTUVWXYZ]{4}-[2346789ABCDEFGHJKMNPQRTUVWXYZ]{4}$/;
/** The workshop ran the week before the fake clock's first day (2026-03-02). */
const DAYS = ['2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27'];
const ENDS_ON = '2026-02-27';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Collects a binary response body (PDF, ZIP) as a Buffer (supertest's `.parse()`; `res` is the raw response stream). */
const binary = ((res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}) as unknown as Parameters<request.Test['parse']>[0];

/** The document Title of a PDF (pdfkit writes it as an indirect string object of the Info dictionary). */
function pdfTitle(pdf: Buffer): string | undefined {
  const text = pdf.toString('latin1');
  const direct = /\/Title \(((?:\\.|[^\\)])*)\)/.exec(text);
  if (direct) return direct[1];
  const ref = /\/Title (\d+) 0 R/.exec(text);
  return ref ? /^\((.*)\)$/m.exec(text.split(`\n${ref[1]} 0 obj\n`)[1] ?? '')?.[1] : undefined;
}

type HtmlElement = ReturnType<typeof DomUtils.findAll>[number];

/**
 * The public verification page as a reader gets it (parsed, not string-searched): the status line
 * as assistive technology reads it (marks hidden with aria-hidden left out), any other text of the
 * result, the facts of its <dl> and the whole text of <main>.
 */
function readVerifyPage(html: string) {
  const doc = parseDocument(html);
  const spoken = (node: HtmlElement): string =>
    node.children
      .map((child) =>
        DomUtils.isTag(child)
          ? child.attribs['aria-hidden'] === 'true'
            ? ''
            : spoken(child)
          : DomUtils.isText(child)
            ? child.data
            : '',
      )
      .join('');
  const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
  const main = DomUtils.findOne((el) => el.name === 'main', doc.children);
  const result = DomUtils.findOne((el) => el.attribs.role === 'status', doc.children);
  if (!main || !result) throw new Error('no <main> or no role="status" result on the page');
  const paragraphs = DomUtils.findAll((el) => el.name === 'p', result.children);
  const facts: Record<string, string> = {};
  for (const dt of DomUtils.findAll((el) => el.name === 'dt', result.children)) {
    const dd = DomUtils.nextElementSibling(dt);
    if (dd?.name === 'dd') facts[squash(DomUtils.textContent(dt))] = squash(DomUtils.textContent(dd));
  }
  return {
    status: squash(spoken(paragraphs[0])),
    notices: paragraphs.slice(1).map((p) => squash(DomUtils.textContent(p))),
    facts,
    text: squash(DomUtils.textContent(main)),
  };
}

interface Participant {
  user: User;
  token: string;
}

// Each trainer goes through the course over the API, so hooks and tests take longer than the default.
jest.setTimeout(60_000);

describe('certification', () => {
  let t: TestApp;
  let admin: User;
  let adminToken: string;
  let manager: User;
  let managerToken: string;

  const api = (token: string) => ({
    get: (path: string) => request(t.http).get(`/api/v1${path}`).set(bearer(token)),
    post: (path: string, body?: object) =>
      request(t.http).post(`/api/v1${path}`).set(bearer(token)).send(body),
    put: (path: string, body?: object) => request(t.http).put(`/api/v1${path}`).set(bearer(token)).send(body),
  });

  const mails = (to: string, template: string) =>
    t.db.manager.find(OutboxMessage, { where: { toAddress: to, template } });
  const certOf = (code: string) => t.db.manager.findOneByOrFail(Certification, { code });

  /** A cohort of the fixture course in El Salvador with its five days (DAYS unless told). */
  async function workshop(
    name: string,
    capacity = 10,
    days = DAYS,
  ): Promise<{ id: string; dayIds: string[] }> {
    const cohort = await api(managerToken)
      .post('/cohorts', {
        courseSlug: COURSE,
        name,
        countryCode: 'SV',
        startsOn: days[0],
        endsOn: days[days.length - 1],
        capacity,
      })
      .expect(201);
    const dayIds: string[] = [];
    for (const date of days)
      dayIds.push(
        (await api(managerToken).post(`/cohorts/${cohort.body.id}/days`, { date }).expect(201)).body.id,
      );
    return { id: cohort.body.id, dayIds };
  }

  /**
   * Trainers who join the cohort, complete every lesson and pass the post-test through the API,
   * attend the first `attended` of the five days (absent on the others) and get a practicum result.
   */
  async function trainers(
    cohort: { id: string; dayIds: string[] },
    names: string[],
    attended: number,
    practicumPassed = true,
  ): Promise<Participant[]> {
    const people: Participant[] = [];
    for (const name of names) {
      const user = await t.createUser('trainer', { countryCode: 'SV', name });
      await api(managerToken)
        .post(`/cohorts/${cohort.id}/participants`, { email: user.email, name })
        .expect(201);
      const token = await apiToken(t, user.email);
      const enrolmentId = (await api(token).get('/me').expect(200)).body.enrolments[0].id as string;
      for (const lesson of LESSONS)
        await api(token).post(`/enrolments/${enrolmentId}/lessons/${lesson}/complete`).expect(200);
      const post = await api(token)
        .post(
          `/enrolments/${enrolmentId}/quizzes/post-test/attempts`,
          await drawnAnswers(api(token), enrolmentId, 'post-test'),
        )
        .expect(201);
      expect(post.body).toMatchObject({ score: 100, passed: true });
      await api(managerToken)
        .put(`/cohorts/${cohort.id}/participants/${user.id}/practicum`, {
          passed: practicumPassed,
          score: practicumPassed ? 90 : 30,
        })
        .expect(200);
      people.push({ user, token });
    }
    for (const [i, dayId] of cohort.dayIds.entries()) {
      const status = i < attended ? 'present' : 'absent';
      await api(managerToken)
        .put(`/cohorts/${cohort.id}/days/${dayId}/attendance`, {
          records: people.map((p) => ({ userId: p.user.id, status })),
        })
        .expect(200);
    }
    return people;
  }

  const issue = (cohortId: string, userId: string, issuedOn?: string) =>
    api(managerToken).post('/certifications', { cohortId, userId, ...(issuedOn ? { issuedOn } : {}) });

  beforeAll(async () => {
    t = await createTestApp({ CONTENT_DIR: CONTENT });
    admin = await t.createUser('admin');
    adminToken = await apiToken(t, admin.email);
    manager = await t.createUser('manager', { countryCode: 'SV', name: 'Marta Manager' });
    managerToken = await apiToken(t, manager.email);
  });
  afterAll(() => t.close());

  describe('issuing', () => {
    let cohort: { id: string; dayIds: string[] };
    let ana: Participant; // 4 of 5 days: exactly the 80 % the rule asks
    let beto: Participant; // 3 of 5 days
    let ciro: Participant; // all days, certified backdated
    let anaCode: string;

    beforeAll(async () => {
      cohort = await workshop('TOT Santa Tecla');
      [ana] = await trainers(cohort, ['Ana Eligible'], 4);
      [beto] = await trainers(cohort, ['Beto Short'], 3);
      [ciro] = await trainers(cohort, ['Ciro Backdated'], 5);
    });

    it('finds a trainer eligible with every lesson, the post-test, exactly 80 % attendance and the practicum', async () => {
      const res = await api(ana.token)
        .get(`/cohorts/${cohort.id}/participants/${ana.user.id}/eligibility`)
        .expect(200);
      expect(res.body.eligible).toBe(true);
      expect(
        res.body.conditions.map((c: { code: string; met: boolean; detail: string }) => [
          c.code,
          c.met,
          c.detail,
        ]),
      ).toEqual([
        ['lessons-complete', true, '3 of 3 lessons'],
        ['post-test-passed', true, 'best score 100%, pass mark 70%'],
        ['attendance', true, '80% attended, 80% required'],
        ['practicum', true, 'passed'],
      ]);
      // The participant's own page says the same in words.
      const page = await (
        await pageAgent(t, ana.user.email)
      )
        .get(`/cohorts/${cohort.id}/participants/${ana.user.id}`)
        .expect(200);
      expect(page.text).toContain('Certification: Eligible');
      expect(page.text).toContain('Workshop attendance: 80% attended, 80% required');
      // Another participant may not read Ana's standing.
      await api(beto.token).get(`/cohorts/${cohort.id}/participants/${ana.user.id}/eligibility`).expect(403);
    });

    it('refuses to certify a trainer who attended 3 of 5 days: 422 naming the attendance condition', async () => {
      const eligibility = await api(managerToken)
        .get(`/cohorts/${cohort.id}/participants/${beto.user.id}/eligibility`)
        .expect(200);
      expect(eligibility.body.eligible).toBe(false);
      const res = await issue(cohort.id, beto.user.id).expect(422);
      expect(res.body).toMatchObject({
        statusCode: 422,
        error: 'Unprocessable Entity',
        code: 'certification.not-eligible',
      });
      expect(res.body.message).toBe('Not eligible yet. Conditions of the course rule not met: 1.');
      expect(res.body.conditions).toEqual([
        {
          code: 'attendance',
          met: false,
          detail: '60% attended, 80% required',
          values: { percent: 60, required: 80 },
        },
      ]);
      const es = await api(managerToken)
        .post('/certifications?lang=es', { cohortId: cohort.id, userId: beto.user.id })
        .expect(422);
      expect(es.body.conditions[0].code).toBe('attendance');
      await api(managerToken).get('/me?lang=en').expect(200); // ?lang= is saved as the manager's preference: back to English
      expect(await t.db.manager.count(Certification, { where: { userId: beto.user.id } })).toBe(0);
      expect(await mails(beto.user.email, 'certification-issued')).toHaveLength(0);
    });

    it('issues a certification: a code, today’s date, expiry after the validity, active; audited and mailed with the verify link', async () => {
      const res = await issue(cohort.id, ana.user.id).expect(201);
      expect(res.body).toMatchObject({
        code: expect.stringMatching(CODE),
        userId: ana.user.id,
        courseSlug: COURSE,
        cohortId: cohort.id,
        issuedBy: manager.id,
        issuedOn: t.clock.today(),
        expiresOn: '2028-03-02',
        status: 'active',
        revokedOn: null,
      });
      expect(t.clock.today()).toBe('2026-03-02');
      anaCode = res.body.code;
      expect(await certOf(anaCode)).toMatchObject({
        userId: ana.user.id,
        status: 'active',
        issuedOn: '2026-03-02',
        expiresOn: '2028-03-02',
      });
      const audit = await t.db.manager.findOneByOrFail(AuditEntry, {
        action: 'certification.issue',
        entityId: anaCode,
      });
      expect(audit.actorId).toBe(manager.id);

      const [mail] = await mails(ana.user.email, 'certification-issued');
      expect(mail.subject).toBe('Your certification: Tiny course');
      expect(mail.textBody).toContain(`http://cascada.test/verify/${anaCode}`);
      expect(mail.textBody).toContain(anaCode);
    });

    it('refuses to issue a second certification for the same course (409)', async () => {
      const res = await issue(cohort.id, ana.user.id).expect(409);
      expect(res.body.message).toBe(
        `This trainer already holds a valid certification for the course (${anaCode}).`,
      );
      expect(await t.db.manager.count(Certification, { where: { userId: ana.user.id } })).toBe(1);
    });

    it('backdates the issue date to the cohort’s last day, never earlier and never into the future', async () => {
      const early = await issue(cohort.id, ciro.user.id, '2026-02-26').expect(400);
      expect(early.body.fields).toEqual({
        issuedOn: ["The issue date cannot be before the workshop's last day (2026-02-27)."],
      });
      const future = await issue(cohort.id, ciro.user.id, '2026-03-03').expect(400);
      expect(future.body.fields).toEqual({ issuedOn: ['The issue date cannot be in the future.'] });
      await issue(cohort.id, ciro.user.id, '2026-02-30').expect(400);
      expect(await t.db.manager.count(Certification, { where: { userId: ciro.user.id } })).toBe(0);

      const res = await issue(cohort.id, ciro.user.id, ENDS_ON).expect(201);
      expect(res.body).toMatchObject({ issuedOn: ENDS_ON, expiresOn: '2028-02-27', status: 'active' });
    });

    it('refuses issuing to trainers, to managers of another country, and for non-participants', async () => {
      await api(beto.token)
        .post('/certifications', { cohortId: cohort.id, userId: beto.user.id })
        .expect(403);
      const panama = await t.createUser('manager', { countryCode: 'PA' });
      await api(await apiToken(t, panama.email))
        .post('/certifications', { cohortId: cohort.id, userId: beto.user.id })
        .expect(403);
      const outsider = await t.createUser('trainer');
      await issue(cohort.id, outsider.id).expect(404);
      const bad = await api(managerToken)
        .post('/certifications', { cohortId: 'nope', userId: 'nope' })
        .expect(400);
      expect(Object.keys(bad.body.fields).sort()).toEqual(['cohortId', 'userId']);
    });

    describe('verification (public)', () => {
      it('answers GET /api/v1/verify/:code without a token, with nothing personal beyond the holder’s name', async () => {
        const res = await request(t.http).get(`/api/v1/verify/${anaCode}`).expect(200);
        expect(res.body).toEqual({
          valid: true,
          status: 'active',
          holderName: 'Ana Eligible',
          courseTitle: 'Tiny course',
          issuedOn: '2026-03-02',
          expiresOn: '2028-03-02',
          // Not personal: the day a revocation took effect (null while valid).
          revokedOn: null,
          // Added for portable credentials (open-badges.e2e-spec.ts): where they live, and the
          // certification's entry in the public revocation list.
          openBadgeCredential: `http://cascada.test/ob/credentials/${anaCode}`,
          openBadgeV2Assertion: `http://cascada.test/ob/v2/assertions/${anaCode}`,
          credentialStatus: {
            type: 'BitstringStatusListEntry',
            statusPurpose: 'revocation',
            statusListIndex: String((await certOf(anaCode)).statusListIndex),
            statusListCredential: 'http://cascada.test/ob/status/1',
          },
        });
        expect(res.text).not.toContain(ana.user.email);
        expect(res.text).not.toContain(ana.user.id);
        expect(res.text).not.toContain(manager.id);
        // Codes typed loosely are found too.
        const loose = await request(t.http)
          .get(`/api/v1/verify/${anaCode.toLowerCase().replace(/-/g, ' ')}`)
          .expect(200);
        expect(loose.body.holderName).toBe('Ana Eligible');
        expect(
          (await request(t.http).get(`/api/v1/verify/${anaCode}?lang=es`).expect(200)).body.courseTitle,
        ).toBe('Curso mínimo');
      });

      it('answers 404 for unknown codes (API and page)', async () => {
        const unknown = anaCode === 'CSC-2222-2222' ? 'CSC-3333-3333' : 'CSC-2222-2222';
        const res = await request(t.http).get(`/api/v1/verify/${unknown}`).expect(404);
        expect(res.body).toMatchObject({ statusCode: 404, message: 'No certificate has this code.' });
        await request(t.http).get('/api/v1/verify/not-a-code').expect(404);
        const page = await request(t.http).get(`/verify/${unknown}`).expect(404);
        expect(page.text).toContain(`No certificate has the code ${unknown}.`);
        expect(page.text).not.toContain('Ana Eligible');
      });

      it('shows a valid certification in words on the /verify/:code page', async () => {
        const page = await request(t.http).get(`/verify/${anaCode}`).expect(200);
        const read = readVerifyPage(page.text);
        expect(read.status).toBe('Valid certification');
        expect(read.notices).toEqual([]);
        expect(read.facts['Valid until']).toBe('March 2, 2028');
        expect(page.text).toContain('Ana Eligible');
        expect(page.text).toContain('Tiny course');
        expect(page.text).toContain('March 2, 2028');
        expect(page.text).not.toContain(ana.user.email);
      });
    });

    describe('PDF certificates', () => {
      it('lets the holder download the certificate as a PDF that carries the code', async () => {
        const holder = await pageAgent(t, ana.user.email);
        const res = await holder
          .get(`/certifications/${anaCode}/certificate.pdf`)
          .buffer(true)
          .parse(binary)
          .expect(200);
        expect(res.headers['content-type']).toMatch(/^application\/pdf/);
        expect(res.headers['content-disposition']).toContain(`certificate-${anaCode}-Ana-Eligible.pdf`);
        const pdf = res.body as Buffer;
        expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        // pdfkit writes page text as hex glyph ids; the document's Title metadata carries the code as text.
        expect(pdfTitle(pdf)).toBe(`Certificate ${anaCode}`);
      });

      it('refuses the PDF to another trainer (403) and to a manager of another country', async () => {
        const other = await pageAgent(t, beto.user.email);
        const res = await other.get(`/certifications/${anaCode}/certificate.pdf`).expect(403);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        const panama = await t.createUser('manager', { countryCode: 'PA' });
        await (
          await pageAgent(t, panama.email)
        )
          .get(`/certifications/${anaCode}/certificate.pdf`)
          .expect(403);
        await (
          await pageAgent(t, manager.email)
        )
          .get(`/certifications/${anaCode}/certificate.pdf`)
          .buffer(true)
          .parse(binary)
          .expect(200);
      });

      it('gives managers the cohort’s certificates as a ZIP whose name says it holds names', async () => {
        const agent = await pageAgent(t, manager.email);
        const res = await agent
          .get(`/cohorts/${cohort.id}/certificates.zip`)
          .buffer(true)
          .parse(binary)
          .expect(200);
        expect(res.headers['content-type']).toMatch(/^application\/zip/);
        expect(res.headers['content-disposition']).toMatch(/filename="[^"]*with-names[^"]*\.zip"/);
        const zip = res.body as Buffer;
        expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
        const entries = zip.toString('latin1').split('PK\u0001\u0002').length - 1;
        expect(entries).toBe(await t.db.manager.count(Certification, { where: { cohortId: cohort.id } }));
        expect(zip.toString('latin1')).toContain(`${anaCode}-Ana-Eligible.pdf`);
        await (await pageAgent(t, ana.user.email)).get(`/cohorts/${cohort.id}/certificates.zip`).expect(403);
        const panama = await t.createUser('manager', { countryCode: 'PA' });
        await (await pageAgent(t, panama.email)).get(`/cohorts/${cohort.id}/certificates.zip`).expect(403);
      });
    });

    describe('who sees which certifications', () => {
      it('shows trainers only their own certifications', async () => {
        const mine = await api(ana.token).get('/certifications').expect(200);
        expect(mine.body.total).toBe(1);
        expect(mine.body.items.map((c: { code: string; userId: string }) => [c.code, c.userId])).toEqual([
          [anaCode, ana.user.id],
        ]);
        const asked = await api(ana.token).get(`/certifications?userId=${ciro.user.id}`).expect(200);
        expect(asked.body.items.every((c: { userId: string }) => c.userId === ana.user.id)).toBe(true);
        expect((await api(beto.token).get('/certifications').expect(200)).body).toEqual({
          items: [],
          total: 0,
        });
        await api(beto.token).get(`/certifications/${anaCode}`).expect(403);
        const page = await (await pageAgent(t, beto.user.email)).get('/certifications').expect(200);
        expect(page.text).not.toContain(anaCode);
      });

      it('shows managers of the country all of them, and managers of another country none', async () => {
        const sv = await api(managerToken).get('/certifications').expect(200);
        expect(sv.body.items.map((c: { code: string }) => c.code)).toContain(anaCode);
        const panama = await t.createUser('manager', { countryCode: 'PA' });
        const pa = await api(await apiToken(t, panama.email))
          .get('/certifications')
          .expect(200);
        expect(pa.body).toEqual({ items: [], total: 0 });
        await api(await apiToken(t, panama.email))
          .get(`/certifications/${anaCode}`)
          .expect(403);
        const all = await api(adminToken).get('/certifications').expect(200);
        expect(all.body.items.map((c: { code: string }) => c.code)).toContain(anaCode);
      });
    });
  });

  describe('certify all eligible', () => {
    it('certifies only the eligible participants, in one go, each with a unique code', async () => {
      const cohort = await workshop('TOT grande', 32);
      const eligible = await trainers(
        cohort,
        Array.from({ length: 30 }, (_, i) => `Grande ${String(i + 1).padStart(2, '0')}`),
        5,
      );
      const [short] = await trainers(cohort, ['Grande Short'], 3);
      const [failed] = await trainers(cohort, ['Grande Failed'], 5, false);

      const agent = await pageAgent(t, manager.email);
      const page = await agent.get(`/cohorts/${cohort.id}`).expect(200);
      expect(page.text).toContain(
        '30 eligible participants are waiting for their certificate; 0 already certified.',
      );
      expect(page.text.match(/class="badge badge-active">Eligible</g)).toHaveLength(30);
      const csrf = await csrfOf(agent, `/cohorts/${cohort.id}`);

      // An issue date before the workshop's last day is refused with the reason, and nothing is issued.
      const early = await agent
        .post(`/cohorts/${cohort.id}/certify`)
        .type('form')
        .send({ _csrf: csrf, issuedOn: '2026-02-26' })
        .expect(303);
      expect(early.headers.location).toMatch(new RegExp(`^/cohorts/${cohort.id}`));
      const refused = await agent.get(early.headers.location).expect(200);
      expect(refused.text).toContain(
        'The issue date cannot be before the workshop&#x27;s last day (2026-02-27).',
      );
      expect(await t.db.manager.count(Certification, { where: { cohortId: cohort.id } })).toBe(0);

      const res = await agent
        .post(`/cohorts/${cohort.id}/certify`)
        .type('form')
        .send({ _csrf: csrf, issuedOn: '' })
        .expect(303);
      expect(res.headers.location).toBe(`/cohorts/${cohort.id}#roster`);

      const issued = await t.db.manager.find(Certification, { where: { cohortId: cohort.id } });
      expect(issued.map((c) => c.userId).sort()).toEqual(eligible.map((p) => p.user.id).sort());
      expect(
        issued.every((c) => CODE.test(c.code) && c.issuedOn === '2026-03-02' && c.status === 'active'),
      ).toBe(true);
      expect(new Set(issued.map((c) => c.code)).size).toBe(30);
      for (const person of [short, failed])
        expect(await t.db.manager.count(Certification, { where: { userId: person.user.id } })).toBe(0);
      for (const person of eligible.slice(0, 3))
        expect(await mails(person.user.email, 'certification-issued')).toHaveLength(1);

      const after = await agent.get(`/cohorts/${cohort.id}`).expect(200);
      expect(after.text).toContain('30 certifications issued.');
      expect(after.text).toContain(
        '0 eligible participants are waiting for their certificate; 30 already certified.',
      );
      for (const cert of issued.slice(0, 5))
        expect(after.text).toContain(`<a href="/certifications/${cert.code}">${cert.code}</a>`);

      // A second click issues nothing more.
      await agent.post(`/cohorts/${cohort.id}/certify`).type('form').send({ _csrf: csrf }).expect(303);
      expect(await t.db.manager.count(Certification, { where: { cohortId: cohort.id } })).toBe(30);
      // Trainers cannot use the button.
      const trainerAgent = await pageAgent(t, short.user.email);
      const trainerCsrf = await csrfOf(trainerAgent, `/cohorts/${cohort.id}`);
      await trainerAgent
        .post(`/cohorts/${cohort.id}/certify`)
        .type('form')
        .send({ _csrf: trainerCsrf })
        .expect(403);
    }, 180_000);

    it('certifies a participant whose earlier certification has run out, even before the daily job marks it expired', async () => {
      const cohort = await workshop('TOT segunda vuelta', 3);
      const [returning] = await trainers(cohort, ['Returning Trainer'], 5);
      // An older certification of the same course, past its expiry date but still 'active' in the table.
      const old = await certOf((await issue(cohort.id, returning.user.id).expect(201)).body.code);
      await t.db.manager.update(
        Certification,
        { code: old.code },
        { issuedOn: '2023-02-01', expiresOn: '2025-02-01' },
      );

      const agent = await pageAgent(t, manager.email);
      const csrf = await csrfOf(agent, `/cohorts/${cohort.id}`);
      await agent.post(`/cohorts/${cohort.id}/certify`).type('form').send({ _csrf: csrf }).expect(303);
      const certs = await t.db.manager.find(Certification, {
        where: { userId: returning.user.id },
        order: { issuedOn: 'ASC' },
      });
      expect(certs.map((c) => [c.issuedOn, c.expiresOn])).toEqual([
        ['2023-02-01', '2025-02-01'],
        ['2026-03-02', '2028-03-02'],
      ]);
      // Leave it as the daily job would (the expiry-job tests below count what the job marks).
      await t.db.manager.update(Certification, { code: old.code }, { status: 'expired' });
    });
  });

  describe('revoking, renewing and expiry', () => {
    let cohort: { id: string; dayIds: string[] };
    let dora: Participant; // revoked
    let eva: Participant; // renewed while active
    let fito: Participant; // backdated: the first to expire (job and renewal after expiry)
    const codeOf = async (p: Participant) =>
      (await t.db.manager.findOneByOrFail(Certification, { userId: p.user.id, status: 'active' })).code;

    beforeAll(async () => {
      // The week before the other workshops: Fito's backdated certification expires before any other of this file.
      cohort = await workshop('TOT Sonsonate', 10, [
        '2026-02-16',
        '2026-02-17',
        '2026-02-18',
        '2026-02-19',
        '2026-02-20',
      ]);
      [dora, eva, fito] = await trainers(cohort, ['Dora Revoked', 'Eva Renewed', 'Fito Expiring'], 5);
      await issue(cohort.id, dora.user.id).expect(201);
      await issue(cohort.id, eva.user.id).expect(201);
      await issue(cohort.id, fito.user.id, '2026-02-20').expect(201);
    });

    it('refuses to revoke without a reason (400) and changes nothing', async () => {
      const code = await codeOf(dora);
      for (const body of [{}, { reason: '' }, { reason: '  ' }]) {
        const res = await api(managerToken).post(`/certifications/${code}/revoke`, body).expect(400);
        expect(Object.keys(res.body.fields)).toEqual(['reason']);
      }
      await api(dora.token).post(`/certifications/${code}/revoke`, { reason: 'I quit' }).expect(403);
      expect((await certOf(code)).status).toBe('active');
    });

    it('revokes with a reason from today: verify says revoked, audited with before and after, holder mailed', async () => {
      const code = await codeOf(dora);
      const res = await api(managerToken)
        .post(`/certifications/${code}/revoke`, { reason: 'Attendance sheet was falsified' })
        .expect(200);
      expect(res.body).toMatchObject({
        code,
        status: 'revoked',
        revokedOn: t.clock.today(),
        revokedReason: 'Attendance sheet was falsified',
      });
      expect(await certOf(code)).toMatchObject({ status: 'revoked', revokedOn: '2026-03-02' });

      const verify = await request(t.http).get(`/api/v1/verify/${code}`).expect(200);
      expect(verify.body).toMatchObject({ valid: false, status: 'revoked', revokedOn: '2026-03-02' });
      const page = readVerifyPage((await request(t.http).get(`/verify/${code}`).expect(200)).text);
      expect(page.status).toBe('Revoked');
      expect(page.text).not.toContain('Valid certification');

      const audit = await t.db.manager.findOneByOrFail(AuditEntry, {
        action: 'certification.revoke',
        entityId: code,
      });
      expect(audit.actorId).toBe(manager.id);
      expect(JSON.parse(audit.before as string)).toEqual({ status: 'active' });
      expect(JSON.parse(audit.after as string)).toEqual({
        status: 'revoked',
        revokedOn: '2026-03-02',
        reason: 'Attendance sheet was falsified',
      });

      const [mail] = await mails(dora.user.email, 'certification-revoked');
      expect(mail.subject).toBe('Your certification has been revoked');
      expect(mail.textBody).toContain('Attendance sheet was falsified');
      expect(mail.textBody).toContain(code);

      const again = await api(managerToken)
        .post(`/certifications/${code}/revoke`, { reason: 'Twice' })
        .expect(409);
      expect(again.body.message).toBe('This certification is already revoked.');
    });

    it.each([
      {
        lang: 'en',
        status: 'Revoked',
        notice: 'This certificate was revoked on March 2, 2026. It is no longer valid.',
        revokedOn: ['Revoked on', 'March 2, 2026'],
        validUntil: /valid until/i,
        expiry: 'March 2, 2028',
      },
      {
        lang: 'es',
        status: 'Revocada',
        notice: 'Este certificado fue revocado el 2 de marzo de 2026. Ya no es válido.',
        revokedOn: ['Revocada el', '2 de marzo de 2026'],
        validUntil: /válid[ao] hasta/i,
        expiry: '2 de marzo de 2028',
      },
    ])(
      'shows the public page of a revoked certificate as revoked since its date, never "valid until" ($lang)',
      async ({ lang, status, notice, revokedOn, validUntil, expiry }) => {
        const { code } = await t.db.manager.findOneByOrFail(Certification, { userId: dora.user.id });
        const page = readVerifyPage(
          (await request(t.http).get(`/verify/${code}?lang=${lang}`).expect(200)).text,
        );
        // The status is in words (not only a red border or a ✗), with the day it took effect.
        expect(page.status).toBe(status);
        expect(page.notices).toEqual([notice]);
        expect(page.facts[revokedOn[0]]).toBe(revokedOn[1]);
        expect(page.text).not.toMatch(validUntil);
        // The old expiry date is not shown at all: it would read as "valid until then".
        expect(page.text).not.toContain(expiry);
        expect(Object.keys(page.facts)).toHaveLength(5); // code, holder, course, issued on, revoked on
      },
    );

    it('says revoked on the holder’s certificate page and in the list, not "valid until"', async () => {
      const { code } = await t.db.manager.findOneByOrFail(Certification, { userId: dora.user.id });
      const holder = await pageAgent(t, dora.user.email);
      const show = (await holder.get(`/certifications/${code}`).expect(200)).text;
      expect(show).toContain('Revoked on');
      expect(show).not.toContain('Valid until');
      const list = (await holder.get('/certifications').expect(200)).text;
      expect(list).toContain('Revoked on Mar 2, 2026');
      expect(list).not.toContain('Valid until');
    });

    it('refuses to renew a revoked certification (422)', async () => {
      const { code } = await t.db.manager.findOneByOrFail(Certification, { userId: dora.user.id });
      const res = await api(managerToken).post(`/certifications/${code}/renew`).expect(422);
      expect(res.body.message).toBe('A revoked certification cannot be renewed.');
      expect(await certOf(code)).toMatchObject({ status: 'revoked', expiresOn: '2028-03-02' });
      expect(await t.db.manager.count(Certification, { where: { userId: dora.user.id } })).toBe(1);
    });

    it('renews an active certification by the validity period, audited and mailed', async () => {
      const code = await codeOf(eva);
      await api(eva.token).post(`/certifications/${code}/renew`).expect(403);
      const res = await api(managerToken).post(`/certifications/${code}/renew`).expect(200);
      expect(res.body).toMatchObject({
        code,
        status: 'active',
        issuedOn: '2026-03-02',
        expiresOn: '2030-03-02',
      });
      const audit = await t.db.manager.findOneByOrFail(AuditEntry, {
        action: 'certification.renew',
        entityId: code,
      });
      expect(JSON.parse(audit.before as string)).toEqual({ expiresOn: '2028-03-02' });
      expect(JSON.parse(audit.after as string)).toEqual({ expiresOn: '2030-03-02' });
      const [mail] = await mails(eva.user.email, 'certification-renewed');
      expect(mail.textBody).toContain(code);
      expect((await request(t.http).get(`/api/v1/verify/${code}`).expect(200)).body).toMatchObject({
        valid: true,
        expiresOn: '2030-03-02',
      });
    });

    describe('the expiry job', () => {
      const job = () => t.app.get(CertificationExpiryJob);
      const expiring = () =>
        t.db.manager.find(OutboxMessage, { where: { template: 'certification-expiring' } });
      let fitoCode: string;

      beforeAll(async () => {
        fitoCode = await codeOf(fito);
        expect((await certOf(fitoCode)).expiresOn).toBe('2028-02-20');
      });

      it('mails the holder and the issuing manager once, 59 days before expiry', async () => {
        t.clock.set('2027-12-23T06:00:00.000Z'); // 59 days before 2028-02-20
        const before = (await expiring()).length;
        expect(await job().runIfDue()).toEqual({ ran: true, expired: 0, reminded: 1 });
        const sent = (await expiring()).slice(before);
        expect(sent.map((m) => m.toAddress).sort()).toEqual([fito.user.email, manager.email].sort());
        for (const mail of sent) {
          expect(mail.subject).toBe(`A certification expires soon: ${fitoCode}`);
          expect(mail.textBody).toContain('Fito Expiring');
          expect(mail.textBody).toContain(`http://cascada.test/verify/${fitoCode}`);
        }
        expect((await certOf(fitoCode)).reminderSentAt).not.toBeNull();
      });

      it('does nothing when run again the same day (lease)', async () => {
        t.clock.set('2027-12-23T18:00:00.000Z');
        const before = (await expiring()).length;
        expect(await job().runIfDue()).toEqual({ ran: false, expired: 0, reminded: 0 });
        expect(await expiring()).toHaveLength(before);
      });

      it('sends no second reminder the next day', async () => {
        t.clock.set('2027-12-24T06:00:00.000Z');
        const before = (await expiring()).length;
        expect(await job().runIfDue()).toMatchObject({ ran: true, reminded: 0 });
        expect(await expiring()).toHaveLength(before);
        expect(await mails(fito.user.email, 'certification-expiring')).toHaveLength(1);
      });

      it("mails a large workshop's reminders in batches, each certification once, and none again the next day", async () => {
        // 2.3 batches of certifications expiring together (as after a big TOT), written directly.
        const n = REMINDER_BATCH * 2 + 30;
        const model = await certOf(fitoCode);
        const holder = await t.db.manager.findOneByOrFail(User, { id: fito.user.id });
        const holders = Array.from({ length: n }, (_, i) => ({
          ...holder,
          id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          email: `batch-${i}@example.org`,
          name: `Batch Holder ${i}`,
        }));
        await t.db.manager.insert(User, holders);
        const used = new Set((await t.db.manager.find(Certification)).map((c) => c.statusListIndex));
        const free = Array.from({ length: 131_072 }, (_, i) => i).filter((i) => !used.has(i)); // each its own revocation bit
        await t.db.manager.insert(
          Certification,
          holders.map((h, i) => ({
            ...model,
            id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
            code: `CSC-BTCH-${String(i).padStart(4, '0')}`,
            statusListIndex: free[i],
            userId: h.id,
            issuedBy: null,
            expiresOn: '2028-01-31',
            reminderSentAt: null,
          })),
        );
        t.clock.set('2027-12-25T06:00:00.000Z');
        const before = (await expiring()).length;
        expect(await job().runIfDue()).toEqual({ ran: true, expired: 0, reminded: n });
        const sent = (await expiring())
          .slice(before)
          .map((m) => m.toAddress)
          .sort();
        expect(sent).toEqual(holders.map((h) => h.email).sort());
        expect(
          await t.db.manager.countBy(Certification, { expiresOn: '2028-01-31', reminderSentAt: IsNull() }),
        ).toBe(0);
        t.clock.set('2027-12-26T06:00:00.000Z');
        expect(await job().runIfDue()).toEqual({ ran: true, expired: 0, reminded: 0 });
        expect(await expiring()).toHaveLength(before + n);
        await t.db.manager.delete(Certification, { code: Like('CSC-BTCH-%') });
      });

      it('keeps the certification valid on its expiry day and marks it expired the day after', async () => {
        t.clock.set('2028-02-20T06:00:00.000Z');
        expect(await job().runIfDue()).toMatchObject({ ran: true, expired: 0 });
        expect((await certOf(fitoCode)).status).toBe('active');
        expect((await request(t.http).get(`/api/v1/verify/${fitoCode}`).expect(200)).body).toMatchObject({
          valid: true,
          status: 'active',
        });

        t.clock.set('2028-02-21T06:00:00.000Z');
        expect(await job().runIfDue()).toMatchObject({ ran: true, expired: 1 });
        expect((await certOf(fitoCode)).status).toBe('expired');
        expect(await mails(fito.user.email, 'certification-expiring')).toHaveLength(1);
        expect((await request(t.http).get(`/api/v1/verify/${fitoCode}`).expect(200)).body).toMatchObject({
          valid: false,
          status: 'expired',
        });
        for (const [lang, status, notice, term, date] of [
          [
            'en',
            'Expired',
            'This certificate expired on February 20, 2028. It is no longer valid.',
            'Expired on',
            'February 20, 2028',
          ],
          [
            'es',
            'Vencida',
            'Este certificado venció el 20 de febrero de 2028. Ya no es válido.',
            'Vencida el',
            '20 de febrero de 2028',
          ],
        ]) {
          const page = readVerifyPage(
            (await request(t.http).get(`/verify/${fitoCode}?lang=${lang}`).expect(200)).text,
          );
          expect({ lang, status: page.status, notices: page.notices, date: page.facts[term] }).toEqual({
            lang,
            status,
            notices: [notice],
            date,
          });
          expect(page.text).not.toMatch(/valid until|válid[ao] hasta/i);
        }
      });

      it('renews an expired certification as a new one from today', async () => {
        const token = await apiToken(t, manager.email);
        const res = await api(token).post(`/certifications/${fitoCode}/renew`).expect(200);
        expect(res.body.code).toMatch(CODE);
        expect(res.body.code).not.toBe(fitoCode);
        expect(res.body).toMatchObject({
          userId: fito.user.id,
          issuedOn: '2028-02-21',
          expiresOn: '2030-02-21',
          status: 'active',
        });
        expect(await certOf(fitoCode)).toMatchObject({ status: 'expired', expiresOn: '2028-02-20' });
        const audit = await t.db.manager.findOneByOrFail(AuditEntry, {
          action: 'certification.renew',
          entityId: res.body.code,
        });
        expect(JSON.parse(audit.before as string)).toEqual({ code: fitoCode, expiresOn: '2028-02-20' });
        expect(JSON.parse(audit.after as string)).toEqual({ code: res.body.code, expiresOn: '2030-02-21' });
        expect((await request(t.http).get(`/api/v1/verify/${res.body.code}`).expect(200)).body).toMatchObject(
          { valid: true, issuedOn: '2028-02-21' },
        );
        expect((await request(t.http).get(`/api/v1/verify/${fitoCode}`).expect(200)).body.status).toBe(
          'expired',
        );
      });
    });
  });
});
