import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';

export type EnrolmentStatus = 'enrolled' | 'in_progress' | 'completed';

/** A trainer in a course, pinned to the version they started on. One per user and course. */
@Entity('enrolments')
export class Enrolment {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 36 })
  courseId: string;

  @Column({ type: 'varchar', length: 36 })
  courseVersionId: string;

  @Column({ type: 'varchar', length: 12 })
  status: EnrolmentStatus;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  enrolledAt: Date;

  @Column({ type: 'varchar', length: 30, nullable: true, transformer: instant })
  startedAt: Date | null;

  @Column({ type: 'varchar', length: 30, nullable: true, transformer: instant })
  completedAt: Date | null;
}
