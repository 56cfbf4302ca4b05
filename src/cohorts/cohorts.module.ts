import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { UsersModule } from '../users/users.module';
import { CohortsApiController } from './cohorts.api.controller';
import { CohortsPagesController } from './cohorts.pages.controller';
import { CohortsPageModels } from './cohorts.page-models';
import { CohortsRepository } from './cohorts.repository';
import { CohortsService } from './cohorts.service';
import { Cohort } from './cohort.entity';
import {
  Attendance,
  CohortDay,
  CohortFacilitator,
  CohortParticipant,
  PracticumResult,
} from './cohort-member.entities';
import { DatabaseModule } from '../database/database.module';

/** The tables this module owns (registered with the DataSource, issue 14 item 1). */
export const COHORTS_ENTITIES = [
  Cohort,
  CohortFacilitator,
  CohortParticipant,
  CohortDay,
  Attendance,
  PracticumResult,
];

/** Needs CERTIFICATION_FACTS, provided by the global CertificationReadModule (certification imports cohorts). */
@Module({
  imports: [DatabaseModule.forFeature(COHORTS_ENTITIES), UsersModule, CoursesModule],
  controllers: [CohortsPagesController, CohortsApiController],
  providers: [CohortsRepository, CohortsService, CohortsPageModels],
  exports: [CohortsService],
})
export class CohortsModule {}
