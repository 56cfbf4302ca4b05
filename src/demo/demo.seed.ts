import type { LearningService } from '../courses/learning.service';
import type { QuizQuestion } from '../courses/content/course-package';
import type { QuizzesService } from '../courses/quizzes.service';
import type { AuthUser } from '../common/kernel/auth-user';
import type { CohortsService } from '../cohorts/cohorts.service';
import type { CertificationService } from '../certification/certification.service';
import type { SchoolsService } from '../schools/schools.service';
import type { CascadeService } from '../cascade/cascade.service';
import type { Clock } from '../common/clock';
import { DEMO_PLACES, DEMO_SCHOOL_NAMES } from './demo-places';
import { addDays } from '../certification/validity';
import type { CourseOutline } from '../courses/catalogue.service';
import { seedHistory } from './demo-history';
import type { User } from '../users/user.entity';
import type { UsersService } from '../users/users.service';
import type { Database } from '../database/database.service';

/** Published in the README: for demos and local development only (SEED_DEMO is refused in production). */
export const DEMO_PASSWORD = 'cascada-demo';

export const DEMO_ACCOUNTS: Array<Pick<User, 'email' | 'name' | 'role'> & Partial<User>> = [
  { email: 'admin@demo.cascada.local', name: 'Alba Admin', role: 'admin', language: 'es', sex: 'female' },
  {
    email: 'manager@demo.cascada.local',
    name: 'Marcos Gestor',
    role: 'manager',
    language: 'es',
    sex: 'male',
  },
  {
    email: 'manager.sv@demo.cascada.local',
    name: 'Sofía Valle',
    role: 'manager',
    language: 'es',
    sex: 'female',
    countryCode: 'SV',
  },
  {
    email: 'trainer@demo.cascada.local',
    name: 'Teresa Formadora',
    role: 'trainer',
    language: 'es',
    sex: 'female',
    countryCode: 'DO',
    organisation: 'Ministerio de Educación',
  },
  {
    email: 'trainer.en@demo.cascada.local',
    name: 'Trevor Bennett',
    role: 'trainer',
    language: 'en',
    sex: 'male',
    countryCode: 'BZ',
    organisation: 'Belize Police Department',
  },
  {
    email: 'coordinator@demo.cascada.local',
    name: 'Carmen Coordinadora',
    role: 'coordinator',
    language: 'es',
    sex: 'female',
    countryCode: 'DO',
  },
];

export interface DemoServices {
  db: Database;
  users: UsersService;
  learning: LearningService;
  quizzes: QuizzesService;
  cohorts: CohortsService;
  certifications: CertificationService;
  schools: SchoolsService;
  cascade: CascadeService;
  clock: Clock;
  outlines: CourseOutline[];
}

const correctOf = (q: QuizQuestion) => q.options.filter((o) => o.correct).map((o) => o.id);

/** Opens a quiz as a trainer would and answers the questions its sitting drew (`choose` picks per question). */
async function takeQuiz(
  quizzes: QuizzesService,
  actor: AuthUser,
  enrolmentId: string,
  quizSlug: string,
  choose: (q: QuizQuestion, i: number) => string[] = correctOf,
): Promise<void> {
  const { sitting } = await quizzes.open(actor, enrolmentId, quizSlug);
  if (!sitting) return;
  await quizzes.submit(
    actor,
    enrolmentId,
    quizSlug,
    Object.fromEntries(sitting.questions.map((q, i) => [q.id, choose(q, i)])),
    sitting.id,
  );
}

