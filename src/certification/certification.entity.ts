import { randomInt } from 'node:crypto';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';
import { STATUS_LIST_LENGTH } from './code-generator';

export type CertificationStatus = 'active' | 'expired' | 'revoked';

// Fixtures and the demo seed write certifications straight to the table; they get consecutive
// positions from a random start, unique within the process (random ones would collide in bulk).
let lastDefaultIndex = randomInt(STATUS_LIST_LENGTH);
const defaultStatusIndex = () => (lastDefaultIndex = (lastDefaultIndex + 1) % STATUS_LIST_LENGTH);

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
   * The service draws a free one at random; the default only spares fixtures from choosing.
   */
  @Column({ type: 'integer' })
  statusListIndex: number = defaultStatusIndex();

  @Column({ type: 'varchar', length: 30, nullable: true, transformer: instant })
  reminderSentAt: Date | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  createdAt: Date;
}
