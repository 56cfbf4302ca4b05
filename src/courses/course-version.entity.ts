import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';

/**
 * One imported version of a course. `manifest` is the validated course.yaml as JSON (titles,
 * rule, modules); lessons and quizzes are rows of their own.
 */
@Entity('course_versions')
export class CourseVersion {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  courseId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'text' })
  manifest: string;

  /** SHA-256 of every file of the package: the same version re-imported changes nothing. */
  @Column({ type: 'varchar', length: 64 })
  checksum: string;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  importedAt: Date;

  /** The package's sourced country-fact defaults (country-facts.yaml as JSON); null when it has none. */
  @Column({ type: 'text', nullable: true })
  factDefaults: string | null;
}
