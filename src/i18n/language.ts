import type { Request } from 'express';
import type { Language } from '../common/kernel/user-role.enum';
import { fromAcceptLanguage, isLanguage } from './i18n';
import type { AuthUser } from '../common/kernel/auth-user';

export const LANG_COOKIE = 'lang';

/**
 * DESIGN.md order: `?lang=`, the signed-in user's saved preference, the `lang` cookie,
 * Accept-Language, then English. On a shared computer the next person's own preference wins
 * over the cookie the last person left.
 */
export function resolveLanguage(req: Request): Language {
  const query = req.query?.lang;
  if (isLanguage(query)) return query;
  const user = req.user as AuthUser | undefined;
  if (user && isLanguage(user.language)) return user.language;
  const cookie = req.cookies?.[LANG_COOKIE];
  if (isLanguage(cookie)) return cookie;
  return fromAcceptLanguage(req.headers['accept-language']) ?? 'en';
}
