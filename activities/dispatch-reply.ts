import { FailureType } from '../workflows/shared/failures.js';
import type { Kysely } from 'kysely';
import { numberTakenBy, takeDocNumber } from '../db/repositories/doc-numbers.js';
import { getText, putText } from '../db/repositories/blobs.js';
import { getUnits } from '../db/repositories/directory.js';
import { appendEvent } from '../db/repositories/events.js';
import { writeProjection, writeTasks, type ProjectionFields, type TaskFields } from '../db/repositories/proposals.js';
import type { Database } from '../db/schema.js';
import { enqueueNotification } from '../db/repositories/notifications.js';
import { resolveRecipients } from './notifications/recipients.js';
import { notificationKey } from './record-step.js';
import { renderReplyLetter } from './reply-letter.js';
import { chineseDate, shanghaiDate } from '../workflows/shared/dates.js';
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
 * 答复: takes the unit's next reply number for the year, renders and stores the letter, and
 * queues the mail to every proposer with the 抄送 list, in one transaction. The number is taken
 * inside that transaction, so a failed attempt leaves no gap and a retry reuses its number.
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
      const date = shanghaiDate(args.now);
      const year = Number(date.slice(0, 4));
      const docNo = await takeDocNumber(trx, { key: args.key, unitId: unit.id, docPrefix: unit.doc_prefix, year, kind: 'reply' });

      const proposers = await trx
        .selectFrom('proposers')
        .select(['id', 'kind', 'name'])
        .where('id', 'in', args.recipients.length ? args.recipients : [-1])
        .execute();
      const ordered = args.recipients.map((id) => proposers.find((p) => p.id === id)).filter((p) => p !== undefined);
      const salutation = ordered.map((p) => (p.kind === 'member' ? `${p.name}委员` : p.name)).join('、') || '提案者';
      const coUnits = await getUnits(trx, args.coUnits);
      const ccNames = [...coUnits.map((u) => u.short_name), '省政府办公厅', '省政协提案委员会'];
      const body = (await getText(trx, args.bodyHash)) ?? '';
      const letter = renderReplyLetter({
        docNo,
        replyClass: args.replyClass,
        proposalNo: args.proposalNo,
        title: args.title,
        salutation,
        body,
        unitName: unit.name,
        contactName: unit.contact_name,
        contactPhone: unit.contact_phone,
        date,
        cc: ccNames,
        consolidatedFrom: coUnits.map((u) => u.short_name),
      });
      const letterHash = await putText(trx, letter);
      await trx
        .insertInto('documents')
        .values({ workflow_id: args.workflowId, kind: 'reply_letter', title: `${docNo} 答复函`, mime: 'text/plain; charset=utf-8', content_hash: letterHash, reply_version: args.version })
        .onConflict((oc) => oc.doNothing())
        .execute();

      const to = await resolveRecipients(trx, { proposers: args.recipients });
      const cc = await resolveRecipients(trx, { unitLiaisons: args.coUnits, office: true, committee: true });
      const feedbackLine = args.feedbackDueAt
        ? `\n\n请于${chineseDate(shanghaiDate(args.feedbackDueAt))}前对办理态度和办理结果分别评价（满意／基本满意／不满意）。征询意见表将另行发送给每位提案者本人。`
        : '';
      await enqueueNotification(trx, {
        idempotencyKey: mailKey,
        workflowId: args.workflowId,
        kind: 'reply',
        to,
        cc: cc.filter((a) => !to.includes(a)),
        subject: `【提案答复】${docNo} 关于《${args.title}》的答复`,
        bodyText: `${letter}${feedbackLine}`,
      });

      // Each rater gets a personal signed link in a mail of their own: only they can rate with it.
      const feedbackKeys: string[] = [];
      if (args.feedbackDueAt) {
        const raterRows = await trx.selectFrom('proposers').select(['id', 'name', 'email']).where('id', 'in', args.raters.length ? args.raters : [-1]).execute();
        for (const rater of raterRows) {
          if (!rater.email) continue;
          const token = links.sign({ workflowId: args.workflowId, proposerId: rater.id, round: args.round, expiresAt: args.feedbackDueAt });
          const key = notificationKey(args.key, 1 + feedbackKeys.length, `feedback:${rater.id}`);
          await enqueueNotification(trx, {
            idempotencyKey: key,
            workflowId: args.workflowId,
            kind: 'feedback_request',
            to: [rater.email],
            cc: [],
            subject: `【征询意见】请评价《${args.title}》的办理情况`,
            bodyText: `${rater.name}：\n　　${unit.name}已就您的提案作出答复（${docNo}）。请于${chineseDate(shanghaiDate(args.feedbackDueAt))}前通过下面的专属链接，对办理态度和办理结果分别评价。此链接仅供您本人使用，请勿转给承办单位代填。\n${links.url(token)}`,
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
        summary: { docNo, unitId: unit.id, version: args.version, replyClass: args.replyClass, recipients: args.recipients, letterHash },
      });
      const docNos = [args.projection.replyDocNo, docNo].filter(Boolean).join('；');
      await writeProjection(trx, args.workflowId, { ...args.projection, replyDocNo: docNos }, args.now);
      await writeTasks(trx, args.workflowId, args.tasks, args.now);
      return { docNo, notificationKeys: [mailKey, ...feedbackKeys] };
    });
  };
}
