import type { Response } from 'express';
import { SESSION_COOKIE } from './jwt.strategy';
import { SESSION_TTL_MS } from './sessions.service';

/** The cookie lives as long as the session (relative, so a skewed client clock cannot shorten it). */
export function setSessionCookie(res: Response, token: string, _expiresAt: Date, secure: boolean): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: SESSION_TTL_MS,
  });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

/** Only same-site relative paths are followed after login (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/login')
    ? next
    : '/';
}
