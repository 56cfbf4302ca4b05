import { EntityManager, ObjectLiteral, EntityTarget } from 'typeorm';
import { hashPassword } from '../auth/password';
import { CascadeSession } from '../cascade/cascade-session.entity';
import { rebuildRollups } from '../cascade/reach-rollups';
import { Certification } from '../certification/certification.entity';
import { addDays, addMonths } from '../certification/validity';
import {
  Attendance,
  CohortDay,
  CohortFacilitator,
  CohortParticipant,
  PracticumResult,
} from '../cohorts/cohort-member.entities';
import { Cohort } from '../cohorts/cohort.entity';
import type { CourseOutline } from '../courses/catalogue.service';
import { Enrolment } from '../courses/enrolment.entity';
import { LessonCompletion } from '../courses/lesson-completion.entity';
import { QuizAttempt } from '../courses/quiz-attempt.entity';
import { MAX_SEED, planSitting } from '../courses/quiz-draw';
import { newId } from '../database/columns';
import { School } from '../schools/school.entities';
import { User } from '../users/user.entity';
import type { Sex } from '../common/kernel/user-role.enum';

/** Deterministic PRNG (mulberry32): the demo is the same on every machine. */
export function prng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_F = [
  'María',
  'Ana',
  'Carmen',
  'Rosa',
  'Lucía',
  'Yesenia',
  'Daniela',
  'Karla',
  'Sandra',
  'Gabriela',
  'Marisol',
  'Patricia',
  'Sharon',
  'Keisha',
];
const FIRST_M = [
  'José',
  'Luis',
  'Carlos',
  'Juan',
  'Miguel',
  'Jorge',
  'Kevin',
  'Ricardo',
  'Óscar',
  'Andrés',
  'Julio',
  'Rafael',
  'Dwayne',
  'Marlon',
];
const LAST = [
  'Hernández',
  'García',
  'Martínez',
  'López',
  'Rodríguez',
  'Pérez',
  'Castillo',
  'Reyes',
  'Cruz',
  'Flores',
  'Morales',
  'Rivera',
  'Gómez',
  'Díaz',
  'Young',
  'Gentle',
];
// School calendars of the region: little in December–January, a mid-year break.
const SEASON = [0.15, 0.9, 1, 1, 0.9, 0.9, 0.5, 0.8, 1, 1, 0.9, 0.3];
const PLAN: Array<{ country: string; course: string; municipality: string }> = [
  { country: 'DO', course: 'school-tip-awareness', municipality: 'Santiago de los Caballeros' },
  { country: 'PR', course: 'school-tip-awareness', municipality: 'Bayamón' },
  { country: 'SV', course: 'school-tip-awareness', municipality: 'Santa Ana' },
  { country: 'SV', course: 'upp-community-policing', municipality: 'Sonsonate' },
  { country: 'PA', course: 'upp-community-policing', municipality: 'San Miguelito' },
  { country: 'BZ', course: 'upp-community-policing', municipality: 'Belize City' },
];

async function insertChunks<T extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<T>,
  rows: T[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) await tx.insert(entity, rows.slice(i, i + 100) as never);
}

/**
 * Three years of the program for the demo: two workshops a year per country and course (from the
 * third on led by a trainer certified two workshops earlier: three generations of the cascade), with
 * attendance, tests, teach-backs and certifications (the oldest now expired, one revoked), and the
 * school sessions the certified trainers delivered since, following the school calendar. Written
 * straight to the tables in one transaction (the services' rules are respected by construction).
 */
