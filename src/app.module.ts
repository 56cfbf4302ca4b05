import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AdminPagesController } from './admin/admin.pages.controller';
import { AuditQueryService } from './common/audit/audit-query.service';
import { AuditRepository } from './common/audit/audit.repository';
import { AuditService } from './common/audit/audit.service';
import { Clock } from './common/clock';
import { ErrorsFilter } from './common/filters/errors.filter';
import { AccessGuard } from './common/guards/access.guard';
import { RateLimitRepository } from './common/http/rate-limit.repository';
import { RateLimiter } from './common/http/rate-limiter';
import { PageInterceptor } from './common/view/page.interceptor';
import { APP_CONFIG, type AppConfig } from './config/app.config';
import { DatabaseModule, DB_SCHEMA } from './database/database.module';
import { BootstrapService } from './demo/bootstrap.service';
import { HealthController } from './health/health.controller';
import { ServiceWorkerController } from './health/service-worker.controller';
import { HomeModule } from './home/home.module';
import { MailTransport } from './mail/mail-transport';
import { MailWorker } from './mail/mail-worker';
import { CoursesModule } from './courses/courses.module';
import { CohortsModule } from './cohorts/cohorts.module';
import { CertificationModule } from './certification/certification.module';
import { CertificationReadModule } from './certification/certification-read.module';
import { SchoolsModule } from './schools/schools.module';
import { OpenBadgesModule } from './open-badges/open-badges.module';
import { CascadeModule } from './cascade/cascade.module';
import { ReportsModule } from './reports/reports.module';
import { Dhis2Module } from './dhis2/dhis2.module';
import { UsersModule } from './users/users.module';
import { AuthModule } from './auth/auth.module';
import { OutboxRepository } from './mail/outbox.repository';
import { OutboxService } from './mail/outbox.service';
import { OutboxMessage } from './mail/outbox-message.entity';
import { AuditEntry } from './common/audit/audit-entry.entity';
import { RateLimitBucket } from './common/http/rate-limit-bucket.entity';

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
      AuditRepository,
      AuditService,
      AuditQueryService,
      RateLimitRepository,
      RateLimiter,
      MailTransport,
      OutboxRepository,
      OutboxService,
      MailWorker,
    ];
    return {
      module: CoreModule,
      // The shared services' own tables: the audit log, rate-limit counters and the mail outbox.
      imports: [DatabaseModule, DatabaseModule.forFeature([AuditEntry, RateLimitBucket, OutboxMessage])],
      providers,
      exports: [
        APP_CONFIG,
        DB_SCHEMA,
        Clock,
        AuditService,
        AuditQueryService,
        RateLimiter,
        MailTransport,
        OutboxService,
        DatabaseModule,
      ],
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
        AuthModule,
        UsersModule,
        CoursesModule,
        // Global: provides cohorts' CERTIFICATION_FACTS (cohorts cannot import certification).
        CertificationReadModule,
        CohortsModule,
        CertificationModule,
        OpenBadgesModule,
        SchoolsModule,
        CascadeModule,
        ReportsModule,
        Dhis2Module,
        HomeModule,
      ],
      controllers: [AdminPagesController, HealthController, ServiceWorkerController],
      providers: [
        BootstrapService,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_INTERCEPTOR, useClass: PageInterceptor },
        { provide: APP_FILTER, useClass: ErrorsFilter },
      ],
    };
  }
}
