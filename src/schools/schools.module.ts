import { Module } from '@nestjs/common';
import { SchoolsApiController } from './schools.api.controller';
import { SchoolsPagesController } from './schools.pages.controller';
import { SchoolsRepository } from './schools.repository';
import { SchoolsService } from './schools.service';
import { Country, Municipality, School, SchoolCoordinator } from './school.entities';
import { DatabaseModule } from '../database/database.module';

/** The tables this module owns (registered with the DataSource, issue 14 item 1). */
export const SCHOOLS_ENTITIES = [Country, Municipality, School, SchoolCoordinator];

@Module({
  imports: [DatabaseModule.forFeature(SCHOOLS_ENTITIES)],
  controllers: [SchoolsPagesController, SchoolsApiController],
  providers: [SchoolsRepository, SchoolsService],
  exports: [SchoolsService],
})
export class SchoolsModule {}
