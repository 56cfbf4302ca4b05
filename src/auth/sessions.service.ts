import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { IsNull } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { Database } from '../database/database.service';
import { User } from '../users/user.entity';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/kernel/auth-user';
import { UserSession } from './user-session.entity';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000; // a working day on a shared computer

@Injectable()
export class SessionsService {
  constructor(
    private readonly db: Database,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Opens a session for `user` and returns its signed token. */
  async open(tx: EntityManager, user: User): Promise<{ token: string; expiresAt: Date }> {
    const now = this.clock.now();
    const session = tx.create(UserSession, {
      userId: user.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    });
    await tx.insert(UserSession, session);
    const token = await this.jwt.signAsync(
      { sub: user.id, sid: session.id },
      { expiresIn: Math.floor(SESSION_TTL_MS / 1000), algorithm: 'HS256' },
    );
    return { token, expiresAt: session.expiresAt };
  }

  /** The session's user when the session is open and the account active; otherwise undefined. */
  async resolve(sessionId: string, userId: string): Promise<AuthUser | undefined> {
    const row = await this.db.manager
      .createQueryBuilder(UserSession, 's')
      .innerJoin(User, 'u', 'u.id = s.user_id')
      .select([
        's.id AS sid',
        's.expires_at AS expires_at',
        'u.id AS id',
        'u.email AS email',
        'u.name AS name',
      ])
      .addSelect([
        'u.role AS role',
        'u.language AS language',
        'u.country_code AS country_code',
        'u.status AS status',
      ])
      .where('s.id = :sessionId AND s.user_id = :userId AND s.revoked_at IS NULL', { sessionId, userId })
      .getRawOne<Record<string, string | null>>();
    if (!row || row.status !== 'active') return undefined;
    if (new Date(row.expires_at as string) <= this.clock.now()) return undefined;
    return {
      id: row.id as string,
      email: row.email as string,
      name: row.name as string,
      role: row.role as AuthUser['role'],
      language: row.language as AuthUser['language'],
      countryCode: row.country_code,
      sessionId: row.sid as string,
    };
  }

  async close(sessionId: string): Promise<void> {
    await this.db.transaction((tx) =>
      tx.update(UserSession, { id: sessionId, revokedAt: IsNull() }, { revokedAt: this.clock.now() }),
    );
  }

  /** Ends every open session of a user (disabled, password changed or reset). */
  async closeAllFor(tx: EntityManager, userId: string): Promise<void> {
    await tx.update(UserSession, { userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  get secureCookies(): boolean {
    return this.config.appUrl.startsWith('https://');
  }
}
