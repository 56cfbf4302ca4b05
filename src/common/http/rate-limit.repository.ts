import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, toDialect } from '../../database/database.service';

/** Every query on rate_limit_buckets (fixed-window counters, one row per key). */
@Injectable()
export class RateLimitRepository {
  constructor(private readonly db: Database) {}

  /** The count of `key`'s window when it started after `since`; undefined when none is open. */
  async countInWindow(key: string, since: Date): Promise<number | undefined> {
    const rows: Array<{ count: number | string }> = await this.db.manager.query(
      toDialect(this.db.kind, 'SELECT count FROM rate_limit_buckets WHERE key = ? AND window_started_at > ?'),
      [key, since.toISOString()],
    );
    return rows.length > 0 ? Number(rows[0].count) : undefined;
  }

  /**
   * Counts one event in one atomic upsert: a window that started at or before `since` restarts at
   * `now` with 1. Returns the count in the current window.
   */
  async countEvent(tx: EntityManager, key: string, now: Date, since: Date): Promise<number> {
    const sql = `INSERT INTO rate_limit_buckets (key, window_started_at, count) VALUES (?, ?, 1)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN rate_limit_buckets.window_started_at <= ? THEN 1 ELSE rate_limit_buckets.count + 1 END,
        window_started_at = CASE WHEN rate_limit_buckets.window_started_at <= ? THEN excluded.window_started_at
                                 ELSE rate_limit_buckets.window_started_at END
      RETURNING count`;
    const result = await tx.query(toDialect(this.db.kind, sql), [
      key,
      now.toISOString(),
      since.toISOString(),
      since.toISOString(),
    ]);
    const rows = (Array.isArray(result[0]) ? result[0] : result) as Array<{ count: number | string }>;
    return Number(rows[0]?.count ?? 1);
  }

  /** Takes one event off `key`'s window when it started after `since` and is above zero. */
  async uncountEvent(tx: EntityManager, key: string, since: Date): Promise<void> {
    await tx.query(
      toDialect(
        this.db.kind,
        'UPDATE rate_limit_buckets SET count = count - 1 WHERE key = ? AND window_started_at > ? AND count > 0',
      ),
      [key, since.toISOString()],
    );
  }

  async deleteBucket(tx: EntityManager, key: string): Promise<void> {
    await tx.query(toDialect(this.db.kind, 'DELETE FROM rate_limit_buckets WHERE key = ?'), [key]);
  }
}
