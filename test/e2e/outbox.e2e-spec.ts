import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { MailTransport } from '../../src/mail/mail-transport';
import { OutboxMessage } from '../../src/mail/outbox-message.entity';
import { backoffMs, MAX_ATTEMPTS } from '../../src/mail/outbox.service';
import { createTestApp, TestApp } from '../support/create-test-app';
import { apiToken, pageAgent } from '../support/login';
import { closedPort, smtpTransport, startSmtp, TestSmtp } from '../support/smtp';

describe('mail outbox', () => {
  let t: TestApp;
  let adminEmail: string;
  let managerEmail: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.createUser('admin');
    const manager = await t.createUser('manager');
    adminEmail = admin.email;
    managerEmail = manager.email;
  }, 30_000); // the app's start-up (migrations, content import) plus this file's fixtures
  afterAll(() => t?.close());

  /** Invites a new user (which enqueues one mail) and returns the queued message. */
  async function queueInvitation(): Promise<OutboxMessage> {
    const to = `outbox.${++n}@example.org`;
    // Signs in each time: the tests move the fake clock by days, past any session's end.
    const adminToken = await apiToken(t, adminEmail);
    await request(t.http)
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ email: to, name: `Person ${n}`, role: 'trainer' })
      .expect(201);
    const message = await t.db.manager.findOne(OutboxMessage, { where: { toAddress: to } });
    expect(message).toMatchObject({ status: 'pending', attempts: 0, template: 'invitation' });
    return message as OutboxMessage;
  }

  const reload = async (message: OutboxMessage) =>
    (await t.db.manager.findOne(OutboxMessage, { where: { id: message.id } })) as OutboxMessage;

  // This app has no SMTP_URL, so it starts with the file transport; the SMTP tests below swap it.
  describe('without SMTP_URL', () => {
    it('writes the mail as an .eml file in DATA_DIR/outbox and marks it sent', async () => {
      const message = await queueInvitation();
      const file = join(t.dataDir, 'outbox', `${message.id}.eml`);
      expect(existsSync(file)).toBe(false);
      await t.outbox.deliverDue();
      expect(existsSync(file)).toBe(true);
      const eml = readFileSync(file, 'utf8');
      expect(eml).toContain(`To: ${message.toAddress}`);
      expect(eml).toContain('Subject: Your invitation to Cascada');
      expect(eml).toContain('http://cascada.test/invite/');
      expect(await reload(message)).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    });
  });

  describe('with SMTP', () => {
    let smtp: TestSmtp;
    let downPort: number;
    const transport = () => t.app.get(MailTransport);
    const smtpDown = () => transport().useTransport(smtpTransport(downPort));
    const smtpUp = () => transport().useTransport(smtp.transport());

    beforeAll(async () => {
      smtp = await startSmtp();
      downPort = await closedPort();
    });
    afterAll(() => smtp.close());

    it('keeps a message pending with the error and a later retry time when SMTP is down', async () => {
      smtpDown();
      const message = await queueInvitation();
      await t.outbox.deliverDue();
      const after = await reload(message);
      expect(after).toMatchObject({ status: 'pending', attempts: 1, sentAt: null });
      expect(after.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(after.nextAttemptAt.getTime()).toBeGreaterThan(t.clock.now().getTime());
    });

    it('does not retry before the back-off, then sends exactly once when SMTP is back', async () => {
      smtpDown();
      const message = await queueInvitation();
      await t.outbox.deliverDue();
      expect(await reload(message)).toMatchObject({ status: 'pending', attempts: 1 });

      smtpUp();
      t.clock.advance(backoffMs(1) - 1_000);
      await t.outbox.deliverDue();
      expect(await reload(message)).toMatchObject({ status: 'pending', attempts: 1 });
      expect(smtp.to(message.toAddress)).toHaveLength(0);

      t.clock.advance(2_000);
      await t.outbox.deliverDue();
      const sent = await reload(message);
      expect(sent).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
      expect(sent.sentAt?.toISOString()).toBe(t.clock.now().toISOString());
      expect(smtp.to(message.toAddress)).toHaveLength(1);
      expect(smtp.to(message.toAddress)[0].subject).toBe('Your invitation to Cascada');

      // Later runs leave a sent message alone.
      t.clock.advance(24 * 60 * 60 * 1000);
      await t.outbox.deliverDue();
      expect(smtp.to(message.toAddress)).toHaveLength(1);
    });

    it(`gives up after ${MAX_ATTEMPTS} failed attempts`, async () => {
      smtpDown();
      const message = await queueInvitation();
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        await t.outbox.deliverDue();
        const now = await reload(message);
        expect({ attempt, attempts: now.attempts, status: now.status }).toEqual({
          attempt,
          attempts: attempt,
          status: attempt < MAX_ATTEMPTS ? 'pending' : 'failed',
        });
        t.clock.advance(backoffMs(attempt) + 1_000);
      }
      smtpUp();
      t.clock.advance(7 * 24 * 60 * 60 * 1000);
      await t.outbox.deliverDue();
      expect(await reload(message)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
      expect(smtp.to(message.toAddress)).toHaveLength(0);
    });

    it('lists messages with their status for an admin at /admin/outbox and refuses a manager', async () => {
      smtpDown();
      const message = await queueInvitation();
      await t.outbox.deliverDue();
      const admin = await pageAgent(t, adminEmail);
      const page = await admin.get('/admin/outbox').expect(200);
      expect(page.text).toContain(message.toAddress);
      expect(page.text).toContain('Your invitation to Cascada');
      expect(page.text).toContain('Waiting');
      expect(page.text).toContain('Failed');
      const failedOnly = await admin.get('/admin/outbox?status=failed').expect(200);
      expect(failedOnly.text).not.toContain(message.toAddress);
      const detail = await admin.get(`/admin/outbox/${message.id}`).expect(200);
      expect(detail.text).toContain(message.toAddress);

      const manager = await pageAgent(t, managerEmail);
      const refused = await manager.get('/admin/outbox').expect(403);
      expect(refused.text).toContain('Access denied');
      expect(refused.text).not.toContain(message.toAddress);
      await manager.get(`/admin/outbox/${message.id}`).expect(403);
    });
  });
});
