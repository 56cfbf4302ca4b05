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
}
