import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant } from './columns';

/** A scheduled job's lease: the instance that takes it runs the job for that period, once. */
@Entity('job_leases')
export class JobLease {
  @PrimaryColumn({ type: 'varchar', length: 80 })
  name: string;

  /** The period the job last ran for, e.g. `2026-11-26` for a daily job. */
  @Column({ type: 'varchar', length: 40 })
  period: string;

  @Column({ type: 'varchar', length: 80 })
  holder: string;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  takenAt: Date;
}
