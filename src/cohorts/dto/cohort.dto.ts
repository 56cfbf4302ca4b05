import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Length, MaxLength, msg } from '../../common/validation';
import { LANGUAGES, type Language, SEXES, type Sex } from '../../common/kernel/user-role.enum';
import {
  ATTENDANCE_STATUSES,
  type AttendanceStatus,
  COHORT_STATUSES,
  type CohortStatus,
} from '../cohort-status.enum';
import { PageQuery } from '../../common/page-query';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === ''
    ? undefined
    : typeof value === 'string'
      ? value.trim()
      : value;
const upper = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
const toList = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateCohortDto {
  @ApiProperty({ example: 'school-tip-awareness' })
  @IsString({ message: msg('required') })
  @Matches(/^[a-z0-9-]{1,80}$/, { message: msg('course') })
  courseSlug: string;

  @ApiProperty({ example: 'TOT Santo Domingo — March 2026' })
  @Transform(trim)
  @IsString({ message: msg('required') })
  @Length(1, 160, { message: msg('length', { min: 1, max: 160 }) })
  name: string;

  @ApiProperty({ example: 'DO' })
  @Transform(upper)
  @Matches(/^[A-Z]{2}$/, { message: msg('country-code') })
  countryCode: string;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString({ message: msg('text') })
  @MaxLength(120, { message: msg('max-length', { max: 120 }) })
  municipality?: string;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString({ message: msg('text') })
  @MaxLength(200, { message: msg('max-length', { max: 200 }) })
  venue?: string;

  @ApiProperty({ example: '2026-03-09' })
  @Matches(DATE, { message: msg('date') })
  startsOn: string;

  @ApiProperty({ example: '2026-03-11' })
  @Matches(DATE, { message: msg('date') })
  endsOn: string;

  @ApiProperty({ example: 30 })
  @Transform(toInt)
  @IsInt({ message: msg('whole-number') })
  @Min(1, { message: msg('range', { min: 1, max: 500 }) })
  @Max(500, { message: msg('range', { min: 1, max: 500 }) })
  capacity: number;

  @ApiPropertyOptional({ type: [String] })
  @Transform(toList)
  @IsOptional()
  @IsArray({ message: msg('list') })
  @ArrayMaxSize(20, { message: msg('list-max', { max: 20 }) })
  @IsUUID('all', { each: true, message: msg('id') })
  facilitatorIds?: string[];
}

export class UpdateCohortDto extends CreateCohortDto {
  @ApiPropertyOptional({ enum: COHORT_STATUSES })
  @IsOptional()
  @IsIn(COHORT_STATUSES, { message: msg('one-of', { values: COHORT_STATUSES.join(', ') }) })
  status?: CohortStatus;
}

export class AddParticipantDto {
  @ApiProperty()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: msg('email') })
  @MaxLength(254, { message: msg('max-length', { max: 254 }) })
  email: string;

  @ApiProperty()
  @Transform(trim)
  @IsString({ message: msg('required') })
  @Length(1, 120, { message: msg('length', { min: 1, max: 120 }) })
  name: string;

  @ApiPropertyOptional({ enum: SEXES })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(SEXES, { message: msg('one-of', { values: SEXES.join(', ') }) })
  sex?: Sex;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString({ message: msg('text') })
  @MaxLength(160, { message: msg('max-length', { max: 160 }) })
  organisation?: string;

  /** The language of a new participant's invitation and account; the inviting manager's when absent. Ignored for an existing account. */
  @ApiPropertyOptional({ enum: LANGUAGES })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(LANGUAGES, { message: msg('one-of', { values: LANGUAGES.join(', ') }) })
  language?: Language;
}

export class AddDayDto {
  @ApiProperty({ example: '2026-03-09' })
  @Matches(DATE, { message: msg('date') })
  date: string;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString({ message: msg('text') })
  @MaxLength(160, { message: msg('max-length', { max: 160 }) })
  title?: string;
}

export class AttendanceRecordDto {
  @ApiProperty()
  @IsUUID('all', { message: msg('id') })
  userId: string;

  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES, { message: msg('one-of', { values: ATTENDANCE_STATUSES.join(', ') }) })
  status: AttendanceStatus;
}

export class AttendanceDto {
  @ApiProperty({ type: [AttendanceRecordDto] })
  @IsArray({ message: msg('list') })
  @ArrayMaxSize(500, { message: msg('list-max', { max: 500 }) })
  @ValidateNested({ each: true })
  @Type(() => AttendanceRecordDto)
  records: AttendanceRecordDto[];
}

export class PracticumDto {
  @ApiProperty()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: msg('yes-no') })
  passed: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @Transform(({ value }) => (value === '' || value === null ? undefined : toInt({ value })))
  @IsOptional()
  @IsInt({ message: msg('whole-number') })
  @Min(0, { message: msg('range', { min: 0, max: 100 }) })
  @Max(100, { message: msg('range', { min: 0, max: 100 }) })
  score?: number;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString({ message: msg('text') })
  @MaxLength(2000, { message: msg('max-length', { max: 2000 }) })
  notes?: string;
}

export class ListCohortsQuery extends PageQuery {
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(COHORT_STATUSES, { message: msg('one-of', { values: COHORT_STATUSES.join(', ') }) })
  status?: CohortStatus;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,80}$/, { message: msg('course') })
  courseSlug?: string;

  @Transform(({ value }) =>
    typeof value === 'string' && value.trim() ? value.trim().toUpperCase() : undefined,
  )
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: msg('country-code') })
  countryCode?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: msg('whole-number') })
  @Min(1, { message: msg('range', { min: 1, max: 100 }) })
  @Max(100, { message: msg('range', { min: 1, max: 100 }) })
  limit?: number;
}
