import { randomUUID } from 'node:crypto';
import { ValueTransformer } from 'typeorm';

/**
 * Instants are stored as ISO-8601 UTC text on both databases: the same migration, the same
 * ordering, the same comparisons on SQLite and PostgreSQL.
 */
export const instant: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.toISOString() : value),
  from: (value: string | null) => (value === null || value === undefined ? value : new Date(value)),
};

export const newId = (): string => randomUUID();
