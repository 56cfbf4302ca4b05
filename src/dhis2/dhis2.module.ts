import { Module } from '@nestjs/common';
import { Dhis2AdminPagesController } from './dhis2-admin.pages.controller';
import { Dhis2MappingRepository } from './dhis2-mapping.repository';
import { Dhis2MappingService } from './dhis2-mapping.service';

@Module({
  controllers: [Dhis2AdminPagesController],
  providers: [Dhis2MappingRepository, Dhis2MappingService],
  exports: [Dhis2MappingService],
})
export class Dhis2Module {}
