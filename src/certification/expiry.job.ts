import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { Database } from '../database/database.service';
import { OutboxService } from '../mail/outbox.service';
import { CertificationRepository } from './certification.repository';
import { CatalogueService, type CourseOutline } from '../courses/catalogue.service';
import { addDays } from './validity';

export const REMINDER_DAYS = 60;
/** Reminders mailed per transaction (see `run`). */
export const REMINDER_BATCH = 100;
const JOB = 'certification-expiry';

/**
 * Daily: marks certifications past their expiry day as expired and mails holders (and the manager
 * who issued them) 60 days before expiry, once. A lease row makes it run once per day whichever
 * instance gets there first.
 */
@Injectable()
export class CertificationExpiryJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CertificationExpiry');
  private timer: NodeJS.Timeout | undefined;
  private first: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly db: Database,
    private readonly repo: CertificationRepository,
    private readonly catalogue: CatalogueService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runWorkers) return;
    const tick = () => {
      if (this.running) return;
      this.running = this.runIfDue()
        .catch((error) => this.logger.error({ msg: 'expiry job failed', error: String(error) }))
        .finally(() => (this.running = undefined));
    };
    this.timer = setInterval(tick, 60 * 60 * 1000);
    this.first = setTimeout(tick, 2_000).unref();
  }

  /** Stops before the database closes (`onApplicationShutdown`), and lets a run in progress finish. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.first);
    await this.running;
  }

  /** Runs today's pass unless another instance (or an earlier run) already took today's lease. */
  async runIfDue(): Promise<{ ran: boolean; expired: number; reminded: number }> {
    const today = this.clock.today();
    if (!(await this.db.takeLease(JOB, today, this.clock.now())))
      return { ran: false, expired: 0, reminded: 0 };
    return { ran: true, ...(await this.run(today)) };
  }

  async run(today = this.clock.today()): Promise<{ expired: number; reminded: number }> {
    const outlines = await this.catalogue.currentOutlines();
    const expired = await this.db.transaction(async (tx) => {
      const rows = await this.repo.expiredBy(today, tx);
      await this.repo.markExpired(
        tx,
        rows.map((c) => c.id),
      );
      return rows.length;
    });
    // Reminders in batches, each in its own transaction (mail and mark together), yielding between
    // them: the certifications of a large workshop expire on the same day, and thousands of reminders
    // in one transaction held the event loop and the write lock for seconds (seen in `npm run bench`).
    let reminded = 0;
    for (;;) {
      const sent = await this.db.transaction((tx) => this.remindBatch(tx, today, outlines));
      reminded += sent;
      if (sent < REMINDER_BATCH) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (expired || reminded) this.logger.log({ msg: 'expiry pass', expired, reminded });
    return { expired, reminded };
  }

  /** Mails up to REMINDER_BATCH holders (and the managers who issued) and marks those certifications reminded. */
  private async remindBatch(tx: EntityManager, today: string, outlines: CourseOutline[]): Promise<number> {
    const due = await this.repo.dueForReminder(today, addDays(today, REMINDER_DAYS), tx, REMINDER_BATCH);
    const people = await this.repo.usersByIds(
      [...new Set(due.flatMap((c) => [c.userId, c.issuedBy].filter((v): v is string => !!v)))],
      tx,
    );
    const byId = new Map(people.map((p) => [p.id, p]));
    for (const cert of due) {
      const holder = byId.get(cert.userId);
      const manager = cert.issuedBy ? byId.get(cert.issuedBy) : undefined;
      const title = outlines.find((o) => o.courseId === cert.courseId)?.manifest.title;
      for (const person of [holder, manager]) {
        if (!person || person.status !== 'active') continue;
        await this.outbox.enqueue(tx, {
          to: person.email,
          template: 'certification-expiring',
          language: person.language,
          data: {
            name: person.name,
            holderName: holder?.name ?? '',
            isHolder: person === holder,
            courseTitle: title ? title[person.language] : '',
            code: cert.code,
            expiresOn: cert.expiresOn,
            verifyLink: this.outbox.link(`/verify/${cert.code}`),
          },
        });
      }
    }
    await this.repo.markReminded(
      tx,
      due.map((c) => c.id),
      this.clock.now(),
    );
    return due.length;
  }
}
