import { IsString, MaxLength } from 'class-validator';
import { msg } from '../common/validation';

export class Dhis2MappingCsvDto {
  @IsString({ message: msg('required') })
  @MaxLength(1_000_000, { message: msg('max-length', { max: 1000000 }) })
  csv: string;
}
