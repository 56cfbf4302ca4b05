import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../../database/columns';

/** Who changed what, when, with the values before and after (JSON). Read by admins. */
@Entity('audit_entries')
@Index(['entityType', 'entityId'])
export class AuditEntry {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Index()
  @Column({ type: 'varchar', length: 30, transformer: instant })
  at: Date;

  @Column({ type: 'varchar', length: 36, nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 60 })
  action: string;

  @Column({ type: 'varchar', length: 40 })
  entityType: string;

  @Column({ type: 'varchar', length: 64 })
  entityId: string;

  @Column({ type: 'text', nullable: true })
  before: string | null;

  @Column({ type: 'text', nullable: true })
  after: string | null;
}
