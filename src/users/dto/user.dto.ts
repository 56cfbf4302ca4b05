import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Length, MaxLength, msg } from '../../common/validation';
import {
  LANGUAGES,
  type Language,
  ROLES,
  type Role,
  SEXES,
  type Sex,
  USER_STATUSES,
} from '../../common/kernel/user-role.enum';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lower = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;
const upperOrNull = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim().toUpperCase()) : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export class CreateUserDto {
  @ApiProperty({ example: 'ana@example.org' })
  @Transform(lower)
  @IsEmail({}, { message: msg('email') })
  @MaxLength(254, { message: msg('max-length', { max: 254 }) })
  email: string;

  @ApiProperty({ example: 'Ana Martínez' })
  @Transform(trim)
  @IsString({ message: msg('required') })
  @Length(1, 120, { message: msg('length', { min: 1, max: 120 }) })
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: msg('one-of', { values: ROLES.join(', ') }) })
  role: Role;

  @ApiPropertyOptional({ enum: SEXES })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(SEXES, { message: msg('one-of', { values: SEXES.join(', ') }) })
  sex?: Sex;

  @ApiPropertyOptional({ enum: LANGUAGES })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(LANGUAGES, { message: msg('one-of', { values: LANGUAGES.join(', ') }) })
  language?: Language;

  @ApiPropertyOptional({
    example: 'SV',
    description: 'ISO 3166-1 alpha-2; for a manager, their country scope',
  })
  @Transform(upperOrNull)
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: msg('country-code') })
  countryCode?: string;

  @ApiPropertyOptional()
  @Transform(trim)
  @IsOptional()
  @IsString({ message: msg('text') })
  @MaxLength(160, { message: msg('max-length', { max: 160 }) })
  organisation?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'schools a coordinator is assigned to (with the schools feature)',
  })
  @IsOptional()
  @IsArray({ message: msg('list') })
  @ArrayMaxSize(200, { message: msg('list-max', { max: 200 }) })
  @IsUUID('all', { each: true, message: msg('id') })
  schoolIds?: string[];

  @ApiPropertyOptional({ description: 'without it, an invitation email is sent' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString({ message: msg('text') })
  password?: string;
}

export class UpdateUserDto {
  @Transform(trim)
  @IsString({ message: msg('required') })
  @Length(1, 120, { message: msg('length', { min: 1, max: 120 }) })
  name: string;

  @IsIn(ROLES, { message: msg('one-of', { values: ROLES.join(', ') }) })
  role: Role;

  @IsIn(SEXES, { message: msg('one-of', { values: SEXES.join(', ') }) })
  sex: Sex;

  @IsIn(LANGUAGES, { message: msg('one-of', { values: LANGUAGES.join(', ') }) })
  language: Language;

  @Transform(upperOrNull)
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: msg('country-code') })
  countryCode?: string;

  @Transform(trim)
  @IsOptional()
  @IsString({ message: msg('text') })
  @MaxLength(160, { message: msg('max-length', { max: 160 }) })
  organisation?: string;

  @IsIn(USER_STATUSES, { message: msg('one-of', { values: USER_STATUSES.join(', ') }) })
  @IsOptional()
  status?: (typeof USER_STATUSES)[number];
}

export class ListUsersQuery {
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(ROLES, { message: msg('one-of', { values: ROLES.join(', ') }) })
  role?: Role;

  @Transform(upperOrNull)
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: msg('country-code') })
  countryCode?: string;

  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: msg('max-length', { max: 100 }) })
  q?: string;

  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsOptional()
  @IsIn([...Array(101).keys()].slice(1), { message: msg('range', { min: 1, max: 100 }) })
  limit?: number;

  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsOptional()
  @Matches(/^\d{1,7}$/, { message: msg('whole-number') })
  offset?: number;

  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsOptional()
  page?: number;

  @IsOptional()
  @IsIn(LANGUAGES)
  lang?: Language;
}

/** The anonymise form: the admin ticks that they understand it cannot be undone (API callers send `confirm: "yes"`). */
export class AnonymiseUserDto {
  @ApiProperty({ enum: ['yes'] })
  @IsIn(['yes'], { message: msg('confirm-required') })
  confirm: 'yes';
}
