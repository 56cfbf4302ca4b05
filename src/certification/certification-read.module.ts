import { Global, Module } from '@nestjs/common';
import { CERTIFICATION_FACTS } from '../cohorts/certification-facts.types';
import { CertificationReadService } from './certification-read.service';
import { CertificationRepository } from './certification.repository';
import { Certification } from './certification.entity';
import { DatabaseModule } from '../database/database.module';

/** The tables this module owns (registered with the DataSource, issue 14 item 1). */
export const CERTIFICATION_ENTITIES = [Certification];

/**
 * Certification's read side for other modules: CertificationReadService (cascade, open badges) and,
 * as the same instance, cohorts' CERTIFICATION_FACTS. Global because CohortsModule cannot import it:
 * certification imports cohorts, so cohorts only names the token it needs and this module fills it.
 * The repository is this module's own instance and is not exported.
 */
@Global()
@Module({
  imports: [DatabaseModule.forFeature(CERTIFICATION_ENTITIES)],
  providers: [
    CertificationRepository,
    CertificationReadService,
    { provide: CERTIFICATION_FACTS, useExisting: CertificationReadService },
  ],
  exports: [CertificationReadService, CERTIFICATION_FACTS],
})
export class CertificationReadModule {}
