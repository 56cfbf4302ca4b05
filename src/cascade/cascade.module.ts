import { Module } from '@nestjs/common';
import { CertificationReadModule } from '../certification/certification-read.module';
import { CoursesModule } from '../courses/courses.module';
import { SchoolsModule } from '../schools/schools.module';
import { CascadeApiController } from './cascade.api.controller';
import { CascadePagesController } from './cascade.pages.controller';
import { CascadePageModels } from './cascade.page-models';
import { CascadeRepository } from './cascade.repository';
import { CascadeService } from './cascade.service';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';
import { ReachRollupsRepository } from './reach-rollups.repository';

@Module({
  imports: [SchoolsModule, CoursesModule, CertificationReadModule],
  controllers: [CascadePagesController, CascadeApiController],
  providers: [
    CascadeRepository,
    ReachRollupsRepository,
    IdempotencyRepository,
    CascadeService,
    IdempotencyService,
    CascadePageModels,
  ],
  exports: [CascadeService],
})
export class CascadeModule {}
