import { Injectable } from '@nestjs/common';
import type { CountryFactDefaults, CourseManifest, QuizQuestion } from './content/course-package';
import type { Handout } from './handout.entity';
import { CoursesRepository } from './courses.repository';
import type { Lesson } from './lesson.entity';
import type { Quiz } from './quiz.entity';

export interface QuizOutline {
  slug: string;
  moduleSlug: string;
  kind: Quiz['kind'];
  passMark: number;
  maxAttempts: number | null;
  /** Questions per attempt; null = all. */
  draw: number | null;
  questions: QuizQuestion[];
}

export interface CourseOutline {
  courseId: string;
  slug: string;
  versionId: string;
  version: number;
  manifest: CourseManifest;
  lessons: Lesson[];
  quizzes: QuizOutline[];
  /** Languages in which every lesson exists. */
  languages: Array<'en' | 'es'>;
  totalMinutes: number;
  /** The version's sourced country-fact defaults, by country then fact key. */
  factDefaults: CountryFactDefaults;
  /** Handouts (slug and titles; the HTML is read when one is shown). */
  handouts: Handout[];
}

/**
 * Course versions never change once imported, so their outlines are cached per version id in
 * memory (safe with several instances: a new version is a new id).
 */
@Injectable()
export class CatalogueService {
  private readonly cache = new Map<string, CourseOutline>();

  constructor(private readonly courses: CoursesRepository) {}

  /** The current version of every course, in slug order. */
  async currentOutlines(): Promise<CourseOutline[]> {
    const courses = await this.courses.findCourses();
    return this.outlines(courses.map((c) => c.currentVersionId).filter((id): id is string => !!id));
  }

  async currentOutline(slug: string): Promise<CourseOutline | undefined> {
    const course = await this.courses.findCourseBySlug(slug);
    if (!course?.currentVersionId) return undefined;
    return (await this.outlines([course.currentVersionId]))[0];
  }

  /** Outlines of the given versions (one query each for versions, lessons and quizzes, all cached). */
  async outlines(versionIds: string[]): Promise<CourseOutline[]> {
    const missing = [...new Set(versionIds)].filter((id) => !this.cache.has(id));
    if (missing.length) {
      const [versions, lessons, quizzes, handouts] = await Promise.all([
        this.courses.findVersionsByIds(missing),
        this.courses.findLessonsOfVersions(missing),
        this.courses.findQuizzesOfVersions(missing),
        this.courses.findHandoutsOfVersions(missing),
      ]);
      const courses = await this.courses.findCoursesByIds([...new Set(versions.map((v) => v.courseId))]);
      const slugOf = new Map(courses.map((c) => [c.id, c.slug]));
      for (const version of versions) {
        const manifest = JSON.parse(version.manifest) as CourseManifest;
        // Versions imported before country facts existed have none declared.
        manifest.countryFacts ??= [];
        const own = lessons.filter((l) => l.courseVersionId === version.id);
        const languages = (['en', 'es'] as const).filter((lang) =>
          own.every((l) => (lang === 'en' ? l.titleEn : l.titleEs) !== null),
        );
        this.cache.set(version.id, {
          courseId: version.courseId,
          slug: slugOf.get(version.courseId) ?? manifest.slug,
          versionId: version.id,
          version: version.version,
          manifest,
          lessons: own,
          quizzes: quizzes
            .filter((q) => q.courseVersionId === version.id)
            .map((q) => ({
              slug: q.slug,
              moduleSlug: q.moduleSlug,
              kind: q.kind,
              passMark: q.passMark,
              maxAttempts: q.maxAttempts,
              draw: q.draw ?? null,
              questions: JSON.parse(q.questions) as QuizQuestion[],
            })),
          languages: [...languages],
          totalMinutes: own.reduce((sum, l) => sum + l.minutes, 0),
          factDefaults: version.factDefaults ? (JSON.parse(version.factDefaults) as CountryFactDefaults) : {},
          handouts: handouts.filter((h) => h.courseVersionId === version.id),
        });
      }
    }
    return versionIds.map((id) => this.cache.get(id)).filter((o): o is CourseOutline => !!o);
  }
}
