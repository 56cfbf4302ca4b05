import { Injectable } from '@nestjs/common';
import { EntityManager, In, LessThanOrEqual } from 'typeorm';
import { Database, toDialect } from '../database/database.service';
import { OutboxMessage, OutboxStatus } from './outbox-message.entity';

/** Every query on OutboxMessage. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly db: Database) {}

  async insert(tx: EntityManager, fields: Omit<OutboxMessage, 'id'>): Promise<OutboxMessage> {
    const message = tx.create(OutboxMessage, fields);
    await tx.insert(OutboxMessage, message);
    return message;
  }

  /** Whether anything is due: pending and due by `now`, or claimed at or before `staleBefore`. */
  anyDue(now: Date, staleBefore: Date): Promise<boolean> {
    return this.db.manager.exists(OutboxMessage, {
      where: [
        { status: 'pending', nextAttemptAt: LessThanOrEqual(now) },
        { status: 'sending', claimedAt: LessThanOrEqual(staleBefore) },
      ],
    });
  }

  /** Claims older than `staleBefore` are from an instance that died while sending: pending again. */
  async releaseStaleClaims(tx: EntityManager, staleBefore: Date): Promise<void> {
    await tx.update(
      OutboxMessage,
      { status: 'sending', claimedAt: LessThanOrEqual(staleBefore) },
      { status: 'pending', claimedAt: null },
    );
  }

  /**
   * Up to `limit` pending messages due by `now`, soonest first, locked for this transaction:
   * `FOR UPDATE SKIP LOCKED` on PostgreSQL (other instances skip them), the write lock on SQLite.
   */
  async lockDueIds(tx: EntityManager, now: Date, limit: number): Promise<string[]> {
    if (this.db.kind === 'postgres') {
      const rows: Array<{ id: string }> = await tx.query(
        toDialect(
          this.db.kind,
          `SELECT id FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= ?
           ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED`,
        ),
        [now.toISOString(), limit],
      );
      return rows.map((r) => r.id);
    }
    const rows = await tx.find(OutboxMessage, {
      select: { id: true },
      where: { status: 'pending', nextAttemptAt: LessThanOrEqual(now) },
      order: { nextAttemptAt: 'ASC' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  /** Marks the messages as being sent by this instance and returns them. */
  async markClaimed(tx: EntityManager, ids: string[], at: Date): Promise<OutboxMessage[]> {
    await tx.update(OutboxMessage, { id: In(ids) }, { status: 'sending', claimedAt: at });
    return tx.find(OutboxMessage, { where: { id: In(ids) } });
  }

  async recordAttempt(
    tx: EntityManager,
    id: string,
    outcome: Pick<OutboxMessage, 'status' | 'attempts' | 'lastError'> &
      Partial<Pick<OutboxMessage, 'sentAt' | 'claimedAt' | 'nextAttemptAt'>>,
  ): Promise<void> {
    await tx.update(OutboxMessage, { id }, outcome);
  }

  /** One page, newest first, optionally of one status, and the total. */
  async pageNewestFirst(
    limit: number,
    offset: number,
    status?: OutboxStatus,
  ): Promise<{ items: OutboxMessage[]; total: number }> {
    const [items, total] = await this.db.manager.findAndCount(OutboxMessage, {
      where: status ? { status } : {},
      order: { createdAt: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total };
  }

  findById(id: string): Promise<OutboxMessage | null> {
    return this.db.manager.findOne(OutboxMessage, { where: { id } });
  }

  /** Every message to one address, oldest first. */
  findToAddress(address: string, tx: EntityManager = this.db.manager): Promise<OutboxMessage[]> {
    return tx.find(OutboxMessage, { where: { toAddress: address }, order: { createdAt: 'ASC' } });
  }

  async deleteByIds(tx: EntityManager, ids: string[]): Promise<void> {
    await tx.delete(OutboxMessage, { id: In(ids) });
  }

  /** Keeps the rows (the outbox's history) with a new address and without subject or body. */
  async blankContent(tx: EntityManager, ids: string[], toAddress: string): Promise<void> {
    await tx.update(OutboxMessage, { id: In(ids) }, { toAddress, subject: '—', textBody: '', htmlBody: '' });
  }
}