export async function seedHistory(
  tx: EntityManager,
  outlines: CourseOutline[],
  managerId: string,
  today: string,
): Promise<{ cohorts: number; trainers: number; sessions: number }> {
  const random = prng(20090601);
  const pickOf = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const now = new Date();
  const passwordHash = await hashPassword('cascada-demo');
  const schools = await tx.find(School);
  const byCountry = new Map<string, School[]>();
  for (const s of schools) byCountry.set(s.countryCode, [...(byCountry.get(s.countryCode) ?? []), s]);
  const rows = {
    users: [] as User[],
    cohorts: [] as Cohort[],
    facilitators: [] as CohortFacilitator[],
    days: [] as CohortDay[],
    participants: [] as CohortParticipant[],
    enrolments: [] as Enrolment[],
    completions: [] as LessonCompletion[],
    attempts: [] as QuizAttempt[],
    attendance: [] as Attendance[],
    practicum: [] as PracticumResult[],
    certs: [] as Certification[],
    sessions: [] as CascadeSession[],
  };
  let trainerNo = 0;
  let revoked = false;
  const usedCodes = new Set<string>();
  const code = () => {
    const alphabet = '2346789ABCDEFGHJKMNPQRTUVWXYZ';
    for (;;) {
      const part = () =>
        Array.from({ length: 4 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const c = `CSC-${part()}-${part()}`;
      if (!usedCodes.has(c)) {
        usedCodes.add(c);
        return c;
      }
    }
  };
  for (const plan of PLAN) {
    const outline = outlines.find((o) => o.slug === plan.course);
    const countrySchools = byCountry.get(plan.country) ?? [];
    if (!outline || !countrySchools.length) continue;
    const pre = outline.quizzes.find((q) => q.kind === 'pre');
    const post = outline.quizzes.find((q) => q.kind === 'post');
    const deliverable = outline.manifest.modules.filter((m) => m.deliverable).map((m) => m.slug);
    // Certified trainers per workshop of this plan: from the third workshop on, one certified two
    // workshops earlier leads it (the second-generation cascade), so the demo's lineage is a real tree.
    const certifiedIn: Array<Array<{ userId: string; expiresOn: string; revokedOn: string | null }>> = [];
    for (let k = 0; k < 6; k++) {
      certifiedIn[k] = [];
      const endsOn = addDays(addMonths(today, -36 + k * 6), 10 + Math.floor(random() * 20));
      if (endsOn >= addDays(today, -14)) continue;
      const startsOn = addDays(endsOn, -2);
      const cohort: Cohort = Object.assign(new Cohort(), {
        courseId: outline.courseId,
        name: `TOT ${plan.municipality} ${startsOn.slice(0, 7)}`,
        countryCode: plan.country,
        municipality: plan.municipality,
        venue: null,
        startsOn,
        endsOn,
        capacity: 20,
        status: 'completed',
        createdBy: managerId,
        createdAt: now,
      });
      rows.cohorts.push(cohort);
      const lead = (certifiedIn[k - 2] ?? []).find(
        (c) => c.expiresOn >= endsOn && (!c.revokedOn || c.revokedOn > endsOn),
      );
      const facilitatorId = lead?.userId ?? managerId;
      rows.facilitators.push(
        Object.assign(new CohortFacilitator(), { cohortId: cohort.id, userId: facilitatorId }),
      );
      const days = [0, 1, 2].map((d) =>
        Object.assign(new CohortDay(), { cohortId: cohort.id, date: addDays(startsOn, d), title: null }),
      );
      rows.days.push(...days);
      const size = 12 + Math.floor(random() * 7);
      for (let p = 0; p < size; p++) {
        const sex: Sex = random() < 0.6 ? 'female' : random() < 0.97 ? 'male' : 'unspecified';
        const name = `${pickOf(sex === 'male' ? FIRST_M : FIRST_F)} ${pickOf(LAST)} ${pickOf(LAST)}`;
        const user = Object.assign(new User(), {
          email: `demo.trainer.${String(++trainerNo).padStart(3, '0')}@demo.cascada.local`,
          name,
          role: 'trainer',
          sex,
          language: plan.country === 'BZ' ? 'en' : 'es',
          countryCode: plan.country,
          organisation:
            plan.course === 'upp-community-policing' ? 'Policía / municipalidad' : 'Ministerio de Educación',
          status: 'active',
          passwordHash,
          createdAt: now,
          updatedAt: now,
          lastLoginAt: null,
        });
        rows.users.push(user);
        const diligent = random();
        const lessonsDone =
          diligent > 0.12 ? outline.lessons.length : Math.floor(outline.lessons.length * random());
        const enrolledAt = new Date(`${addDays(startsOn, -30)}T12:00:00Z`);
        const enrolment = Object.assign(new Enrolment(), {
          userId: user.id,
          courseId: outline.courseId,
          courseVersionId: outline.versionId,
          status:
            lessonsDone === outline.lessons.length ? 'completed' : lessonsDone ? 'in_progress' : 'enrolled',
          enrolledAt,
          startedAt: lessonsDone ? enrolledAt : null,
          completedAt: lessonsDone === outline.lessons.length ? new Date(`${endsOn}T12:00:00Z`) : null,
        });
        rows.enrolments.push(enrolment);
        rows.participants.push(
          Object.assign(new CohortParticipant(), {
            cohortId: cohort.id,
            userId: user.id,
            enrolmentId: enrolment.id,
            addedAt: enrolledAt,
          }),
        );
        for (const lesson of outline.lessons.slice(0, lessonsDone))
          rows.completions.push(
            Object.assign(new LessonCompletion(), {
              enrolmentId: enrolment.id,
              lessonSlug: lesson.slug,
              completedAt: enrolledAt,
            }),
          );
        const attempt = (quiz: NonNullable<typeof pre>, n: number, skill: number) => {
          // Like a real sitting: the drawn questions only (anchors always), with the seed and option order kept.
          const seed = Math.floor(random() * MAX_SEED);
          const plan = planSitting(quiz.questions, quiz.draw, seed);
          const results = Object.fromEntries(
            plan.questionIds.map((id) => [
              id,
              random() < skill - quiz.questions.findIndex((q) => q.id === id) * 0.01,
            ]),
          );
          const score = Math.round(
            (Object.values(results).filter(Boolean).length / plan.questionIds.length) * 100,
          );
          rows.attempts.push(
            Object.assign(new QuizAttempt(), {
              enrolmentId: enrolment.id,
              quizSlug: quiz.slug,
              kind: quiz.kind,
              attemptNumber: n,
              score,
              passed: score >= quiz.passMark,
              answers: '{}',
              results: JSON.stringify(results),
              submittedAt: enrolledAt,
              sittingId: newId(),
              seed,
              questionIds: JSON.stringify(plan.questionIds),
              optionOrder: JSON.stringify(plan.optionOrder),
            }),
          );
          return score;
        };
        if (pre) attempt(pre, 1, 0.35 + random() * 0.3);
        let postPassed = false;
        if (post && lessonsDone === outline.lessons.length) {
          for (let n = 1; n <= (post.maxAttempts ?? 3) && !postPassed; n++)
            postPassed = attempt(post, n, 0.62 + random() * 0.33) >= post.passMark;
        }
        let attended = 0;
        for (const day of days) {
          const r = random();
          const status = r < 0.84 ? 'present' : r < 0.92 ? 'late' : r < 0.97 ? 'absent' : 'excused';
          if (status === 'present' || status === 'late') attended++;
          rows.attendance.push(
            Object.assign(new Attendance(), {
              cohortId: cohort.id,
              dayId: day.id,
              userId: user.id,
              status,
              recordedBy: managerId,
              recordedAt: new Date(`${day.date}T17:00:00Z`),
            }),
          );
        }
        const practicumPassed = random() < 0.9;
        rows.practicum.push(
          Object.assign(new PracticumResult(), {
            cohortId: cohort.id,
            userId: user.id,
            passed: practicumPassed,
            score: practicumPassed ? 70 + Math.floor(random() * 30) : 40 + Math.floor(random() * 25),
            notes: null,
            recordedBy: managerId,
            recordedAt: new Date(`${endsOn}T17:00:00Z`),
          }),
        );
        const eligible =
          lessonsDone === outline.lessons.length &&
          postPassed &&
          (attended * 100) / days.length >= outline.manifest.certification.attendancePercent &&
          practicumPassed;
        if (!eligible) continue;
        const expiresOn = addMonths(endsOn, outline.manifest.certification.validityMonths);
        let revokedOn: string | null = null;
        if (!revoked && k === 1 && plan.country === 'SV') {
          revoked = true;
          revokedOn = addMonths(endsOn, 7);
        }
        rows.certs.push(
          Object.assign(new Certification(), {
            code: code(),
            userId: user.id,
            courseId: outline.courseId,
            cohortId: cohort.id,
            facilitatorId,
            issuedBy: managerId,
            issuedOn: endsOn,
            expiresOn,
            status: revokedOn ? 'revoked' : expiresOn < today ? 'expired' : 'active',
            revokedOn,
            revokedReason: revokedOn
              ? 'Reassigned to a non-teaching post; certification withdrawn at the program’s request (demo data).'
              : null,
            reminderSentAt: null,
            createdAt: new Date(`${endsOn}T18:00:00Z`),
          }),
        );
        certifiedIn[k].push({ userId: user.id, expiresOn, revokedOn });
        // School sessions while the certification is valid, following the school calendar.
        const last = [
          expiresOn,
          revokedOn ? addDays(revokedOn, -1) : expiresOn,
          addDays(today, -1),
        ].sort()[0];
        const usedDays = new Set<string>();
        for (let month = addDays(endsOn, 7); month <= last; month = addMonths(month, 1)) {
          const weight = SEASON[Number(month.slice(5, 7)) - 1] * (0.4 + diligent * 0.9);
          const count = random() < weight ? (random() < 0.35 ? 2 : 1) : 0;
          for (let c = 0; c < count; c++) {
            const date = addDays(month, Math.floor(random() * 25));
            if (date > last || usedDays.has(date)) continue;
            usedDays.add(date);
            const school = pickOf(countrySchools);
            const module = pickOf(deliverable);
            const female = 6 + Math.floor(random() * 14);
            const male = 6 + Math.floor(random() * 14);
            const unspecified = random() < 0.15 ? 1 : 0;
            const total = female + male + unspecified;
            const older =
              module.includes('15-17') || (plan.course === 'upp-community-policing' && random() < 0.5);
            const recent = date > addDays(today, -20);
            const status =
              recent && random() < 0.6 ? 'submitted' : random() < 0.02 ? 'rejected' : 'confirmed';
            rows.sessions.push(
              Object.assign(new CascadeSession(), {
                schoolId: school.id,
                trainerId: user.id,
                countryCode: school.countryCode,
                municipalityId: school.municipalityId,
                courseId: outline.courseId,
                moduleSlugs: module,
                date,
                durationMinutes: older ? 55 : 50,
                female,
                male,
                unspecified,
                // The module's own audience: under-10s, adults (18+, parents and teachers), else 10–14 or 15–17.
                ...ageBandsOf(module, older, total),
                teachers: random() < 0.6 ? 1 : 0,
                parents: random() < 0.15 ? 2 + Math.floor(random() * 6) : 0,
                notes: null,
                status,
                loggedByRole: 'trainer',
                loggedBy: user.id,
                decidedBy: status === 'submitted' ? null : managerId,
                decidedAt: status === 'submitted' ? null : new Date(`${date}T20:00:00Z`),
                rejectionReason:
                  status === 'rejected'
                    ? 'Duplicate of a session already reported by the school (demo data).'
                    : null,
                createdAt: new Date(`${date}T18:00:00Z`),
                updatedAt: new Date(`${date}T18:00:00Z`),
              }),
            );
          }
        }
      }
    }
  }
  for (const [entity, list] of [
    [User, rows.users],
    [Cohort, rows.cohorts],
    [CohortFacilitator, rows.facilitators],
    [CohortDay, rows.days],
    [Enrolment, rows.enrolments],
    [CohortParticipant, rows.participants],
    [LessonCompletion, rows.completions],
    [QuizAttempt, rows.attempts],
    [Attendance, rows.attendance],
    [PracticumResult, rows.practicum],
    [Certification, rows.certs],
    [CascadeSession, rows.sessions],
  ] as Array<[EntityTarget<ObjectLiteral>, ObjectLiteral[]]>) {
    await insertChunks(tx, entity, list);
  }
  // Bulk-inserted sessions bypass the session service: bring the reach rollups level with them.
  await rebuildRollups(tx);
  return { cohorts: rows.cohorts.length, trainers: rows.users.length, sessions: rows.sessions.length };
}

/** Age bands of a demo session: the whole group in the band the delivered module is written for. */
function ageBandsOf(module: string, older: boolean, total: number) {
  const band = module.includes('under-10')
    ? 'u10'
    : module.includes('18-plus') || module.includes('parents')
      ? 'a18'
      : older
        ? 'a15'
        : 'a10';
  return {
    ageUnder10: band === 'u10' ? total : 0,
    age10To14: band === 'a10' ? total : 0,
    age15To17: band === 'a15' ? total : 0,
    age18Plus: band === 'a18' ? total : 0,
  };
}