/** Demo trainers at different stages of the two shipped courses, a certified workshop and school sessions. */
export async function seedDemo(services: DemoServices): Promise<void> {
  const { db, users, learning } = services;
  const created = await db.transaction(async (tx) => {
    const out: Record<string, User> = {};
    for (const account of DEMO_ACCOUNTS)
      out[account.email] = await users.createSystemUser(tx, account, DEMO_PASSWORD);
    return out;
  });
  const teresa = created['trainer@demo.cascada.local'];
  const trevor = created['trainer.en@demo.cascada.local'];
  const asActor = (u: User) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    language: u.language,
    countryCode: u.countryCode,
    sessionId: 'seed',
  });
  const enrol = async (u: User, slug: string) => {
    try {
      return await learning.enrolSelf(asActor(u), slug);
    } catch {
      return undefined; // the course package was refused: the demo simply has no enrolment in it
    }
  };
  // Teresa: took the TIP pre-test and studied the first three lessons; enrolled in UPP, not started.
  const tip = await enrol(teresa, 'school-tip-awareness');
  if (tip) {
    const pre = tip.outline.quizzes.find((q) => q.kind === 'pre');
    if (pre) {
      await takeQuiz(services.quizzes, asActor(teresa), tip.enrolment.id, pre.slug, (q, i) =>
        i % 3 === 0 ? [q.options[q.options.length - 1].id] : correctOf(q),
      );
    }
    for (const lesson of tip.outline.lessons.slice(0, 3))
      await learning.completeLesson(asActor(teresa), tip.enrolment.id, lesson.slug);
  }
  await enrol(teresa, 'upp-community-policing');
  // Trevor: finished every UPP lesson and passed the post-test.
  const upp = await enrol(trevor, 'upp-community-policing');
  if (upp) {
    for (const lesson of upp.outline.lessons)
      await learning.completeLesson(asActor(trevor), upp.enrolment.id, lesson.slug);
    const post = upp.outline.quizzes.find((q) => q.kind === 'post');
    if (post) await takeQuiz(services.quizzes, asActor(trevor), upp.enrolment.id, post.slug);
  }
  await seedProgram(services, created);
  // Three years of history behind today's demo workshop, so dashboards and reports have something to say.
  await services.db.transaction((tx) =>
    seedHistory(tx, services.outlines, created['manager@demo.cascada.local'].id, services.clock.today()),
  );
}

