/**
 * The manager dashboard's "expiring soon" list: the soonest-expiring active certifications within 90
 * days, in the manager's scope, however many certifications the program has issued. (It used to take
 * the 200 most recently issued and filter those, so past 200 the soonest-expiring disappeared.)
 */
import { join } from 'node:path';
import { Certification } from '../../src/certification/certification.entity';
import { Cohort } from '../../src/cohorts/cohort.entity';
import { Course } from '../../src/courses/course.entity';
import { User } from '../../src/users/user.entity';
import { createTestApp, TestApp } from '../support/create-test-app';
import { pageAgent } from '../support/login';

const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const NOW = new Date('2026-03-02T10:00:00.000Z'); // the test clock's today: 2026-03-02

jest.setTimeout(60_000);

describe('manager dashboard: certifications expiring soon', () => {
  let t: TestApp;
  let manager: User;
  let managerPa: User;

  beforeAll(async () => {
    t = await createTestApp({ CONTENT_DIR: CONTENT });
    const m = t.db.manager;
    const course = await m.findOneByOrFail(Course, { slug: 'tiny-course' });
    manager = await t.createUser('manager');
    managerPa = await t.createUser('manager', { countryCode: 'PA' });
    const cohort = (countryCode: string) =>
      m.save(
        m.create(Cohort, {
          courseId: course.id,
          name: `TOT ${countryCode}`,
          countryCode,
          municipality: null,
          venue: null,
          startsOn: '2024-01-08',
          endsOn: '2024-01-12',
          capacity: 300,
          status: 'completed',
          createdBy: manager.id,
          createdAt: NOW,
        }),
      );
    const sv = await cohort('SV');
    const pa = await cohort('PA');
    // 250 holders. Issued most recently, expiring far away: 240 in SV. Issued long ago, expiring within 90 days: 10 (8 SV, 2 PA).
    const holders = Array.from({ length: 250 }, (_, i) =>
      m.create(User, {
        email: `holder${i}@example.org`,
        name: `Holder ${String(i).padStart(3, '0')}`,
        role: 'trainer',
        sex: 'unspecified',
        language: 'en',
        countryCode: 'SV',
        organisation: null,
        status: 'active',
        passwordHash: null,
        createdAt: NOW,
        updatedAt: NOW,
        lastLoginAt: null,
      }),
    );
    await m.insert(User, holders);
    const certs = holders.map((holder, i) => {
      const soon = i >= 240;
      // SV: 2026-04-10 … 2026-04-17; PA: 2026-03-20 and 2026-03-21 (the soonest of all).
      const expiresOn = !soon
        ? '2028-02-01'
        : i >= 248
          ? `2026-03-${20 + i - 248}`
          : `2026-04-${10 + i - 240}`;
      return m.create(Certification, {
        code: `CSC-DASH-${String(i).padStart(4, '0')}`,
        userId: holder.id,
        courseId: course.id,
        cohortId: i >= 248 ? pa.id : sv.id,
        facilitatorId: manager.id,
        issuedBy: manager.id,
        issuedOn: soon ? '2024-01-12' : '2026-02-01',
        expiresOn,
        status: 'active',
        revokedOn: null,
        revokedReason: null,
        reminderSentAt: null,
        createdAt: NOW,
      });
    });
    // Not counted: expired already, revoked, or expiring after 90 days.
    certs.push(
      m.create(Certification, {
        ...certs[0],
        id: undefined,
        statusListIndex: undefined,
        code: 'CSC-DASH-REVOKED',
        expiresOn: '2026-03-05',
        status: 'revoked',
        revokedOn: '2026-01-01',
        revokedReason: 'Test',
      }),
    );
    certs.push(
      m.create(Certification, {
        ...certs[0],
        id: undefined,
        statusListIndex: undefined,
        code: 'CSC-DASH-LATER',
        expiresOn: '2026-06-01',
      }),
    );
    await m.insert(
      Certification,
      certs.map((c) => ({ ...c })),
    );
  });
  afterAll(() => t?.close());

  const expiringCodes = (html: string) =>
    [...html.matchAll(/href="\/certifications\/(CSC-DASH-[A-Z0-9-]+)"/g)].map((match) => match[1]);

  it('lists the ten soonest-expiring of 250+ active certifications, soonest first', async () => {
    const agent = await pageAgent(t, manager.email);
    const html = (await agent.get('/').expect(200)).text;
    // Within 90 days of 2026-03-02 (to 2026-05-31): the two PA ones first, then the eight SV ones; not the revoked or the June one.
    expect(expiringCodes(html)).toEqual([
      'CSC-DASH-0248',
      'CSC-DASH-0249',
      ...Array.from({ length: 8 }, (_, i) => `CSC-DASH-${String(240 + i).padStart(4, '0')}`),
    ]);
  });

  it("keeps to a scoped manager's country", async () => {
    const agent = await pageAgent(t, managerPa.email);
    const html = (await agent.get('/').expect(200)).text;
    expect(expiringCodes(html)).toEqual(['CSC-DASH-0248', 'CSC-DASH-0249']);
  });
});
