import { DomainError, ErrorKind, MessageParams } from '../common/errors/app-errors';

export class SchoolsError extends DomainError {
  constructor(kind: ErrorKind, code: string, params?: MessageParams, field?: string) {
    super(kind, `schools.${code}`, params, field);
  }
}
