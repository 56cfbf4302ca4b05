import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsObject, IsOptional, IsString } from 'class-validator';
import { msg } from '../../common/validation';

export class QuizAttemptDto {
  @ApiProperty({ example: { q1: ['a'], q2: ['a', 'c'] }, description: 'question id → chosen option ids' })
  @IsDefined({ message: msg('required') })
  @IsObject({ message: msg('answers-shape') })
  answers: Record<string, string[]>;

  @ApiPropertyOptional({
    description:
      'the sittingId the quiz GET returned: a repeated submit of that sitting returns its first result instead of counting twice',
  })
  @IsOptional()
  @IsString({ message: msg('sitting-id') })
  sittingId?: string;
}
