import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { FieldMessage } from '../common/errors/app-errors';
import { Dhis2Period, parsePeriod } from '../dhis2/dhis2-codes';
import type { Dhis2Level } from './dhis2-export.service';

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() || undefined : value;

/**
 * The export's filters. Kept loose at the edge (strings) so the page can show every problem beside its
 * field; `checkDhis2Query` does the real validation for the page and the API alike.
 */
export class Dhis2ExportQuery {
  @Transform(trimmed)
  @IsOptional()
  @IsString()
  @MaxLength(20)
  period?: string;

  @Transform(trimmed)
  @IsOptional()
  @IsString()
  @MaxLength(20)
  countryCode?: string;

  @Transform(trimmed)
  @IsOptional()
  @IsString()
  @MaxLength(20)
  level?: string;

  @IsOptional()
  @IsIn(['en', 'es'])
  lang?: string;
}

export const DHIS2_LEVELS: Dhis2Level[] = ['municipality', 'school'];

export function checkDhis2Query(
  query: Dhis2ExportQuery,
):
  | { period: Dhis2Period; countryCode?: string; level: Dhis2Level }
  | { errors: Record<string, FieldMessage[]> } {
  const errors: Record<string, FieldMessage[]> = {};
  const period = query.period ? parsePeriod(query.period.toUpperCase()) : undefined;
  if (!query.period) errors.period = [{ key: 'required', params: {} }];
  else if (!period) errors.period = [{ key: 'dhis2-period', params: {} }];
  const countryCode = query.countryCode?.toUpperCase();
  if (countryCode && !/^[A-Z]{2}$/.test(countryCode))
    errors.countryCode = [{ key: 'country-code', params: {} }];
  const level = (query.level ?? 'municipality') as Dhis2Level;
  if (!DHIS2_LEVELS.includes(level))
    errors.level = [{ key: 'one-of', params: { values: DHIS2_LEVELS.join(', ') } }];
  if (Object.keys(errors).length || !period) return { errors };
  return { period, countryCode, level };
}
