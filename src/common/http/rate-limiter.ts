import { Injectable } from '@nestjs/common';
import { Database, toDialect } from '../../database/database.service';
import { Clock } from '../clock';

export interface Limit {
  /** Counter family, e.g. `login-email`. */
  scope: string;
  max: number;
  windowMs: number;
}

/**
 * Fixed-window counters in the database (shared by every instance). One upsert per hit, atomic
 * on both SQLite and PostgreSQL.
 */
@Injectable()
export class RateLimiter {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Whether `subject` has already used up its budget (does not count). */
  async isBlocked(limit: Limit, subject: string): Promise<boolean> {
    const since = new Date(this.clock.now().getTime() - limit.windowMs).toISOString();
    const rows: Array<{ count: number | string }> = await this.db.manager.query(
      toDialect(this.db.kind, 'SELECT count FROM rate_limit_buckets WHERE key = ? AND window_started_at > ?'),
      [this.key(limit, subject), since],
    );
    return rows.length > 0 && Number(rows[0].count) >= limit.max;
  }

  /** Counts one event; returns the count in the current window. */
  async hit(limit: Limit, subject: string): Promise<number> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - limit.windowMs).toISOString();
    const sql = `INSERT INTO rate_limit_buckets (key, window_started_at, count) VALUES (?, ?, 1)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN rate_limit_buckets.window_started_at <= ? THEN 1 ELSE rate_limit_buckets.count + 1 END,
        window_started_at = CASE WHEN rate_limit_buckets.window_started_at <= ? THEN excluded.window_started_at
                                 ELSE rate_limit_buckets.window_started_at END
      RETURNING count`;
    const result = await this.db.transaction((tx) =>
      tx.query(toDialect(this.db.kind, sql), [this.key(limit, subject), now.toISOString(), since, since]),
    );
    const rows = (Array.isArray(result[0]) ? result[0] : result) as Array<{ count: number | string }>;
    return Number(rows[0]?.count ?? 1);
  }

  /**
   * Gives back one event counted by `hit`: for limits on failures, where the attempt is counted
   * up front (so concurrent attempts cannot all pass the check) and turned out not to be one.
   */
  async release(limit: Limit, subject: string): Promise<void> {
    const since = new Date(this.clock.now().getTime() - limit.windowMs).toISOString();
    await this.db.transaction((tx) =>
      tx.query(
        toDialect(
          this.db.kind,
          'UPDATE rate_limit_buckets SET count = count - 1 WHERE key = ? AND window_started_at > ? AND count > 0',
        ),
        [this.key(limit, subject), since],
      ),
    );
  }

  async reset(limit: Limit, subject: string): Promise<void> {
    await this.db.transaction((tx) =>
      tx.query(toDialect(this.db.kind, 'DELETE FROM rate_limit_buckets WHERE key = ?'), [
        this.key(limit, subject),
      ]),
    );
  }

  private key(limit: Limit, subject: string): string {
    return `${limit.scope}:${subject.toLowerCase()}`.slice(0, 300);
  }
}

const MINUTE = 60_000;
/** DESIGN/API.md: failures per submitted email (whether or not the account exists). */
export const LOGIN_FAILURES_PER_EMAIL: Limit = { scope: 'login-email', max: 10, windowMs: 15 * MINUTE };
/** Generous per address: a workshop room of 30 behind one NAT must be able to log in together. */
export const LOGIN_FAILURES_PER_ADDRESS: Limit = { scope: 'login-ip', max: 200, windowMs: 15 * MINUTE };
export const TOKEN_FAILURES_PER_ADDRESS: Limit = { scope: 'token-ip', max: 30, windowMs: 15 * MINUTE };
export const TOKEN_FAILURES_PER_ACCOUNT: Limit = { scope: 'token-account', max: 10, windowMs: 15 * MINUTE };
export const RESET_REQUESTS_PER_EMAIL: Limit = { scope: 'reset-email', max: 5, windowMs: 60 * MINUTE };
export const RESET_REQUESTS_PER_ADDRESS: Limit = { scope: 'reset-ip', max: 100, windowMs: 15 * MINUTE };
