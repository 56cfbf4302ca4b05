import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import { onConflictUpdate } from '../database/dialect';
import { IdempotencyKey } from './cascade-session.entity';

/** Every query on `idempotency_keys`: one row per user and `Idempotency-Key`, with the stored answer. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly db: Database) {}

  findKey(userId: string, key: string, tx: EntityManager = this.db.manager): Promise<IdempotencyKey | null> {
    return tx.findOne(IdempotencyKey, { where: { userId, key } });
  }

  /**
   * Inserts the key without an answer, or takes over a row without one (left by a version that
   * claimed in a transaction of its own). False when the row already has an answer: another request
   * with the key committed first.
   */
  async claimKey(
    tx: EntityManager,
    userId: string,
    key: string,
    requestHash: string,
    at: Date,
  ): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO idempotency_keys (user_id, "key", request_hash, response_status, response_body, created_at) VALUES (?, ?, ?, NULL, NULL, ?)
         ${onConflictUpdate(['user_id', '"key"'], 'request_hash = excluded.request_hash, created_at = excluded.created_at', 'idempotency_keys.response_status IS NULL')}
         RETURNING user_id`,
      [userId, key, requestHash, at.toISOString()],
      tx,
    );
    return rows.length > 0;
  }

  /** Stores the answer of a claimed key, in the transaction of the work it answers for. */
  async storeAnswer(
    tx: EntityManager,
    userId: string,
    key: string,
    status: number,
    body: string,
  ): Promise<void> {
    await tx.update(IdempotencyKey, { userId, key }, { responseStatus: status, responseBody: body });
  }
}
