import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';

export type AuthTokenPurpose = 'invitation' | 'password-reset';

/** Single-use, expiring link token. Only its SHA-256 hash is stored. */
@Entity('auth_tokens')
export class AuthToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Index()
  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 20 })
  purpose: AuthTokenPurpose;

  @Column({ type: 'varchar', length: 64, unique: true })
  tokenHash: string;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  expiresAt: Date;

  @Column({ type: 'varchar', length: 30, nullable: true, transformer: instant })
  usedAt: Date | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  createdAt: Date;
}
