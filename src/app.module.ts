import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AdminPagesController } from './admin/admin.pages.controller';
import { AuthApiController } from './auth/auth.api.controller';
import { AuthPagesController } from './auth/auth.pages.controller';
import { AuthService } from './auth/auth.service';
import { JwtStrategy } from './auth/jwt.strategy';
import { LinkTokensService } from './auth/link-tokens.service';
import { MeContributors } from './auth/me-contributors';
import { SessionsService } from './auth/sessions.service';
import { AuditQueryService } from './common/audit/audit-query.service';
import { AuditService } from './common/audit/audit.service';
import { Clock } from './common/clock';
import { ErrorsFilter } from './common/filters/errors.filter';
import { AccessGuard } from './common/guards/access.guard';
import { RateLimiter } from './common/http/rate-limiter';
import { PageInterceptor } from './common/view/page.interceptor';
import { APP_CONFIG, type AppConfig } from './config/app.config';
import { DatabaseModule, DB_SCHEMA } from './database/database.module';
import { BootstrapService } from './database/seeds/bootstrap.service';
import { HealthController } from './health/health.controller';
import { HomePagesController } from './home/home.pages.controller';
import { MailTransport } from './mail/mail-transport';
import { MailWorker } from './mail/mail-worker';
import { OutboxService } from './mail/outbox.service';
import { AccountPagesController } from './users/account.pages.controller';
import { UsersApiController } from './users/users.api.controller';
import { UsersPagesController } from './users/users.pages.controller';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

export interface AppModuleOptions {
  config: AppConfig;
  /** PostgreSQL schema (tests use a fresh one per file). */
  schema?: string;
  clock?: Clock;
}

/** Configuration, clock and the shared services every feature uses. */
@Global()
@Module({})
class CoreModule {
  static register(options: AppModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: options.config },
      { provide: DB_SCHEMA, useValue: options.schema },
      { provide: Clock, useValue: options.clock ?? new Clock() },
      AuditService,
      AuditQueryService,
      RateLimiter,
      MailTransport,
      OutboxService,
      MailWorker,
    ];
    return {
      module: CoreModule,
      imports: [DatabaseModule],
      providers,
      exports: [APP_CONFIG, DB_SCHEMA, Clock, AuditService, AuditQueryService, RateLimiter, MailTransport, OutboxService, DatabaseModule],
    };
  }
}

@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(options),
        PassportModule,
        JwtModule.register({ secret: options.config.jwtSecret, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
      ],
      controllers: [
        HomePagesController,
        AuthPagesController,
        AuthApiController,
        AccountPagesController,
        UsersPagesController,
        UsersApiController,
        AdminPagesController,
        HealthController,
      ],
      providers: [
        SessionsService,
        LinkTokensService,
        AuthService,
        JwtStrategy,
        MeContributors,
        UsersRepository,
        UsersService,
        BootstrapService,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_INTERCEPTOR, useClass: PageInterceptor },
        { provide: APP_FILTER, useClass: ErrorsFilter },
      ],
    };
  }
}
