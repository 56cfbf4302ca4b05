import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import type { AuthUser } from '../common/kernel/auth-user';
import { countryScopeOf } from '../common/access/scope';
import { msg } from '../common/validation';

const empty = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === ''
    ? undefined
    : typeof value === 'string'
      ? value.trim()
      : value;

export const GROUP_BYS = ['country', 'municipality', 'school', 'month', 'trainer', 'generation'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** The filters every report accepts (API.md "Reports"); the URL holds them so a report can be shared. */
export class ReportQuery {
  @Transform(empty)
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: msg('date') })
  from?: string;

  @Transform(empty)
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: msg('date') })
  to?: string;

  @Transform(({ value }) =>
    typeof value === 'string' && value.trim() ? value.trim().toUpperCase() : undefined,
  )
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: msg('country-code') })
  countryCode?: string;

  @Transform(empty)
  @IsOptional()
  @IsString({ message: msg('text') })
  @MaxLength(120, { message: msg('max-length', { max: 120 }) })
  municipality?: string;

  @Transform(empty)
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,80}$/, { message: msg('course') })
  courseSlug?: string;

  @Transform(empty)
  @IsOptional()
  @IsUUID('all', { message: msg('id') })
  cohortId?: string;

  @Transform(empty)
  @IsOptional()
  @IsIn(GROUP_BYS, { message: msg('one-of', { values: GROUP_BYS.join(', ') }) })
  groupBy?: GroupBy;

  @Transform(empty)
  @IsOptional()
  @IsIn(['confirmed', 'all'], { message: msg('one-of', { values: 'confirmed, all' }) })
  status?: 'confirmed' | 'all';

  @Transform(empty)
  @IsOptional()
  @Matches(/^-?[a-zA-Z0-9_]{1,30}$/, { message: msg('sort') })
  sort?: string;

  @IsOptional()
  @IsIn(['en', 'es'])
  lang?: string;

  /** Donor summary: `print=1` renders the one-page print layout. */
  @IsOptional()
  @IsIn(['1'])
  print?: string;
}

export interface ReportFilters {
  from?: string;
  to?: string;
  countryCode?: string;
  municipality?: string;
  courseId?: string;
  cohortId?: string;
}

/**
 * Filters no row matches (every report filters by cohort: its own, or the trainers it certified), for
 * an ask outside the actor's scope: the report keeps its shape (columns, zero totals) and has no rows.
 */
export const NO_MATCH: ReportFilters = { cohortId: '00000000-0000-0000-0000-000000000000' };

/** A manager's country scope always wins over the asked country (an out-of-scope ask gives no rows). */
export function scopedCountry(actor: AuthUser, asked?: string): { countryCode?: string; empty: boolean } {
  const scope = countryScopeOf(actor);
  if (scope && asked && asked !== scope) return { countryCode: scope, empty: true };
  return { countryCode: scope ?? asked, empty: false };
}
