import type { Kysely } from 'kysely';
import { ApplicationFailure } from '@temporalio/common';
import { getText } from '../db/repositories/blobs.js';
import { getUnits } from '../db/repositories/directory.js';
import { appendEvent } from '../db/repositories/events.js';
import { enqueueNotification } from '../db/repositories/notifications.js';
import { writeProjection, writeTasks, type ProjectionFields, type TaskFields } from '../db/repositories/proposals.js';
import type { Database } from '../db/schema.js';
import { chineseDate, shanghaiDate } from '../workflows/shared/dates.js';
import { FailureType } from '../workflows/shared/failures.js';
import { loadOverride, loadStyle, proposalFacts, proposersInOrder, unitRef, unitsInOrder } from './documents/letter-data.js';
import { buildLetter } from './documents/letter-model.js';
import { storeLetter } from './documents/store-letter.js';
import { resolveRecipients } from './notifications/recipients.js';
import { renderMail } from './notifications/templates.js';
import { notificationKey } from './record-step.js';

export interface ReissueReplyArgs {
  key: string;
  workflowId: string;
  unitId: string;
  round: number;
  version: number;
  /** 2 for the first letter issued again. */
  issue: number;
  fromClass: string | null;
  replyClass: string;
  reason: string;
  mode: 'correction_note' | 'number_suffix';
  sentDocNo: string;
  sentAt: string | null;
  bodyHash: string;
  proposalNo: string | null;
  title: string;
  recipients: number[];
  supervisingLeaderEmail: string | null;
  coUnits: string[];
  projection: ProjectionFields;
  tasks: TaskFields[];
  now: string;
}

/**
 * The sent number with the new class where the number carries it (…263号A → …263号B); with a
 * number suffix the issue follows (…263号B-2), so the two letters never share a number.
 */
export function reissuedDocNo(sent: string, fromClass: string | null, toClass: string, mode: ReissueReplyArgs['mode'], issue: number): string {
  const classed = fromClass && sent.endsWith(fromClass) ? `${sent.slice(0, -fromClass.length)}${toClass}` : sent;
  return mode === 'number_suffix' ? `${classed}-${issue}` : classed;
}

/** The paragraph a corrected letter ends its body with: what changed, why, and which letter it replaces. */
export function correctionNote(a: Pick<ReissueReplyArgs, 'fromClass' | 'replyClass' | 'reason' | 'sentDocNo' | 'sentAt'>): string {
  const when = a.sentAt ? `${chineseDate(shanghaiDate(a.sentAt))}所发` : '此前所发';
  const change = a.fromClass ? `由${a.fromClass}类调整为${a.replyClass}类` : `定为${a.replyClass}类`;
  return `更正说明：经审定，本答复的分类${change}（${a.reason}）。本函替代${when}${a.sentDocNo}答复函，请以本函为准。`;
}

/**
 * 答复函更正重发: renders the letter again with the new class, stores it beside the sent one
 * (both stay readable), and mails it to everyone the reply went to, in one transaction keyed by
 * the step: a retry finds the event and answers with what it did.
 */
export function makeReissueReply(db: Kysely<Database>) {
  return async function reissueReply(args: ReissueReplyArgs): Promise<{ docNo: string; notificationKeys: string[] }> {
    const mailKey = notificationKey(args.key, 0, 'reply_reissued');
    return db.transaction().execute(async (trx) => {
      const done = await trx.selectFrom('events').select('summary').where('idempotency_key', '=', args.key).executeTakeFirst();
      if (done) return { docNo: String(done.summary.docNo), notificationKeys: [mailKey] };

      const [unit] = await getUnits(trx, [args.unitId]);
      if (!unit) throw ApplicationFailure.nonRetryable(`unit ${args.unitId} is not in the directory`, FailureType.NOT_FOUND);
      const docNo = reissuedDocNo(args.sentDocNo, args.fromClass, args.replyClass, args.mode, args.issue);
      const body = (await getText(trx, args.bodyHash)) ?? '';
      const note = correctionNote(args);
      const model = buildLetter(
        {
          kind: 'reply',
          docNo,
          category: args.replyClass,
          ...(await proposalFacts(trx, args.workflowId, { proposalNo: args.proposalNo, title: args.title })),
          proposers: await proposersInOrder(trx, args.recipients),
          unit: unitRef(unit),
          leadUnit: null,
          coUnits: (await unitsInOrder(trx, args.coUnits)).map(unitRef),
          body: args.mode === 'correction_note' ? `${body.trimEnd()}\n\n${note}` : body,
          contact: { name: unit.contact_name, phone: unit.contact_phone },
          date: shanghaiDate(args.now),
          override: await loadOverride(trx, args.workflowId),
        },
        await loadStyle(trx, unit.id),
      );
      const letter = await storeLetter(trx, {
        workflowId: args.workflowId,
        kind: 'reply_letter',
        title: `${docNo} 答复函（更正，第${args.issue}版）`,
        replyVersion: args.version,
        model,
      });

      const to = await resolveRecipients(trx, { proposers: args.recipients });
      const cc = await resolveRecipients(trx, {
        unitLiaisons: [args.unitId, ...args.coUnits],
        office: true,
        committee: true,
        addresses: args.supervisingLeaderEmail ? [args.supervisingLeaderEmail] : [],
      });
      const mail = renderMail('reply_reissued', {
        docNo,
        sentDocNo: args.sentDocNo,
        title: args.title,
        proposalNo: args.proposalNo,
        unitName: unit.name,
        note,
        letterText: letter.text,
        letterHtml: letter.html,
      });
      await enqueueNotification(trx, {
        idempotencyKey: mailKey,
        workflowId: args.workflowId,
        kind: 'reply_reissued',
        to,
        cc: cc.filter((a) => !to.includes(a)),
        subject: mail.subject,
        bodyText: mail.text,
        bodyHtml: mail.html,
        attachments: [{ documentId: letter.documentId, format: 'docx', filename: `${docNo} 答复函（更正）.docx` }],
      });
      await appendEvent(trx, {
        idempotencyKey: args.key,
        workflowId: args.workflowId,
        step: 'reissueLetter',
        actorUserId: null,
        actorRole: null,
        actorUnitId: unit.id,
        occurredAt: args.now,
        summary: {
          docNo,
          sentDocNo: args.sentDocNo,
          unitId: unit.id,
          issue: args.issue,
          from: args.fromClass,
          to: args.replyClass,
          reason: args.reason,
          mode: args.mode,
          letterHash: letter.textHash,
          documentId: letter.documentId,
        },
      });
      const docNos = [args.projection.replyDocNo, docNo].filter(Boolean).join('；');
      await writeProjection(trx, args.workflowId, { ...args.projection, replyDocNo: docNos }, args.now);
      await writeTasks(trx, args.workflowId, args.tasks, args.now);
      return { docNo, notificationKeys: [mailKey] };
    });
  };
}
