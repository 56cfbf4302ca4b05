import type { Request, Response } from 'express';
import type { AuthUser } from '../kernel/auth-user';
import { t } from '../../i18n/i18n';
import { resolveLanguage } from '../../i18n/language';
import type { Language } from '../kernel/user-role.enum';
import { takeFlash } from '../http/flash';
import { navFor } from './nav';

/** Builds a `?lang=` link to the same page for the language switcher. */
function switchUrl(req: Request, lang: Language): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (key !== 'lang' && typeof value === 'string') params.set(key, value);
  }
  params.set('lang', lang);
  return `${req.path}?${params.toString()}`;
}

/** What every page's layout needs: language, user, navigation, flash, CSRF token. Set once per request. */
export function setPageLocals(req: Request, res: Response): void {
  if (res.locals.pageReady) return;
  const lang = resolveLanguage(req);
  const user = req.user as AuthUser | undefined;
  const flash = takeFlash(req, res);
  Object.assign(res.locals, {
    pageReady: true,
    lang,
    otherLang: lang === 'en' ? 'es' : 'en',
    switchUrl: switchUrl(req, lang === 'en' ? 'es' : 'en'),
    currentUser: user ? { id: user.id, name: user.name, role: user.role } : undefined,
    nav: navFor(user, req.path),
    flash: flash ? { kind: flash.kind, text: t(lang, flash.key, flash.params) } : undefined,
    requestId: req.id,
  });
}
