import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../clock';
import { AuditRepository } from './audit.repository';

@Injectable()
export class AuditService {
  constructor(
    private readonly repository: AuditRepository,
    private readonly clock: Clock,
  ) {}

  /** Records a change inside the caller's transaction, so it is kept exactly when the change is. */
  async record(
    tx: EntityManager,
    actorId: string | null,
    action: string,
    entity: { type: string; id: string },
    before: object | null,
    after: object | null,
  ): Promise<void> {
    await this.repository.insert(tx, {
      at: this.clock.now(),
      actorId,
      action,
      entityType: entity.type,
      entityId: entity.id,
      before: before ? JSON.stringify(before) : null,
      after: after ? JSON.stringify(after) : null,
    });
  }

  /**
   * Inside the caller's transaction: entries about the entity keep what changed, with the values of
   * `keys` (name, email…) replaced by "—" (anonymisation, DESIGN.md "Privacy").
   */
  async scrubValues(
    tx: EntityManager,
    entity: { type: string; id: string },
    keys: readonly string[],
  ): Promise<void> {
    const entries = await this.repository.findAboutEntity(tx, entity.type, entity.id);
    const scrub = (json: string | null) => {
      if (!json) return json;
      const value = JSON.parse(json) as Record<string, unknown>;
      for (const key of keys) if (key in value) value[key] = '—';
      return JSON.stringify(value);
    };
    for (const entry of entries) {
      const before = scrub(entry.before);
      const after = scrub(entry.after);
      if (before !== entry.before || after !== entry.after)
        await this.repository.updateValues(tx, entry.id, { before, after });
    }
  }
}
