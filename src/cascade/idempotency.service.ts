import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { IsNull, LessThanOrEqual } from 'typeorm';
import { Clock } from '../common/clock';
import { DomainError, InputError } from '../common/errors/app-errors';
import { Database } from '../database/database.service';
import { IdempotencyKey } from './cascade-session.entity';

export interface StoredResponse {
  status: number;
  body: unknown;
}

const KEY = /^[A-Za-z0-9._:-]{8,100}$/;
/**
 * A claim this old without a stored response belongs to a request that died with its instance
 * (crash, SIGKILL): a retry with the same key and body takes it over and runs the request. Even if
 * the first were still running, the session's unique index keeps it to one row.
 */
export const STALE_CLAIM_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Canonical JSON (sorted keys) so that the same body in another key order is the same request. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * `Idempotency-Key`, scoped to the user: the first request with a key runs; the same key with the
 * same body returns the first response (status and body), also while the first is still running;
 * a different body → 422. The key row is claimed before the work, so concurrent retries run it once.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async run(userId: string, key: string | undefined, body: unknown, work: () => Promise<StoredResponse>): Promise<StoredResponse> {
    if (key === undefined) return work();
    if (!KEY.test(key)) throw new InputError({ 'Idempotency-Key': [{ key: 'idempotency-key', params: {} }] });
    const requestHash = createHash('sha256').update(canonical(body)).digest('hex');
    const claimed = await this.claim(userId, key, requestHash);
    if (!claimed) return this.replay(userId, key, requestHash, work);
    return this.runClaimed(userId, key, work);
  }

  private async runClaimed(userId: string, key: string, work: () => Promise<StoredResponse>): Promise<StoredResponse> {
    let response: StoredResponse;
    try {
      response = await work();
    } catch (error) {
      // A refused or failed request frees its key: nothing was created, so the client may retry.
      await this.release(userId, key);
      throw error;
    }
    await this.db.transaction((tx) =>
      tx.update(IdempotencyKey, { userId, key }, { responseStatus: response.status, responseBody: JSON.stringify(response.body) }),
    );
    return response;
  }

  private async claim(userId: string, key: string, requestHash: string): Promise<boolean> {
    try {
      await this.db.transaction((tx) => tx.insert(IdempotencyKey, { userId, key, requestHash, responseStatus: null, responseBody: null, createdAt: this.clock.now() }));
      return true;
    } catch (error) {
      if (/unique|duplicate|primary key/i.test(String((error as Error).message))) return false;
      throw error;
    }
  }

  private async replay(userId: string, key: string, requestHash: string, work: () => Promise<StoredResponse>): Promise<StoredResponse> {
    for (let i = 0; i < 100; i++) {
      const row = await this.db.manager.findOne(IdempotencyKey, { where: { userId, key } });
      if (!row) throw new DomainError('conflict', 'cascade.idempotency-retry');
      if (row.requestHash !== requestHash) throw new DomainError('unprocessable', 'cascade.idempotency-mismatch');
      if (row.responseStatus !== null) return { status: row.responseStatus, body: JSON.parse(row.responseBody ?? 'null') };
      // Without this, a key claimed by a request that died would answer "still running" forever.
      const isStale = row.createdAt.getTime() <= this.clock.now().getTime() - STALE_CLAIM_MS;
      if (isStale && (await this.takeOverStale(userId, key))) return this.runClaimed(userId, key, work);
      await sleep(50); // the first request is still running
    }
    throw new DomainError('conflict', 'cascade.idempotency-retry');
  }

  /** Re-claims a stale claim; of several concurrent retries exactly one wins (the claim is fresh again). */
  private async takeOverStale(userId: string, key: string): Promise<boolean> {
    const now = this.clock.now();
    const staleBefore = new Date(now.getTime() - STALE_CLAIM_MS);
    const result = await this.db.transaction((tx) =>
      tx.update(IdempotencyKey, { userId, key, responseStatus: IsNull(), createdAt: LessThanOrEqual(staleBefore) }, { createdAt: now }),
    );
    return result.affected === 1;
  }

  private async release(userId: string, key: string): Promise<void> {
    await this.db.transaction((tx) => tx.delete(IdempotencyKey, { userId, key, responseStatus: IsNull() }));
  }
}
