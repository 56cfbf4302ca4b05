import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { resolveLanguage } from '../../i18n/language';
import type { Language } from '../kernel/user-role.enum';

/**
 * The request's language ('es' | 'en'), resolved as every page resolves it (`?lang=`, the user's
 * saved preference, the cookie, Accept-Language: i18n/language.ts), for page handlers:
 * `show(@Lang() lang: Language, ...)`.
 */
export const Lang = createParamDecorator((_: unknown, ctx: ExecutionContext): Language =>
  resolveLanguage(ctx.switchToHttp().getRequest<Request>()),
);
