import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';
import type { Language, Role, Sex, UserStatus } from '../common/kernel/user-role.enum';

@Entity('users')
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  /** Stored lower-cased: emails are unique case-insensitively. */
  @Column({ type: 'varchar', length: 254, unique: true })
  email: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Column({ type: 'varchar', length: 16, default: 'unspecified' })
  sex: Sex;

  @Column({ type: 'varchar', length: 2, default: 'en' })
  language: Language;

  /** A manager's country scope (ISO 3166-1 alpha-2); null = all countries. */
  @Column({ type: 'varchar', length: 2, nullable: true })
  countryCode: string | null;

  @Column({ type: 'varchar', length: 160, nullable: true })
  organisation: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: UserStatus;

  @Column({ type: 'varchar', length: 255, nullable: true })
  passwordHash: string | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  createdAt: Date;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  updatedAt: Date;

  @Column({ type: 'varchar', length: 30, nullable: true, transformer: instant })
  lastLoginAt: Date | null;

  /** When the account was anonymised (DESIGN.md "Privacy"); null = never. */
  @Column({ type: 'varchar', length: 30, nullable: true, transformer: instant })
  anonymisedAt: Date | null;
}