/** Schools in the five countries, a completed TIP workshop in the Dominican Republic with certified trainers, and their sessions. */
async function seedProgram(s: DemoServices, created: Record<string, User>): Promise<void> {
  const admin = created['admin@demo.cascada.local'];
  const manager = created['manager@demo.cascada.local'];
  const coordinator = created['coordinator@demo.cascada.local'];
  const actor = (u: User) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    language: u.language,
    countryCode: u.countryCode,
    sessionId: 'seed',
  });
  const schoolIds: Record<string, string[]> = {};
  let n = 0;
  for (const [country, place] of Object.entries(DEMO_PLACES)) {
    schoolIds[country] = [];
    for (const [i, municipality] of place.municipalities.entries()) {
      for (let k = 0; k < 2; k++) {
        const name = `${place.schoolPrefix[k]} ${DEMO_SCHOOL_NAMES[(i + k * 3) % DEMO_SCHOOL_NAMES.length]}`;
        const school = await s.schools.create(actor(admin), {
          name,
          code: `DEMO-${country}-${String(++n).padStart(3, '0')}`,
          countryCode: country,
          municipality,
          level: k === 0 ? 'primary' : 'secondary',
        });
        schoolIds[country].push(school.id);
      }
    }
  }
  await s.schools.setCoordinators(actor(admin), schoolIds.DO[0], [coordinator.id]);
  await s.schools.setCoordinators(actor(admin), schoolIds.DO[1], [coordinator.id]);

  // A TIP workshop that ended last month: four trainers did everything and are certified.
  const today = s.clock.today();
  const ends = addDays(today, -30);
  const starts = addDays(ends, -2);
  const tipOutline = (await s.learning.enrolmentsOf(created['trainer@demo.cascada.local'].id)).find(
    (p) => p.outline.slug === 'school-tip-awareness',
  )?.outline;
  if (!tipOutline) return;
  const cohort = await s.cohorts.create(actor(manager), {
    courseSlug: 'school-tip-awareness',
    name: 'TOT Santo Domingo Este',
    countryCode: 'DO',
    municipality: 'Santo Domingo Este',
    venue: 'Liceo Las Flores, salón de actos',
    startsOn: starts,
    endsOn: ends,
    capacity: 25,
    facilitatorIds: [manager.id],
  });
  const people = [
    { name: 'Rosa Almonte', email: 'rosa.almonte@demo.cascada.local', sex: 'female' as const },
    { name: 'Julio Peralta', email: 'julio.peralta@demo.cascada.local', sex: 'male' as const },
    { name: 'Yanira Castillo', email: 'yanira.castillo@demo.cascada.local', sex: 'female' as const },
    { name: 'Miguel Ángel Reyes', email: 'miguel.reyes@demo.cascada.local', sex: 'male' as const },
  ];
  const days = [];
  for (let d = 0; d < 3; d++)
    days.push(
      await s.cohorts.addDay(actor(manager), cohort.id, { date: addDays(starts, d), title: `Día ${d + 1}` }),
    );
  const trainers: User[] = [];
  for (const p of people) {
    const trainer = await s.db.transaction((tx) =>
      s.users.createSystemUser(
        tx,
        { ...p, role: 'trainer', language: 'es', countryCode: 'DO', organisation: 'MINERD' },
        DEMO_PASSWORD,
      ),
    );
    trainers.push(trainer);
    await s.cohorts.addParticipant(actor(manager), cohort.id, { email: p.email, name: p.name, sex: p.sex });
    const progress = (await s.learning.enrolmentsOf(trainer.id))[0];
    for (const lesson of progress.outline.lessons)
      await s.learning.completeLesson(actor(trainer), progress.enrolment.id, lesson.slug);
    const post = progress.outline.quizzes.find((q) => q.kind === 'post');
    if (post) await takeQuiz(s.quizzes, actor(trainer), progress.enrolment.id, post.slug);
    await s.cohorts.recordPracticum(actor(manager), cohort.id, trainer.id, {
      passed: true,
      score: 80 + trainers.length * 3,
    });
  }
  // Teresa joined too but has not finished: the roster shows someone not yet eligible.
  await s.cohorts.addParticipant(actor(manager), cohort.id, {
    email: 'trainer@demo.cascada.local',
    name: 'Teresa Formadora',
  });
  for (const day of days) {
    await s.cohorts.recordAttendance(actor(manager), cohort.id, day.id, {
      records: [
        ...trainers.map((t) => ({ userId: t.id, status: 'present' as const })),
        {
          userId: created['trainer@demo.cascada.local'].id,
          status: day === days[2] ? ('absent' as const) : ('present' as const),
        },
      ],
    });
  }
  await s.cohorts.update(actor(manager), cohort.id, {
    courseSlug: 'school-tip-awareness',
    name: cohort.name,
    countryCode: 'DO',
    municipality: 'Santo Domingo Este',
    venue: cohort.venue ?? undefined,
    startsOn: starts,
    endsOn: ends,
    capacity: 25,
    facilitatorIds: [manager.id],
    status: 'open',
  });
  await s.certifications.issueAllEligible(actor(manager), cohort.id, ends);

  // School sessions after certification: confirmed ones, and one waiting for the coordinator.
  const modules = tipOutline.manifest.modules.filter((m) => m.deliverable).map((m) => m.slug);
  for (const [i, trainer] of trainers.entries()) {
    for (let k = 0; k < 3; k++) {
      const girls = 11 + ((i * 7 + k * 5) % 9);
      const boys = 10 + ((i * 5 + k * 3) % 8);
      const young = k % 2 === 0;
      const session = await s.cascade.log(actor(trainer), {
        schoolId: schoolIds.DO[(i + k) % 2],
        trainerId: trainer.id,
        courseSlug: 'school-tip-awareness',
        moduleSlugs: [modules[young ? 0 : 1] ?? modules[0]],
        date: addDays(ends, 3 + i * 4 + k * 7),
        durationMinutes: young ? 50 : 55,
        participants: { female: girls, male: boys, unspecified: 0 },
        ageBands: {
          under_10: 0,
          '10_14': young ? girls + boys : 0,
          '15_17': young ? 0 : girls + boys,
          '18_plus': 0,
        },
        teachers: 1 + (k % 2),
        parents: k === 1 ? 4 : 0,
      });
      const last = i === 0 && k === 2;
      if (!last) await s.cascade.confirm(actor(manager), session.id);
    }
  }
}
