import { DomainError, ErrorKind, MessageParams } from '../common/errors/app-errors';

/** Refusals of the courses module; `code` is the key below `errors.courses.`. */
export class CoursesError extends DomainError {
  constructor(kind: ErrorKind, code: string, params?: MessageParams, field?: string) {
    super(kind, `courses.${code}`, params, field);
  }
}
