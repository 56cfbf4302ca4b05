import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { dataSourceOptions, runMigrationsLocked } from './data-source';
import { Database } from './database.service';
import { type EntityClass, registerEntities, registeredEntities } from './entity-registry';
import { JobLease } from './job-lease.entity';

export const DB_SCHEMA = Symbol('DB_SCHEMA');

/** What `forFeature` returns: nothing to provide (Database is global), the registration is the point. */
@Module({})
class DatabaseFeatureModule {}

// Shared infrastructure's own table: scheduled jobs' leases (Database.takeLease).
registerEntities([JobLease]);

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG, DB_SCHEMA],
      useFactory: async (config: AppConfig, schema: string | undefined) => {
        const dataSource = new DataSource(dataSourceOptions(config, registeredEntities(), schema));
        await dataSource.initialize();
        await runMigrationsLocked(dataSource);
        return dataSource;
      },
    },
    Database,
  ],
  exports: [DataSource, Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  /** A feature module's own entities: `imports: [DatabaseModule.forFeature([Cohort, CohortDay])]`. */
  static forFeature(entities: EntityClass[]): DynamicModule {
    registerEntities(entities);
    return { module: DatabaseFeatureModule };
  }

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
