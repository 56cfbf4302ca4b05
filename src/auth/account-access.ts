import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccountAccess } from '../users/account-access.types';
import { LinkTokensService } from './link-tokens.service';
import { hashPassword, passwordProblem } from './password';
import { SessionsService } from './sessions.service';

/** Auth's side of the users feature's ACCOUNT_ACCESS port: passwords, invitation tokens, sessions. */
@Injectable()
export class AuthAccountAccess implements AccountAccess {
  constructor(
    private readonly sessions: SessionsService,
    private readonly tokens: LinkTokensService,
  ) {}

  passwordProblem(password: unknown): string | null {
    return passwordProblem(password);
  }

  hashPassword(password: string): Promise<string> {
    return hashPassword(password);
  }

  issueInvitationToken(tx: EntityManager, userId: string): Promise<string> {
    return this.tokens.issue(tx, userId, 'invitation');
  }

  endSessions(tx: EntityManager, userId: string): Promise<void> {
    return this.sessions.closeAllFor(tx, userId);
  }

  forgetLinkTokens(tx: EntityManager, userId: string): Promise<void> {
    return this.tokens.removeAllFor(tx, userId);
  }
}
