import { Inject, Injectable } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/app.config';

export interface OutgoingMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export const MAIL_FROM = 'Cascada <no-reply@cascada.local>';

/** Delivers one message: SMTP when SMTP_URL is set, otherwise an .eml file in DATA_DIR/outbox. */
@Injectable()
export class MailTransport {
  private transporter: Transporter;
  private fileDir: string | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.smtpUrl) {
      this.transporter = nodemailer.createTransport(config.smtpUrl, { from: MAIL_FROM });
    } else {
      this.fileDir = join(config.dataDir, 'outbox');
      mkdirSync(this.fileDir, { recursive: true });
      this.transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }

  get description(): string {
    return this.fileDir ? `files in ${this.fileDir}` : 'SMTP';
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = await this.transporter.sendMail({
      from: MAIL_FROM,
      // An address object, not a string: nodemailer parses a string as an address list, so a stored
      // "a@x.org,b@y.org" or "<b@y.org>…" would add or swap recipients. One message, one stored address.
      to: { name: '', address: mail.to },
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: `<${mail.id}@cascada.local>`,
    });
    if (this.fileDir)
      writeFileSync(join(this.fileDir, `${mail.id}.eml`), (info as unknown as { message: Buffer }).message);
  }

  /** Tests point the sender at an in-process SMTP server (no .eml copy then: SMTP returns no message buffer). */
  useTransport(transporter: Transporter): void {
    this.transporter = transporter;
    this.fileDir = undefined;
  }
}
