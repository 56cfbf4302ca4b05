import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { Database } from '../database/database.service';
import type { User } from '../users/user.entity';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/kernel/auth-user';
import { AuthRepository } from './auth.repository';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000; // a working day on a shared computer

@Injectable()
export class SessionsService {
  constructor(
    private readonly db: Database,
    private readonly repository: AuthRepository,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Opens a session for `user` and returns its signed token. */
  async open(tx: EntityManager, user: User): Promise<{ token: string; expiresAt: Date }> {
    const now = this.clock.now();
    const session = await this.repository.insertSession(tx, {
      userId: user.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    });
    const token = await this.jwt.signAsync(
      { sub: user.id, sid: session.id },
      { expiresIn: Math.floor(SESSION_TTL_MS / 1000), algorithm: 'HS256' },
    );
    return { token, expiresAt: session.expiresAt };
  }

  /** The session's user when the session is open and the account active; otherwise undefined. */
  async resolve(sessionId: string, userId: string): Promise<AuthUser | undefined> {
    const row = await this.repository.findOpenSessionWithUser(sessionId, userId);
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
    await this.db.transaction((tx) => this.repository.revokeSession(tx, sessionId, this.clock.now()));
  }

  /** Ends every open session of a user (disabled, password changed or reset). */
  async closeAllFor(tx: EntityManager, userId: string): Promise<void> {
    await this.repository.revokeSessionsOfUser(tx, userId, this.clock.now());
  }

  get secureCookies(): boolean {
    return this.config.appUrl.startsWith('https://');
  }
}
