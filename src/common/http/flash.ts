import type { Request, Response } from 'express';
import type { CountedParam } from '../../i18n/i18n';

const FLASH_COOKIE = 'cascada_flash';

export interface Flash {
  kind: 'success' | 'error' | 'info';
  key: string;
  /** Filled into the message by `t`; `counted(key, n)` for a second count in one sentence. */
  params?: Record<string, string | number | CountedParam>;
}

/** Post/redirect/get: the message travels in a short-lived signed cookie to the next page. */
export function redirectWithFlash(
  res: Response,
  to: string,
  key: string,
  kind: Flash['kind'] = 'success',
  params?: Flash['params'],
): void {
  res.cookie(FLASH_COOKIE, JSON.stringify({ kind, key, params }), {
    httpOnly: true,
    sameSite: 'lax',
    signed: true,
    maxAge: 60_000,
    path: '/',
  });
  res.redirect(303, to);
}

/** Reads and clears the flash message, if any. */
export function takeFlash(req: Request, res: Response): Flash | undefined {
  const raw = req.signedCookies?.[FLASH_COOKIE];
  if (!raw) return undefined;
  res.clearCookie(FLASH_COOKIE, { path: '/' });
  try {
    const flash = JSON.parse(raw) as Flash;
    return typeof flash?.key === 'string' && /^[a-z0-9.-]+$/i.test(flash.key) ? flash : undefined;
  } catch {
    return undefined;
  }
}
