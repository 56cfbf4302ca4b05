import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { Dhis2AdminPagesController } from './dhis2-admin.pages.controller';
import { Dhis2Mapping } from './dhis2-mapping.entity';
import { Dhis2MappingRepository } from './dhis2-mapping.repository';
import { Dhis2MappingService } from './dhis2-mapping.service';

/** The tables this module owns (registered with the DataSource, issue 14 item 1). */
export const DHIS2_ENTITIES = [Dhis2Mapping];

@Module({
  imports: [DatabaseModule.forFeature(DHIS2_ENTITIES)],
  controllers: [Dhis2AdminPagesController],
  providers: [Dhis2MappingRepository, Dhis2MappingService],
  exports: [Dhis2MappingService],
})
export class Dhis2Module {}
