import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { ValidateBy, ValidationError, type ValidationOptions } from 'class-validator';
import { FieldMessage, InputError, MessageParams } from './errors/app-errors';

/**
 * Validation messages are translation keys, optionally with parameters, written as
 * `key|{"min":8}`. Decorators use `msg('length', { min: 8, max: 128 })`.
 */
export const msg = (key: string, params?: MessageParams): string =>
  params ? `${key}|${JSON.stringify(params)}` : key;

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
        if (
          !list.some(
            (m) => m.key === parsed.key && JSON.stringify(m.params) === JSON.stringify(parsed.params),
          )
        )
          list.push(parsed);
      }
      if (error.children?.length) walk(error.children, name);
    }
  };
  walk(errors, prefix);
  return new InputError(fields);
}

/**
 * Text length as the database counts it: PostgreSQL's varchar(n) counts code points, while
 * class-validator's Length and MaxLength do not count U+FE0E/U+FE0F (emoji presentation selectors),
 * so "❤️" × 120 passed a 120-character check and failed on PostgreSQL with a 500.
 */
export const codePoints = (value: string): number => {
  let n = 0;
  for (const _ of value) n++;
  return n;
};

/** class-validator's `Length`, counting code points (use it for every length that a column also limits). */
export function Length(min: number, max?: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          codePoints(value) >= min &&
          (max === undefined || codePoints(value) <= max),
        defaultMessage: () => 'isLength',
      },
    },
    options,
  );
}

/** class-validator's `MaxLength`, counting code points. */
export function MaxLength(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxLength',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && codePoints(value) <= max,
        defaultMessage: () => 'maxLength',
      },
    },
    options,
  );
}

/** Validates a plain object against a DTO class the way the global pipe does (for hand-built bodies). */
export async function validateDto<T extends object>(
  cls: new () => T,
  plain: Record<string, unknown>,
): Promise<T> {
  const { plainToInstance } = await import('class-transformer');
  const { validate } = await import('class-validator');
  const instance = plainToInstance(cls, plain);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  if (errors.length) throw toInputError(errors);
  return instance;
}

/** Keys that address an object's prototype: never a field of any body, query or form. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/**
 * No body or query of the app nests deeper than a few levels; class-transformer recurses without a
 * limit, so `[[[[…` 50,000 levels deep (100 KB) overflowed the stack there and answered 500.
 */
const MAX_DEPTH = 16;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The problems of raw input that the DTO validation cannot see, field by field:
 * - prototype keys (`__proto__`, `constructor`, `prototype`): class-transformer drops them silently,
 *   so a body carrying them would otherwise be accepted instead of refused as an unknown field;
 * - the NUL character, which PostgreSQL cannot store in text (it would fail as a 500 there, and be
 *   stored on SQLite), and lone UTF-16 surrogates, which both databases would store as U+FFFD:
 *   refused as "not text" on every database;
 * - nesting deeper than MAX_DEPTH.
 */
export function rawInputProblems(input: unknown, prefix = ''): Record<string, FieldMessage[]> {
  // A Map, then own properties: a field may be named `__proto__`.
  const fields = new Map<string, FieldMessage[]>();
  const add = (field: string, key: string) => {
    const list = fields.get(field || 'body') ?? [];
    if (!list.some((m) => m.key === key)) list.push({ key, params: {} });
    fields.set(field || 'body', list);
  };
  // Iterative, so that a deeply nested body cannot exhaust the call stack here.
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value: input, path: prefix, depth: 0 },
  ];
  while (stack.length) {
    const { value, path, depth } = stack.pop() as (typeof stack)[number];
    if (typeof value === 'string') {
      if (value.includes('\u0000') || LONE_SURROGATE.test(value)) add(path, 'invisible-characters');
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) {
      add(path, 'too-deep');
      continue;
    }
    for (const key of Object.keys(value)) {
      const field = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key) || key.includes('\u0000')) add(field, 'unknown-field');
      else stack.push({ value: (value as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return Object.fromEntries(fields);
}

/**
 * Global pipe that runs before the ValidationPipe on every body, query and route parameter:
 * refuses what `rawInputProblems` finds with the usual 400 (forms are shown again with the message).
 */
export class RawInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query' && metadata.type !== 'param') return value;
    const problems = rawInputProblems(value, metadata.data ?? '');
    if (Object.keys(problems).length) throw new InputError(problems);
    return value;
  }
}
