import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { ACCOUNT_ACCESS } from '../users/account-access.types';
import { AuthAccountAccess } from './account-access';
import { AuthRepository } from './auth.repository';
import { LinkTokensService } from './link-tokens.service';
import { MeContributors } from './me-contributors.service';
import { SessionsService } from './sessions.service';
import { AuthToken } from './auth-token.entity';
import { UserSession } from './user-session.entity';
import { DatabaseModule } from '../database/database.module';

/** The tables this module owns (registered with the DataSource, issue 14 item 1). */
export const AUTH_ENTITIES = [AuthToken, UserSession];

/**
 * Sessions, link tokens and the ports auth fills for other features. Global because the users
 * module needs ACCOUNT_ACCESS and cannot import auth (auth imports users), and courses registers its
 * enrolments with MeContributors; it depends on no feature module itself. AuthModule imports it.
 */
@Global()
@Module({
  imports: [
    DatabaseModule.forFeature(AUTH_ENTITIES),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [
    AuthRepository,
    SessionsService,
    LinkTokensService,
    MeContributors,
    AuthAccountAccess,
    { provide: ACCOUNT_ACCESS, useExisting: AuthAccountAccess },
  ],
  exports: [ACCOUNT_ACCESS, SessionsService, LinkTokensService, MeContributors],
})
export class AuthCoreModule {}
