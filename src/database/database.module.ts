import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { dataSourceOptions, runMigrationsLocked } from './data-source';
import { Database } from './database.service';

export const DB_SCHEMA = Symbol('DB_SCHEMA');

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG, DB_SCHEMA],
      useFactory: async (config: AppConfig, schema: string | undefined) => {
        const dataSource = new DataSource(dataSourceOptions(config, schema));
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
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
