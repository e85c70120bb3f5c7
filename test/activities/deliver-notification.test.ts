import { ApplicationFailure } from '@temporalio/common';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../../activities/index.js';
import type { Db } from '../../db/connection.js';
import { enqueueNotification, getNotification } from '../../db/repositories/notifications.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { failureOf, realActivities, type RealActivities } from '../support/activities.js';
import { mailMatching, testDb, uniq, waitForMail } from '../support/context.js';

let db: Db;
let real: RealActivities;
let acts: Activities;
const opened: RealActivities[] = [];

beforeAll(() => {
  db = testDb();
  real = realActivities(db);
  acts = real.acts;
});
afterAll(async () => {
  real?.close();
  for (const r of opened) r.close();
  await db?.destroy();
});

/** One outbox row, as a recorded step leaves it. */
async function queued(to = [`${uniq('m')}@members.test`], cc: string[] = []): Promise<string> {
  const key = `proposal:test:${uniq('R')}:${uniq('upd-')}#0:assigned`;
  await enqueueNotification(db, { idempotencyKey: key, workflowId: null, kind: 'assigned', to, cc, subject: `【交办】测试${uniq()}`, bodyText: '请及时办理。' });
  return key;
}

const byKey = (key: string) => mailMatching((m) => m.headers['x-banli-key'] === key);

/** An SMTP server of our own that answers RCPT TO with the given reply, for refusals the catcher never gives. */
async function refusingServer(responseCode: number, message: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error(message), { responseCode }));
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { url: `smtp://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('deliverNotification', () => {
  it('delivers a queued message to the SMTP server once and marks its row sent', async () => {
    const cc = `${uniq('c')}@units.test`;
    const key = await queued(undefined, [cc]);
    const row = (await getNotification(db, key))!;

    expect(await acts.deliverNotification({ key })).toEqual({ status: 'sent' });

    const mail = await waitForMail((m) => m.headers['x-banli-key'] === key, 5_000);
    expect(mail).toMatchObject({ subject: row.subject, to: row.to_addrs, cc: [cc], from: 'banli@test.local' });
    expect(mail.text.trim()).toBe('请及时办理。');
    // The Message-ID comes from the outbox key, so a relay sees the same id on a resend.
    expect(mail.messageId).toBe(`<${Buffer.from(key).toString('base64url').slice(0, 180)}@test.local>`);
    const after = (await getNotification(db, key))!;
    expect(after).toMatchObject({ status: 'sent', attempts: 1, last_error: null, message_id: mail.messageId });
    expect(after.sent_at).toBeInstanceOf(Date);
  });

  it('sends nothing more when retried after a success', async () => {
    const key = await queued();
    await acts.deliverNotification({ key });
    await waitForMail((m) => m.headers['x-banli-key'] === key, 5_000);

    expect(await acts.deliverNotification({ key })).toEqual({ status: 'already_sent' });
    expect(await acts.deliverNotification({ key })).toEqual({ status: 'already_sent' });
    await new Promise((r) => setTimeout(r, 300));
    expect(byKey(key)).toHaveLength(1);
    expect((await getNotification(db, key))!.attempts).toBe(1);
  });

  it('fails retryably with a typed error when the SMTP server cannot be reached, and the row keeps the failure', async () => {
    const closedPort = await freePort();
    const unreachable = realActivities(db, `smtp://127.0.0.1:${closedPort}`);
    opened.push(unreachable);
    const key = await queued();

    const err = await failureOf(unreachable.acts.deliverNotification({ key }));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'MAIL_UNAVAILABLE', nonRetryable: false });
    const attempt = (await getNotification(db, key))!;
    expect(attempt).toMatchObject({ status: 'pending', attempts: 1, sent_at: null });
    expect(attempt.last_error).toMatch(/ECONNREFUSED/);

    // Retries exhausted: the workflow's outbox marks the row failed for the office to see.
    await unreachable.acts.markNotificationFailed({ key, error: String(err) });
    expect(await getNotification(db, key)).toMatchObject({ status: 'failed', attempts: 2, sent_at: null, last_error: String(err) });
    expect(byKey(key)).toHaveLength(0);
  });

  it('refuses non-retryably when the server rejects the recipients permanently (5xx), and marks the row failed', async () => {
    const server = await refusingServer(550, 'mailbox unavailable');
    try {
      const refusing = realActivities(db, server.url);
      opened.push(refusing);
      const key = await queued();
      const err = await failureOf(refusing.acts.deliverNotification({ key }));
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type: 'MAIL_REFUSED', nonRetryable: true });
      expect(await getNotification(db, key)).toMatchObject({ status: 'failed', attempts: 1 });
    } finally {
      await server.stop();
    }
  });

  it('does not mark a sent message failed afterwards', async () => {
    const key = await queued();
    await acts.deliverNotification({ key });
    await acts.markNotificationFailed({ key, error: 'late failure report' });
    expect(await getNotification(db, key)).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
  });

  it('skips a message without recipients and refuses an unknown key non-retryably', async () => {
    const key = await queued([]);
    expect(await acts.deliverNotification({ key })).toEqual({ status: 'skipped' });
    expect(await getNotification(db, key)).toMatchObject({ status: 'failed', last_error: '没有收件人地址' });

    const err = await failureOf(acts.deliverNotification({ key: `${key}-missing` }));
    expect(err).toMatchObject({ type: 'NOT_FOUND', nonRetryable: true });
  });
});
