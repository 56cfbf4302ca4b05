import { Column, Entity, PrimaryColumn } from 'typeorm';
import { newId } from '../database/columns';
import type { QuizKind } from './content/course-package';

/** A quiz of one course version. `questions` holds the validated YAML (with answers) as JSON. */
@Entity('quizzes')
export class Quiz {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  courseVersionId: string;

  @Column({ type: 'varchar', length: 80 })
  moduleSlug: string;

  @Column({ type: 'varchar', length: 100 })
  slug: string;

  @Column({ type: 'varchar', length: 8 })
  kind: QuizKind;

  @Column({ type: 'integer' })
  passMark: number;

  /** null = unlimited. */
  @Column({ type: 'integer', nullable: true })
  maxAttempts: number | null;

  /** Questions asked per attempt (anchors always); null = all. */
  @Column({ type: 'integer', nullable: true })
  draw: number | null;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'text' })
  questions: string;
}
