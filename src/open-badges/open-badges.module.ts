import { Module } from '@nestjs/common';
import { CertificationModule } from '../certification/certification.module';
import { CoursesModule } from '../courses/courses.module';
import { CredentialSigner } from './credential-signer';
import { OpenBadgesController } from './open-badges.controller';
import { OpenBadgesService } from './open-badges.service';

/** Portable credentials (Open Badges 3.0 and 2.0) of certifications; see README "Portable credentials". */
@Module({
  imports: [CertificationModule, CoursesModule],
  controllers: [OpenBadgesController],
  providers: [CredentialSigner, OpenBadgesService],
})
export class OpenBadgesModule {}
