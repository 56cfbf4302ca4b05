import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { ReportReader } from './report-reader';

@Module({ imports: [CoursesModule], controllers: [ReportsController], providers: [ReportsService, ReportReader], exports: [ReportsService] })
export class ReportsModule {}
