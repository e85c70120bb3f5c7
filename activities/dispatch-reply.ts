import { FailureType } from '../workflows/shared/failures.js';
import type { Kysely } from 'kysely';
import { numberTakenBy, takeDocNumber } from '../db/repositories/doc-numbers.js';
import { getText } from '../db/repositories/blobs.js';
import { getUnits } from '../db/repositories/directory.js';
import { appendEvent } from '../db/repositories/events.js';
import { recordFinalClass, writeProjection, writeTasks, type ProjectionFields, type TaskFields } from '../db/repositories/proposals.js';
import type { Database } from '../db/schema.js';
import { enqueueNotification } from '../db/repositories/notifications.js';
import { resolveRecipients } from './notifications/recipients.js';
import { renderMail } from './notifications/templates.js';
import { notificationKey } from './record-step.js';
import { loadOverride, loadStyle, proposalFacts, proposersInOrder, unitRef, unitsInOrder } from './documents/letter-data.js';
import { buildLetter, formatDocNumber } from './documents/letter-model.js';
import { storeLetter } from './documents/store-letter.js';
import { sendMergedLetters } from './merged-letters.js';
import { shanghaiDate } from '../workflows/shared/dates.js';
import { ApplicationFailure } from '@temporalio/common';
import type { FeedbackLinks } from './feedback-link.js';

export interface DispatchReplyArgs {
  key: string;
  workflowId: string;
  unitId: string;
  round: number;
  version: number;
  replyClass: string;
  bodyHash: string;
  proposalNo: string | null;
  title: string;
  recipients: number[];
  /** 并案: merged proposals whose proposers get a letter of their own (absent in runs from before). */
  mergedLetters?: { workflowId: string; proposerIds: number[] }[];
  /** A key proposal's supervising leader (督办领导), copied on the reply; absent in runs from before. */
  supervisingLeaderEmail?: string | null;
  raters: number[];
  coUnits: string[];
  feedbackDueAt: string | null;
  projection: ProjectionFields;
  tasks: TaskFields[];
  now: string;
}

export interface DispatchReplyResult {
  docNo: string;
  notificationKeys: string[];
}

/**
 * 答复: takes the unit's next reply number for the year, builds the letter from the unit's style
 * and the proposal's facts, stores it (text, .docx, HTML) with the reply version, and queues the
 * mail with the .docx attached to every proposer with the 抄送 list, in one transaction. The
 * number is taken inside that transaction, so a failed attempt leaves no gap and a retry reuses
 * its number.
 */
