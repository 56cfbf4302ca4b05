import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString } from 'class-validator';
import { Length, MaxLength, msg } from '../../common/validation';
import { LANGUAGES, type Language } from '../../common/kernel/user-role.enum';

const lower = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class LoginDto {
  @ApiProperty({ example: 'admin@demo.cascada.local' })
  @Transform(lower)
  @IsString({ message: msg('required') })
  @Length(1, 254, { message: msg('required') })
  email: string;

  @ApiProperty()
  @IsString({ message: msg('required') })
  @Length(1, 1024, { message: msg('required') })
  password: string;
}

export class SetPasswordDto {
  @ApiProperty()
  @IsString({ message: msg('required') })
  @MaxLength(200, { message: msg('token-invalid') })
  token: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString({ message: msg('required') })
  password: string;
}

/** The page form also asks to type the password twice. */
export class SetPasswordFormDto {
  @IsString({ message: msg('required') })
  password: string;

  @IsString({ message: msg('required') })
  confirm: string;
}

export class PasswordResetRequestDto {
  @ApiProperty()
  @Transform(lower)
  @IsString({ message: msg('required') })
  @Length(1, 254, { message: msg('required') })
  email: string;
}

export class ChangePasswordDto {
  @IsString({ message: msg('required') })
  current: string;

  @IsString({ message: msg('required') })
  password: string;

  @IsString({ message: msg('required') })
  confirm: string;
}

export class ProfileDto {
  @Transform(trim)
  @IsString({ message: msg('required') })
  @Length(1, 120, { message: msg('length', { min: 1, max: 120 }) })
  name: string;

  @IsIn(LANGUAGES, { message: msg('one-of', { values: LANGUAGES.join(', ') }) })
  language: Language;
}
