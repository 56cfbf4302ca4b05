import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database.service';
import { Clock } from '../clock';
import { RateLimitRepository } from './rate-limit.repository';

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
    private readonly buckets: RateLimitRepository,
    private readonly clock: Clock,
  ) {}

  /** Whether `subject` has already used up its budget (does not count). */
  async isBlocked(limit: Limit, subject: string): Promise<boolean> {
    const count = await this.buckets.countInWindow(this.key(limit, subject), this.windowStart(limit));
    return count !== undefined && count >= limit.max;
  }

  /** Counts one event; returns the count in the current window. */
  async hit(limit: Limit, subject: string): Promise<number> {
    const now = this.clock.now();
    return this.db.transaction((tx) =>
      this.buckets.countEvent(tx, this.key(limit, subject), now, this.windowStart(limit, now)),
    );
  }

  /**
   * Gives back one event counted by `hit`: for limits on failures, where the attempt is counted
   * up front (so concurrent attempts cannot all pass the check) and turned out not to be one.
   */
  async release(limit: Limit, subject: string): Promise<void> {
    await this.db.transaction((tx) =>
      this.buckets.uncountEvent(tx, this.key(limit, subject), this.windowStart(limit)),
    );
  }

  async reset(limit: Limit, subject: string): Promise<void> {
    await this.db.transaction((tx) => this.buckets.deleteBucket(tx, this.key(limit, subject)));
  }

  /** A window that started at or before this instant is over. */
  private windowStart(limit: Limit, now: Date = this.clock.now()): Date {
    return new Date(now.getTime() - limit.windowMs);
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