export function makeDispatchReply(db: Kysely<Database>, links: FeedbackLinks) {
  return async function dispatchReply(args: DispatchReplyArgs): Promise<DispatchReplyResult> {
    const mailKey = notificationKey(args.key, 0, 'reply');
    return db.transaction().execute(async (trx) => {
      const taken = await numberTakenBy(trx, args.key);
      if (taken) {
        const queued = await trx.selectFrom('notifications').select('idempotency_key').where('idempotency_key', 'like', `${args.key}#%`).orderBy('id').execute();
        return { docNo: taken, notificationKeys: queued.map((q) => q.idempotency_key) };
      }

      const [unit] = await getUnits(trx, [args.unitId]);
      if (!unit) throw ApplicationFailure.nonRetryable(`unit ${args.unitId} is not in the directory`, FailureType.NOT_FOUND);
      const style = await loadStyle(trx, unit.id);
      const date = shanghaiDate(args.now);
      const year = Number(date.slice(0, 4));
      const docNo = await takeDocNumber(trx, {
        key: args.key,
        unitId: unit.id,
        docPrefix: unit.doc_prefix,
        year,
        kind: 'reply',
        format: (serial) => formatDocNumber(style, { kind: 'reply', prefix: unit.doc_prefix, year, serial, category: args.replyClass }),
      });

      const body = (await getText(trx, args.bodyHash)) ?? '';
      const model = buildLetter(
        {
          kind: 'reply',
          docNo,
          category: args.replyClass,
          ...(await proposalFacts(trx, args.workflowId, { proposalNo: args.proposalNo, title: args.title })),
          proposers: await proposersInOrder(trx, args.recipients),
          unit: unitRef(unit),
          leadUnit: null,
          // The workflow lists co-units in assignment order; the directory answers in its own.
          coUnits: (await unitsInOrder(trx, args.coUnits)).map(unitRef),
          body,
          contact: { name: unit.contact_name, phone: unit.contact_phone },
          date,
          override: await loadOverride(trx, args.workflowId),
        },
        style,
      );
      const letter = await storeLetter(trx, { workflowId: args.workflowId, kind: 'reply_letter', title: `${docNo} 答复函`, replyVersion: args.version, model });
      const letterHash = letter.textHash;

      const to = await resolveRecipients(trx, { proposers: args.recipients });
      const cc = await resolveRecipients(trx, {
        unitLiaisons: args.coUnits,
        office: true,
        committee: true,
        addresses: args.supervisingLeaderEmail ? [args.supervisingLeaderEmail] : [],
      });
      const replyMail = renderMail('reply', {
        docNo,
        title: args.title,
        proposalNo: args.proposalNo,
        unitName: unit.name,
        letterText: letter.text,
        letterHtml: letter.html,
        feedbackDue: args.feedbackDueAt,
      });
      await enqueueNotification(trx, {
        idempotencyKey: mailKey,
        workflowId: args.workflowId,
        kind: 'reply',
        to,
        cc: cc.filter((a) => !to.includes(a)),
        subject: replyMail.subject,
        bodyText: replyMail.text,
        bodyHtml: replyMail.html,
        attachments: [{ documentId: letter.documentId, format: 'docx', filename: `${docNo} 答复函.docx` }],
      });
      const mergedKeys = await sendMergedLetters(trx, unit, style, {
        key: args.key,
        workflowId: args.workflowId,
        docNo,
        proposalNo: args.proposalNo,
        replyClass: args.replyClass,
        version: args.version,
        body,
        date,
        coUnits: args.coUnits,
        merged: args.mergedLetters ?? [],
        now: args.now,
      });

      // Each rater gets a personal signed link in a mail of their own: only they can rate with it.
      const feedbackKeys: string[] = [];
      if (args.feedbackDueAt) {
        const raterRows = await trx
          .selectFrom('proposers')
          .select(['id', 'name', 'email'])
          .where('id', 'in', args.raters.length ? args.raters : [-1])
          .execute();
        for (const rater of raterRows) {
          if (!rater.email) continue;
          const token = links.sign({ workflowId: args.workflowId, proposerId: rater.id, round: args.round, expiresAt: args.feedbackDueAt });
          const key = notificationKey(args.key, 1 + feedbackKeys.length, `feedback:${rater.id}`);
          const request = renderMail('feedback_request', {
            name: rater.name,
            unitName: unit.name,
            docNo,
            title: args.title,
            proposalNo: args.proposalNo,
            feedbackDue: args.feedbackDueAt,
            link: links.url(token),
          });
          await enqueueNotification(trx, {
            idempotencyKey: key,
            workflowId: args.workflowId,
            kind: 'feedback_request',
            to: [rater.email],
            cc: [],
            subject: request.subject,
            bodyText: request.text,
            bodyHtml: request.html,
          });
          feedbackKeys.push(key);
        }
      }

      await appendEvent(trx, {
        idempotencyKey: args.key,
        workflowId: args.workflowId,
        step: 'dispatch',
        actorUserId: null,
        actorRole: null,
        actorUnitId: unit.id,
        occurredAt: args.now,
        summary: {
          docNo,
          unitId: unit.id,
          version: args.version,
          replyClass: args.replyClass,
          recipients: args.recipients,
          letterHash,
          documentId: letter.documentId,
        },
      });
      const docNos = [args.projection.replyDocNo, docNo].filter(Boolean).join('；');
      await writeProjection(trx, args.workflowId, { ...args.projection, replyDocNo: docNos }, args.now);
      await writeTasks(trx, args.workflowId, args.tasks, args.now);
      await recordFinalClass(trx, args.workflowId, unit.id, args.round, args.replyClass);
      return { docNo, notificationKeys: [mailKey, ...mergedKeys, ...feedbackKeys] };
    });
  };
}
