import { readCsvTable } from '../common/csv-table';
import { SCHOOL_LEVELS, SchoolLevel } from './school.entities';

export interface SchoolRow {
  line: number;
  countryCode: string;
  municipality: string;
  name: string;
  code: string;
  level: SchoolLevel | null;
  address: string;
  problems: Array<{ key: string; params?: Record<string, string | number> }>;
}

const HEADERS: Record<string, keyof Omit<SchoolRow, 'line' | 'problems'>> = {
  country: 'countryCode',
  'country code': 'countryCode',
  pais: 'countryCode',
  país: 'countryCode',
  municipality: 'municipality',
  municipio: 'municipality',
  name: 'name',
  school: 'name',
  nombre: 'name',
  escuela: 'name',
  'centro educativo': 'name',
  code: 'code',
  'ministry code': 'code',
  codigo: 'code',
  código: 'code',
  level: 'level',
  nivel: 'level',
  address: 'address',
  direccion: 'address',
  dirección: 'address',
};

const LEVELS: Record<string, SchoolLevel> = {
  primary: 'primary',
  primaria: 'primary',
  basica: 'primary',
  básica: 'primary',
  lower_secondary: 'lower_secondary',
  'lower secondary': 'lower_secondary',
  'tercer ciclo': 'lower_secondary',
  'secundaria baja': 'lower_secondary',
  upper_secondary: 'upper_secondary',
  'upper secondary': 'upper_secondary',
  bachillerato: 'upper_secondary',
  media: 'upper_secondary',
  secondary: 'secondary',
  secundaria: 'secondary',
  community: 'community',
  comunitario: 'community',
  comunidad: 'community',
  other: 'other',
  otro: 'other',
  otra: 'other',
};

export const MAX_SCHOOL_ROWS = 5000;

/** Parses a schools CSV (municipalities are created from their names) into rows with problems; writes nothing. */
export function parseSchools(text: string): { rows: SchoolRow[]; fileProblem?: string } {
  const table = readCsvTable(text, HEADERS, MAX_SCHOOL_ROWS);
  if ('fileProblem' in table) return { rows: [], fileProblem: table.fileProblem };
  const { columns, records } = table;
  for (const needed of ['countryCode', 'municipality', 'name', 'code'] as const)
    if (!columns.includes(needed)) return { rows: [], fileProblem: 'csv-school-headers' };
  const seen = new Map<string, number>();
  return {
    rows: records.map((record, index) => {
      const get = (
        key: keyof typeof LEVELS | 'countryCode' | 'municipality' | 'name' | 'code' | 'level' | 'address',
      ) => {
        const i = columns.indexOf(key as never);
        return i >= 0 ? (record[i] ?? '').trim() : '';
      };
      const levelText = get('level').toLowerCase();
      const row: SchoolRow = {
        line: index + 2,
        countryCode: get('countryCode').toUpperCase(),
        municipality: get('municipality').slice(0, 200),
        name: get('name').slice(0, 300),
        code: get('code').slice(0, 60),
        level: levelText ? (LEVELS[levelText] ?? null) : null,
        address: get('address').slice(0, 400),
        problems: [],
      };
      if (!/^[A-Z]{2}$/.test(row.countryCode)) row.problems.push({ key: 'country-code' });
      if (!row.municipality || row.municipality.length > 120) row.problems.push({ key: 'municipality-name' });
      // A row with a country and municipality but no school adds only the municipality.
      const municipalityOnly = !row.name && !row.code;
      if (!municipalityOnly && (!row.name || row.name.length > 200))
        row.problems.push({ key: 'length', params: { min: 1, max: 200 } });
      if (!municipalityOnly && !/^[A-Za-z0-9._/-]{1,40}$/.test(row.code))
        row.problems.push({ key: 'school-code' });
      if (levelText && !row.level)
        row.problems.push({ key: 'one-of', params: { values: SCHOOL_LEVELS.join(', ') } });
      if (row.address.length > 300) row.problems.push({ key: 'max-length', params: { max: 300 } });
      const id = municipalityOnly
        ? `m:${row.countryCode}:${row.municipality.toLowerCase()}`
        : `${row.countryCode}:${row.code.toLowerCase()}`;
      const earlier = seen.get(id);
      if (earlier && (row.code || municipalityOnly))
        row.problems.push({
          key: municipalityOnly ? 'duplicate-municipality-row' : 'duplicate-school-row',
          params: { line: earlier },
        });
      else seen.set(id, row.line);
      return row;
    }),
  };
}
