import type { FieldMessage } from '../common/errors/app-errors';

export interface Counts {
  female: number;
  male: number;
  unspecified: number;
  under_10: number;
  '10_14': number;
  '15_17': number;
  '18_plus': number;
  teachers: number;
  parents: number;
}

/**
 * The input rules of a cascade session that need no database: the two breakdowns sum to the same
 * total, someone was reached, no future date. Returns field-keyed messages (empty when fine).
 */
export function sessionProblems(date: string, counts: Counts, today: string): Record<string, FieldMessage[]> {
  const problems: Record<string, FieldMessage[]> = {};
  const bySex = counts.female + counts.male + counts.unspecified;
  const byAge = counts.under_10 + counts['10_14'] + counts['15_17'] + counts['18_plus'];
  const valid =
    /^\d{4}-\d{2}-\d{2}$/.test(date) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);
  if (!valid) problems.date = [{ key: 'date', params: {} }];
  else if (date > today) problems.date = [{ key: 'future-date', params: {} }];
  if (bySex !== byAge) problems.ageBands = [{ key: 'totals-differ', params: { sex: bySex, age: byAge } }];
  if (bySex === 0 && byAge === 0 && counts.teachers + counts.parents === 0)
    problems.participants = [{ key: 'nobody-reached', params: {} }];
  return problems;
}

/** The module set as stored: sorted, unique, comma-joined (so the duplicate check compares sets). */
export const moduleKey = (slugs: string[]): string => [...new Set(slugs)].sort().join(',');
