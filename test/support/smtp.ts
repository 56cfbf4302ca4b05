import { createServer, type AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import nodemailer, { type Transporter } from 'nodemailer';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
  port: number;
  /** Every message the server accepted, parsed. */
  inbox: ParsedMail[];
  /** Messages addressed to `address` (case-insensitive). */
  to(address: string): ParsedMail[];
  /** A nodemailer transport pointing at this server (for `MailTransport.useTransport`). */
  transport(): Transporter;
  close(): Promise<void>;
}

const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) =>
    a.value.map((v) => (v.address ?? '').toLowerCase()),
  );

/** A real SMTP server in this process (STACK-NOTES "Mail test"). */
export async function startSmtp(): Promise<TestSmtp> {
  const inbox: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          inbox.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
  });
  return {
    port,
    inbox,
    to: (address) => inbox.filter((m) => addresses(m.to).includes(address.toLowerCase())),
    transport: () => smtpTransport(port),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const smtpTransport = (port: number): Transporter =>
  nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 2000,
  });

/** A local port nothing listens on (SMTP "down"). */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The token of the first `${APP_URL}/<kind>/<token>` link in a mail's text. */
export function linkToken(mail: ParsedMail, kind: 'invite' | 'reset-password'): string {
  const match = new RegExp(`http://cascada\\.test/${kind}/([A-Za-z0-9_-]+)`).exec(mail.text ?? '');
  if (!match) throw new Error(`no ${kind} link in the mail: ${mail.text}`);
  return match[1];
}
