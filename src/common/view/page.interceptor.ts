import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, Observable, throwError } from 'rxjs';
import type { AuthUser } from '../kernel/auth-user';
import { isLanguage, t } from '../../i18n/i18n';
import { LANG_COOKIE } from '../../i18n/language';
import { FORM_VIEW_KEY, FormViewOptions } from '../decorators/access.decorators';
import { DomainError, InputError } from '../errors/app-errors';
import { translateFields, statusOf } from '../filters/errors.filter';
import { isApiRequest } from '../http/request-kind';
import { LANGUAGE_PREFERENCE, type LanguagePreference } from './language-preference';
import { setPageLocals } from './page-locals';

/**
 * Runs after authentication, for pages and API alike:
 * - `?lang=` sets the `lang` cookie and the signed-in user's saved preference;
 * - pages get their layout locals;
 * - a refused form is re-rendered with messages beside its fields and the input kept.
 */
@Injectable()
export class PageInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(LANGUAGE_PREFERENCE) private readonly languages: LanguagePreference,
    private readonly moduleRef: ModuleRef,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const user = req.user as AuthUser | undefined;
    const asked = req.query?.lang;
    if (isLanguage(asked)) {
      res.cookie(LANG_COOKIE, asked, {
        sameSite: 'lax',
        httpOnly: false,
        maxAge: 365 * 24 * 3600 * 1000,
        path: '/',
      });
      if (user && user.language !== asked) {
        await this.languages.setLanguage(user.id, asked);
        user.language = asked;
      }
    }
    if (isApiRequest(req)) return next.handle();
    setPageLocals(req, res);
    const form = this.reflector.get<FormViewOptions | undefined>(FORM_VIEW_KEY, context.getHandler());
    if (!form) return next.handle();
    return next.handle().pipe(
      catchError((error: unknown) => {
        const isFieldError =
          error instanceof InputError ||
          (error instanceof DomainError &&
            ['invalid', 'conflict', 'unprocessable', 'too-many', 'unauthenticated'].includes(error.kind) &&
            req.method !== 'GET');
        if (!isFieldError || req.method === 'GET') return throwError(() => error);
        const controller = this.moduleRef.get(context.getClass(), { strict: false }) as Record<
          string,
          unknown
        >;
        const modelFn = form.model
          ? (controller[form.model] as ((r: Request) => Promise<object>) | undefined)
          : undefined;
        const lang = res.locals.lang;
        return from(
          (async () => {
            const base = modelFn ? await modelFn.call(controller, req) : {};
            const errors = error instanceof InputError ? translateFields(lang, error) : {};
            let summary: string | undefined;
            if (error instanceof DomainError) {
              const text = t(lang, `errors.${error.code}`, error.params);
              if (error.field) errors[error.field] = [text];
              else summary = text;
            }
            const values = { ...(req.body as object) } as Record<string, unknown>;
            for (const secret of ['password', 'confirm', 'current']) delete values[secret];
            res.status(statusOf(error)).render(form.view, {
              ...base,
              errors,
              errorList: Object.entries(errors).map(([field, messages]) => ({
                field,
                message: messages[0],
              })),
              summary,
              values,
            });
            return undefined;
          })(),
        );
      }),
    );
  }
}
