import { readCsvTable } from '../common/csv-table';
import {
  DEFAULT_KEY,
  DISAGGREGATIONS,
  INDICATORS,
  isDhis2Uid,
  MAPPING_KINDS,
  MappingKind,
} from './dhis2-codes';

/** One line of a mapping CSV: `kind,key,uid` (a `label` column, as in the downloaded template, is ignored). */
export interface MappingRow {
  line: number;
  kind: string;
  key: string;
  /** Empty: remove the mapping. */
  uid: string;
  /** Our id the key names (filled in by the service for places; the key itself otherwise). */
  localKey?: string;
  problems: Array<{ key: string; params?: Record<string, string | number> }>;
}

const HEADERS: Record<string, 'kind' | 'key' | 'uid'> = {
  kind: 'kind',
  tipo: 'kind',
  key: 'key',
  clave: 'key',
  uid: 'uid',
  'dhis2 uid': 'uid',
};

export const MAX_MAPPING_ROWS = 10_000;

const isKind = (value: string): value is MappingKind => (MAPPING_KINDS as readonly string[]).includes(value);

/**
 * Parses a mapping CSV into rows with the problems a row has on its own (kind, uid format, the key of
 * an indicator or disaggregation, duplicates). Places are looked up afterwards; nothing is written.
 */
export function parseMappingCsv(text: string): { rows: MappingRow[]; fileProblem?: string } {
  const table = readCsvTable(text, HEADERS, MAX_MAPPING_ROWS);
  if ('fileProblem' in table) return { rows: [], fileProblem: table.fileProblem };
  const { columns, records } = table;
  if (!columns.includes('kind') || !columns.includes('key') || !columns.includes('uid'))
    return { rows: [], fileProblem: 'csv-dhis2-headers' };
  const get = (record: string[], field: 'kind' | 'key' | 'uid') =>
    (record[columns.indexOf(field)] ?? '').trim();
  const seen = new Map<string, number>();
  return {
    rows: records.map((record, index) => {
      const row: MappingRow = {
        line: index + 2,
        kind: get(record, 'kind').toLowerCase(),
        key: get(record, 'key').slice(0, 200),
        uid: get(record, 'uid'),
        problems: [],
      };
      if (!isKind(row.kind))
        row.problems.push({ key: 'one-of', params: { values: MAPPING_KINDS.join(', ') } });
      if (row.uid && !isDhis2Uid(row.uid))
        row.problems.push({ key: 'dhis2-uid', params: { value: row.uid.slice(0, 40) } });
      if (row.kind === 'indicator' && !(INDICATORS as readonly string[]).includes(row.key))
        row.problems.push({ key: 'dhis2-indicator', params: { values: INDICATORS.join(', ') } });
      if (row.kind === 'disaggregation' && !(DISAGGREGATIONS as readonly string[]).includes(row.key))
        row.problems.push({ key: 'dhis2-disaggregation', params: { values: DISAGGREGATIONS.join(', ') } });
      if ((row.kind === 'data-set' || row.kind === 'attribute-option-combo') && row.key !== DEFAULT_KEY)
        row.problems.push({ key: 'dhis2-default-key' });
      if (row.kind === 'country' && !/^[A-Za-z]{2}$/.test(row.key))
        row.problems.push({ key: 'country-code' });
      if ((row.kind === 'municipality' || row.kind === 'school') && !/^[A-Za-z]{2}\/.+/.test(row.key))
        row.problems.push({ key: row.kind === 'school' ? 'dhis2-school-key' : 'dhis2-municipality-key' });
      if (row.kind === 'country') row.key = row.key.toUpperCase();
      const id = `${row.kind}:${row.key.toLowerCase()}`;
      const earlier = seen.get(id);
      if (earlier) row.problems.push({ key: 'dhis2-duplicate-row', params: { line: earlier } });
      else seen.set(id, row.line);
      return row;
    }),
  };
}
