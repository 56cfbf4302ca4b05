import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant } from '../database/columns';

/**
 * Local referral contacts (hotline, child-protection office…) shown where a lesson says
 * `{{local-referral-contacts}}`. Local facts are configuration, never course text. One row per
 * course and country, `--` as a course's program-wide default; course `*` holds the lists entered
 * before contacts were per course (a fallback for courses without their own).
 */
@Entity('referral_contacts')
export class ReferralContact {
  @PrimaryColumn({ type: 'varchar', length: 80 })
  courseSlug: string;

  @PrimaryColumn({ type: 'varchar', length: 2 })
  countryCode: string;

  @Column({ type: 'text' })
  textEn: string;

  @Column({ type: 'text' })
  textEs: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  updatedBy: string | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  updatedAt: Date;
}
