import type { Language } from '../common/kernel/user-role.enum';
import type { CourseOutline, QuizOutline } from './catalogue.service';
import type { QuizQuestion } from './content/course-package';
import type { EnrolmentProgress } from './learning.service';
import type { Lesson } from './lesson.entity';

/** One `pick` for every feature: it lives in i18n/ so pages outside courses need not import this file. */
import { pick } from '../i18n/localised';
export { pick };

export function lessonTitle(lesson: Pick<Lesson, 'titleEn' | 'titleEs'>, lang: Language): string {
  return (lang === 'es' ? (lesson.titleEs ?? lesson.titleEn) : (lesson.titleEn ?? lesson.titleEs)) ?? '';
}

/** The course as API.md shows it, in one language. */
export function toCourseJson(outline: CourseOutline, lang: Language) {
  const { manifest } = outline;
  return {
    slug: outline.slug,
    version: outline.version,
    title: pick(manifest.title, lang),
    summary: pick(manifest.summary, lang),
    audience: manifest.audience ? pick(manifest.audience, lang) : null,
    estimatedHours: manifest.estimatedHours,
    languages: outline.languages,
    certification: manifest.certification,
    modules: manifest.modules.map((m) => ({
      slug: m.slug,
      title: pick(m.title, lang),
      summary: m.summary ? pick(m.summary, lang) : null,
      deliverable: m.deliverable,
      lessons: outline.lessons
        .filter((l) => l.moduleSlug === m.slug)
        .map((l) => ({ slug: l.slug, title: lessonTitle(l, lang), minutes: l.minutes })),
      quizzes: outline.quizzes
        .filter((q) => q.moduleSlug === m.slug)
        .map((q) => ({ slug: q.slug, kind: q.kind })),
    })),
    // Printable pages (formats.md §3), served at /courses/<slug>/handouts/<handout slug>.
    handouts: outline.handouts.map((h) => ({ slug: h.slug, title: lessonTitle(h, lang) })),
  };
}

export function toEnrolmentJson(progress: EnrolmentProgress) {
  return {
    id: progress.enrolment.id,
    courseSlug: progress.outline.slug,
    version: progress.outline.version,
    status: progress.enrolment.status,
    percent: progress.percent,
    completedLessons: progress.completedLessons,
    quizResults: progress.quizResults,
  };
}

/** The questions one sitting shows (drawn, in its order, options shuffled), without their answers. */
export function toQuizJson(quiz: QuizOutline, lang: Language, shown: QuizQuestion[]) {
  return {
    slug: quiz.slug,
    kind: quiz.kind,
    passMark: quiz.passMark,
    maxAttempts: quiz.maxAttempts,
    questions: shown.map((q) => ({
      id: q.id,
      text: pick(q.text, lang),
      multiple: q.multiple,
      options: q.options.map((o) => ({ id: o.id, text: pick(o.text, lang) })),
    })),
  };
}
