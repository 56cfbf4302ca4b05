import { Module } from '@nestjs/common';
import { CascadeModule } from '../cascade/cascade.module';
import { CertificationModule } from '../certification/certification.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { CoursesModule } from '../courses/courses.module';
import { ReportsModule } from '../reports/reports.module';
import { HomePagesController } from './home.pages.controller';

@Module({
  imports: [CoursesModule, CertificationModule, CascadeModule, CohortsModule, ReportsModule],
  controllers: [HomePagesController],
})
export class HomeModule {}
