import { Module } from '@nestjs/common';
import { SchoolsApiController } from './schools.api.controller';
import { SchoolsPagesController } from './schools.pages.controller';
import { SchoolsRepository } from './schools.repository';
import { SchoolsService } from './schools.service';

@Module({
  controllers: [SchoolsPagesController, SchoolsApiController],
  providers: [SchoolsRepository, SchoolsService],
  exports: [SchoolsService],
})
export class SchoolsModule {}
