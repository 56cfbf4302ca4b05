import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant } from '../database/columns';

/**
 * The text an admin entered for one declared country fact of one course, for one country
 * (formats.md §2). Local facts are configuration: it wins over the package's sourced default.
 */
@Entity('country_facts')
export class CountryFact {
  @PrimaryColumn({ type: 'varchar', length: 80 })
  courseSlug: string;

  @PrimaryColumn({ type: 'varchar', length: 2 })
  countryCode: string;

  @PrimaryColumn({ type: 'varchar', length: 80 })
  factKey: string;

  /** Markdown; any HTML in it is shown as text (markdown.ts renderFactText). */
  @Column({ type: 'text' })
  textEn: string;

  @Column({ type: 'text' })
  textEs: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  updatedBy: string | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  updatedAt: Date;
}
