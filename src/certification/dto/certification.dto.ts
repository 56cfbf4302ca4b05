import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Matches, Max, Min, IsInt } from 'class-validator';
import { Length, msg } from '../../common/validation';
import { PageQuery } from '../../common/page-query';

const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === ''
    ? undefined
    : typeof value === 'string'
      ? value.trim()
      : value;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;

export class IssueCertificationDto {
  @ApiProperty()
  @IsUUID('all', { message: msg('id') })
  cohortId: string;

  @ApiProperty()
  @IsUUID('all', { message: msg('id') })
  userId: string;

  @ApiPropertyOptional({
    example: '2026-03-11',
    description:
      'defaults to today; may be backdated to the cohort endsOn, never earlier, never in the future',
  })
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: msg('date') })
  issuedOn?: string;
}

export class IssueAllDto {
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: msg('date') })
  issuedOn?: string;
}

export class RevokeDto {
  @ApiProperty({ minLength: 3, maxLength: 500 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: msg('required') })
  @Length(3, 500, { message: msg('length', { min: 3, max: 500 }) })
  reason: string;
}

export class ListCertificationsQuery extends PageQuery {
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUUID('all', { message: msg('id') })
  userId?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,80}$/, { message: msg('course') })
  courseSlug?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['active', 'expired', 'revoked'], { message: msg('one-of', { values: 'active, expired, revoked' }) })
  status?: 'active' | 'expired' | 'revoked';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUUID('all', { message: msg('id') })
  cohortId?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: msg('whole-number') })
  @Min(1, { message: msg('range', { min: 1, max: 200 }) })
  @Max(200, { message: msg('range', { min: 1, max: 200 }) })
  limit?: number;
}
