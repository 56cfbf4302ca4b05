import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { Length, MaxLength, msg } from '../../common/validation';
import { SCHOOL_LEVELS, type SchoolLevel } from '../school.entities';
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
  typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
const toList = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value];

export class CreateSchoolDto {
  @ApiProperty({ example: 'Centro Escolar Las Flores' })
  @Transform(trim)
  @IsString({ message: msg('required') })
  @Length(1, 200, { message: msg('length', { min: 1, max: 200 }) })
  name: string;

  @ApiProperty({ example: '10423', description: "the ministry's code, unique within the country" })
  @Transform(trim)
  @IsString({ message: msg('required') })
  @Matches(/^[A-Za-z0-9._/-]{1,40}$/, { message: msg('school-code') })
  code: string;

  @ApiProperty({ example: 'SV' })
  @Transform(upper)
  @Matches(/^[A-Z]{2}$/, { message: msg('country-code') })
  countryCode: string;

  @ApiProperty({ example: 'Santa Tecla', description: 'municipality name (created when new)' })
  @Transform(trim)
  @IsString({ message: msg('required') })
  @Length(1, 120, { message: msg('length', { min: 1, max: 120 }) })
  municipality: string;

  @ApiPropertyOptional({ enum: SCHOOL_LEVELS })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(SCHOOL_LEVELS, { message: msg('one-of', { values: SCHOOL_LEVELS.join(', ') }) })
  level?: SchoolLevel;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString({ message: msg('text') })
  @MaxLength(300, { message: msg('max-length', { max: 300 }) })
  address?: string;
}

export class CoordinatorsDto {
  @ApiProperty({ type: [String] })
  @Transform(toList)
  @IsArray({ message: msg('list') })
  @ArrayMaxSize(50, { message: msg('list-max', { max: 50 }) })
  @IsUUID('all', { each: true, message: msg('id') })
  userIds: string[];
}

export class ListSchoolsQuery extends PageQuery {
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: msg('max-length', { max: 100 }) })
  q?: string;

  @Transform(({ value }) =>
    typeof value === 'string' && value.trim() ? value.trim().toUpperCase() : undefined,
  )
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: msg('country-code') })
  countryCode?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUUID('all', { message: msg('id') })
  municipalityId?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: msg('whole-number') })
  @Min(1, { message: msg('range', { min: 1, max: 200 }) })
  @Max(200, { message: msg('range', { min: 1, max: 200 }) })
  limit?: number;
}

export class SchoolsCsvDto {
  @IsString({ message: msg('required') })
  @MaxLength(500_000, { message: msg('max-length', { max: 500000 }) })
  csv: string;
}
