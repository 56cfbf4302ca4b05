import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

@Entity('outbox_messages')
@Index(['status', 'nextAttemptAt'])
export class OutboxMessage {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 254 })
  toAddress: string;

  @Column({ type: 'varchar', length: 300 })
  subject: string;

  @Column({ type: 'text' })
  textBody: string;

  @Column({ type: 'text' })
  htmlBody: string;

  /** Template name, e.g. `invitation`: lets admins see what kind of mail it is without reading it. */
  @Column({ type: 'varchar', length: 60 })
  template: string;

  @Column({ type: 'varchar', length: 2 })
  language: string;

  @Column({ type: 'varchar', length: 12 })
  status: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  nextAttemptAt: Date;

  @Column({ type: 'varchar', length: 30, nullable: true, transformer: instant })
  claimedAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  createdAt: Date;

  @Column({ type: 'varchar', length: 30, nullable: true, transformer: instant })
  sentAt: Date | null;
}
