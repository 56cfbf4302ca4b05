import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { OutboxService } from './outbox.service';

const POLL_MS = 5_000;

/**
 * Polls the outbox while the app runs; stops cleanly on shutdown (tests drive `deliverDue()` directly).
 * It stops before any `onApplicationShutdown` hook, so a run never meets a closed database.
 */
@Injectable()
export class MailWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MailWorker.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runWorkers) return;
    const tick = () => {
      this.running = this.outbox
        .deliverDue()
        .catch((error) => this.logger.error({ msg: 'outbox run failed', error: String(error) }))
        .finally(() => {
          this.running = undefined;
          if (this.timer) this.timer = setTimeout(tick, POLL_MS);
        });
    };
    this.timer = setTimeout(tick, 500);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
