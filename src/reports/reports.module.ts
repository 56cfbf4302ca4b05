import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { Dhis2Module } from '../dhis2/dhis2.module';
import { Dhis2ExportController } from './dhis2-export.controller';
import { Dhis2ExportService } from './dhis2-export.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { ReportReader } from './report-reader';
import { LineageController } from './lineage.controller';
import { LineageRepository } from './lineage.repository';
import { LineageService } from './lineage.service';
import { ReportsRepository } from './reports.repository';

// Dhis2ExportController first: /reports/dhis2 must match before ReportsController's /reports/:name.
@Module({
  imports: [CoursesModule, Dhis2Module],
  controllers: [Dhis2ExportController, ReportsController, LineageController],
  providers: [
    ReportReader,
    ReportsRepository,
    LineageRepository,
    ReportsService,
    Dhis2ExportService,
    LineageService,
  ],
  exports: [ReportsService],
})
export class ReportsModule {}
