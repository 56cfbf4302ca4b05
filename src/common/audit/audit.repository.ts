import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Database } from '../../database/database.service';
import { AuditEntry } from './audit-entry.entity';

/** Every query on AuditEntry. */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: Database) {}

  async insert(tx: EntityManager, fields: Omit<AuditEntry, 'id'>): Promise<void> {
    await tx.insert(AuditEntry, tx.create(AuditEntry, fields));
  }

  /** One page of the log, newest first, and the total. */
  async pageNewestFirst(limit: number, offset: number): Promise<{ entries: AuditEntry[]; total: number }> {
    const [entries, total] = await this.db.manager.findAndCount(AuditEntry, {
      order: { at: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { entries, total };
  }

  /** Every entry about one entity (e.g. a user being anonymised). */
  findAboutEntity(tx: EntityManager, entityType: string, entityId: string): Promise<AuditEntry[]> {
    return tx.findBy(AuditEntry, { entityType, entityId });
  }

  async updateValues(
    tx: EntityManager,
    entryId: string,
    values: Pick<AuditEntry, 'before' | 'after'>,
  ): Promise<void> {
    await tx.update(AuditEntry, { id: entryId }, values);
  }
}
