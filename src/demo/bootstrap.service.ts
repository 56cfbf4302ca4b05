import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CascadeService } from '../cascade/cascade.service';
import { CatalogueService } from '../courses/catalogue.service';
import { CertificationService } from '../certification/certification.service';
import { CohortsService } from '../cohorts/cohorts.service';
import { Clock } from '../common/clock';
import { SchoolsService } from '../schools/schools.service';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { ContentImporter } from '../courses/content/content-importer';
import { LearningService } from '../courses/learning.service';
import { QuizzesService } from '../courses/quizzes.service';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { STARTUP_DATA_LOCK, withDatabaseLock } from '../database/data-source';
import { Database } from '../database/database.service';
import { seedDemo } from './demo.seed';

/**
 * On an empty database: the admin from ADMIN_EMAIL/ADMIN_PASSWORD, and the demo program when
 * SEED_DEMO is on. No other default credentials exist. Course content is imported first, on every start.
 */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly usersRepository: UsersRepository,
    private readonly importer: ContentImporter,
    private readonly learning: LearningService,
    private readonly moduleRef: ModuleRef,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Instances starting together on one PostgreSQL take turns: otherwise both import the same
    // course version or create the same first admin, and one of them fails to start.
    await withDatabaseLock(this.db.dataSource, STARTUP_DATA_LOCK, () => this.loadStartupData());
  }

  private async loadStartupData(): Promise<void> {
    // Every start validates content/ and imports new course versions (DESIGN.md "Content packages").
    await this.importer.importAll(this.config.contentDir);
    if ((await this.usersRepository.countAll()) > 0) return;
    if (this.config.adminEmail && this.config.adminPassword) {
      const { adminEmail, adminPassword } = this.config;
      await this.db.transaction((tx) =>
        this.users.createSystemUser(
          tx,
          { email: adminEmail, name: 'Administrator', role: 'admin' },
          adminPassword,
        ),
      );
      this.logger.log({ msg: 'first admin created from ADMIN_EMAIL', email: adminEmail });
    }
    if (this.config.seedDemo) {
      await seedDemo({
        db: this.db,
        users: this.users,
        learning: this.learning,
        quizzes: this.moduleRef.get(QuizzesService, { strict: false }),
        cohorts: this.moduleRef.get(CohortsService, { strict: false }),
        certifications: this.moduleRef.get(CertificationService, { strict: false }),
        schools: this.moduleRef.get(SchoolsService, { strict: false }),
        cascade: this.moduleRef.get(CascadeService, { strict: false }),
        clock: this.clock,
        outlines: await this.moduleRef.get(CatalogueService, { strict: false }).currentOutlines(),
      });
      this.logger.log({ msg: 'demo program loaded (SEED_DEMO)' });
    }
  }
}
