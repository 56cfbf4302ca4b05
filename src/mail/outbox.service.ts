import { Inject, Injectable, Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { EntityManager, In, LessThanOrEqual } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { Database, toDialect } from '../database/database.service';
import type { Language } from '../common/kernel/user-role.enum';
import { MailTemplates } from './mail-templates';
import { MailTransport } from './mail-transport';
import { OutboxMessage, OutboxStatus } from './outbox-message.entity';

export interface MailRequest {
  to: string;
  template: string;
  language: Language;
  data: Record<string, unknown>;
}

export const MAX_ATTEMPTS = 8;
const BATCH = 20;
/** A claim older than this is from an instance that died while sending: the message is retried. */
const STALE_CLAIM_MS = 10 * 60 * 1000;

/** Back-off after the n-th failed attempt: 1, 2, 4 … minutes, at most 6 hours. */
export const backoffMs = (attempts: number): number =>
  Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60 * 1000);

/**
 * The persistent outbox: business code enqueues inside its own transaction (so a mail exists exactly
 * when the change does); `deliverDue()` sends, retries with back-off and records failures.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);
  private readonly templates = new MailTemplates();
  private readonly holder = `${hostname()}:${process.pid}`;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** An absolute link for mail, from APP_URL. */
  link(path: string): string {
    return `${this.config.appUrl}${path}`;
  }

  async enqueue(tx: EntityManager, request: MailRequest): Promise<OutboxMessage> {
    const rendered = this.templates.render(request.template, request.language, request.data);
    const now = this.clock.now();
    const message = tx.create(OutboxMessage, {
      toAddress: request.to,
      subject: rendered.subject.slice(0, 300),
      textBody: rendered.text,
      htmlBody: rendered.html,
      template: request.template,
      language: request.language,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      claimedAt: null,
      lastError: null,
      createdAt: now,
      sentAt: null,
    });
    await tx.insert(OutboxMessage, message);
    return message;
  }

  /** Sends every due message once; returns how many were sent. Safe to run on several instances. */
  async deliverDue(): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    for (;;) {
      const batch = await this.claim();
      if (batch.length === 0) break;
      for (const message of batch) {
        if (await this.deliver(message)) sent++;
        else failed++;
      }
      if (batch.length < BATCH) break;
    }
    return { sent, failed };
  }

  private async deliver(message: OutboxMessage): Promise<boolean> {
    try {
      await this.transport.send({
        id: message.id,
        to: message.toAddress,
        subject: message.subject,
        text: message.textBody,
        html: message.htmlBody,
      });
      await this.db.transaction((tx) =>
        tx.update(
          OutboxMessage,
          { id: message.id },
          { status: 'sent', sentAt: this.clock.now(), attempts: message.attempts + 1, lastError: null },
        ),
      );
      this.logger.log({ msg: 'mail sent', messageId: message.id, template: message.template });
      return true;
    } catch (error) {
      const attempts = message.attempts + 1;
      const status: OutboxStatus = attempts >= MAX_ATTEMPTS ? 'failed' : 'pending';
      const reason = String((error as Error)?.message ?? error).slice(0, 500);
      await this.db.transaction((tx) =>
        tx.update(
          OutboxMessage,
          { id: message.id },
          {
            status,
            attempts,
            lastError: reason,
            claimedAt: null,
            nextAttemptAt: new Date(this.clock.now().getTime() + backoffMs(attempts)),
          },
        ),
      );
      this.logger.warn({ msg: 'mail not sent', messageId: message.id, attempts, status, reason });
      return false;
    }
  }

  /** Claims due messages row by row: `FOR UPDATE SKIP LOCKED` on PostgreSQL, the write lock on SQLite. */
  private async claim(): Promise<OutboxMessage[]> {
    const now = this.clock.now();
    const stale = new Date(now.getTime() - STALE_CLAIM_MS);
    // A cheap read first: an idle outbox costs no write transaction (no fsync every poll).
    const due = await this.db.manager.exists(OutboxMessage, {
      where: [
        { status: 'pending', nextAttemptAt: LessThanOrEqual(now) },
        { status: 'sending', claimedAt: LessThanOrEqual(stale) },
      ],
    });
    if (!due) return [];
    return this.db.transaction(async (tx) => {
      await tx.update(
        OutboxMessage,
        { status: 'sending', claimedAt: LessThanOrEqual(stale) },
        { status: 'pending', claimedAt: null },
      );
      let ids: string[];
      if (this.db.kind === 'postgres') {
        const rows: Array<{ id: string }> = await tx.query(
          toDialect(
            this.db.kind,
            `SELECT id FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= ?
             ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
          ),
          [now.toISOString()],
        );
        ids = rows.map((r) => r.id);
      } else {
        const rows = await tx.find(OutboxMessage, {
          select: { id: true },
          where: { status: 'pending', nextAttemptAt: LessThanOrEqual(now) },
          order: { nextAttemptAt: 'ASC' },
          take: BATCH,
        });
        ids = rows.map((r) => r.id);
      }
      if (ids.length === 0) return [];
      await tx.update(OutboxMessage, { id: In(ids) }, { status: 'sending', claimedAt: now });
      return tx.find(OutboxMessage, { where: { id: In(ids) } });
    });
  }

  async page(
    limit: number,
    offset: number,
    status?: OutboxStatus,
  ): Promise<{ items: OutboxMessage[]; total: number }> {
    const [items, total] = await this.db.manager.findAndCount(OutboxMessage, {
      where: status ? { status } : {},
      order: { createdAt: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total };
  }

  findOne(id: string): Promise<OutboxMessage | null> {
    return this.db.manager.findOne(OutboxMessage, { where: { id } });
  }

  get holderName(): string {
    return this.holder;
  }
}
