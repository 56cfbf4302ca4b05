import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { t } from '../../i18n/i18n';
import { resolveLanguage } from '../../i18n/language';
import type { Language } from '../kernel/user-role.enum';
import { DomainError, InputError, SHORT_CODE_BY_STATUS, STATUS_BY_KIND } from '../errors/app-errors';
import { isApiRequest } from '../http/request-kind';
import { setPageLocals } from '../view/page-locals';

/** Translates an InputError into `{ field: [messages] }` in `lang`. */
export function translateFields(lang: Language, error: InputError): Record<string, string[]> {
  // Own properties even for a field named `__proto__` (an assignment would set the prototype).
  return Object.fromEntries(
    Object.entries(error.fields).map(([field, messages]) => [
      field,
      messages.map((m) => t(lang, `validation.${m.key}`, m.params)),
    ]),
  );
}

export function statusOf(error: unknown): number {
  if (error instanceof InputError) return 400;
  if (error instanceof DomainError) return STATUS_BY_KIND[error.kind];
  if (error instanceof HttpException) return error.getStatus();
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

export function messageOf(lang: Language, error: unknown, status: number): string {
  if (error instanceof DomainError) return t(lang, `errors.${error.code}`, error.params);
  return t(lang, `errors.http-${status}`);
}

/**
 * The last word on every error. API: the JSON body of API.md, translated. Pages: a login redirect,
 * or a translated 403/404/429/500 page. Unknown errors are logged once with the request id.
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const status = statusOf(error);
    if (status >= 500) {
      this.logger.error({
        msg: 'unhandled error',
        reqId: req.id,
        error: (error as Error)?.stack ?? String(error),
      });
    }
    if (res.headersSent) return;
    const lang = resolveLanguage(req);
    if (isApiRequest(req)) {
      sendApiError(res, lang, error, status);
      return;
    }
    if (status === 401) {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(303, `/login${next}`);
      return;
    }
    renderErrorPage(req, res, status, messageOf(lang, error, status));
  }
}

export function sendApiError(res: Response, lang: Language, error: unknown, status: number): void {
  const body: Record<string, unknown> = {
    statusCode: status,
    error: SHORT_CODE_BY_STATUS[status] ?? 'Error',
  };
  if (error instanceof InputError) {
    const fields = translateFields(lang, error);
    body.message = Object.entries(fields).flatMap(([field, messages]) =>
      messages.map((m) => `${field}: ${m}`),
    );
    body.fields = fields;
  } else {
    body.message = messageOf(lang, error, status);
    if (error instanceof DomainError) {
      body.code = error.code;
      if (error.field) body.field = error.field;
      if (error.details) Object.assign(body, error.details);
    }
  }
  res.status(status).json(body);
}

export function renderErrorPage(req: Request, res: Response, status: number, message: string): void {
  setPageLocals(req, res);
  const view = [403, 404, 429].includes(status)
    ? `errors/${status}`
    : status < 500
      ? 'errors/generic'
      : 'errors/500';
  res.status(status).render(view, {
    status,
    message,
    title: t(res.locals.lang, `errors.title-${status >= 500 ? 500 : status}`),
  });
}
