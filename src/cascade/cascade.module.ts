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
import { CascadeSession, IdempotencyKey } from './cascade-session.entity';
import { DatabaseModule } from '../database/database.module';

/** The tables this module owns (registered with the DataSource, issue 14 item 1). */
export const CASCADE_ENTITIES = [CascadeSession, IdempotencyKey];

@Module({
  imports: [
    DatabaseModule.forFeature(CASCADE_ENTITIES),
    SchoolsModule,
    CoursesModule,
    CertificationReadModule,
  ],
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
