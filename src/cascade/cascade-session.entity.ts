import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';

export type SessionStatus = 'submitted' | 'confirmed' | 'rejected';
export type LoggedBy = 'trainer' | 'coordinator';

/** One delivery of deliverable modules at a school. Students are only ever counted. */
@Entity('cascade_sessions')
export class CascadeSession {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  schoolId: string;

  @Column({ type: 'varchar', length: 36 })
  trainerId: string;

  /** Where the session was delivered (copied from the school when logged; reports group by it). */
  @Column({ type: 'varchar', length: 2, nullable: true })
  countryCode: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  municipalityId: string | null;

  @Column({ type: 'varchar', length: 36 })
  courseId: string;

  /** Sorted module slugs joined by commas: the duplicate check compares sets. */
  @Column({ type: 'varchar', length: 500 })
  moduleSlugs: string;

  @Column({ type: 'varchar', length: 10 })
  date: string;

  @Column({ type: 'integer' })
  durationMinutes: number;

  @Column({ type: 'integer' }) female: number;
  @Column({ type: 'integer' }) male: number;
  @Column({ type: 'integer' }) unspecified: number;
  @Column({ type: 'integer' }) ageUnder10: number;
  @Column({ type: 'integer' }) age10To14: number;
  @Column({ type: 'integer' }) age15To17: number;
  @Column({ type: 'integer' }) age18Plus: number;
  @Column({ type: 'integer' }) teachers: number;
  @Column({ type: 'integer' }) parents: number;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'varchar', length: 10 })
  status: SessionStatus;

  @Column({ type: 'varchar', length: 12 })
  loggedByRole: LoggedBy;

  @Column({ type: 'varchar', length: 36 })
  loggedBy: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  decidedBy: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true, transformer: instant })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  rejectionReason: string | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  createdAt: Date;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  updatedAt: Date;
}

/** A client's retry key: the same key and body give back the first response. */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  userId: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  key: string;

  @Column({ type: 'varchar', length: 64 })
  requestHash: string;

  /** null while the first request is still being processed. */
  @Column({ type: 'integer', nullable: true })
  responseStatus: number | null;

  @Column({ type: 'text', nullable: true })
  responseBody: string | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  createdAt: Date;
}
