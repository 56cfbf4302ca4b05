/**
 * Business refusals. Services throw these (never HTTP exceptions); the filters map `kind` to a
 * status and `code` to the translation key `errors.<code>`.
 */
export type ErrorKind =
  'invalid' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'unprocessable' | 'too-many';

export type MessageParams = Record<string, string | number>;

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** Translation key below `errors.`, e.g. `users.email-taken`. */
    readonly code: string,
    readonly params: MessageParams = {},
    /** Field the refusal belongs to, so forms can show it beside the input. */
    readonly field?: string,
  ) {
    super(code);
  }

  /** Extra machine-readable facts for the API body (e.g. unmet conditions). */
  details?: Record<string, unknown>;
}

export const notFound = (code = 'not-found', params?: MessageParams) =>
  new DomainError('not-found', code, params);
export const forbidden = (code = 'forbidden', params?: MessageParams) =>
  new DomainError('forbidden', code, params);
export const conflict = (code: string, params?: MessageParams, field?: string) =>
  new DomainError('conflict', code, params, field);
export const unprocessable = (code: string, params?: MessageParams, field?: string) =>
  new DomainError('unprocessable', code, params, field);
export const invalid = (code: string, params?: MessageParams, field?: string) =>
  new DomainError('invalid', code, params, field);

/** One message about one field: a translation key below `validation.` and its parameters. */
export interface FieldMessage {
  key: string;
  params: MessageParams;
}

/** Input that failed validation: every bad field with its messages. Nothing was changed. */
export class InputError extends Error {
  constructor(readonly fields: Record<string, FieldMessage[]>) {
    super('invalid input');
  }
}

export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unprocessable: 422,
  'too-many': 429,
};

export const SHORT_CODE_BY_STATUS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};
