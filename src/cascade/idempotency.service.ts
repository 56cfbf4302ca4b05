import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { DomainError, InputError } from '../common/errors/app-errors';
import { IdempotencyRepository } from './idempotency.repository';

export interface StoredResponse {
  status: number;
  body: unknown;
}

const KEY = /^[A-Za-z0-9._:-]{8,100}$/;
/** What `run` hands the work: two calls it makes inside its own write transaction. */
interface IdempotencyGuard {
  /** First statement of the transaction: claims the key (waits for a concurrent holder on PostgreSQL). */
  claim(tx: EntityManager): Promise<void>;
  /** Last statement: stores the answer, so it commits (or not) together with what the work wrote. */
  store(tx: EntityManager, response: StoredResponse): Promise<void>;
}

/** What a use case runs first and last inside its own write transaction (see CascadeService.log). */
export interface TransactionHooks<T> {
  before(tx: EntityManager): Promise<void>;
  after(tx: EntityManager, result: T): Promise<void>;
}

/** Thrown inside the work's transaction when another request with the key committed first. */
class KeyTaken extends Error {}

/** Canonical JSON (sorted keys) so that the same body in another key order is the same request. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * `Idempotency-Key`, scoped to the user: the first request with a key runs; the same key with the
 * same body returns the first response (status and body); a different body → 422.
 *
 * The key is claimed and its response stored inside the work's own write transaction, so the key,
 * the session and the answer commit together or not at all: one commit per request, and a crash at
 * any point leaves either nothing (a retry runs the request) or everything (a retry gets the first
 * answer) — never a claim without an answer. A concurrent duplicate finds the key taken when it
 * claims (on PostgreSQL it waits there for the first transaction), rolls back and replays.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * The whole idempotent save: replays the stored answer of an earlier request with the key, or runs
   * `work` with the hooks that claim the key first and store `answer(result)` last in the work's
   * transaction, and returns that answer. Without a key the work just runs.
   */
  once<T>(
    userId: string,
    key: string | undefined,
    body: unknown,
    answer: (result: T) => StoredResponse,
    work: (hooks: TransactionHooks<T>) => Promise<T>,
  ): Promise<StoredResponse> {
    return this.run(userId, key, body, async (guard) =>
      answer(
        await work({
          before: (tx) => guard.claim(tx),
          after: (tx, result) => guard.store(tx, answer(result)),
        }),
      ),
    );
  }

  private async run(
    userId: string,
    key: string | undefined,
    body: unknown,
    work: (guard: IdempotencyGuard) => Promise<StoredResponse>,
  ): Promise<StoredResponse> {
    if (key === undefined) return work({ claim: async () => undefined, store: async () => undefined });
    if (!KEY.test(key)) throw new InputError({ 'Idempotency-Key': [{ key: 'idempotency-key', params: {} }] });
    const requestHash = createHash('sha256').update(canonical(body)).digest('hex');
    const earlier = await this.answered(userId, key, requestHash);
    if (earlier) return earlier;
    try {
      return await work({
        claim: (tx) => this.claim(tx, userId, key, requestHash),
        store: (tx, response) => this.store(tx, userId, key, response),
      });
    } catch (error) {
      if (!(error instanceof KeyTaken)) throw error;
      const first = await this.answered(userId, key, requestHash);
      if (!first) throw new DomainError('conflict', 'cascade.idempotency-retry');
      return first;
    }
  }

  /** The stored answer for this key, or null; 422 when the key came with another body. */
  private async answered(userId: string, key: string, requestHash: string): Promise<StoredResponse | null> {
    const row = await this.keys.findKey(userId, key);
    if (!row || row.responseStatus === null) return null;
    if (row.requestHash !== requestHash)
      throw new DomainError('unprocessable', 'cascade.idempotency-mismatch');
    return { status: row.responseStatus, body: JSON.parse(row.responseBody ?? 'null') };
  }

  /** Claims the key in `tx`; a row with an answer means another request won: KeyTaken. */
  private async claim(tx: EntityManager, userId: string, key: string, requestHash: string): Promise<void> {
    if (!(await this.keys.claimKey(tx, userId, key, requestHash, this.clock.now()))) throw new KeyTaken();
  }

  private async store(
    tx: EntityManager,
    userId: string,
    key: string,
    response: StoredResponse,
  ): Promise<void> {
    await this.keys.storeAnswer(tx, userId, key, response.status, JSON.stringify(response.body));
  }
}
