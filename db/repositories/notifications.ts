import type { Kysely } from 'kysely';
import type { Database, MailAttachment, NotificationRow } from '../schema.js';

export interface NewNotification {
  idempotencyKey: string;
  workflowId: string | null;
  kind: string;
  to: string[];
  cc: string[];
  subject: string;
  bodyText: string;
  bodyHtml?: string | null;
  attachments?: MailAttachment[];
}

/** Queues a message in the outbox; a repeated step finds its row already there. */
export async function enqueueNotification(db: Kysely<Database>, n: NewNotification): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      idempotency_key: n.idempotencyKey,
      workflow_id: n.workflowId,
      kind: n.kind,
      to_addrs: n.to,
      cc_addrs: n.cc,
      subject: n.subject,
      body_text: n.bodyText,
      body_html: n.bodyHtml ?? null,
      attachments: JSON.stringify(n.attachments ?? []),
      status: n.to.length === 0 ? 'failed' : 'pending',
      last_error: n.to.length === 0 ? '没有收件人地址' : null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

export async function getNotification(db: Kysely<Database>, key: string): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

export async function markSent(db: Kysely<Database>, key: string, messageId: string, now: string): Promise<void> {
  await db
    .updateTable('notifications')
    .set((eb) => ({ status: 'sent', message_id: messageId, sent_at: now, attempts: eb('attempts', '+', 1), last_error: null }))
    .where('idempotency_key', '=', key)
    .execute();
}

export async function markAttemptFailed(db: Kysely<Database>, key: string, error: string, final: boolean): Promise<void> {
  await db
    .updateTable('notifications')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 2000), ...(final ? { status: 'failed' as const } : {}) }))
    .where('idempotency_key', '=', key)
    .where('status', '!=', 'sent')
    .execute();
}

/** Mail that will not go out without someone acting (retries exhausted, refused, no address), newest first. */
export async function failedNotifications(db: Kysely<Database>, limit = 100): Promise<NotificationRow[]> {
  return db.selectFrom('notifications').selectAll().where('status', '=', 'failed').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
