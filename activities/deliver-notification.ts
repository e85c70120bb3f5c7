import { FailureType } from '../workflows/shared/failures.js';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import { getRendition } from '../db/repositories/documents.js';
import { getNotification, markAttemptFailed, markSent } from '../db/repositories/notifications.js';
import type { Database, NotificationRow } from '../db/schema.js';

export interface MailDeps {
  transporter: Transporter;
  from: string;
  /** Domain for Message-IDs, so a relay sees the same id when a send is retried. */
  messageIdDomain: string;
}

// Permanent SMTP refusals: retrying cannot help (bad address, auth, message rejected).
const PERMANENT_CODES = new Set(['EENVELOPE', 'EAUTH', 'EMESSAGE']);

/**
 * Sends one queued outbox message. Already sent → nothing happens. The Message-ID is derived
 * from the outbox key, so a resend after a crash mid-send is recognisable as the same mail.
 */
export function makeDeliverNotification(db: Kysely<Database>, mail: MailDeps) {
  return async function deliverNotification(args: { key: string }): Promise<{ status: 'sent' | 'already_sent' | 'skipped' }> {
    const row = await getNotification(db, args.key);
    if (!row) throw ApplicationFailure.nonRetryable(`no outbox row ${args.key}`, FailureType.NOT_FOUND);
    if (row.status === 'sent') return { status: 'already_sent' };
    if (row.to_addrs.length === 0) return { status: 'skipped' };
    const messageId = `<${Buffer.from(args.key).toString('base64url').slice(0, 180)}@${mail.messageIdDomain}>`;
    const attachments = await attachmentsOf(db, row);
    try {
      const info = await mail.transporter.sendMail({
        from: mail.from,
        to: row.to_addrs,
        cc: row.cc_addrs,
        subject: row.subject,
        text: row.body_text,
        ...(row.body_html ? { html: row.body_html } : {}),
        attachments,
        messageId,
        headers: { 'X-Banli-Key': args.key },
      });
      await markSent(db, args.key, info.messageId ?? messageId, new Date().toISOString());
      return { status: 'sent' };
    } catch (err) {
      const e = err as Error & { code?: string; responseCode?: number };
      const permanent = (e.code !== undefined && PERMANENT_CODES.has(e.code)) || (e.responseCode !== undefined && e.responseCode >= 500);
      await markAttemptFailed(db, args.key, `${e.code ?? ''} ${e.message}`.trim(), permanent);
      if (permanent) throw ApplicationFailure.nonRetryable(`mail refused: ${e.message}`, FailureType.MAIL_REFUSED);
      throw ApplicationFailure.retryable(`mail not delivered yet: ${e.message}`, FailureType.MAIL_UNAVAILABLE);
    }
  };
}

/**
 * The stored renditions a message carries. One that is gone cannot come back by retrying: the
 * row is marked failed for the office to see, and the step stops.
 */
async function attachmentsOf(db: Kysely<Database>, row: NotificationRow): Promise<{ filename: string; content: Buffer; contentType: string }[]> {
  const out: { filename: string; content: Buffer; contentType: string }[] = [];
  for (const a of row.attachments ?? []) {
    const rendition = await getRendition(db, a.documentId, a.format);
    if (!rendition) {
      const message = `附件 ${a.filename} 不存在（文档 ${a.documentId}，${a.format}）`;
      await markAttemptFailed(db, row.idempotency_key, message, true);
      throw ApplicationFailure.nonRetryable(message, FailureType.NOT_FOUND);
    }
    out.push({ filename: a.filename, content: rendition.content, contentType: rendition.mime });
  }
  return out;
}

export function makeMarkNotificationFailed(db: Kysely<Database>) {
  return async function markNotificationFailed(args: { key: string; error: string }): Promise<void> {
    await markAttemptFailed(db, args.key, args.error, true);
  };
}
