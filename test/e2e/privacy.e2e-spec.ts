/**
 * DESIGN.md "Privacy": a person's data export (JSON) and anonymisation. Anonymising disables the
 * account and replaces name, email and organisation, while attendance, certifications and session
 * counts stay in every report total.
 *
 * The fixture is inserted with the entity classes (as reports.e2e-spec does): one workshop in SV with
 * two trainers, Ana (certified, delivered two confirmed sessions) and Beto (attended, not certified).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { AuthToken } from '../../src/auth/auth-token.entity';
import { CascadeSession } from '../../src/cascade/cascade-session.entity';
import { rebuildRollups } from '../../src/cascade/reach-rollups';
import { Certification } from '../../src/certification/certification.entity';
import {
  Attendance,
  CohortDay,
  CohortParticipant,
  PracticumResult,
} from '../../src/cohorts/cohort-member.entities';
import { Cohort } from '../../src/cohorts/cohort.entity';
import { AuditEntry } from '../../src/common/audit/audit-entry.entity';
import { Course } from '../../src/courses/course.entity';
import { Enrolment } from '../../src/courses/enrolment.entity';
import { QuizAttempt } from '../../src/courses/quiz-attempt.entity';
import { OutboxMessage } from '../../src/mail/outbox-message.entity';
import { Municipality, School } from '../../src/schools/school.entities';
import { User } from '../../src/users/user.entity';
import { migrations } from '../../migrations';
import { createTestApp, TestApp, TEST_PASSWORD } from '../support/create-test-app';
import { apiToken, csrfOf, pageAgent } from '../support/login';

const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const NOW = new Date('2026-03-02T10:00:00.000Z');
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const REPORTS = [
  'completion',
  'knowledge-gain',
  'certifications',
  'cascade?groupBy=country',
  'cascade?groupBy=trainer',
  'donor',
];

jest.setTimeout(60_000);

describe('personal data export and anonymisation', () => {
  let t: TestApp;
  let admin: User;
  let manager: User;
  let ana: User;
  let beto: User;
  let adminToken: string;
  let managerToken: string;
  let certCode: string;

  /** Every report's JSON, with trainer names taken out (the one thing anonymising is meant to change). */
  const reportTotals = async () => {
    const out: Record<string, unknown> = {};
    for (const name of REPORTS) {
      const body = (
        await request(t.http).get(`/api/v1/reports/${name}`).set(bearer(managerToken)).expect(200)
      ).body as Record<string, unknown>;
      out[name] = JSON.parse(
        JSON.stringify(body, (key, value) => (key === 'label' || key === 'name' ? undefined : value)),
      );
    }
    return out;
  };

  beforeAll(async () => {
    t = await createTestApp({ CONTENT_DIR: CONTENT });
    const m = t.db.manager;
    const course = await m.findOneByOrFail(Course, { slug: 'tiny-course' });
    admin = await t.createUser('admin', { name: 'Ada Admin' });
    manager = await t.createUser('manager', { name: 'Mario Manager' });
    ana = await t.createUser('trainer', {
      name: 'Ana Ejemplo',
      sex: 'female',
      countryCode: 'SV',
      organisation: 'Escuela Las Flores',
    });
    beto = await t.createUser('trainer', { name: 'Beto Ejemplo', sex: 'male', countryCode: 'SV' });
    adminToken = await apiToken(t, admin.email);
    managerToken = await apiToken(t, manager.email);

    const municipality = await m.save(m.create(Municipality, { countryCode: 'SV', name: 'Santa Tecla' }));
    const school = await m.save(
      m.create(School, {
        name: 'Centro Escolar Las Flores',
        code: 'SV-001',
        countryCode: 'SV',
        municipalityId: municipality.id,
        level: 'primary',
        address: null,
        createdAt: NOW,
      }),
    );
    const cohort = await m.save(
      m.create(Cohort, {
        courseId: course.id,
        name: 'TOT Santa Tecla',
        countryCode: 'SV',
        municipality: 'Santa Tecla',
        venue: null,
        startsOn: '2025-01-13',
        endsOn: '2025-01-14',
        capacity: 20,
        status: 'completed',
        createdBy: manager.id,
        createdAt: NOW,
      }),
    );
    const day = await m.save(m.create(CohortDay, { cohortId: cohort.id, date: '2025-01-13', title: null }));
    for (const [user, score] of [
      [ana, 90],
      [beto, 50],
    ] as const) {
      const enrolment = await m.save(
        m.create(Enrolment, {
          userId: user.id,
          courseId: course.id,
          courseVersionId: course.currentVersionId as string,
          status: 'completed',
          enrolledAt: new Date('2025-01-10T08:00:00Z'),
          startedAt: new Date('2025-01-10T09:00:00Z'),
          completedAt: new Date('2025-01-14T12:00:00Z'),
        }),
      );
      await m.save(
        m.create(CohortParticipant, {
          cohortId: cohort.id,
          userId: user.id,
          enrolmentId: enrolment.id,
          addedAt: NOW,
        }),
      );
      await m.save(
        m.create(Attendance, {
          cohortId: cohort.id,
          dayId: day.id,
          userId: user.id,
          status: 'present',
          recordedBy: manager.id,
          recordedAt: NOW,
        }),
      );
      await m.save(
        m.create(PracticumResult, {
          cohortId: cohort.id,
          userId: user.id,
          passed: true,
          score: 80,
          notes: `${user.name} explained the route well`,
          recordedBy: manager.id,
          recordedAt: NOW,
        }),
      );
      for (const kind of ['pre', 'post'] as const) {
        await m.save(
          m.create(QuizAttempt, {
            enrolmentId: enrolment.id,
            quizSlug: `${kind}-test`,
            kind,
            attemptNumber: 1,
            score: kind === 'pre' ? 40 : score,
            passed: score >= 70,
            answers: '{}',
            results: '{}',
            submittedAt: new Date('2025-01-13T10:00:00Z'),
          }),
        );
      }
    }
    certCode = 'CSC-PRIV-0001';
    await m.save(
      m.create(Certification, {
        code: certCode,
        userId: ana.id,
        courseId: course.id,
        cohortId: cohort.id,
        facilitatorId: manager.id,
        issuedBy: manager.id,
        issuedOn: '2025-01-14',
        expiresOn: '2027-01-14',
        status: 'active',
        revokedOn: null,
        revokedReason: null,
        reminderSentAt: null,
        createdAt: NOW,
      }),
    );
    for (const date of ['2026-01-20', '2026-02-10']) {
      await m.save(
        m.create(CascadeSession, {
          schoolId: school.id,
          countryCode: 'SV',
          municipalityId: municipality.id,
          trainerId: ana.id,
          courseId: course.id,
          moduleSlugs: 'practice',
          date,
          durationMinutes: 45,
          female: 10,
          male: 8,
          unspecified: 0,
          ageUnder10: 0,
          age10To14: 18,
          age15To17: 0,
          age18Plus: 0,
          teachers: 1,
          parents: 0,
          notes: null,
          status: 'confirmed',
          loggedByRole: 'trainer',
          loggedBy: ana.id,
          decidedBy: manager.id,
          decidedAt: NOW,
          rejectionReason: null,
          createdAt: NOW,
          updatedAt: NOW,
        }),
      );
    }
    await rebuildRollups(m);
    // Mail to Ana: one sent (with a copy on disk, as without SMTP), one not yet sent.
    const mail = (status: OutboxMessage['status']) =>
      m.save(
        m.create(OutboxMessage, {
          toAddress: ana.email,
          subject: 'Your certificate, Ana Ejemplo',
          textBody: 'Dear Ana Ejemplo',
          htmlBody: '<p>Dear Ana Ejemplo</p>',
          template: 'certification-issued',
          language: 'en',
          status,
          attempts: 0,
          nextAttemptAt: NOW,
          lastError: null,
          createdAt: NOW,
          sentAt: status === 'sent' ? NOW : null,
        }),
      );
    const sent = await mail('sent');
    await mail('pending');
    mkdirSync(join(t.dataDir, 'outbox'), { recursive: true });
    writeFileSync(join(t.dataDir, 'outbox', `${sent.id}.eml`), 'To: ana\r\n\r\nDear Ana Ejemplo');
    // An earlier edit of Ana's account, audited with her name.
    await m.save(
      m.create(AuditEntry, {
        at: NOW,
        actorId: admin.id,
        action: 'user.role-change',
        entityType: 'user',
        entityId: ana.id,
        before: JSON.stringify({ name: 'Ana Ejemplo', role: 'coordinator' }),
        after: JSON.stringify({ name: 'Ana Ejemplo', role: 'trainer' }),
      }),
    );
  });
  afterAll(() => t?.close());

  it("gives a person their own data as JSON, and no one else's", async () => {
    const agent = await pageAgent(t, ana.email);
    const res = await agent.get('/account/data.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    const data = JSON.parse(res.text);
    expect(data.account).toMatchObject({
      id: ana.id,
      email: ana.email,
      name: 'Ana Ejemplo',
      organisation: 'Escuela Las Flores',
    });
    expect(data.account).not.toHaveProperty('passwordHash');
    expect(data.enrolments).toHaveLength(1);
    expect(
      data.enrolments[0].quizAttempts.map((a: { kind: string; score: number }) => [a.kind, a.score]).sort(),
    ).toEqual([
      ['post', 90],
      ['pre', 40],
    ]);
    expect(data.cohorts[0]).toMatchObject({
      name: 'TOT Santa Tecla',
      roles: ['participant'],
      attendance: [{ date: '2025-01-13', status: 'present' }],
      practicum: { passed: true, score: 80 },
    });
    expect(data.certifications).toEqual([
      expect.objectContaining({ code: certCode, courseSlug: 'tiny-course', status: 'active' }),
    ]);
    expect(data.cascadeSessions.map((s: { date: string }) => s.date)).toEqual(['2026-01-20', '2026-02-10']);
    expect(data.mail).toHaveLength(2);
    // Another person's export is the admin's to download, not a trainer's or a manager's.
    await request(t.http)
      .get(`/api/v1/users/${beto.id}/data`)
      .set(bearer(await apiToken(t, ana.email)))
      .expect(403);
    await request(t.http).get(`/api/v1/users/${beto.id}/data`).set(bearer(managerToken)).expect(403);
    const managerAgent = await pageAgent(t, manager.email);
    await managerAgent.get(`/admin/users/${ana.id}/data.json`).expect(403);
  });

  it("lets an admin download anyone's data", async () => {
    const admins = await pageAgent(t, admin.email);
    const res = await admins.get(`/admin/users/${beto.id}/data.json`).expect(200);
    expect(JSON.parse(res.text).account).toMatchObject({ id: beto.id, name: 'Beto Ejemplo' });
    await admins.get('/admin/users/00000000-0000-4000-8000-000000000000/data.json').expect(404);
  });

  it('refuses to anonymise without the confirmation, for a manager, and for oneself, changing nothing', async () => {
    const admins = await pageAgent(t, admin.email);
    const page = await admins
      .post(`/admin/users/${ana.id}/anonymise`)
      .type('form')
      .send({ _csrf: await csrfOf(admins, `/admin/users/${ana.id}`) })
      .expect(400);
    expect(page.text).toContain('Tick the box to confirm.');
    await request(t.http)
      .post(`/api/v1/users/${ana.id}/anonymise`)
      .set(bearer(managerToken))
      .send({ confirm: 'yes' })
      .expect(403);
    const self = await request(t.http)
      .post(`/api/v1/users/${admin.id}/anonymise`)
      .set(bearer(adminToken))
      .send({ confirm: 'yes' })
      .expect(403);
    expect(self.body.message).toBe('You cannot anonymise your own account.');
    const row = await t.db.manager.findOneByOrFail(User, { id: ana.id });
    expect(row).toMatchObject({
      name: 'Ana Ejemplo',
      email: ana.email,
      status: 'active',
      anonymisedAt: null,
    });
  });

  it('anonymises through the admin page: name and email replaced, account closed, every report total unchanged', async () => {
    const before = await reportTotals();
    const anaToken = await apiToken(t, ana.email);
    const admins = await pageAgent(t, admin.email);
    const edit = await admins.get(`/admin/users/${ana.id}`).expect(200);
    expect(edit.text).toContain('Anonymise the account');

    const res = await admins
      .post(`/admin/users/${ana.id}/anonymise`)
      .type('form')
      .send({ confirm: 'yes', _csrf: await csrfOf(admins, `/admin/users/${ana.id}`) })
      .expect(303);
    expect(res.headers.location).toBe(`/admin/users/${ana.id}`);
    const after = await admins.get(`/admin/users/${ana.id}`).expect(200);
    expect(after.text).toContain('The account is anonymised');
    expect(after.text).not.toContain('Ana Ejemplo');
    expect(after.text).not.toContain('Anonymise the account'); // done once only

    const m = t.db.manager;
    const row = await m.findOneByOrFail(User, { id: ana.id });
    expect(row).toMatchObject({
      name: `Anon. ${ana.id.slice(0, 8)}`,
      email: `anon-${ana.id}@anonymised.invalid`,
      organisation: null,
      passwordHash: null,
      status: 'disabled',
    });
    expect(row.anonymisedAt).toBeInstanceOf(Date);
    // Her open session ends at once, and she can no longer sign in.
    await request(t.http).get('/api/v1/me').set(bearer(anaToken)).expect(401);
    await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: ana.email, password: TEST_PASSWORD })
      .expect(401);
    expect(await m.countBy(AuthToken, { userId: ana.id })).toBe(0);
    // What identifies her is gone: notes about her, her mail (unsent dropped, sent kept without address or body), the copy on disk, names in the audit.
    expect((await m.findOneByOrFail(PracticumResult, { userId: ana.id })).notes).toBeNull();
    const mail = await m.find(OutboxMessage, {});
    expect(mail.map((x) => [x.status, x.toAddress, x.textBody, x.htmlBody])).toEqual([
      ['sent', row.email, '', ''],
    ]);
    expect(existsSync(join(t.dataDir, 'outbox', `${mail[0].id}.eml`))).toBe(false);
    const audit = await m.findBy(AuditEntry, { entityType: 'user', entityId: ana.id });
    expect(audit.map((a) => `${a.before} ${a.after}`).join(' ')).not.toContain('Ana Ejemplo');
    expect(audit.map((a) => [a.action, a.actorId])).toContainEqual(['user.anonymise', admin.id]);
    // What counts stays: every report equal, the certificate still verifies under the new name.
    expect(await reportTotals()).toEqual(before);
    const verify = (await request(t.http).get(`/api/v1/verify/${certCode}`).expect(200)).body;
    expect(verify).toMatchObject({ valid: true, holderName: row.name });
    // The people list shows the replacement, never the old name.
    const list = await admins.get('/admin/users?q=Ejemplo').expect(200);
    expect(list.text).toContain('Beto Ejemplo');
    expect(list.text).not.toContain('Ana Ejemplo');
    // The audit log names who did it (actors' names come from users through the ACTOR_NAMES port).
    const log = await admins.get('/admin/audit').expect(200);
    expect(log.text).toContain('user.anonymise');
    expect(log.text).toContain(admin.name);
  });

  it('refuses a second anonymisation (409) and an unknown id (404) through the API', async () => {
    const again = await request(t.http)
      .post(`/api/v1/users/${ana.id}/anonymise`)
      .set(bearer(adminToken))
      .send({ confirm: 'yes' })
      .expect(409);
    expect(again.body.message).toBe('This account is already anonymised.');
    await request(t.http)
      .post('/api/v1/users/not-an-id/anonymise')
      .set(bearer(adminToken))
      .send({ confirm: 'yes' })
      .expect(404);
    await request(t.http)
      .post(`/api/v1/users/${beto.id}/anonymise`)
      .set(bearer(adminToken))
      .send({})
      .expect(400);
    const res = await request(t.http)
      .post(`/api/v1/users/${beto.id}/anonymise`)
      .set(bearer(adminToken))
      .send({ confirm: 'yes' })
      .expect(200);
    expect(res.body).toMatchObject({ id: beto.id, name: `Anon. ${beto.id.slice(0, 8)}`, status: 'disabled' });
  });
});

describe('the anonymisation migration', () => {
  it('goes down and up again with signed-in accounts in the database, keeping them', async () => {
    const t = await createTestApp({ CONTENT_DIR: CONTENT });
    try {
      const user = await t.createUser('trainer', { name: 'Migrating Person' });
      await apiToken(t, user.email); // a sign-in session: a row that refers to the account
      const ds = t.db.dataSource;
      const index = migrations.findIndex((m) => m.name === 'AddAnonymisedAtToUsers1764131200000');
      for (let i = index; i < migrations.length; i++) await ds.undoLastMigration();
      const columns = (await ds.createQueryRunner().getTable('users'))?.columns.map((c) => c.name) ?? [];
      expect(columns).not.toContain('anonymised_at');
      await ds.runMigrations();
      expect(await t.db.manager.findOneByOrFail(User, { id: user.id })).toMatchObject({
        name: 'Migrating Person',
        anonymisedAt: null,
      });
    } finally {
      await t.close();
    }
  });
});
