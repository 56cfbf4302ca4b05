import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import type { AuthToken, AuthTokenPurpose } from './auth-token.entity';
import { AuthRepository } from './auth.repository';

const TTL_MS: Record<AuthTokenPurpose, number> = {
  invitation: 7 * 24 * 60 * 60 * 1000,
  'password-reset': 60 * 60 * 1000,
};

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Single-use, expiring link tokens (invitation, password reset); only hashes are stored. */
@Injectable()
export class LinkTokensService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly clock: Clock,
  ) {}

  /** Issues a new token for `userId`, cancelling earlier unused ones of the same purpose. */
  async issue(tx: EntityManager, userId: string, purpose: AuthTokenPurpose): Promise<string> {
    const now = this.clock.now();
    await this.repository.cancelUnusedTokens(tx, userId, purpose, now);
    const token = randomBytes(32).toString('base64url');
    await this.repository.insertToken(tx, {
      userId,
      purpose,
      tokenHash: hash(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + TTL_MS[purpose]),
    });
    return token;
  }

  /** The token's row when it exists, is unused and unexpired; undefined otherwise. */
  async find(token: string, purpose: AuthTokenPurpose, tx?: EntityManager): Promise<AuthToken | undefined> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) return undefined;
    const row = await this.repository.findTokenByHash(hash(token), purpose, tx);
    if (!row || row.usedAt || row.expiresAt <= this.clock.now()) return undefined;
    return row;
  }

  /** Marks the token used; false when another request used it first. */
  async consume(tx: EntityManager, row: AuthToken): Promise<boolean> {
    return this.repository.markTokenUsed(tx, row.id, this.clock.now());
  }

  /** Deletes every link token of a user, used or not (anonymisation). */
  async removeAllFor(tx: EntityManager, userId: string): Promise<void> {
    await this.repository.deleteTokensOfUser(tx, userId);
  }
}
