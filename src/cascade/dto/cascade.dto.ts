import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Length, MaxLength, msg } from '../../common/validation';
import { PageQuery } from '../../common/page-query';

export const MAX_COUNT = 2000;
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value === '' ? 0 : value);
const count = () => [
  Transform(toInt),
  IsInt({ message: msg('whole-number') }),
  Min(0, { message: msg('range', { min: 0, max: MAX_COUNT }) }),
  Max(MAX_COUNT, { message: msg('range', { min: 0, max: MAX_COUNT }) }),
];
const apply = (target: object, key: string) => {
  for (const decorator of count().reverse()) (decorator as PropertyDecorator)(target, key);
};

export class ParticipantsBySex {
  @ApiProperty() female: number;
  @ApiProperty() male: number;
  @ApiProperty() unspecified: number;
}
for (const key of ['female', 'male', 'unspecified']) apply(ParticipantsBySex.prototype, key);

export class ParticipantsByAge {
  @ApiProperty() under_10: number;
  @ApiProperty() '10_14': number;
  @ApiProperty() '15_17': number;
  @ApiProperty() '18_plus': number;
}
for (const key of ['under_10', '10_14', '15_17', '18_plus']) apply(ParticipantsByAge.prototype, key);

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
  @Transform(({ value }) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]))
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
  @Transform(toInt)
  @IsInt({ message: msg('whole-number') })
  @Min(0, { message: msg('range', { min: 0, max: MAX_COUNT }) })
  @Max(MAX_COUNT, { message: msg('range', { min: 0, max: MAX_COUNT }) })
  teachers?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: msg('whole-number') })
  @Min(0, { message: msg('range', { min: 0, max: MAX_COUNT }) })
  @Max(MAX_COUNT, { message: msg('range', { min: 0, max: MAX_COUNT }) })
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
  @IsIn(['submitted', 'confirmed', 'rejected', 'waiting-for-me'], { message: msg('one-of', { values: 'submitted, confirmed, rejected' }) })
  status?: 'submitted' | 'confirmed' | 'rejected' | 'waiting-for-me';

  @Transform(({ value }) => (typeof value === 'string' && value.trim() ? value.trim().toUpperCase() : undefined))
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
