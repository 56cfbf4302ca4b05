import { isEmail } from 'class-validator';
import { readCsvTable } from '../common/csv-table';
import type { Language, Sex } from '../common/kernel/user-role.enum';

export interface RosterRow {
  line: number;
  name: string;
  email: string;
  sex: Sex;
  organisation: string;
  municipality: string;
  /** The invitation's language for a new account; null: the importing manager's. */
  language: Language | null;
  /** Translation keys below `validation.` with parameters. */
  problems: Array<{ key: string; params?: Record<string, string | number> }>;
}

const HEADERS: Record<string, keyof Omit<RosterRow, 'line' | 'problems'>> = {
  name: 'name',
  nombre: 'name',
  'full name': 'name',
  'nombre completo': 'name',
  email: 'email',
  'e-mail': 'email',
  correo: 'email',
  'correo electronico': 'email',
  'correo electrónico': 'email',
  sex: 'sex',
  sexo: 'sex',
  organisation: 'organisation',
  organization: 'organisation',
  organizacion: 'organisation',
  organización: 'organisation',
  institucion: 'organisation',
  institución: 'organisation',
  municipality: 'municipality',
  municipio: 'municipality',
  language: 'language',
  idioma: 'language',
  lengua: 'language',
};

const LANGUAGE_VALUES: Record<string, Language> = {
  es: 'es',
  español: 'es',
  espanol: 'es',
  spanish: 'es',
  en: 'en',
  english: 'en',
  inglés: 'en',
  ingles: 'en',
};

const SEX_VALUES: Record<string, Sex> = {
  female: 'female',
  f: 'female',
  woman: 'female',
  mujer: 'female',
  femenino: 'female',
  male: 'male',
  m: 'male',
  man: 'male',
  hombre: 'male',
  masculino: 'male',
  h: 'male',
  '': 'unspecified',
  unspecified: 'unspecified',
  'no especificado': 'unspecified',
  'prefers not to say': 'unspecified',
  'prefiere no decir': 'unspecified',
};

export const MAX_ROWS = 500;

/**
 * Parses a roster CSV (comma or semicolon, English or Spanish headers, optional BOM) into rows with
 * their problems. Nothing is written here: the caller shows the preview, then imports all or nothing.
 */
export function parseRoster(text: string): { rows: RosterRow[]; fileProblem?: string } {
  const table = readCsvTable(text, HEADERS, MAX_ROWS);
  if ('fileProblem' in table) return { rows: [], fileProblem: table.fileProblem };
  const { columns, records } = table;
  if (!columns.includes('name') || !columns.includes('email'))
    return { rows: [], fileProblem: 'csv-headers' };
  const seen = new Map<string, number>();
  return {
    rows: records.map((record, index) => {
      const get = (key: 'name' | 'email' | 'sex' | 'organisation' | 'municipality' | 'language') =>
        (columns.indexOf(key) >= 0 ? (record[columns.indexOf(key)] ?? '') : '').trim();
      const row: RosterRow = {
        line: index + 2,
        name: get('name').slice(0, 200),
        email: get('email').toLowerCase().slice(0, 300),
        sex: 'unspecified',
        organisation: get('organisation').slice(0, 200),
        municipality: get('municipality').slice(0, 200),
        language: null,
        problems: [],
      };
      if (!row.name) row.problems.push({ key: 'required-name' });
      else if (row.name.length > 120) row.problems.push({ key: 'length', params: { min: 1, max: 120 } });
      // The same check as the API's and the account's (users.service): the preview never promises a row the import refuses.
      if (!isEmail(row.email) || row.email.length > 254) row.problems.push({ key: 'email' });
      const sex = SEX_VALUES[get('sex').toLowerCase()];
      if (sex) row.sex = sex;
      else row.problems.push({ key: 'sex-value', params: { value: get('sex').slice(0, 30) } });
      const language = get('language').toLowerCase();
      if (language && LANGUAGE_VALUES[language]) row.language = LANGUAGE_VALUES[language];
      else if (language)
        row.problems.push({ key: 'language-value', params: { value: get('language').slice(0, 30) } });
      if (row.organisation.length > 160) row.problems.push({ key: 'max-length', params: { max: 160 } });
      const earlier = seen.get(row.email);
      if (row.email && earlier) row.problems.push({ key: 'duplicate-row', params: { line: earlier } });
      else if (row.email) seen.set(row.email, row.line);
      return row;
    }),
  };
}
