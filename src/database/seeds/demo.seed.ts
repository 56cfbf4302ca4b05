import type { LearningService } from '../../courses/learning.service';
import type { User } from '../../users/user.entity';
import type { UsersService } from '../../users/users.service';
import type { Database } from '../database.service';

/** Published in the README: for demos and local development only (SEED_DEMO is refused in production). */
export const DEMO_PASSWORD = 'cascada-demo';

export const DEMO_ACCOUNTS: Array<Pick<User, 'email' | 'name' | 'role'> & Partial<User>> = [
  { email: 'admin@demo.cascada.local', name: 'Alba Admin', role: 'admin', language: 'es', sex: 'female' },
  { email: 'manager@demo.cascada.local', name: 'Marcos Gestor', role: 'manager', language: 'es', sex: 'male' },
  { email: 'manager.sv@demo.cascada.local', name: 'Sofía Valle', role: 'manager', language: 'es', sex: 'female', countryCode: 'SV' },
  { email: 'trainer@demo.cascada.local', name: 'Teresa Formadora', role: 'trainer', language: 'es', sex: 'female', countryCode: 'DO', organisation: 'Ministerio de Educación' },
  { email: 'trainer.en@demo.cascada.local', name: 'Trevor Bennett', role: 'trainer', language: 'en', sex: 'male', countryCode: 'BZ', organisation: 'Belize Police Department' },
  { email: 'coordinator@demo.cascada.local', name: 'Carmen Coordinadora', role: 'coordinator', language: 'es', sex: 'female', countryCode: 'DO' },
];

/** Demo trainers at different stages of the two shipped courses. */
export async function seedDemo(db: Database, users: UsersService, learning: LearningService): Promise<void> {
  const created = await db.transaction(async (tx) => {
    const out: Record<string, User> = {};
    for (const account of DEMO_ACCOUNTS) out[account.email] = await users.createSystemUser(tx, account, DEMO_PASSWORD);
    return out;
  });
  const teresa = created['trainer@demo.cascada.local'];
  const trevor = created['trainer.en@demo.cascada.local'];
  const asActor = (u: User) => ({ id: u.id, email: u.email, name: u.name, role: u.role, language: u.language, countryCode: u.countryCode, sessionId: 'seed' });
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
      const answers = Object.fromEntries(pre.questions.map((q, i) => [q.id, i % 3 === 0 ? [q.options[q.options.length - 1].id] : q.options.filter((o) => o.correct).map((o) => o.id)]));
      await learning.submitAttempt(asActor(teresa), tip.enrolment.id, pre.slug, answers);
    }
    for (const lesson of tip.outline.lessons.slice(0, 3)) await learning.completeLesson(asActor(teresa), tip.enrolment.id, lesson.slug);
  }
  await enrol(teresa, 'upp-community-policing');
  // Trevor: finished every UPP lesson and passed the post-test.
  const upp = await enrol(trevor, 'upp-community-policing');
  if (upp) {
    for (const lesson of upp.outline.lessons) await learning.completeLesson(asActor(trevor), upp.enrolment.id, lesson.slug);
    const post = upp.outline.quizzes.find((q) => q.kind === 'post');
    if (post) {
      const answers = Object.fromEntries(post.questions.map((q) => [q.id, q.options.filter((o) => o.correct).map((o) => o.id)]));
      await learning.submitAttempt(asActor(trevor), upp.enrolment.id, post.slug, answers);
    }
  }
}
