import { sql, type Kysely } from 'kysely';
import { getText, putText } from '../db/repositories/blobs.js';
import { getUnits } from '../db/repositories/directory.js';
import { appendEvent } from '../db/repositories/events.js';
import { writeProjection, writeTasks, type ProjectionFields, type TaskFields } from '../db/repositories/proposals.js';
import type { Database } from '../db/schema.js';
import { staffEmails } from '../db/repositories/directory.js';
import { enqueueNotification } from '../db/repositories/notifications.js';
import { resolveRecipients } from './notifications/recipients.js';
import { notificationKey } from './record-step.js';
import { chineseDate, renderReplyLetter } from './reply-letter.js';
import { shanghaiDate } from './deadlines/dates.js';
import { ApplicationFailure } from '@temporalio/common';

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
export function makeDispatchReply(db: Kysely<Database>) {
  return async function dispatchReply(args: DispatchReplyArgs): Promise<DispatchReplyResult> {
    const mailKey = notificationKey(args.key, 0, 'reply');
    return db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('doc_numbers').select('doc_no').where('idempotency_key', '=', args.key).executeTakeFirst();
      if (taken) return { docNo: taken.doc_no, notificationKeys: [mailKey] };

      const [unit] = await getUnits(trx, [args.unitId]);
      if (!unit) throw ApplicationFailure.nonRetryable(`unit ${args.unitId} is not in the directory`, 'NOT_FOUND');
      const date = shanghaiDate(args.now);
      const year = Number(date.slice(0, 4));
      const seq = await trx
        .insertInto('unit_doc_sequences')
        .values({ unit_id: unit.id, year, kind: 'reply', last_serial: 1 })
        .onConflict((oc) => oc.columns(['unit_id', 'year', 'kind']).doUpdateSet({ last_serial: sql`unit_doc_sequences.last_serial + 1` }))
        .returning('last_serial')
        .executeTakeFirstOrThrow();
      const docNo = `${unit.doc_prefix}提〔${year}〕${seq.last_serial}号`;
      await trx
        .insertInto('doc_numbers')
        .values({ idempotency_key: args.key, unit_id: unit.id, year, kind: 'reply', serial: seq.last_serial, doc_no: docNo })
        .execute();

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
      const cc = [
        ...(await resolveRecipients(trx, { unitLiaisons: args.coUnits })),
        ...(await staffEmails(trx, ['office', 'committee'])),
      ];
      const feedbackLine = args.feedbackDueAt
        ? `\n\n请于${chineseDate(shanghaiDate(args.feedbackDueAt))}前登录提案办理系统，对办理态度和办理结果分别评价（满意／基本满意／不满意）。`
        : '';
      await enqueueNotification(trx, {
        idempotencyKey: mailKey,
        workflowId: args.workflowId,
        kind: 'reply',
        to,
        cc: [...new Set(cc)].filter((a) => !to.includes(a)),
        subject: `【提案答复】${docNo} 关于《${args.title}》的答复`,
        bodyText: `${letter}${feedbackLine}`,
      });

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
      return { docNo, notificationKeys: [mailKey] };
    });
  };
}
