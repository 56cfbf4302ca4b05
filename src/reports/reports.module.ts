import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { ReportReader } from './report-reader';
import { LineageController } from './lineage.controller';
import { LineageService } from './lineage.service';

@Module({ imports: [CoursesModule], controllers: [ReportsController, LineageController], providers: [ReportsService, ReportReader, LineageService], exports: [ReportsService] })
export class ReportsModule {}
