/**
 * The vocabulary of the DHIS2 export: what an admin maps, the indicators we send and their
 * disaggregations, DHIS2 uids and periods. Pure: no Nest, no database.
 */

export const ORG_UNIT_KINDS = ['country', 'municipality', 'school'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

export const MAPPING_KINDS = [
  ...ORG_UNIT_KINDS,
  'indicator',
  'disaggregation',
  'data-set',
  'attribute-option-combo',
] as const;
export type MappingKind = (typeof MAPPING_KINDS)[number];

/**
 * The donor indicators (DESIGN.md question 5). Sessions record students by sex and, separately, by
 * age band (the two breakdowns sum to the same total; there is no sex × age cross-tab), so students
 * are two data elements: one disaggregated by sex, one by age band.
 */
export const INDICATORS = [
  'people_trained',
  'schools_reached',
  'students_by_sex',
  'students_by_age',
  'sessions',
] as const;
export type Indicator = (typeof INDICATORS)[number];

export const DISAGGREGATIONS = [
  'female',
  'male',
  'unspecified',
  'under_10',
  '10_14',
  '15_17',
  '18_plus',
  'total',
] as const;
export type Disaggregation = (typeof DISAGGREGATIONS)[number];

/** Which disaggregations each indicator is sent with ('total': DHIS2's default category combo). */
export const DISAGGREGATIONS_OF: Record<Indicator, readonly Disaggregation[]> = {
  people_trained: ['female', 'male', 'unspecified'],
  schools_reached: ['total'],
  students_by_sex: ['female', 'male', 'unspecified'],
  students_by_age: ['under_10', '10_14', '15_17', '18_plus'],
  sessions: ['total'],
};

/** A DHIS2 uid: 11 characters, a letter then 10 letters or digits. */
export const DHIS2_UID = /^[A-Za-z][A-Za-z0-9]{10}$/;
export const isDhis2Uid = (value: string): boolean => DHIS2_UID.test(value);

/** The single key of the kinds that hold one value for the whole export. */
export const DEFAULT_KEY = 'default';

/** A DHIS2 period we export: a month (`YYYYMM`) or a quarter (`YYYYQn`). */
export interface Dhis2Period {
  /** As DHIS2 writes it in dataValueSets: 202601, 2026Q1. */
  id: string;
  type: 'monthly' | 'quarterly';
  /** Inclusive dates, YYYY-MM-DD. */
  from: string;
  to: string;
  /** As ADX writes it: ISO 8601 start and duration, 2026-01-01/P1M or 2026-01-01/P3M. */
  adx: string;
}

export const PERIOD_PATTERN = /^(\d{4})(?:(0[1-9]|1[0-2])|Q([1-4]))$/;

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOf = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Parses `YYYYMM` or `YYYYQn`; undefined for anything else. */
export function parsePeriod(raw: string): Dhis2Period | undefined {
  const match = PERIOD_PATTERN.exec(raw);
  if (!match) return undefined;
  const year = Number(match[1]);
  if (year < 2000 || year > 2100) return undefined;
  const firstMonth = match[2] ? Number(match[2]) : (Number(match[3]) - 1) * 3 + 1;
  const months = match[2] ? 1 : 3;
  const lastMonth = firstMonth + months - 1;
  return {
    id: raw,
    type: match[2] ? 'monthly' : 'quarterly',
    from: `${year}-${pad(firstMonth)}-01`,
    to: `${year}-${pad(lastMonth)}-${pad(lastDayOf(year, lastMonth))}`,
    adx: `${year}-${pad(firstMonth)}-01/P${months}M`,
  };
}
