import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Length, MaxLength, msg } from '../../common/validation';
import { PageQuery } from '../../common/page-query';

export const MAX_COUNT = 2000;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value === '' ? 0 : value;
/** A head count: a whole number from 0 to MAX_COUNT (form fields arrive as strings). */
const Count = () =>
  applyDecorators(
    Transform(toInt),
    IsInt({ message: msg('whole-number') }),
    Min(0, { message: msg('range', { min: 0, max: MAX_COUNT }) }),
    Max(MAX_COUNT, { message: msg('range', { min: 0, max: MAX_COUNT }) }),
  );

export class ParticipantsBySex {
  @ApiProperty() @Count() female: number;
  @ApiProperty() @Count() male: number;
  @ApiProperty() @Count() unspecified: number;
}

export class ParticipantsByAge {
  @ApiProperty() @Count() under_10: number;
  @ApiProperty() @Count() '10_14': number;
  @ApiProperty() @Count() '15_17': number;
  @ApiProperty() @Count() '18_plus': number;
}

export class LogSessionDto {
  @ApiProperty()
  @IsUUID('all', { message: msg('id') })
  schoolId: string;

  @ApiProperty()
  @IsUUID('all', { message: msg('id') })
  trainerId: string;

  @ApiProperty({ example: 'school-tip-awareness' })
  @IsString({ message: msg('required') })
  @Matches(/^[a-z0-9-]{1,80}$/, { message: msg('course') })
  courseSlug: string;

  @ApiProperty({ type: [String], example: ['school-sessions-10-14'] })
  @Transform(({ value }) =>
    value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value],
  )
  @IsArray({ message: msg('list') })
  @ArrayMinSize(1, { message: msg('modules-required') })
  @ArrayMaxSize(20, { message: msg('list-max', { max: 20 }) })
  @Matches(/^[a-z0-9-]{1,80}$/, { each: true, message: msg('module') })
  moduleSlugs: string[];

  @ApiProperty({ example: '2026-03-02' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: msg('date') })
  date: string;

  @ApiProperty({ example: 50 })
  @Transform(toInt)
  @IsInt({ message: msg('whole-number') })
  @Min(5, { message: msg('range', { min: 5, max: 600 }) })
  @Max(600, { message: msg('range', { min: 5, max: 600 }) })
  durationMinutes: number;

  @ApiProperty({ type: ParticipantsBySex })
  @IsDefined({ message: msg('required') })
  @IsObject({ message: msg('required') })
  @ValidateNested()
  @Type(() => ParticipantsBySex)
  participants: ParticipantsBySex;

  @ApiProperty({ type: ParticipantsByAge })
  @IsDefined({ message: msg('required') })
  @IsObject({ message: msg('required') })
  @ValidateNested()
  @Type(() => ParticipantsByAge)
  ageBands: ParticipantsByAge;

  @ApiPropertyOptional()
  @IsOptional()
  @Count()
  teachers?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Count()
  parents?: number;

  @ApiPropertyOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() || undefined : value))
  @IsOptional()
  @IsString({ message: msg('text') })
  @MaxLength(2000, { message: msg('max-length', { max: 2000 }) })
  notes?: string;
}

export class RejectSessionDto {
  @ApiProperty()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: msg('required') })
  @Length(3, 500, { message: msg('length', { min: 3, max: 500 }) })
  reason: string;
}

export class ListSessionsQuery extends PageQuery {
  @Transform(({ value }) => (value === '' ? undefined : value))
  @IsOptional()
  @IsUUID('all', { message: msg('id') })
  schoolId?: string;

  @Transform(({ value }) => (value === '' ? undefined : value))
  @IsOptional()
  @IsUUID('all', { message: msg('id') })
  trainerId?: string;

  @Transform(({ value }) => (value === '' ? undefined : value))
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: msg('date') })
  from?: string;

  @Transform(({ value }) => (value === '' ? undefined : value))
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: msg('date') })
  to?: string;

  @Transform(({ value }) => (value === '' ? undefined : value))
  @IsOptional()
  @IsIn(['submitted', 'confirmed', 'rejected', 'waiting-for-me'], {
    message: msg('one-of', { values: 'submitted, confirmed, rejected' }),
  })
  status?: 'submitted' | 'confirmed' | 'rejected' | 'waiting-for-me';

  @Transform(({ value }) =>
    typeof value === 'string' && value.trim() ? value.trim().toUpperCase() : undefined,
  )
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: msg('country-code') })
  countryCode?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: msg('whole-number') })
  @Min(1, { message: msg('range', { min: 1, max: 500 }) })
  @Max(500, { message: msg('range', { min: 1, max: 500 }) })
  limit?: number;
}
