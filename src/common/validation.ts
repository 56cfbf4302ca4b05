import { ValidationError } from 'class-validator';
import { FieldMessage, InputError, MessageParams } from './errors/app-errors';

/**
 * Validation messages are translation keys, optionally with parameters, written as
 * `key|{"min":8}`. Decorators use `msg('length', { min: 8, max: 128 })`.
 */
export const msg = (key: string, params?: MessageParams): string => (params ? `${key}|${JSON.stringify(params)}` : key);

function parseMessage(constraint: string, message: string): FieldMessage {
  const bar = message.indexOf('|');
  if (/^[a-z][a-zA-Z0-9-]*(\|.*)?$/.test(message)) {
    if (bar < 0) return { key: message, params: {} };
    try {
      return { key: message.slice(0, bar), params: JSON.parse(message.slice(bar + 1)) as MessageParams };
    } catch {
      return { key: message.slice(0, bar), params: {} };
    }
  }
  // A class-validator default message: translate by constraint name.
  return { key: constraint === 'whitelistValidation' ? 'unknown-field' : constraint, params: {} };
}

export function toInputError(errors: ValidationError[], prefix = ''): InputError {
  const fields: Record<string, FieldMessage[]> = {};
  const walk = (list: ValidationError[], path: string) => {
    for (const error of list) {
      const name = path ? `${path}.${error.property}` : error.property;
      for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
        const parsed = parseMessage(constraint, message);
        const list = (fields[name] ??= []);
        // Two constraints may carry the same message (e.g. IsString and Length both say "required"): say it once.
        if (!list.some((m) => m.key === parsed.key && JSON.stringify(m.params) === JSON.stringify(parsed.params))) list.push(parsed);
      }
      if (error.children?.length) walk(error.children, name);
    }
  };
  walk(errors, prefix);
  return new InputError(fields);
}

/** Validates a plain object against a DTO class the way the global pipe does (for hand-built bodies). */
export async function validateDto<T extends object>(cls: new () => T, plain: Record<string, unknown>): Promise<T> {
  const { plainToInstance } = await import('class-transformer');
  const { validate } = await import('class-validator');
  const instance = plainToInstance(cls, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  if (errors.length) throw toInputError(errors);
  return instance;
}
