import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';
import type { AttendanceStatus } from './cohort-status.enum';

/** A facilitator: a manager, or a trainer certified in the course (second-generation cascade). */
@Entity('cohort_facilitators')
export class CohortFacilitator {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  cohortId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  userId: string;
}

@Entity('cohort_participants')
export class CohortParticipant {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  cohortId: string;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 36 })
  enrolmentId: string;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  addedAt: Date;
}

@Entity('cohort_days')
export class CohortDay {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  cohortId: string;

  @Column({ type: 'varchar', length: 10 })
  date: string;

  @Column({ type: 'varchar', length: 160, nullable: true })
  title: string | null;
}

@Entity('attendance')
export class Attendance {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  cohortId: string;

  @Column({ type: 'varchar', length: 36 })
  dayId: string;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 10 })
  status: AttendanceStatus;

  @Column({ type: 'varchar', length: 36, nullable: true })
  recordedBy: string | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  recordedAt: Date;
}

/** The teach-back result of one participant. */
@Entity('practicum_results')
export class PracticumResult {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  cohortId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'boolean' })
  passed: boolean;

  @Column({ type: 'integer', nullable: true })
  score: number | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  recordedBy: string | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  recordedAt: Date;
}
