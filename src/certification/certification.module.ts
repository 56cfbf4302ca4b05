import { Module } from '@nestjs/common';
import { CohortsModule } from '../cohorts/cohorts.module';
import { CoursesModule } from '../courses/courses.module';
import { CertificationApiController } from './certification.api.controller';
import { CertificationPagesController } from './certification.pages.controller';
import { CertificationPageModels } from './certification.page-models';
import { CertificationReadModule } from './certification-read.module';
import { CertificationRepository } from './certification.repository';
import { CertificationService } from './certification.service';
import { CodeGenerator } from './code-generator';
import { CertificationExpiryJob } from './expiry.job';

@Module({
  imports: [CohortsModule, CoursesModule, CertificationReadModule],
  controllers: [CertificationPagesController, CertificationApiController],
  providers: [
    CertificationRepository,
    CertificationService,
    CodeGenerator,
    CertificationExpiryJob,
    CertificationPageModels,
  ],
  exports: [CertificationService, CertificationReadModule],
})
export class CertificationModule {}
