/**
 * Correctness of the reports (DESIGN.md "What the program manager must be able to answer", API.md
 * "Reports"): a small hand-built program whose every figure is written below as a constant,
 * computed by hand from the fixture — never by the code under test.
 *
 * The reports only read, so the fixture is inserted directly with the entity classes (countries
 * come from the migration). Fake clock: today is 2026-03-02, so "expiring soon" means on or before
 * 2026-05-31.
 *
 * The program:
 *   countries SV (El Salvador) and PA (Panamá); municipalities Santa Tecla and San Salvador (SV),
 *   Colón (PA); schools S1 Las Flores and S3 Complejo Santa Tecla (Santa Tecla), S2 República de
 *   Chile (San Salvador), S4 Escuela Colón (Colón).
 *   Cohort A "TOT Santa Tecla" (SV, 2025-01-13…17, 5 days): Ana (f), Beto (m), Elena (f), Fabio (m), Gabi (unspecified).
 *   Cohort B "TOT Colón" (PA, 2024-01-08…12, 2 days): Carla (f), Dario (m), Hugo (unspecified).
 *   Certifications: Ana (A, valid to 2027-01-17), Beto (A, revoked 2026-02-01), Carla (B, expires
 *   2026-04-15: expiring soon), Dario (B, expired 2026-01-12).
 *   Sessions: the table SESSIONS below (trainers Ana, Beto, Carla, Dario).
 */
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { ReportReader } from '../../src/reports/report-reader';
import { CascadeSession, SessionStatus } from '../../src/cascade/cascade-session.entity';
import { rebuildRollups } from '../../src/cascade/reach-rollups';
import { Certification } from '../../src/certification/certification.entity';
import { Attendance, CohortDay, CohortParticipant } from '../../src/cohorts/cohort-member.entities';
import { Cohort } from '../../src/cohorts/cohort.entity';
import { Course } from '../../src/courses/course.entity';
import { Enrolment, EnrolmentStatus } from '../../src/courses/enrolment.entity';
import { QuizAttempt } from '../../src/courses/quiz-attempt.entity';
import { Municipality, School } from '../../src/schools/school.entities';
import type { User } from '../../src/users/user.entity';
import type { Sex } from '../../src/common/kernel/user-role.enum';
import { createTestApp, TestApp } from '../support/create-test-app';
import { apiToken, pageAgent } from '../support/login';

type Json = Record<string, unknown>;

const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const COURSE = 'tiny-course';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const NOW = new Date('2026-03-02T10:00:00.000Z');

/** The report window most assertions use: both ends inclusive. */
const FROM = '2026-01-10';
const TO = '2026-02-20';
const WINDOW = `from=${FROM}&to=${TO}`;

/** Collects a binary response body (XLSX, CSV bytes) as a Buffer. */
const binary = ((res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}) as unknown as Parameters<request.Test['parse']>[0];

// ---------------------------------------------------------------------------------------------
// The cascade sessions (trainer, school, date, status, sex counts, age bands, teachers, parents).
// ---------------------------------------------------------------------------------------------
type TrainerName = 'ana' | 'beto' | 'carla' | 'dario';
type SchoolName = 'S1' | 'S2' | 'S3' | 'S4';
interface SessionSpec {
  trainer: TrainerName;
  school: SchoolName;
  date: string;
  status: SessionStatus;
  /** female, male, unspecified */
  sex: [number, number, number];
  /** under_10, 10_14, 15_17, 18_plus */
  age: [number, number, number, number];
  teachers: number;
  parents: number;
}
const SESSIONS: Record<string, SessionSpec> = {
  s1: {
    trainer: 'ana',
    school: 'S1',
    date: '2026-01-10',
    status: 'confirmed',
    sex: [10, 12, 0],
    age: [0, 22, 0, 0],
    teachers: 1,
    parents: 0,
  }, // on `from`
  s2: {
    trainer: 'ana',
    school: 'S1',
    date: '2026-01-20',
    status: 'confirmed',
    sex: [8, 7, 1],
    age: [4, 12, 0, 0],
    teachers: 2,
    parents: 3,
  },
  s3: {
    trainer: 'ana',
    school: 'S2',
    date: '2026-02-20',
    status: 'confirmed',
    sex: [15, 14, 0],
    age: [0, 10, 19, 0],
    teachers: 1,
    parents: 0,
  }, // on `to`
  s4: {
    trainer: 'beto',
    school: 'S2',
    date: '2026-01-15',
    status: 'confirmed',
    sex: [5, 9, 2],
    age: [0, 0, 10, 6],
    teachers: 0,
    parents: 5,
  }, // before Beto's revocation
  s5: {
    trainer: 'beto',
    school: 'S3',
    date: '2026-01-30',
    status: 'confirmed',
    sex: [12, 11, 0],
    age: [23, 0, 0, 0],
    teachers: 3,
    parents: 1,
  }, // before Beto's revocation
  s6: {
    trainer: 'ana',
    school: 'S3',
    date: '2026-02-21',
    status: 'confirmed',
    sex: [6, 6, 0],
    age: [0, 12, 0, 0],
    teachers: 1,
    parents: 1,
  }, // one day after `to`
  s7: {
    trainer: 'ana',
    school: 'S1',
    date: '2026-01-09',
    status: 'confirmed',
    sex: [3, 4, 0],
    age: [7, 0, 0, 0],
    teachers: 0,
    parents: 0,
  }, // one day before `from`
  s8: {
    trainer: 'ana',
    school: 'S2',
    date: '2026-02-05',
    status: 'rejected',
    sex: [20, 20, 0],
    age: [0, 40, 0, 0],
    teachers: 2,
    parents: 2,
  }, // never counted
  s9: {
    trainer: 'beto',
    school: 'S1',
    date: '2026-01-25',
    status: 'submitted',
    sex: [4, 5, 1],
    age: [0, 10, 0, 0],
    teachers: 1,
    parents: 0,
  }, // only with status=all
  s10: {
    trainer: 'carla',
    school: 'S4',
    date: '2026-01-12',
    status: 'confirmed',
    sex: [9, 10, 0],
    age: [0, 19, 0, 0],
    teachers: 1,
    parents: 2,
  },
  s11: {
    trainer: 'carla',
    school: 'S4',
    date: '2026-02-03',
    status: 'confirmed',
    sex: [11, 8, 1],
    age: [5, 15, 0, 0],
    teachers: 2,
    parents: 0,
  },
  s12: {
    trainer: 'dario',
    school: 'S4',
    date: '2025-12-15',
    status: 'confirmed',
    sex: [7, 7, 0],
    age: [0, 14, 0, 0],
    teachers: 1,
    parents: 1,
  }, // before Dario's certification expired; outside the window
};

// ---------------------------------------------------------------------------------------------
// Hand-computed reach figures.
// ---------------------------------------------------------------------------------------------
type Reach = {
  sessions: number;
  schools: number;
  students: number;
  female: number;
  male: number;
  unspecified: number;
  under_10: number;
  '10_14': number;
  '15_17': number;
  '18_plus': number;
  teachers: number;
  parents: number;
};
const reach = (
  sessions: number,
  schools: number,
  students: number,
  female: number,
  male: number,
  unspecified: number,
  u10: number,
  a10: number,
  a15: number,
  a18: number,
  teachers: number,
  parents: number,
): Reach => ({
  sessions,
  schools,
  students,
  female,
  male,
  unspecified,
  under_10: u10,
  '10_14': a10,
  '15_17': a15,
  '18_plus': a18,
  teachers,
  parents,
});
const ADDITIVE = [
  'sessions',
  'students',
  'female',
  'male',
  'unspecified',
  'under_10',
  '10_14',
  '15_17',
  '18_plus',
  'teachers',
  'parents',
] as const;
const REACH_KEYS = ['sessions', 'schools', ...ADDITIVE.slice(1)] as const;

