import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { AppConfig } from '../config/app.config';
import { MailTransport } from './mail-transport';

describe('MailTransport', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cascada-mail-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  /** Sends one message to `to` and returns the SMTP envelope's recipients and the To header. */
  async function send(to: string): Promise<{ recipients: string[]; header: string | undefined }> {
    const transport = new MailTransport({ smtpUrl: undefined, dataDir } as AppConfig);
    const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const spy = jest.spyOn(stream, 'sendMail');
    transport.useTransport(stream);
    await transport.send({ id: 'm1', to, subject: 'Hello', text: 'Hello', html: '<p>Hello</p>' });
    const info = (await spy.mock.results[0].value) as { envelope: { to: string[] }; message: Buffer };
    return {
      recipients: info.envelope.to,
      header: info.message
        .toString()
        .split('\n')
        .find((line) => line.startsWith('To:')),
    };
  }

  it('sends a plain address to that address', async () => {
    expect(await send('ana@example.org')).toEqual({
      recipients: ['ana@example.org'],
      header: 'To: ana@example.org',
    });
  });

  it.each([
    ['a list', 'attacker@evil.example,x.y', 'attacker@evil.example'],
    ['an angle address', '<script>alert(1)</script>@example.org', 'script'],
    ['a display name', '"Eve" <eve@evil.example>', 'eve@evil.example'],
    ['a second address after a semicolon', 'ana@example.org;eve@evil.example', 'eve@evil.example'],
  ])(
    'never reads %s out of a stored address: the one stored address is the one recipient',
    async (_label, to, parsed) => {
      const { recipients } = await send(to);
      expect(recipients).toHaveLength(1);
      expect(recipients).not.toContain(parsed);
    },
  );
});
