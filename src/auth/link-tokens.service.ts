import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { EntityManager, IsNull } from 'typeorm';
import { Clock } from '../common/clock';
import { AuthToken, AuthTokenPurpose } from './auth-token.entity';

const TTL_MS: Record<AuthTokenPurpose, number> = {
  invitation: 7 * 24 * 60 * 60 * 1000,
  'password-reset': 60 * 60 * 1000,
};

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Single-use, expiring link tokens (invitation, password reset); only hashes are stored. */
@Injectable()
export class LinkTokensService {
  constructor(private readonly clock: Clock) {}

  /** Issues a new token for `userId`, cancelling earlier unused ones of the same purpose. */
  async issue(tx: EntityManager, userId: string, purpose: AuthTokenPurpose): Promise<string> {
    const now = this.clock.now();
    await tx.update(AuthToken, { userId, purpose, usedAt: IsNull() }, { usedAt: now });
    const token = randomBytes(32).toString('base64url');
    await tx.insert(
      AuthToken,
      tx.create(AuthToken, {
        userId,
        purpose,
        tokenHash: hash(token),
        createdAt: now,
        expiresAt: new Date(now.getTime() + TTL_MS[purpose]),
      }),
    );
    return token;
  }

  /** The token's row when it exists, is unused and unexpired; undefined otherwise. */
  async find(tx: EntityManager, token: string, purpose: AuthTokenPurpose): Promise<AuthToken | undefined> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) return undefined;
    const row = await tx.findOne(AuthToken, { where: { tokenHash: hash(token), purpose } });
    if (!row || row.usedAt || row.expiresAt <= this.clock.now()) return undefined;
    return row;
  }

  /** Marks the token used; false when another request used it first. */
  async consume(tx: EntityManager, row: AuthToken): Promise<boolean> {
    const result = await tx.update(AuthToken, { id: row.id, usedAt: IsNull() }, { usedAt: this.clock.now() });
    return (result.affected ?? 0) === 1;
  }
}