// Window 2026-01-10…2026-02-20, confirmed only: s1 s2 s3 s4 s5 s10 s11.
const TOTAL = reach(7, 4, 145, 70, 71, 4, 32, 78, 29, 6, 10, 11);
const SV = reach(5, 3, 106, 50, 53, 3, 27, 44, 29, 6, 7, 9); // s1 s2 s3 s4 s5
const PA = reach(2, 1, 39, 20, 18, 1, 5, 34, 0, 0, 3, 2); // s10 s11
const SANTA_TECLA = reach(3, 2, 61, 30, 30, 1, 27, 34, 0, 0, 6, 4); // s1 s2 (S1) + s5 (S3)
const SAN_SALVADOR = reach(2, 1, 45, 20, 23, 2, 0, 10, 29, 6, 1, 5); // s3 s4 (S2)
const S1 = reach(2, 1, 38, 18, 19, 1, 4, 34, 0, 0, 3, 3); // s1 s2
const S2 = SAN_SALVADOR;
const S3 = reach(1, 1, 23, 12, 11, 0, 23, 0, 0, 0, 3, 1); // s5
const S4 = PA;
const JANUARY = reach(5, 4, 96, 44, 49, 3, 27, 53, 10, 6, 7, 11); // s1 s2 s4 s5 s10 — schools S1 S2 S3 S4
const FEBRUARY = reach(2, 2, 49, 26, 22, 1, 5, 25, 19, 0, 3, 0); // s3 s11 — schools S2 S4
const ANA = reach(3, 2, 67, 33, 33, 1, 4, 44, 19, 0, 4, 3); // s1 s2 s3
const BETO = reach(2, 2, 39, 17, 20, 2, 23, 0, 10, 6, 3, 6); // s4 s5
const CARLA = PA;
// Same window with status=all: + s9 (Beto, S1, submitted). The rejected s8 never counts.
const TOTAL_ALL = reach(8, 4, 155, 74, 76, 5, 32, 88, 29, 6, 11, 11);
const BETO_ALL = reach(3, 3, 49, 21, 25, 3, 23, 10, 10, 6, 4, 6);
// No dates, confirmed only: the window plus s6, s7 (SV) and s12 (PA).
const TOTAL_EVER = reach(10, 4, 178, 86, 88, 4, 39, 104, 29, 6, 12, 13);
const SV_EVER = reach(7, 3, 125, 59, 63, 3, 34, 56, 29, 6, 8, 10);
const PA_EVER = reach(3, 1, 53, 27, 25, 1, 5, 48, 0, 0, 4, 3);

// Hand-computed completion funnel, knowledge gain and certifications.
const COMPLETION_A = {
  enrolled: 5,
  started: 4,
  lessonsComplete: 3,
  passedPost: 2,
  attendanceMet: 3,
  certified: 2,
};
const COMPLETION_B = {
  enrolled: 3,
  started: 3,
  lessonsComplete: 2,
  passedPost: 2,
  attendanceMet: 2,
  certified: 2,
};
// A: Ana 50→100, Beto 0→80, Elena 50→60 (Fabio: pre only; Gabi: nothing). Pre (50+0+50)/3 = 33.3…, post 240/3 = 80.
const GAIN_A = { preAverage: 33.3, postAverage: 80, gain: 46.7, n: 3 };
// B: Carla 50→70, Dario 100→90 (Hugo: post only). Pre 75, post 80.
const GAIN_B = { preAverage: 75, postAverage: 80, gain: 5, n: 2 };
const CERTS_SV = { active: 1, expiringSoon: 0, expired: 0, revoked: 1 }; // Ana active; Beto revoked
const CERTS_PA = { active: 1, expiringSoon: 1, expired: 1, revoked: 0 }; // Carla active and expiring 2026-04-15; Dario expired
// Donor: participants of both cohorts, and certified people, by sex.
const TRAINED = { total: 8, female: 3, male: 3, unspecified: 2 };
const CERTIFIED = { total: 4, female: 2, male: 2, unspecified: 0 };
const TRAINED_SV = { total: 5, female: 2, male: 2, unspecified: 1 };
const CERTIFIED_SV = { total: 2, female: 1, male: 1, unspecified: 0 };

jest.setTimeout(60_000);

