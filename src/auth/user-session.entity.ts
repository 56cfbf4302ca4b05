import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';

/**
 * One signed-in session. Its id travels in the JWT (`sid`) and is checked on every request,
 * so logout, disabling a user or a password change really ends it.
 */
@Entity('user_sessions')
export class UserSession {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Index()
  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  createdAt: Date;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  expiresAt: Date;

  @Column({ type: 'varchar', length: 30, nullable: true, transformer: instant })
  revokedAt: Date | null;
}
