import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { isApiRequest } from './request-kind';

export const VISITOR_COOKIE = 'cascada_visitor';
export const CSRF_FIELD = '_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF for every HTML form, the login form included: each visitor gets a random id in an HttpOnly
 * cookie, and forms carry HMAC(secret, visitor id). Another site can neither read nor forge it.
 * The JSON API is exempt because it only accepts Bearer tokens, never cookies.
 */
export function csrfMiddleware(
  secret: string,
  secure: boolean,
  onRefused: (req: Request, res: Response) => void,
) {
  const sign = (visitor: string) =>
    createHmac('sha256', secret).update(`csrf:${visitor}`).digest('base64url');
  return (req: Request, res: Response, next: NextFunction) => {
    if (isApiRequest(req)) return next();
    let visitor = req.cookies?.[VISITOR_COOKIE] as string | undefined;
    const known = typeof visitor === 'string' && /^[A-Za-z0-9_-]{32,64}$/.test(visitor);
    if (!known) {
      visitor = randomBytes(24).toString('base64url');
      res.cookie(VISITOR_COOKIE, visitor, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
    }
    const expected = sign(visitor as string);
    res.locals.csrfToken = expected;
    if (SAFE_METHODS.has(req.method)) return next();
    const body = req.body as Record<string, unknown> | undefined;
    const sent = (
      body && typeof body[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : req.get('x-csrf-token')
    ) as string | undefined;
    if (body && CSRF_FIELD in body) delete body[CSRF_FIELD];
    const ok =
      known &&
      typeof sent === 'string' &&
      sent.length === expected.length &&
      timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
    if (!ok) return onRefused(req, res);
    next();
  };
}
