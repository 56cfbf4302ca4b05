import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { UsersModule } from '../users/users.module';
import { CohortsApiController } from './cohorts.api.controller';
import { CohortsPagesController } from './cohorts.pages.controller';
import { CohortsPageModels } from './cohorts.page-models';
import { CohortsRepository } from './cohorts.repository';
import { CohortsService } from './cohorts.service';

/** Needs CERTIFICATION_FACTS, provided by the global CertificationReadModule (certification imports cohorts). */
@Module({
  imports: [UsersModule, CoursesModule],
  controllers: [CohortsPagesController, CohortsApiController],
  providers: [CohortsRepository, CohortsService, CohortsPageModels],
  exports: [CohortsService],
})
export class CohortsModule {}
