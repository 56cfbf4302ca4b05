import { Injectable } from '@nestjs/common';
import { AuditService } from '../common/audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError, InputError, invalid } from '../common/errors/app-errors';
import {
  LOGIN_FAILURES_PER_ADDRESS,
  LOGIN_FAILURES_PER_EMAIL,
  RateLimiter,
  RESET_REQUESTS_PER_ADDRESS,
  RESET_REQUESTS_PER_EMAIL,
  TOKEN_FAILURES_PER_ACCOUNT,
  TOKEN_FAILURES_PER_ADDRESS,
} from '../common/http/rate-limiter';
import { Database } from '../database/database.service';
import { OutboxService } from '../mail/outbox.service';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { AuthUser } from '../common/kernel/auth-user';
import type { AuthTokenPurpose } from './auth-token.entity';
import { LinkTokensService } from './link-tokens.service';
import { hashPassword, passwordProblem, verifyPassword } from './password';
import { SessionsService } from './sessions.service';

export interface SignedIn {
  token: string;
  expiresAt: Date;
  user: User;
}

const tooMany = () => new DomainError('too-many', 'auth.too-many-attempts');

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly tokens: LinkTokensService,
    private readonly limiter: RateLimiter,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Checks credentials and opens a session. Failures are counted per submitted email (whether or not
   * the account exists, so 429 vs 401 reveals nothing) and, generously, per address.
   */
  async login(email: string, password: string, address: string): Promise<SignedIn> {
    const normalised = email.trim().toLowerCase();
    if (await this.limiter.isBlocked(LOGIN_FAILURES_PER_ADDRESS, address)) throw tooMany();
    // The attempt is counted before the password is checked (a success resets the count): checking
    // first let guesses arriving at once, at one or several instances, all pass the limit.
    if ((await this.limiter.hit(LOGIN_FAILURES_PER_EMAIL, normalised)) > LOGIN_FAILURES_PER_EMAIL.max)
      throw tooMany();
    const user = await this.users.findByEmail(normalised);
    const ok = await verifyPassword(user?.status === 'active' ? user.passwordHash : null, password);
    if (!user || !ok || user.status !== 'active') {
      await this.limiter.hit(LOGIN_FAILURES_PER_ADDRESS, address);
      throw new DomainError('unauthenticated', 'auth.bad-credentials');
    }
    await this.limiter.reset(LOGIN_FAILURES_PER_EMAIL, normalised);
    return this.db.transaction(async (tx) => {
      user.lastLoginAt = this.clock.now();
      await this.users.recordLogin(tx, user.id, user.lastLoginAt);
      const session = await this.sessions.open(tx, user);
      return { ...session, user };
    });
  }

  async logout(actor: AuthUser): Promise<void> {
    await this.sessions.close(actor.sessionId);
  }

  /** The invited user behind a token (to greet them on the page); 400 when unknown, used or expired. */
  async peekToken(token: string, purpose: AuthTokenPurpose, address: string): Promise<User> {
    // Counted before the token is looked up, as login does: checking first let guesses arriving at
    // once all pass the limit. A good token gives its count back, so only failures use the budget.
    if ((await this.limiter.hit(TOKEN_FAILURES_PER_ADDRESS, address)) > TOKEN_FAILURES_PER_ADDRESS.max)
      throw tooMany();
    const row = await this.tokens.find(token, purpose);
    const user = row ? await this.users.findById(row.userId) : null;
    if (!row || !user || user.status === 'disabled') throw invalid(`auth.${purpose}-invalid`);
    await this.limiter.release(TOKEN_FAILURES_PER_ADDRESS, address);
    return user;
  }

  /** Sets the password from an invitation or reset link, uses the token up and signs the user in. */
  async completeWithToken(
    token: string,
    purpose: AuthTokenPurpose,
    password: string,
    address: string,
  ): Promise<SignedIn> {
    const user = await this.peekToken(token, purpose, address);
    // Counted before the password is checked, like login (a success resets the count).
    if ((await this.limiter.hit(TOKEN_FAILURES_PER_ACCOUNT, user.id)) > TOKEN_FAILURES_PER_ACCOUNT.max)
      throw tooMany();
    const problem = passwordProblem(password);
    if (problem) throw new InputError({ password: [{ key: problem, params: { min: 8, max: 128 } }] });
    const passwordHash = await hashPassword(password);
    const signedIn = await this.db.transaction(async (tx) => {
      const row = await this.tokens.find(token, purpose, tx);
      if (!row || !(await this.tokens.consume(tx, row))) throw invalid(`auth.${purpose}-invalid`);
      await this.sessions.closeAllFor(tx, user.id);
      const now = this.clock.now();
      await this.users.setPasswordHash(tx, user.id, passwordHash, now, { activate: true });
      await this.audit.record(
        tx,
        user.id,
        purpose === 'invitation' ? 'user.accept-invitation' : 'user.reset-password',
        { type: 'user', id: user.id },
        null,
        null,
      );
      const fresh = (await this.users.findById(user.id, tx)) as User;
      const session = await this.sessions.open(tx, fresh);
      return { ...session, user: fresh };
    });
    await this.limiter.reset(TOKEN_FAILURES_PER_ACCOUNT, user.id);
    return signedIn;
  }

  /** Mails a reset link when the account exists; answers the same either way. */
  async requestPasswordReset(email: string, address: string): Promise<void> {
    // Counted before the limit is checked, as login does, so requests arriving at once cannot all pass it.
    if ((await this.limiter.hit(RESET_REQUESTS_PER_ADDRESS, address)) > RESET_REQUESTS_PER_ADDRESS.max)
      throw tooMany();
    const normalised = email.trim().toLowerCase();
    const count = await this.limiter.hit(RESET_REQUESTS_PER_EMAIL, normalised);
    if (count > RESET_REQUESTS_PER_EMAIL.max) return; // no mail bombing; the caller still sees 202
    const user = await this.users.findByEmail(normalised);
    if (!user || user.status === 'disabled') return;
    await this.db.transaction(async (tx) => {
      const token = await this.tokens.issue(tx, user.id, 'password-reset');
      await this.outbox.enqueue(tx, {
        to: user.email,
        template: 'password-reset',
        language: user.language,
        data: { name: user.name, link: this.outbox.link(`/reset-password/${token}`) },
      });
    });
  }

  /** Changes the signed-in user's password; every other session ends. */
  async changePassword(
    actor: AuthUser,
    current: string,
    password: string,
    confirm: string,
  ): Promise<SignedIn> {
    const user = await this.users.findById(actor.id);
    if (!user || !(await verifyPassword(user.passwordHash, current))) {
      throw new InputError({ current: [{ key: 'current-password', params: {} }] });
    }
    const problem = passwordProblem(password);
    if (problem) throw new InputError({ password: [{ key: problem, params: { min: 8, max: 128 } }] });
    if (password !== confirm) throw new InputError({ confirm: [{ key: 'password-mismatch', params: {} }] });
    const passwordHash = await hashPassword(password);
    return this.db.transaction(async (tx) => {
      await this.users.setPasswordHash(tx, actor.id, passwordHash, this.clock.now(), { activate: false });
      await this.sessions.closeAllFor(tx, actor.id);
      await this.audit.record(
        tx,
        actor.id,
        'user.change-password',
        { type: 'user', id: actor.id },
        null,
        null,
      );
      // Other computers are signed out; this one continues with a fresh session.
      return { ...(await this.sessions.open(tx, user)), user };
    });
  }
}
