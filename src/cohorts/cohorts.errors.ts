import { DomainError, ErrorKind, MessageParams } from '../common/errors/app-errors';

export class CohortsError extends DomainError {
  constructor(kind: ErrorKind, code: string, params?: MessageParams, field?: string) {
    super(kind, `cohorts.${code}`, params, field);
  }
}
