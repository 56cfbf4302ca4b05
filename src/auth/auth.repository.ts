import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { Database } from '../database/database.service';
import { AuthToken, AuthTokenPurpose } from './auth-token.entity';
import { UserSession } from './user-session.entity';

/** A session joined with its account's fields, as raw columns (`sid`, `expires_at`, `status`…). */
export type SessionRow = Record<string, string | null>;

/** Every query on UserSession and AuthToken (the sign-in state of accounts). */
@Injectable()
export class AuthRepository {
  constructor(private readonly db: Database) {}

  async insertSession(
    tx: EntityManager,
    fields: Omit<UserSession, 'id' | 'revokedAt'>,
  ): Promise<UserSession> {
    const session = tx.create(UserSession, fields);
    await tx.insert(UserSession, session);
    return session;
  }

  /** The unrevoked session `sessionId` of `userId`, with the account fields the guard puts on the request. */
  /** Every authenticated request asks this: one plain statement, no query builder (docs/performance.md). */
  async findOpenSessionWithUser(
    sessionId: string,
    userId: string,
    tx: EntityManager = this.db.manager,
  ): Promise<SessionRow | undefined> {
    const rows = await this.db.query<SessionRow>(
      `SELECT s.id AS sid, s.expires_at AS expires_at, u.id AS id, u.email AS email, u.name AS name, u.role AS role,
        u.language AS language, u.country_code AS country_code, u.status AS status
       FROM user_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = ? AND s.user_id = ? AND s.revoked_at IS NULL`,
      [sessionId, userId],
      tx,
    );
    return rows[0];
  }

  async revokeSession(tx: EntityManager, sessionId: string, at: Date): Promise<void> {
    await tx.update(UserSession, { id: sessionId, revokedAt: IsNull() }, { revokedAt: at });
  }

  async revokeSessionsOfUser(tx: EntityManager, userId: string, at: Date): Promise<void> {
    await tx.update(UserSession, { userId, revokedAt: IsNull() }, { revokedAt: at });
  }

  /** Marks every unused token of `userId` for `purpose` used (a newer one replaces them). */
  async cancelUnusedTokens(
    tx: EntityManager,
    userId: string,
    purpose: AuthTokenPurpose,
    at: Date,
  ): Promise<void> {
    await tx.update(AuthToken, { userId, purpose, usedAt: IsNull() }, { usedAt: at });
  }

  async insertToken(tx: EntityManager, fields: Omit<AuthToken, 'id' | 'usedAt'>): Promise<AuthToken> {
    const row = tx.create(AuthToken, fields);
    await tx.insert(AuthToken, row);
    return row;
  }

  findTokenByHash(
    tokenHash: string,
    purpose: AuthTokenPurpose,
    tx: EntityManager = this.db.manager,
  ): Promise<AuthToken | null> {
    return tx.findOne(AuthToken, { where: { tokenHash, purpose } });
  }

  /** Marks the token used unless it already is; true when this call did it. */
  async markTokenUsed(tx: EntityManager, tokenId: string, at: Date): Promise<boolean> {
    const result = await tx.update(AuthToken, { id: tokenId, usedAt: IsNull() }, { usedAt: at });
    return (result.affected ?? 0) === 1;
  }

  async deleteTokensOfUser(tx: EntityManager, userId: string): Promise<void> {
    await tx.delete(AuthToken, { userId });
  }
}
