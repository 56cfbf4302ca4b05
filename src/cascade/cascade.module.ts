import { Module } from '@nestjs/common';
import { CertificationReadModule } from '../certification/certification-read.module';
import { CoursesModule } from '../courses/courses.module';
import { SchoolsModule } from '../schools/schools.module';
import { CascadeApiController } from './cascade.api.controller';
import { CascadePagesController } from './cascade.pages.controller';
import { CascadeRepository } from './cascade.repository';
import { CascadeService } from './cascade.service';
import { IdempotencyService } from './idempotency.service';

@Module({
  imports: [SchoolsModule, CoursesModule, CertificationReadModule],
  controllers: [CascadePagesController, CascadeApiController],
  providers: [CascadeRepository, CascadeService, IdempotencyService],
  exports: [CascadeService],
})
export class CascadeModule {}
