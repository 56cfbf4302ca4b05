import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';

/**
 * An open sitting of a quiz: what the trainer was shown when they opened it. Reused until they
 * submit (one per enrolment and quiz, a database constraint); submitting deletes it and the
 * attempt keeps the same id, seed, questions and option order. Open sittings are not attempts.
 */
@Entity('quiz_sittings')
export class QuizSitting {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  enrolmentId: string;

  @Column({ type: 'varchar', length: 100 })
  quizSlug: string;

  /** From crypto; the draw (quiz-draw.ts planSitting) is reproducible from it. */
  @Column({ type: 'integer' })
  seed: number;

  /** JSON: the drawn question ids in the order shown. */
  @Column({ type: 'text' })
  questionIds: string;

  /** JSON: `{questionId: [optionId in the order shown]}`. */
  @Column({ type: 'text' })
  optionOrder: string;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  openedAt: Date;
}
