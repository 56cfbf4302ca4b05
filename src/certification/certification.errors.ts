import { DomainError, ErrorKind, MessageParams } from '../common/errors/app-errors';
import type { Condition } from '../cohorts/cohorts.service';

export class CertificationError extends DomainError {
  constructor(kind: ErrorKind, code: string, params?: MessageParams, field?: string) {
    super(kind, `certification.${code}`, params, field);
  }
}

/** 422 with the unmet conditions (API.md: "422 with the unmet conditions when not eligible"). */
export class NotEligibleError extends CertificationError {
  constructor(readonly unmet: Condition[]) {
    super('unprocessable', 'not-eligible', { count: unmet.length });
  }
}
