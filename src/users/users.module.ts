import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AuthApiController } from '../auth/auth.api.controller';
import { AuthPagesController } from '../auth/auth.pages.controller';
import { AuthService } from '../auth/auth.service';
import { JwtStrategy } from '../auth/jwt.strategy';
import { LinkTokensService } from '../auth/link-tokens.service';
import { MeContributors } from '../auth/me-contributors';
import { SessionsService } from '../auth/sessions.service';
import { LANGUAGE_PREFERENCE } from '../common/view/language-preference';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { AccountPagesController } from './account.pages.controller';
import { UsersApiController } from './users.api.controller';
import { UsersPagesController } from './users.pages.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { PersonalDataService } from './personal-data.service';
import { SchoolsModule } from '../schools/schools.module';

/** Accounts and authentication: users, sessions, invitations, password reset. */
@Module({
  imports: [
    SchoolsModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [
    AuthPagesController,
    AuthApiController,
    AccountPagesController,
    UsersPagesController,
    UsersApiController,
  ],
  providers: [
    SessionsService,
    LinkTokensService,
    AuthService,
    JwtStrategy,
    MeContributors,
    UsersRepository,
    UsersService,
    PersonalDataService,
    // The page interceptor (common/view) saves a picked ?lang= through this token, without importing users/.
    { provide: LANGUAGE_PREFERENCE, useExisting: UsersService },
  ],
  exports: [UsersService, UsersRepository, MeContributors, SessionsService, AuthService, LANGUAGE_PREFERENCE],
})
export class UsersModule {}