describe('reports', () => {
  let t: TestApp;
  let courseId: string;
  let admin: User;
  let manager: User; // no country scope
  let managerSv: User; // scoped to El Salvador
  let managerEs: User; // no scope, reads in Spanish
  let coordinator: User;
  const people = {} as Record<'ana' | 'beto' | 'carla' | 'dario' | 'elena' | 'fabio' | 'gabi' | 'hugo', User>;
  const schools = {} as Record<SchoolName, School>;
  const municipalities = {} as Record<'santaTecla' | 'sanSalvador' | 'colon', Municipality>;
  let cohortA: Cohort;
  let cohortB: Cohort;
  const tokens = new Map<string, string>();

  const get = (user: User, path: string) =>
    request(t.http)
      .get(`/api/v1${path}`)
      .set(bearer(tokens.get(user.id) as string));
  const cascade = async (
    user: User,
    query: string,
  ): Promise<{ rows: Array<Reach & { key: string; label: string }>; totals: Reach & Json } & Json> =>
    (await get(user, `/reports/cascade?${query}`).expect(200)).body;
  /** Rows keyed by `key`, without the label (compared separately), so that row order does not matter. */
  const byKey = (rows: Array<Json & { key: string }>) => {
    const out: Record<string, Json> = {};
    for (const { key, label: _label, ...rest } of rows) {
      expect(out[key]).toBeUndefined(); // one row per key
      out[key] = rest;
    }
    return out;
  };
  const labels = (rows: Array<{ key: string; label: string }>) =>
    Object.fromEntries(rows.map((r) => [r.key, r.label]));
  const only = (r: Json, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, r[k]]));

  beforeAll(async () => {
    t = await createTestApp({ CONTENT_DIR: CONTENT });
    const m = t.db.manager;
    const course = await m.findOneByOrFail(Course, { slug: COURSE });
    courseId = course.id;
    const versionId = course.currentVersionId as string;

    admin = await t.createUser('admin');
    manager = await t.createUser('manager', { name: 'Mario Manager' });
    managerSv = await t.createUser('manager', { name: 'Sara Scoped', countryCode: 'SV' });
    managerEs = await t.createUser('manager', { name: 'Elisa Española', language: 'es' });
    coordinator = await t.createUser('coordinator', { name: 'Cora Coordinator' });
    const person = (name: string, sex: Sex, countryCode: string) =>
      t.createUser('trainer', { name, sex, countryCode });
    people.ana = await person('Ana Trainer', 'female', 'SV');
    people.beto = await person('Beto Revoked', 'male', 'SV');
    people.elena = await person('Elena Failed', 'female', 'SV');
    people.fabio = await person('Fabio Started', 'male', 'SV');
    people.gabi = await person('Gabi Enrolled', 'unspecified', 'SV');
    people.carla = await person('Carla Expiring', 'female', 'PA');
    people.dario = await person('Dario Expired', 'male', 'PA');
    people.hugo = await person('Hugo PostOnly', 'unspecified', 'PA');
    for (const user of [admin, manager, managerSv, managerEs, coordinator, people.ana])
      tokens.set(user.id, await apiToken(t, user.email));

    // Places.
    for (const [key, countryCode, name] of [
      ['santaTecla', 'SV', 'Santa Tecla'],
      ['sanSalvador', 'SV', 'San Salvador'],
      ['colon', 'PA', 'Colón'],
    ] as const) {
      municipalities[key] = await m.save(m.create(Municipality, { countryCode, name }));
    }
    const school = (name: string, code: string, municipality: Municipality) =>
      m.save(
        m.create(School, {
          name,
          code,
          countryCode: municipality.countryCode,
          municipalityId: municipality.id,
          level: 'primary',
          address: null,
          createdAt: NOW,
        }),
      );
    schools.S1 = await school('Centro Escolar Las Flores', 'SV-001', municipalities.santaTecla);
    schools.S2 = await school('Escuela República de Chile', 'SV-002', municipalities.sanSalvador);
    schools.S3 = await school('Complejo Educativo Santa Tecla', 'SV-003', municipalities.santaTecla);
    schools.S4 = await school('Escuela Colón', 'PA-001', municipalities.colon);

    // Workshops.
    const cohort = (
      name: string,
      countryCode: string,
      municipality: string,
      startsOn: string,
      endsOn: string,
    ) =>
      m.save(
        m.create(Cohort, {
          courseId,
          name,
          countryCode,
          municipality,
          venue: null,
          startsOn,
          endsOn,
          capacity: 20,
          status: 'completed',
          createdBy: manager.id,
          createdAt: NOW,
        }),
      );
    cohortA = await cohort('TOT Santa Tecla', 'SV', 'Santa Tecla', '2025-01-13', '2025-01-17');
    cohortB = await cohort('TOT Colón', 'PA', 'Colón', '2024-01-08', '2024-01-12');
    const days = async (c: Cohort, dates: string[]) => {
      const out: CohortDay[] = [];
      for (const date of dates)
        out.push(await m.save(m.create(CohortDay, { cohortId: c.id, date, title: null })));
      return out;
    };
    const daysA = await days(cohortA, ['2025-01-13', '2025-01-14', '2025-01-15', '2025-01-16', '2025-01-17']);
    const daysB = await days(cohortB, ['2024-01-11', '2024-01-12']);

    type Mark = 'P' | 'L' | 'A' | 'E';
    const STATUS = { P: 'present', L: 'late', A: 'absent', E: 'excused' } as const;
    /** Enrols one participant with the given progress, attendance (one letter per day) and quiz scores. */
    const participant = async (
      c: Cohort,
      cDays: CohortDay[],
      user: User,
      status: EnrolmentStatus,
      marks: string,
      pre: number[],
      post: number[],
    ) => {
      const started = status !== 'enrolled';
      const enrolment = await m.save(
        m.create(Enrolment, {
          userId: user.id,
          courseId,
          courseVersionId: versionId,
          status,
          enrolledAt: new Date(`${c.startsOn}T08:00:00Z`),
          startedAt: started ? new Date(`${c.startsOn}T09:00:00Z`) : null,
          completedAt: status === 'completed' ? new Date(`${c.endsOn}T12:00:00Z`) : null,
        }),
      );
      await m.save(
        m.create(CohortParticipant, {
          cohortId: c.id,
          userId: user.id,
          enrolmentId: enrolment.id,
          addedAt: new Date(`${c.startsOn}T07:00:00Z`),
        }),
      );
      for (const [i, mark] of [...marks].entries()) {
        await m.save(
          m.create(Attendance, {
            cohortId: c.id,
            dayId: cDays[i].id,
            userId: user.id,
            status: STATUS[mark as Mark],
            recordedBy: manager.id,
            recordedAt: NOW,
          }),
        );
      }
      const attempt = (kind: 'pre' | 'post', attemptNumber: number, score: number) =>
        m.save(
          m.create(QuizAttempt, {
            enrolmentId: enrolment.id,
            quizSlug: `${kind}-test`,
            kind,
            attemptNumber,
            score,
            passed: score >= 70,
            answers: '{}',
            results: JSON.stringify({ q1: score >= 50, q2: score >= 100 }),
            submittedAt: new Date(`${c.startsOn}T10:0${attemptNumber}:00Z`),
          }),
        );
      for (const [i, score] of pre.entries()) await attempt('pre', i + 1, score);
      for (const [i, score] of post.entries()) await attempt('post', i + 1, score);
    };
    // Cohort A (5 days; the rule asks 80 % attendance, post-test 70 %).
    await participant(cohortA, daysA, people.ana, 'completed', 'PPPPP', [50, 100], [40, 100]); // pre = the FIRST attempt (50); post = the best (100)
    await participant(cohortA, daysA, people.beto, 'completed', 'PPPPL', [0], [80]); // late counts as attended
    await participant(cohortA, daysA, people.elena, 'completed', 'PPPLE', [50], [60]); // exactly 80 %; post-test failed
    await participant(cohortA, daysA, people.fabio, 'in_progress', 'PPPAA', [100], []); // 60 %; pre only
    await participant(cohortA, daysA, people.gabi, 'enrolled', '', [], []); // never started
    // Cohort B (2 days).
    await participant(cohortB, daysB, people.carla, 'completed', 'PP', [50], [70]); // exactly the pass mark
    await participant(cohortB, daysB, people.dario, 'completed', 'PP', [100], [90]);
    await participant(cohortB, daysB, people.hugo, 'in_progress', 'PA', [], [50, 65]); // post only, best 65: failed

    // Certifications.
    let n = 0;
    const certify = (
      c: Cohort,
      user: User,
      issuedOn: string,
      expiresOn: string,
      status: Certification['status'],
      revokedOn: string | null = null,
    ) =>
      m.save(
        m.create(Certification, {
          code: `CSC-TEST-000${++n}`,
          userId: user.id,
          courseId,
          cohortId: c.id,
          facilitatorId: manager.id,
          issuedBy: manager.id,
          issuedOn,
          expiresOn,
          status,
          revokedOn,
          revokedReason: revokedOn ? 'Misconduct' : null,
          reminderSentAt: null,
          createdAt: NOW,
        }),
      );
    await certify(cohortA, people.ana, '2025-01-17', '2027-01-17', 'active');
    await certify(cohortA, people.beto, '2025-01-17', '2027-01-17', 'revoked', '2026-02-01');
    await certify(cohortB, people.carla, '2024-04-15', '2026-04-15', 'active');
    await certify(cohortB, people.dario, '2024-01-12', '2026-01-12', 'expired');

    // Sessions.
    for (const s of Object.values(SESSIONS)) {
      await m.save(
        m.create(CascadeSession, {
          // The place is copied from the school when a session is logged (CascadeService does the same).
          schoolId: schools[s.school].id,
          countryCode: schools[s.school].countryCode,
          municipalityId: schools[s.school].municipalityId,
          trainerId: people[s.trainer].id,
          courseId,
          moduleSlugs: 'practice',
          date: s.date,
          durationMinutes: 45,
          female: s.sex[0],
          male: s.sex[1],
          unspecified: s.sex[2],
          ageUnder10: s.age[0],
          age10To14: s.age[1],
          age15To17: s.age[2],
          age18Plus: s.age[3],
          teachers: s.teachers,
          parents: s.parents,
          notes: null,
          status: s.status,
          loggedByRole: 'trainer',
          loggedBy: people[s.trainer].id,
          decidedBy: s.status === 'submitted' ? null : coordinator.id,
          decidedAt: s.status === 'submitted' ? null : NOW,
          rejectionReason: s.status === 'rejected' ? 'Wrong school' : null,
          createdAt: NOW,
          updatedAt: NOW,
        }),
      );
    }
    // Inserted around the session service (like the demo seed): bring the reach rollups level with them.
    await rebuildRollups(m);
  });
  afterAll(() => t?.close());

  it("the fixture is consistent: each session's sex counts and age bands sum to the same total", () => {
    for (const s of Object.values(SESSIONS))
      expect(s.sex.reduce((a, b) => a + b)).toBe(s.age.reduce((a, b) => a + b));
  });

  describe('cascade reach (API)', () => {
    it('groups by country: rows, labels and totals equal the hand-computed figures', async () => {
      const body = await cascade(manager, `groupBy=country&${WINDOW}`);
      expect(byKey(body.rows)).toEqual({ SV, PA });
      expect(labels(body.rows)).toEqual({ SV: 'El Salvador', PA: 'Panama' });
      expect(only(body.totals, REACH_KEYS)).toEqual(TOTAL);
      // Certified today within the filters: Ana and Carla (Beto revoked, Dario expired); both delivered in the window.
      expect(body).toMatchObject({
        certifiedTrainers: 2,
        studentsPerCertifiedTrainer: 72.5,
        notDelivering: [],
      });
    });

    it('groups by municipality: the key is the municipality name', async () => {
      const body = await cascade(manager, `groupBy=municipality&${WINDOW}`);
      expect(byKey(body.rows)).toEqual({
        'Santa Tecla': SANTA_TECLA,
        'San Salvador': SAN_SALVADOR,
        Colón: PA,
      });
      expect(labels(body.rows)).toEqual({
        'Santa Tecla': 'Santa Tecla',
        'San Salvador': 'San Salvador',
        Colón: 'Colón',
      });
      expect(only(body.totals, REACH_KEYS)).toEqual(TOTAL);
    });

    it('groups by school: the key is the school id, the label its name', async () => {
      const body = await cascade(manager, `groupBy=school&${WINDOW}`);
      expect(byKey(body.rows)).toEqual({
        [schools.S1.id]: S1,
        [schools.S2.id]: S2,
        [schools.S3.id]: S3,
        [schools.S4.id]: S4,
      });
      expect(labels(body.rows)).toEqual({
        [schools.S1.id]: 'Centro Escolar Las Flores',
        [schools.S2.id]: 'Escuela República de Chile',
        [schools.S3.id]: 'Complejo Educativo Santa Tecla',
        [schools.S4.id]: 'Escuela Colón',
      });
      expect(only(body.totals, REACH_KEYS)).toEqual(TOTAL);
    });

    it('groups by month (YYYY-MM keys, month names as labels)', async () => {
      const body = await cascade(manager, `groupBy=month&${WINDOW}`);
      expect(byKey(body.rows)).toEqual({ '2026-01': JANUARY, '2026-02': FEBRUARY });
      expect(labels(body.rows)).toEqual({ '2026-01': 'January 2026', '2026-02': 'February 2026' });
      expect(only(body.totals, REACH_KEYS)).toEqual(TOTAL);
    });

    it("groups by trainer, counting the revoked trainer's sessions from before the revocation", async () => {
      const body = await cascade(manager, `groupBy=trainer&${WINDOW}`);
      expect(byKey(body.rows)).toEqual({
        [people.ana.id]: ANA,
        [people.beto.id]: BETO,
        [people.carla.id]: CARLA,
      });
      expect(labels(body.rows)).toEqual({
        [people.ana.id]: 'Ana Trainer',
        [people.beto.id]: 'Beto Revoked',
        [people.carla.id]: 'Carla Expiring',
      });
      expect(only(body.totals, REACH_KEYS)).toEqual(TOTAL);
    });

    it('totals are the sum of the rows for additive columns; schools in the totals are distinct schools', async () => {
      for (const groupBy of ['country', 'municipality', 'school', 'month', 'trainer']) {
        for (const query of [
          `groupBy=${groupBy}&${WINDOW}`,
          `groupBy=${groupBy}`,
          `groupBy=${groupBy}&${WINDOW}&status=all`,
        ]) {
          const body = await cascade(manager, query);
          for (const key of ADDITIVE)
            expect([query, key, body.rows.reduce((s, r) => s + r[key], 0)]).toEqual([
              query,
              key,
              body.totals[key],
            ]);
          expect(body.totals.students).toBe(body.totals.female + body.totals.male + body.totals.unspecified);
          expect(body.totals.students).toBe(
            body.totals.under_10 + body.totals['10_14'] + body.totals['15_17'] + body.totals['18_plus'],
          );
          for (const row of body.rows) expect(row.students).toBe(row.female + row.male + row.unspecified);
          expect(body.totals.schools).toBe(4); // S1…S4, whatever the grouping
        }
      }
      // By month the schools of the rows add up to 6 (S2 and S4 in both months); the total counts 4 distinct schools.
      const months = await cascade(manager, `groupBy=month&${WINDOW}`);
      expect(months.rows.reduce((s, r) => s + r.schools, 0)).toBe(6);
      expect(months.totals.schools).toBe(4);
    });

    it('status=all adds the submitted session, never the rejected one', async () => {
      const body = await cascade(manager, `groupBy=trainer&${WINDOW}&status=all`);
      expect(only(body.totals, REACH_KEYS)).toEqual(TOTAL_ALL);
      expect(byKey(body.rows)).toEqual({
        [people.ana.id]: ANA,
        [people.beto.id]: BETO_ALL,
        [people.carla.id]: CARLA,
      });
      const confirmed = await cascade(manager, `groupBy=trainer&${WINDOW}&status=confirmed`);
      expect(only(confirmed.totals, REACH_KEYS)).toEqual(TOTAL);
      // Over all time too: 10 confirmed + 1 submitted; the rejected 40 students never appear.
      const ever = await cascade(manager, 'groupBy=country&status=all');
      expect(ever.totals).toMatchObject({ sessions: 11, students: TOTAL_EVER.students + 10 });
    });

    it('from and to are inclusive; a session one day outside is left out', async () => {
      expect(only((await cascade(manager, 'groupBy=country')).totals, REACH_KEYS)).toEqual(TOTAL_EVER);
      const cases: Array<[string, number, number]> = [
        [`from=${FROM}&to=${TO}`, 7, 145],
        ['from=2026-01-11&to=2026-02-20', 6, 145 - 22], // s1 (on `from`) leaves
        ['from=2026-01-10&to=2026-02-19', 6, 145 - 29], // s3 (on `to`) leaves
        ['from=2026-01-09&to=2026-02-20', 8, 145 + 7], // s7 comes in
        ['from=2026-01-10&to=2026-02-21', 8, 145 + 12], // s6 comes in
        ['from=2026-01-10&to=2026-01-10', 1, 22], // a one-day range holds the session of that day
      ];
      for (const [query, sessions, students] of cases) {
        const body = await cascade(manager, `groupBy=month&${query}`);
        expect([query, body.totals.sessions, body.totals.students]).toEqual([query, sessions, students]);
      }
    });

    it('filters remove rows and never add rows of zeros', async () => {
      const check = async (query: string, expected: Record<string, Reach>, total: Reach) => {
        const body = await cascade(manager, query);
        expect([query, byKey(body.rows)]).toEqual([query, expected]);
        expect([query, only(body.totals, REACH_KEYS)]).toEqual([query, total]);
      };
      await check(`groupBy=country&${WINDOW}&countryCode=PA`, { PA }, PA);
      await check(`groupBy=country&${WINDOW}&countryCode=sv`, { SV }, SV);
      await check(`groupBy=trainer&${WINDOW}&countryCode=PA`, { [people.carla.id]: CARLA }, PA);
      await check(
        `groupBy=school&${WINDOW}&municipality=Santa%20Tecla`,
        { [schools.S1.id]: S1, [schools.S3.id]: S3 },
        { ...SANTA_TECLA },
      );
      await check(`groupBy=country&${WINDOW}&municipality=santa%20tecla`, { SV: SANTA_TECLA }, SANTA_TECLA);
      await check(
        `groupBy=month&${WINDOW}&municipality=Col%C3%B3n`,
        {
          '2026-01': reach(1, 1, 19, 9, 10, 0, 0, 19, 0, 0, 1, 2),
          '2026-02': reach(1, 1, 20, 11, 8, 1, 5, 15, 0, 0, 2, 0),
        },
        PA,
      );
      await check('groupBy=month&from=2026-02-01&to=2026-02-20', { '2026-02': FEBRUARY }, FEBRUARY);
      // A cohort keeps the sessions of the trainers it certified: A → Ana and Beto (SV only), B → Carla and Dario (PA only).
      await check(`groupBy=country&${WINDOW}&cohortId=${cohortA.id}`, { SV }, SV);
      await check(`groupBy=country&${WINDOW}&cohortId=${cohortB.id}`, { PA }, PA);
      await check(`groupBy=country&${WINDOW}&courseSlug=${COURSE}`, { SV, PA }, TOTAL);
      // A course that does not exist: nothing at all.
      const none = await cascade(manager, `groupBy=country&${WINDOW}&courseSlug=no-such-course`);
      expect(none.rows).toEqual([]);
    });

    it('lists certified trainers who have not delivered yet within the filters', async () => {
      // Up to 2026-01-11 only Ana (s7, s1) and Dario (s12, no longer certified) delivered: Carla has not yet.
      const body = await cascade(manager, 'groupBy=trainer&to=2026-01-11');
      expect(body.certifiedTrainers).toBe(2);
      expect(body.notDelivering).toEqual([{ id: people.carla.id, name: 'Carla Expiring' }]);
    });

    it('labels countries and months in Spanish with ?lang=es', async () => {
      const countries = await cascade(managerEs, `groupBy=country&${WINDOW}&lang=es`);
      expect(labels(countries.rows)).toEqual({ SV: 'El Salvador', PA: 'Panamá' });
      expect(byKey(countries.rows)).toEqual({ SV, PA });
      const months = await cascade(managerEs, `groupBy=month&${WINDOW}&lang=es`);
      expect(labels(months.rows)).toEqual({ '2026-01': 'enero de 2026', '2026-02': 'febrero de 2026' });
    });

    it('answers 400 for an unknown groupBy or a malformed date', async () => {
      await get(manager, '/reports/cascade?groupBy=planet').expect(400);
      await get(manager, '/reports/cascade?from=2026-13').expect(400);
    });
  });

  describe('completion, knowledge gain, certifications, donor (API)', () => {
    it('completion: one row per cohort with the funnel of the fixture', async () => {
      const body = (await get(manager, '/reports/completion').expect(200)).body;
      expect(body.rows).toHaveLength(2);
      const rows = byKey(body.rows);
      expect(rows[cohortA.id]).toEqual({ courseSlug: COURSE, cohortId: cohortA.id, ...COMPLETION_A });
      expect(rows[cohortB.id]).toEqual({ courseSlug: COURSE, cohortId: cohortB.id, ...COMPLETION_B });
      const pa = (await get(manager, '/reports/completion?countryCode=PA').expect(200)).body;
      expect(pa.rows.map((r: Json) => r.cohortId)).toEqual([cohortB.id]);
      const one = (await get(manager, `/reports/completion?cohortId=${cohortA.id}`).expect(200)).body;
      expect(one.rows.map((r: Json) => r.cohortId)).toEqual([cohortA.id]);
    });

    it('knowledge gain: first pre-test vs best post-test, only people with both', async () => {
      const body = (await get(manager, '/reports/knowledge-gain').expect(200)).body;
      expect(body.rows).toHaveLength(2);
      const rows = byKey(body.rows);
      expect(rows[cohortA.id]).toEqual({ courseSlug: COURSE, cohortId: cohortA.id, ...GAIN_A });
      expect(rows[cohortB.id]).toEqual({ courseSlug: COURSE, cohortId: cohortB.id, ...GAIN_B });
    });

    it("certifications: active, expiring within 90 days, expired and revoked by the cohort's country", async () => {
      const body = (await get(manager, '/reports/certifications').expect(200)).body;
      expect(body.rows).toHaveLength(2);
      const rows = byKey(body.rows);
      expect(rows.SV).toEqual({ countryCode: 'SV', courseSlug: COURSE, ...CERTS_SV });
      expect(rows.PA).toEqual({ countryCode: 'PA', courseSlug: COURSE, ...CERTS_PA });
      const pa = (await get(manager, '/reports/certifications?countryCode=PA').expect(200)).body;
      expect(pa.rows.map((r: Json) => r.key)).toEqual(['PA']);
    });

    it('donor: people trained and certified by sex, and the reach', async () => {
      const body = (await get(manager, '/reports/donor').expect(200)).body;
      expect(body.trained).toEqual(TRAINED);
      expect(body.certified).toEqual(CERTIFIED);
      expect(only(body.reach, REACH_KEYS)).toEqual(TOTAL_EVER);
      expect(body.studentsPerCertifiedTrainer).toBe(89); // 178 students ÷ 2 trainers certified today
    });

    it('every count is a JSON number', async () => {
      const numbers = (value: unknown, path: string, textKeys: string[]) => {
        if (Array.isArray(value)) return value.forEach((v, i) => numbers(v, `${path}[${i}]`, textKeys));
        if (value && typeof value === 'object')
          return Object.entries(value).forEach(([k, v]) => numbers(v, `${path}.${k}`, textKeys));
        const key = path.split('.').pop() as string;
        if (key === 'anchor') expect([path, typeof value]).toEqual([path, 'boolean']);
        else if (!textKeys.includes(key)) expect([path, typeof value]).toEqual([path, 'number']);
      };
      const text = [
        'key',
        'label',
        'courseSlug',
        'cohortId',
        'countryCode',
        'id',
        'name',
        'quizSlug',
        'kind',
        'questionId',
        'text',
      ];
      for (const groupBy of ['country', 'municipality', 'school', 'month', 'trainer']) {
        const body = await cascade(manager, `groupBy=${groupBy}&status=all`);
        numbers(
          {
            rows: body.rows,
            totals: body.totals,
            certifiedTrainers: body.certifiedTrainers,
            studentsPerCertifiedTrainer: body.studentsPerCertifiedTrainer,
          },
          `cascade/${groupBy}`,
          text,
        );
        expect(Object.keys(body.totals).length).toBeGreaterThanOrEqual(REACH_KEYS.length);
      }
      for (const name of ['completion', 'knowledge-gain', 'certifications', 'donor']) {
        numbers((await get(manager, `/reports/${name}`).expect(200)).body, name, text);
      }
      // An empty result still answers numbers (SUM over no rows is NULL in SQL).
      const empty = await cascade(manager, 'groupBy=country&from=2030-01-01');
      expect(empty.rows).toEqual([]);
      expect(only(empty.totals, REACH_KEYS)).toEqual(reach(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    });
  });

  describe('country scope', () => {
    it('a manager scoped to SV sees only SV in the cascade report, whatever the grouping', async () => {
      const countries = await cascade(managerSv, `groupBy=country&${WINDOW}`);
      expect(byKey(countries.rows)).toEqual({ SV });
      expect(only(countries.totals, REACH_KEYS)).toEqual(SV);
      expect(byKey((await cascade(managerSv, `groupBy=school&${WINDOW}`)).rows)).toEqual({
        [schools.S1.id]: S1,
        [schools.S2.id]: S2,
        [schools.S3.id]: S3,
      });
      expect(byKey((await cascade(managerSv, `groupBy=trainer&${WINDOW}`)).rows)).toEqual({
        [people.ana.id]: ANA,
        [people.beto.id]: BETO,
      });
      expect(
        Object.keys(byKey((await cascade(managerSv, `groupBy=municipality&${WINDOW}`)).rows)).sort(),
      ).toEqual(['San Salvador', 'Santa Tecla']);
      expect(only((await cascade(managerSv, 'groupBy=month')).totals, REACH_KEYS)).toEqual(SV_EVER);
      expect(
        only((await cascade(managerSv, `groupBy=country&${WINDOW}&countryCode=SV`)).totals, REACH_KEYS),
      ).toEqual(SV);
      // Sanity: the unscoped manager sees PA over all time.
      expect(byKey((await cascade(manager, 'groupBy=country')).rows)).toEqual({ SV: SV_EVER, PA: PA_EVER });
    });

    it('asking for another country gives no rows (and zero totals), in every report', async () => {
      const body = await cascade(managerSv, `groupBy=country&${WINDOW}&countryCode=PA`);
      expect(body.rows).toEqual([]);
      expect(only(body.totals, REACH_KEYS)).toEqual(reach(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
      for (const name of ['completion', 'knowledge-gain', 'certifications', 'donor']) {
        const res = await get(managerSv, `/reports/${name}?countryCode=PA`).expect(200);
        expect([name, res.body.rows]).toEqual([name, []]);
      }
      const municipality = await cascade(managerSv, `groupBy=school&${WINDOW}&municipality=Col%C3%B3n`);
      expect(municipality.rows).toEqual([]);
    });

    it('the other reports show only SV rows', async () => {
      const completion = (await get(managerSv, '/reports/completion').expect(200)).body;
      expect(byKey(completion.rows)).toEqual({
        [cohortA.id]: { courseSlug: COURSE, cohortId: cohortA.id, ...COMPLETION_A },
      });
      const gain = (await get(managerSv, '/reports/knowledge-gain').expect(200)).body;
      expect(byKey(gain.rows)).toEqual({
        [cohortA.id]: { courseSlug: COURSE, cohortId: cohortA.id, ...GAIN_A },
      });
      const certs = (await get(managerSv, '/reports/certifications').expect(200)).body;
      expect(byKey(certs.rows)).toEqual({ SV: { countryCode: 'SV', courseSlug: COURSE, ...CERTS_SV } });
      const donor = (await get(managerSv, '/reports/donor').expect(200)).body;
      expect(donor.trained).toEqual(TRAINED_SV);
      expect(donor.certified).toEqual(CERTIFIED_SV);
      expect(only(donor.reach, REACH_KEYS)).toEqual(SV_EVER);
      expect(byKey(donor.rows)).toEqual({ SV: SV_EVER });
      expect(donor.studentsPerCertifiedTrainer).toBe(125); // 125 students ÷ Ana, the only SV trainer certified today
      // The cohort of another country gives nothing either.
      const other = (await get(managerSv, `/reports/completion?cohortId=${cohortB.id}`).expect(200)).body;
      expect(other.rows).toEqual([]);
    });

    it('the CSV and XLSX exports of a scoped manager hold only SV rows', async () => {
      const csv = await get(managerSv, `/reports/cascade.csv?groupBy=school&${WINDOW}`).expect(200);
      const records: string[][] = parseCsv(csv.text, { bom: true });
      expect(records.map((r) => r[0]).sort()).toEqual([
        'Centro Escolar Las Flores',
        'Complejo Educativo Santa Tecla',
        'Escuela República de Chile',
        'Group',
        'Total',
      ]);
      expect(csv.text).not.toContain('Colón');
      expect(records[records.length - 1].slice(1, 4)).toEqual([
        String(SV.sessions),
        String(SV.schools),
        String(SV.students),
      ]);

      const xlsx = await get(managerSv, `/reports/cascade.xlsx?groupBy=country&${WINDOW}`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.body as Parameters<ExcelJS.Xlsx['load']>[0]);
      const sheet = book.worksheets[0];
      const names: unknown[] = [];
      sheet.eachRow((row) => names.push(row.getCell(1).value));
      expect(names).toEqual(['Group', 'El Salvador', 'Total']);
      expect(sheet.getRow(2).getCell(2).value).toBe(SV.sessions);

      const certs = await get(managerSv, '/reports/certifications.csv').expect(200);
      expect(certs.text).toContain('El Salvador');
      expect(certs.text).not.toContain('Panam');
      // Asking for PA: the header and a zero totals row, no data rows.
      const outside: string[][] = parseCsv(
        (await get(managerSv, `/reports/cascade.csv?groupBy=school&countryCode=PA`).expect(200)).text,
        { bom: true },
      );
      expect(outside.map((r) => r[0])).toEqual(['Group', 'Total']);
      expect(outside[1].slice(1).every((v) => v === '0')).toBe(true);
    });
  });

  describe('exports', () => {
    const HEADER_EN = [
      'Group',
      'Sessions',
      'Schools',
      'Students',
      'Female',
      'Male',
      'Not specified',
      'Under 10',
      '10–14',
      '15–17',
      '18 and over',
      'Teachers',
      'Parents',
    ];
    const HEADER_ES = [
      'Grupo',
      'Sesiones',
      'Escuelas',
      'Estudiantes',
      'Mujeres',
      'Hombres',
      'Sin especificar',
      'Menos de 10',
      '10–14',
      '15–17',
      '18 o más',
      'Docentes',
      'Madres y padres',
    ];
    const line = (label: string, r: Reach) => [label, ...REACH_KEYS.map((k) => String(r[k]))].join(',');

    it('cascade.csv: UTF-8 with a BOM, a translated header row, numbers unquoted, a totals row', async () => {
      const res = await get(manager, `/reports/cascade.csv?groupBy=country&${WINDOW}`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(
        /attachment; filename="cascada-cascade-\d{4}-\d{2}-\d{2}\.csv"/,
      );
      const bytes = res.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).trim().split(/\r?\n/);
      expect(lines[0]).toBe(HEADER_EN.join(','));
      expect(lines.slice(1, -1).sort()).toEqual([line('El Salvador', SV), line('Panama', PA)].sort());
      expect(lines[lines.length - 1]).toBe(line('Total', TOTAL));
    });

    it('Accept: text/csv on the API gives the same CSV; ?lang=es translates header and labels', async () => {
      const viaAccept = await get(manager, `/reports/cascade?groupBy=country&${WINDOW}`)
        .set('Accept', 'text/csv')
        .expect(200);
      expect(viaAccept.headers['content-type']).toMatch(/^text\/csv/);
      expect(viaAccept.text.charCodeAt(0)).toBe(0xfeff);
      const viaSuffix = await get(manager, `/reports/cascade.csv?groupBy=country&${WINDOW}`).expect(200);
      expect(viaAccept.text).toBe(viaSuffix.text);

      const es = await get(managerEs, `/reports/cascade.csv?groupBy=country&${WINDOW}&lang=es`).expect(200);
      const lines = es.text.slice(1).trim().split(/\r?\n/);
      expect(lines[0]).toBe(HEADER_ES.join(','));
      expect(lines.slice(1, -1).sort()).toEqual([line('El Salvador', SV), line('Panamá', PA)].sort());
      expect(lines[lines.length - 1]).toBe(line('Total', TOTAL));
      // Month labels with spaces are not numbers: quoting only where needed; numbers never quoted.
      const months = await get(managerEs, `/reports/cascade.csv?groupBy=month&${WINDOW}&lang=es`).expect(200);
      expect(months.text).toContain(line('enero de 2026', JANUARY));
      expect(months.text).not.toMatch(/"\d+"/);
    });

    it('cascade.xlsx: a valid workbook with numeric cells and a sheet listing the filters', async () => {
      const res = await get(manager, `/reports/cascade.xlsx?groupBy=month&${WINDOW}&status=confirmed`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(res.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(res.headers['content-disposition']).toMatch(
        /filename="cascada-cascade-\d{4}-\d{2}-\d{2}\.xlsx"/,
      );
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.body as Parameters<ExcelJS.Xlsx['load']>[0]);
      expect(book.worksheets).toHaveLength(2);
      const [sheet, filters] = book.worksheets;
      expect(sheet.name).toBe('Cascade reach');
      const rows: unknown[][] = [];
      sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      expect(rows[0]).toEqual(HEADER_EN);
      expect(rows.slice(1)).toEqual([
        ['January 2026', ...REACH_KEYS.map((k) => JANUARY[k])],
        ['February 2026', ...REACH_KEYS.map((k) => FEBRUARY[k])],
        ['Total', ...REACH_KEYS.map((k) => TOTAL[k])],
      ]);
      for (let r = 2; r <= 4; r++) {
        for (let c = 2; c <= HEADER_EN.length; c++) {
          const cell = sheet.getRow(r).getCell(c);
          expect([r, c, cell.type, typeof cell.value]).toEqual([r, c, ExcelJS.ValueType.Number, 'number']);
        }
      }
      expect(filters.name).toBe('Filters');
      const listed: Record<string, unknown> = {};
      filters.eachRow((row) => (listed[String(row.getCell(1).value)] = row.getCell(2).value));
      expect(listed).toMatchObject({
        From: FROM,
        To: TO,
        'Country (code)': 'All',
        'Group by': 'month',
        Sessions: 'confirmed',
      });
    });

    it('the other reports export too (CSV header + numbers, XLSX numeric)', async () => {
      const certs = await get(manager, '/reports/certifications.csv').expect(200);
      const records: string[][] = parseCsv(certs.text, { bom: true });
      expect(records[0]).toEqual(['Group', 'Valid', 'Expiring within 90 days', 'Expired', 'Revoked']);
      expect(records.slice(1).sort()).toEqual([
        ['El Salvador · Tiny course', '1', '0', '0', '1'],
        ['Panama · Tiny course', '1', '1', '1', '0'],
        ['Total', '2', '1', '1', '1'],
      ]);
      const completion = await get(manager, '/reports/completion.xlsx')
        .buffer(true)
        .parse(binary)
        .expect(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(completion.body as Parameters<ExcelJS.Xlsx['load']>[0]);
      const rows: unknown[][] = [];
      book.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      const sum = (k: keyof typeof COMPLETION_A) => COMPLETION_A[k] + COMPLETION_B[k];
      expect(rows[0]).toEqual([
        'Group',
        'Enrolled',
        'Started',
        'Lessons complete',
        'Passed post-test',
        'Attendance met',
        'Certified',
      ]);
      expect(rows.slice(1, -1).sort()).toEqual([
        ['TOT Colón · Tiny course', ...Object.values(COMPLETION_B)],
        ['TOT Santa Tecla · Tiny course', ...Object.values(COMPLETION_A)],
      ]);
      expect(rows[rows.length - 1]).toEqual(['Total', 8, 7, 5, 4, 5, 4]);
      expect(rows[rows.length - 1].slice(1)).toEqual(
        (Object.keys(COMPLETION_A) as Array<keyof typeof COMPLETION_A>).map(sum),
      );
    });
  });

  describe('access', () => {
    it('trainers and coordinators get 403 on every report, API and pages', async () => {
      for (const user of [people.ana, coordinator]) {
        for (const name of ['completion', 'knowledge-gain', 'certifications', 'cascade', 'donor']) {
          await get(user, `/reports/${name}`).expect(403);
          await get(user, `/reports/${name}.csv`).expect(403);
          await get(user, `/reports/${name}.xlsx`).expect(403);
        }
        const agent = await pageAgent(t, user.email);
        for (const path of [
          '/reports',
          '/reports/cascade',
          '/reports/cascade?groupBy=month',
          '/reports/donor?print=1',
          '/reports/cascade.csv',
          '/reports/completion.xlsx',
        ]) {
          const res = await agent.get(path);
          expect([user.role, path, res.status]).toEqual([user.role, path, 403]);
          expect(res.text).not.toContain('Centro Escolar');
        }
      }
      await request(t.http).get('/api/v1/reports/cascade').expect(401);
      await get(admin, '/reports/cascade').expect(200);
    });
  });

  describe('pages', () => {
    it('/reports/cascade?groupBy=month: an accessible SVG chart and a table whose totals match', async () => {
      const agent = await pageAgent(t, manager.email);
      const res = await agent.get(`/reports/cascade?groupBy=month&${WINDOW}`).expect(200);
      const svg = /<svg[^>]*>[\s\S]*?<\/svg>/.exec(res.text)?.[0] as string;
      expect(svg).toBeDefined();
      expect(svg).toMatch(/^<svg[^>]*\brole="img"/);
      expect(svg).toMatch(/<title id="chart-reach-t">Cascade reach<\/title>/);
      expect(svg).toContain('January 2026');
      expect(res.text).not.toMatch(/<script[^>]+src="https?:/); // no CDN
      const tfoot = /<tfoot>([\s\S]*?)<\/tfoot>/.exec(res.text)?.[1] as string;
      expect(tfoot).toContain('<th scope="row">Total</th>');
      const cells = [...tfoot.matchAll(/<td class="num"><strong>([^<]*)<\/strong><\/td>/g)].map((m) => m[1]);
      expect(cells).toEqual(REACH_KEYS.map((k) => String(TOTAL[k])));
      const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(res.text)?.[1] as string;
      const bodyRows = [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
        [...m[1].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1]),
      );
      expect(bodyRows).toEqual([
        ['January 2026', ...REACH_KEYS.map((k) => String(JANUARY[k]))],
        ['February 2026', ...REACH_KEYS.map((k) => String(FEBRUARY[k]))],
      ]);
      // The export links carry the same filters (Handlebars escapes `=` as `&#x3D;`).
      const csvHref = /href="(\/reports\/cascade\.csv\?[^"]*)"/
        .exec(res.text)?.[1]
        ?.replace(/&#x3D;/g, '=')
        .replace(/&amp;/g, '&') as string;
      expect(Object.fromEntries(new URL(csvHref, 'http://x').searchParams)).toEqual({
        groupBy: 'month',
        from: FROM,
        to: TO,
      });
    });

    it('/reports/donor.pdf is a one-page PDF of the same figures; other reports have no PDF', async () => {
      const agent = await pageAgent(t, manager.email);
      const res = await agent
        .get('/reports/donor.pdf')
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect((res.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
      expect((res.body as Buffer).toString('latin1')).toContain('/Count 1');
      await agent.get('/reports/cascade.pdf').expect(404);
      await request(t.http).get('/api/v1/reports/donor.pdf').expect(401);
    });

    it('/reports/donor?print=1 renders with the print stylesheet and shows people trained by sex', async () => {
      const agent = await pageAgent(t, manager.email);
      const res = await agent.get('/reports/donor?print=1').expect(200);
      expect(res.text).toMatch(/href="\/assets\/css\/print\.css\?[\w-]{10}"/);
      expect(res.text).not.toContain('/assets/css/app.css');
      const trained =
        /<tr><th scope="row">People trained \(workshop participants\)<\/th>([\s\S]*?)<\/tr>/.exec(
          res.text,
        )?.[1] as string;
      expect([...trained.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1])).toEqual(
        [TRAINED.total, TRAINED.female, TRAINED.male, TRAINED.unspecified].map(String),
      );
      const students = /<tr><th scope="row">Students reached<\/th>([\s\S]*?)<\/tr>/.exec(
        res.text,
      )?.[1] as string;
      expect([...students.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1])).toEqual(
        [TOTAL_EVER.students, TOTAL_EVER.female, TOTAL_EVER.male, TOTAL_EVER.unspecified].map(String),
      );
      // The ordinary page links to the print version and uses the app stylesheet.
      const normal = await agent.get('/reports/donor').expect(200);
      expect(normal.text).toContain('/assets/css/app.css');
      expect(normal.text).toContain('href="/reports/donor?print&#x3D;1"');
      // The period says what the figures cover: a dash for an open end, and the dates when given.
      expect(res.text).toContain('Period: — to —');
      const period = await agent.get(`/reports/donor?print=1&${WINDOW}&countryCode=PA`).expect(200);
      expect(period.text).toContain('Period: January 10, 2026 to February 20, 2026 · Panama'); // dates through Intl, the country by name
    });

    it("a scoped manager's pages show only their country", async () => {
      const agent = await pageAgent(t, managerSv.email);
      const res = await agent.get(`/reports/cascade?groupBy=school&${WINDOW}`).expect(200);
      expect(res.text).toContain('Centro Escolar Las Flores');
      expect(res.text).not.toContain('Escuela Colón');
      const donor = await agent.get('/reports/donor?print=1').expect(200);
      const trained =
        /<tr><th scope="row">People trained \(workshop participants\)<\/th>([\s\S]*?)<\/tr>/.exec(
          donor.text,
        )?.[1] as string;
      expect([...trained.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1])).toEqual(
        [TRAINED_SV.total, TRAINED_SV.female, TRAINED_SV.male, TRAINED_SV.unspecified].map(String),
      );
      expect(donor.text).toContain('Period: — to — · El Salvador'); // the printed summary says whose figures these are
    });
  });

  // Last: it adds data.
  describe('query count', () => {
    it('GET /reports/cascade?groupBy=school runs a small, fixed number of queries, whatever the data size', async () => {
      const logger = t.db.dataSource.logger;
      // Report queries run on the report reader (a worker thread on SQLite); the rest on the main connection.
      const reader = t.app.get(ReportReader);
      const countQueries = async () => {
        const spy = jest.spyOn(logger, 'logQuery');
        const readerSpy = jest.spyOn(reader, 'query');
        try {
          const res = await get(manager, '/reports/cascade?groupBy=school').expect(200);
          const viaReader = reader.usesWorker ? readerSpy.mock.calls.length : 0;
          return { queries: spy.mock.calls.length + viaReader, rows: (res.body.rows as unknown[]).length };
        } finally {
          spy.mockRestore();
          readerSpy.mockRestore();
        }
      };
      const small = await countQueries();
      expect(small.rows).toBe(4);

      // Add 20 schools in 5 new municipalities (DO) with 3 sessions each, by several trainers.
      const m = t.db.manager;
      const extraTrainers = [people.elena, people.fabio, people.hugo];
      for (let i = 0; i < 5; i++) {
        const municipality = await m.save(
          m.create(Municipality, { countryCode: 'DO', name: `Municipio ${i}` }),
        );
        for (let j = 0; j < 4; j++) {
          const school = await m.save(
            m.create(School, {
              name: `Escuela ${i}-${j}`,
              code: `DO-${i}-${j}`,
              countryCode: 'DO',
              municipalityId: municipality.id,
              level: null,
              address: null,
              createdAt: NOW,
            }),
          );
          for (let k = 0; k < 3; k++) {
            const trainer = extraTrainers[(i + j + k) % 3];
            await m.save(
              m.create(CascadeSession, {
                schoolId: school.id,
                countryCode: 'DO',
                municipalityId: municipality.id,
                trainerId: trainer.id,
                courseId,
                moduleSlugs: 'practice',
                date: `2025-0${k + 3}-1${j}`,
                durationMinutes: 45,
                female: 1,
                male: 1,
                unspecified: 0,
                ageUnder10: 0,
                age10To14: 2,
                age15To17: 0,
                age18Plus: 0,
                teachers: 0,
                parents: 0,
                notes: null,
                status: 'confirmed',
                loggedByRole: 'trainer',
                loggedBy: trainer.id,
                decidedBy: null,
                decidedAt: NOW,
                rejectionReason: null,
                createdAt: NOW,
                updatedAt: NOW,
              }),
            );
          }
        }
      }
      await rebuildRollups(m);
      const large = await countQueries();
      expect(large.rows).toBe(24);
      expect(large.queries).toBe(small.queries);
      expect(small.queries).toBeGreaterThanOrEqual(5); // the spy sees the report's own queries (grouped rows, labels, totals, trainers)
      expect(small.queries).toBeLessThanOrEqual(10);
    });
  });
});
