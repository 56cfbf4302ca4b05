import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsObject } from 'class-validator';
import { msg } from '../../common/validation';

export class QuizAttemptDto {
  @ApiProperty({ example: { q1: ['a'], q2: ['a', 'c'] }, description: 'question id → chosen option ids' })
  @IsDefined({ message: msg('required') })
  @IsObject({ message: msg('answers-shape') })
  answers: Record<string, string[]>;
}
