import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';

/** ISO 3166-1 alpha-2 country with its names. */
@Entity('countries')
export class Country {
  @PrimaryColumn({ type: 'varchar', length: 2 })
  code: string;

  @Column({ type: 'varchar', length: 100 })
  nameEn: string;

  @Column({ type: 'varchar', length: 100 })
  nameEs: string;
}

@Entity('municipalities')
export class Municipality {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 2 })
  countryCode: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;
}

/** `community`: a place that is not a school where sessions are delivered (town hall, community centre), e.g. committee sessions. */
export const SCHOOL_LEVELS = [
  'primary',
  'lower_secondary',
  'upper_secondary',
  'secondary',
  'community',
  'other',
] as const;
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];

@Entity('schools')
export class School {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 2 })
  countryCode: string;

  @Column({ type: 'varchar', length: 36 })
  municipalityId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** The ministry's code: unique within a country. */
  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  level: SchoolLevel | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  address: string | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  createdAt: Date;
}

@Entity('school_coordinators')
export class SchoolCoordinator {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  schoolId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  userId: string;
}
