import { DomainError, ErrorKind, MessageParams } from '../common/errors/app-errors';

/** Refusals of the lineage pages; the code is the translation key below `errors.lineage.`. */
export class LineageError extends DomainError {
  constructor(kind: ErrorKind, code: string, params?: MessageParams) {
    super(kind, `lineage.${code}`, params);
  }
}
