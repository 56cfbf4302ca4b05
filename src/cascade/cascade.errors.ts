import { DomainError, ErrorKind, MessageParams } from '../common/errors/app-errors';

export class CascadeError extends DomainError {
  constructor(kind: ErrorKind, code: string, params?: MessageParams, field?: string) {
    super(kind, `cascade.${code}`, params, field);
  }
}
