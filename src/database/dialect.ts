import type { DatabaseKind } from './data-source';

/**
 * The SQL fragments that SQLite and PostgreSQL spell differently, or that are written one particular
 * way so that both accept them. Raw queries build on these instead of testing the database kind
 * themselves, so one code path serves both databases. Identifiers passed in are our own constants,
 * never user input; values always go in as `?` parameters.
 */

/** Parameters are written `?` in our few raw queries; PostgreSQL wants `$1, $2…`. */
export function toDialect(kind: DatabaseKind, sql: string): string {
  if (kind === 'sqlite') return sql;
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Length of the `YYYY` and `YYYY-MM` prefixes of a `YYYY-MM-DD` date. */
const PERIOD_LENGTH = { year: 4, month: 7 } as const;

export type Period = keyof typeof PERIOD_LENGTH;

/**
 * The year (`YYYY`) or month (`YYYY-MM`) of a date column. Dates are `YYYY-MM-DD` text on both
 * databases, so the period is a prefix: `SUBSTR` means the same on both, where strftime and to_char
 * would not.
 */
export function periodOf(column: string, period: Period): string {
  return `SUBSTR(${column}, 1, ${PERIOD_LENGTH[period]})`;
}

/** The month (`YYYY-MM`) of a `YYYY-MM-DD` date column. */
export function monthOf(column: string): string {
  return periodOf(column, 'month');
}

/** The number of characters of a period's prefix, for code that cuts the same prefix in JavaScript. */
export function periodLength(period: Period): number {
  return PERIOD_LENGTH[period];
}

/**
 * `ON CONFLICT (…) DO UPDATE SET … [WHERE …]`: an atomic upsert in one statement on both databases
 * (SQLite 3.24+, PostgreSQL 9.5+); the incoming row is `excluded` in `set` and `where`.
 */
export function onConflictUpdate(conflictColumns: string[], set: string, where?: string): string {
  return `ON CONFLICT (${conflictColumns.join(', ')}) DO UPDATE SET ${set}${where ? ` WHERE ${where}` : ''}`;
}

/**
 * Case-insensitive equality with one parameter that the caller lower-cases: `LOWER(column) = ?`.
 * No ILIKE (PostgreSQL only) nor COLLATE NOCASE (SQLite only), and `_`/`%` are not wildcards.
 */
export function equalsIgnoringCase(column: string): string {
  return `LOWER(${column}) = ?`;
}

/**
 * A text parameter standing where nothing else gives it a type (a `UNION SELECT ?`): PostgreSQL
 * cannot infer an untyped parameter's type there; SQLite ignores the cast's length.
 */
export function textParameter(length = 36): string {
  return `CAST(? AS VARCHAR(${length}))`;
}

/** `?, ?, ?` for an IN list of `count` parameters (count > 0: an empty IN list is not SQL). */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
