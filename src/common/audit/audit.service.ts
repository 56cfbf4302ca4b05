import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../clock';
import { AuditEntry } from './audit-entry.entity';

@Injectable()
export class AuditService {
  constructor(private readonly clock: Clock) {}

  /** Records a change inside the caller's transaction, so it is kept exactly when the change is. */
  async record(
    tx: EntityManager,
    actorId: string | null,
    action: string,
    entity: { type: string; id: string },
    before: object | null,
    after: object | null,
  ): Promise<void> {
    await tx.insert(
      AuditEntry,
      tx.create(AuditEntry, {
        at: this.clock.now(),
        actorId,
        action,
        entityType: entity.type,
        entityId: entity.id,
        before: before ? JSON.stringify(before) : null,
        after: after ? JSON.stringify(after) : null,
      }),
    );
  }
}
