import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';
import type { CohortStatus } from './cohort-status.enum';

/** One TOT workshop run of a course. */
@Entity('cohorts')
export class Cohort {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  courseId: string;

  @Column({ type: 'varchar', length: 160 })
  name: string;

  @Column({ type: 'varchar', length: 2 })
  countryCode: string;

  @Column({ type: 'varchar', length: 120, nullable: true })
  municipality: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  venue: string | null;

  @Column({ type: 'varchar', length: 10 })
  startsOn: string;

  @Column({ type: 'varchar', length: 10 })
  endsOn: string;

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ type: 'varchar', length: 12 })
  status: CohortStatus;

  @Column({ type: 'varchar', length: 36, nullable: true })
  createdBy: string | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  createdAt: Date;
}
