import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { msg } from './validation';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

/**
 * Query fields every list accepts: `offset` (API.md), `page` (pages) and `lang` (the language
 * switcher). Each list declares its own `limit`, whose maximum differs.
 */
export class PageQuery {
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: msg('whole-number') })
  @Min(0, { message: msg('whole-number') })
  offset?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: msg('whole-number') })
  @Min(1, { message: msg('whole-number') })
  page?: number;

  @IsOptional()
  @IsIn(['en', 'es'])
  lang?: string;
}
