import { Inject, Injectable, Logger } from '@nestjs/common';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { Database } from '../../database/database.service';
import { ImportOutcome } from '../content-import.entity';
import { ContentRepository } from './content.repository';
import { CoursePackage, PackageProblem } from './course-package';
import { renderLesson } from './markdown';
import { readPackage } from './package-reader';

export interface ImportResult {
  packageName: string;
  version: number | null;
  outcome: ImportOutcome;
  problems: PackageProblem[];
}

class Refusal extends Error {
  constructor(readonly problem: PackageProblem) {
    super(problem.reason);
  }
}

/**
 * Validates every package under content/ and imports new versions, each in its own transaction.
 * A broken package is refused with its problems and the others still import; re-importing the same
 * version changes nothing.
 */
@Injectable()
export class ContentImporter {
  private readonly logger = new Logger('ContentImport');

  constructor(
    private readonly db: Database,
    private readonly content: ContentRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Imports every package under `root`: the configured content folder (CONTENT_DIR) unless told otherwise. */
  async importAll(root = this.config.contentDir): Promise<ImportResult[]> {
    if (!existsSync(root)) return [];
    const results: ImportResult[] = [];
    for (const name of readdirSync(root).sort()) {
      if (name.startsWith('.') || !statSync(join(root, name)).isDirectory()) continue;
      results.push(await this.importOne(join(root, name), root, name));
    }
    return results;
  }

  async importOne(dir: string, root: string, name: string): Promise<ImportResult> {
    const { pkg, problems } = readPackage(dir, root);
    let result: ImportResult;
    if (!pkg) {
      result = { packageName: name, version: null, outcome: 'refused', problems };
    } else {
      try {
        const outcome = await this.db.transaction((tx) => this.store(tx, pkg));
        result = { packageName: name, version: pkg.manifest.version, outcome, problems };
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        result = { packageName: name, version: pkg.manifest.version, outcome: 'refused', problems: [...problems, error.problem] };
      }
    }
    await this.db.transaction((tx) =>
      this.content.recordImport(tx, { packageName: name, version: result.version, outcome: result.outcome, problems: JSON.stringify(result.problems), at: this.clock.now() }),
    );
    const log = { msg: `content package ${result.outcome}`, package: name, version: result.version, problems: result.problems.length };
    if (result.outcome === 'refused') this.logger.warn({ ...log, details: result.problems });
    else this.logger.log(log);
    return result;
  }

  private async store(tx: EntityManager, pkg: CoursePackage): Promise<ImportOutcome> {
    const { manifest } = pkg;
    const course =
      (await this.content.findCourseBySlug(tx, manifest.slug)) ??
      (await this.content.insertCourse(tx, { slug: manifest.slug, currentVersionId: null, createdAt: this.clock.now() }));
    const versions = await this.content.findVersionsOfCourse(tx, course.id);
    const same = versions.find((v) => v.version === manifest.version);
    if (same) {
      if (same.checksum === pkg.checksum) return 'unchanged';
      throw new Refusal({ file: `${manifest.slug}/course.yaml`, reason: `version ${manifest.version} was already imported with different content: raise "version" to publish the change` });
    }
    const newest = Math.max(0, ...versions.map((v) => v.version));
    if (manifest.version < newest) {
      throw new Refusal({ file: `${manifest.slug}/course.yaml`, reason: `version ${manifest.version} is older than the imported version ${newest}` });
    }
    const version = await this.content.insertVersion(tx, {
      courseId: course.id,
      version: manifest.version,
      manifest: JSON.stringify(manifest),
      checksum: pkg.checksum,
      importedAt: this.clock.now(),
      factDefaults: Object.keys(pkg.factDefaults).length ? JSON.stringify(pkg.factDefaults) : null,
    });
    const moduleOrder = new Map(manifest.modules.map((m, i) => [m.slug, i]));
    const lessons = [...pkg.lessons].sort((a, b) => (moduleOrder.get(a.moduleSlug)! - moduleOrder.get(b.moduleSlug)!) || a.number - b.number);
    await this.content.insertLessons(
      tx,
      lessons.map((lesson, index) => ({
        courseVersionId: version.id,
        moduleSlug: lesson.moduleSlug,
        slug: lesson.slug,
        position: index + 1,
        minutes: lesson.minutes,
        titleEn: lesson.title.en,
        titleEs: lesson.title.es,
        htmlEn: lesson.markdown.en === null ? null : renderLesson(lesson.markdown.en, manifest.slug),
        htmlEs: lesson.markdown.es === null ? null : renderLesson(lesson.markdown.es, manifest.slug),
      })),
    );
    await this.content.insertHandouts(
      tx,
      [...pkg.handouts]
        .sort((a, b) => a.slug.localeCompare(b.slug))
        .map((handout, index) => ({
          courseVersionId: version.id,
          slug: handout.slug,
          position: index + 1,
          titleEn: handout.title.en,
          titleEs: handout.title.es,
          htmlEn: handout.markdown.en === null ? null : renderLesson(handout.markdown.en, manifest.slug),
          htmlEs: handout.markdown.es === null ? null : renderLesson(handout.markdown.es, manifest.slug),
        })),
    );
    const quizzes = [...pkg.quizzes].sort((a, b) => (moduleOrder.get(a.moduleSlug)! - moduleOrder.get(b.moduleSlug)!) || a.slug.localeCompare(b.slug));
    await this.content.insertQuizzes(
      tx,
      quizzes.map((quiz, index) => ({
        courseVersionId: version.id,
        moduleSlug: quiz.moduleSlug,
        slug: quiz.slug,
        kind: quiz.kind,
        passMark: quiz.passMark,
        maxAttempts: quiz.maxAttempts,
        draw: quiz.draw,
        position: index + 1,
        questions: JSON.stringify(quiz.questions),
      })),
    );
    await this.content.setCurrentVersion(tx, course.id, version.id);
    return 'imported';
  }
}
