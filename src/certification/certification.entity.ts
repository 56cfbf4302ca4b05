import { randomInt } from 'node:crypto';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';

export type CertificationStatus = 'active' | 'expired' | 'revoked';

/**
 * A trainer's certification in a course, with its lineage (cohort, facilitator, issuing manager).
 * Dates are calendar dates; valid on D when issuedOn ≤ D ≤ expiresOn and not revoked on or before D.
 */
@Entity('certifications')
export class Certification {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 16, unique: true })
  code: string;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 36 })
  courseId: string;

  @Column({ type: 'varchar', length: 36 })
  cohortId: string;

  /** The facilitator who led the cohort (lineage for the second-generation cascade). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  facilitatorId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  issuedBy: string | null;

  @Column({ type: 'varchar', length: 10 })
  issuedOn: string;

  @Column({ type: 'varchar', length: 10 })
  expiresOn: string;

  @Column({ type: 'varchar', length: 10 })
  status: CertificationStatus;

  @Column({ type: 'varchar', length: 10, nullable: true })
  revokedOn: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  revokedReason: string | null;

  /**
   * This certification's bit in the revocation status list of its Open Badges credential (unique).
   * The service draws a free one; the default only spares fixtures from choosing.
   */
  @Column({ type: 'integer' })
  statusListIndex: number = randomInt(131_072);

  @Column({ type: 'varchar', length: 30, nullable: true, transformer: instant })
  reminderSentAt: Date | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  createdAt: Date;
}
