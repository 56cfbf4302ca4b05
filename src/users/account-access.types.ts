import type { EntityManager } from 'typeorm';

/**
 * What the users feature needs from authentication, declared here so users imports nothing from
 * auth (auth depends on users, never the other way). The auth module provides it (ACCOUNT_ACCESS).
 */
export interface AccountAccess {
  /** Why a password is refused, as a `validation.` key; null when acceptable. */
  passwordProblem(password: unknown): string | null;
  hashPassword(password: string): Promise<string>;
  /** A new invitation link token for the account, inside the caller's transaction. */
  issueInvitationToken(tx: EntityManager, userId: string): Promise<string>;
  /** Ends every open session of the account at once (disabled, anonymised). */
  endSessions(tx: EntityManager, userId: string): Promise<void>;
  /** Deletes the account's link tokens, used or not (anonymised). */
  forgetLinkTokens(tx: EntityManager, userId: string): Promise<void>;
}

export const ACCOUNT_ACCESS = Symbol('ACCOUNT_ACCESS');
