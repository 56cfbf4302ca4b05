import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';
import type { QuizKind } from './content/course-package';

@Entity('quiz_attempts')
export class QuizAttempt {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  enrolmentId: string;

  @Column({ type: 'varchar', length: 100 })
  quizSlug: string;

  @Column({ type: 'varchar', length: 8 })
  kind: QuizKind;

  @Column({ type: 'integer' })
  attemptNumber: number;

  @Column({ type: 'integer' })
  score: number;

  @Column({ type: 'boolean' })
  passed: boolean;

  /** JSON `{questionId: [optionId]}` as submitted, and per-question correctness (knowledge-gain report). */
  @Column({ type: 'text' })
  answers: string;

  @Column({ type: 'text' })
  results: string;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  submittedAt: Date;

  /**
   * What the attempt showed (its sitting): id (unique: one attempt per sitting), seed, question ids
   * in the order shown (JSON) and option order per question (JSON). Null on attempts made before
   * sittings existed, which asked every question in file order.
   */
  @Column({ type: 'varchar', length: 36, nullable: true })
  sittingId: string | null;

  @Column({ type: 'integer', nullable: true })
  seed: number | null;

  @Column({ type: 'text', nullable: true })
  questionIds: string | null;

  @Column({ type: 'text', nullable: true })
  optionOrder: string | null;
}
