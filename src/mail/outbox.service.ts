import { Inject, Injectable, Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { Database } from '../database/database.service';
import type { Language } from '../common/kernel/user-role.enum';
import { MailTemplates } from './mail-templates';
import { MailTransport } from './mail-transport';
import { OutboxMessage, OutboxStatus } from './outbox-message.entity';
import { OutboxRepository } from './outbox.repository';

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
    private readonly messages: OutboxRepository,
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
    return this.messages.insert(tx, {
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
        this.messages.recordAttempt(tx, message.id, {
          status: 'sent',
          sentAt: this.clock.now(),
          attempts: message.attempts + 1,
          lastError: null,
        }),
      );
      this.logger.log({ msg: 'mail sent', messageId: message.id, template: message.template });
      return true;
    } catch (error) {
      const attempts = message.attempts + 1;
      const status: OutboxStatus = attempts >= MAX_ATTEMPTS ? 'failed' : 'pending';
      const reason = String((error as Error)?.message ?? error).slice(0, 500);
      await this.db.transaction((tx) =>
        this.messages.recordAttempt(tx, message.id, {
          status,
          attempts,
          lastError: reason,
          claimedAt: null,
          nextAttemptAt: new Date(this.clock.now().getTime() + backoffMs(attempts)),
        }),
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
    if (!(await this.messages.anyDue(now, stale))) return [];
    return this.db.transaction(async (tx) => {
      await this.messages.releaseStaleClaims(tx, stale);
      const ids = await this.messages.lockDueIds(tx, now, BATCH);
      if (ids.length === 0) return [];
      return this.messages.markClaimed(tx, ids, now);
    });
  }

  async page(
    limit: number,
    offset: number,
    status?: OutboxStatus,
  ): Promise<{ items: OutboxMessage[]; total: number }> {
    return this.messages.pageNewestFirst(limit, offset, status);
  }

  findOne(id: string): Promise<OutboxMessage | null> {
    return this.messages.findById(id);
  }

  /** Every message to one address, oldest first (a person's data export). */
  messagesTo(address: string): Promise<OutboxMessage[]> {
    return this.messages.findToAddress(address);
  }

  /**
   * Inside the caller's transaction, for an anonymised account: mail not yet sent to `oldAddress` is
   * dropped; sent mail keeps its row (the outbox's history) addressed to `newAddress`, without subject
   * or body. Returns the ids of every message that was addressed to it (to delete copies on disk).
   */
  async forgetRecipient(tx: EntityManager, oldAddress: string, newAddress: string): Promise<string[]> {
    const messages = await this.messages.findToAddress(oldAddress, tx);
    const unsent = messages.filter((m) => m.status === 'pending' || m.status === 'sending').map((m) => m.id);
    const kept = messages.filter((m) => !unsent.includes(m.id)).map((m) => m.id);
    if (unsent.length) await this.messages.deleteByIds(tx, unsent);
    if (kept.length) await this.messages.blankContent(tx, kept, newAddress);
    return messages.map((m) => m.id);
  }

  get holderName(): string {
    return this.holder;
  }
}
