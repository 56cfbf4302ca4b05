import { Module } from '@nestjs/common';
import { ACTOR_NAMES } from '../common/audit/actor-names';
import { LANGUAGE_PREFERENCE } from '../common/view/language-preference';
import { SchoolsModule } from '../schools/schools.module';
import { PersonalDataRepository } from './personal-data.repository';
import { PersonalDataService } from './personal-data.service';
import { UsersApiController } from './users.api.controller';
import { UsersPagesController } from './users.pages.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { User } from './user.entity';
import { DatabaseModule } from '../database/database.module';

/** The tables this module owns (registered with the DataSource, issue 14 item 1). */
export const USERS_ENTITIES = [User];

/**
 * Accounts: role, scope, language, invitations sent, personal data. Authentication (sessions,
 * tokens, passwords) is the auth module's, reached through the ACCOUNT_ACCESS port it provides.
 */
@Module({
  imports: [DatabaseModule.forFeature(USERS_ENTITIES), SchoolsModule],
  controllers: [UsersPagesController, UsersApiController],
  providers: [
    UsersRepository,
    UsersService,
    PersonalDataRepository,
    PersonalDataService,
    // The page interceptor (common/view) saves a picked ?lang= through this token, without importing users/.
    { provide: LANGUAGE_PREFERENCE, useExisting: UsersService },
    // The audit log (common/audit) shows actors' names through this token, without importing users/.
    { provide: ACTOR_NAMES, useExisting: UsersService },
  ],
  // UsersRepository stays exported while courses/ and demo/ still read it (known violations, issue 14).
  exports: [UsersService, UsersRepository, PersonalDataService, LANGUAGE_PREFERENCE, ACTOR_NAMES],
})
export class UsersModule {}
