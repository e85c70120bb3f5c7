import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { getText } from '../../db/repositories/blobs.js';
import { getRendition } from '../../db/repositories/documents.js';
import { appendEvent } from '../../db/repositories/events.js';
import { enqueueNotification } from '../../db/repositories/notifications.js';
import { getPublicationProfile, takeIndexNo } from '../../db/repositories/publications.js';
import { activePolicy, getPolicy, loadCalendar } from '../../db/repositories/reference.js';
import type { Database } from '../../db/schema.js';
import { shanghaiDate } from '../../workflows/shared/dates.js';
import { FailureType } from '../../workflows/shared/failures.js';
import { computeDue } from '../deadlines/compute-due.js';
import type { LetterModel } from '../documents/letter-model.js';
import { storeLetter } from '../documents/store-letter.js';
import { renderLetterText } from '../documents/render-text.js';
import { resolveRecipients } from '../notifications/recipients.js';
import { renderMail } from '../notifications/templates.js';
import { notificationKey } from '../record-step.js';
import { indexProposalTexts } from '../search/index-texts.js';
import { diffLines, publicVersion, type DiffLine, type PublicMode, type Redaction } from './public-version.js';
import { publicEntryUrl } from './entry-path.js';

// 公开: once the office has approved how a reply is published, the public version is made from
// the letter as dispatched, given its 索引号 and recorded with its date against the window, in
// one transaction; the proposers are told. Before approving, the office sees the public version
// beside the letter as a diff (previewPublication), made by the same code.

const refuse = (message: string) => ApplicationFailure.create({ type: FailureType.PRECONDITION_FAILED, message, nonRetryable: true });

interface DispatchedLetter {
  documentId: number;
  unitId: string;
  replyVersion: number | null;
  dispatchedAt: Date;
  model: LetterModel;
}

/** The letter of the proposal's latest dispatch, as stored then. */
async function dispatchedLetter(db: Kysely<Database>, workflowId: string): Promise<DispatchedLetter> {
  const event = await db
    .selectFrom('events')
    .select(['summary', 'occurred_at'])
    .where('workflow_id', '=', workflowId)
    .where('step', '=', 'dispatch')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const summary = event?.summary as { documentId?: number; unitId?: string } | undefined;
  if (!event || typeof summary?.documentId !== 'number' || typeof summary.unitId !== 'string') throw refuse('尚无已寄发的答复函，无法公开');
  const doc = await db.selectFrom('documents').select(['id', 'reply_version']).where('id', '=', summary.documentId).executeTakeFirstOrThrow();
  const model = await getRendition(db, doc.id, 'model');
  if (!model) throw refuse(`答复函（文档 ${doc.id}）没有可公开的结构化版本`);
  return {
    documentId: doc.id,
    unitId: summary.unitId,
    replyVersion: doc.reply_version,
    dispatchedAt: event.occurred_at,
    model: JSON.parse(model.content.toString('utf8')) as LetterModel,
  };
}

/** What identifies the proposers personally: their own numbers and addresses. */
async function personalDetails(db: Kysely<Database>, workflowId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('proposal_proposers as pp')
    .innerJoin('proposers as p', 'p.id', 'pp.proposer_id')
    .select(['p.phone', 'p.email'])
    .where('pp.workflow_id', '=', workflowId)
    .execute();
  return rows.flatMap((r) => [r.phone, r.email]).filter((v): v is string => !!v);
}

export interface PublicationPreview {
  internal: string[];
  public: string[];
  diff: DiffLine[];
  redactions: Redaction[];
}

const lines = (model: LetterModel) =>
  renderLetterText(model)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The public version beside the letter as sent, for the office to check before approving. */
export async function previewPublication(db: Kysely<Database>, args: { workflowId: string; mode: PublicMode; summary?: string | null }): Promise<PublicationPreview> {
  const letter = await dispatchedLetter(db, args.workflowId);
  const { model, redactions } = publicVersion(letter.model, { mode: args.mode, summary: args.summary, personal: await personalDetails(db, args.workflowId) });
  const internal = lines(letter.model);
  const published = lines(model);
  return { internal, public: published, diff: diffLines(internal, published), redactions };
}

/** The publication window's last day: the policy's rule from the dispatch date, on the calendar. */
async function windowEnd(db: Kysely<Database>, workflowId: string, dispatchedAt: Date): Promise<string | null> {
  const proposal = await db.selectFrom('proposals').select('policy_version').where('workflow_id', '=', workflowId).executeTakeFirst();
  const policy = proposal?.policy_version ? await getPolicy(db, proposal.policy_version) : await activePolicy(db);
  const rule = policy?.body.durations.publication;
  if (!rule) return null;
  if (rule.unit === 'seconds') return shanghaiDate(new Date(dispatchedAt.getTime() + rule.amount * 1000).toISOString());
  return computeDue({ rule: { ...rule, unit: rule.unit }, start: shanghaiDate(dispatchedAt.toISOString()), calendar: await loadCalendar(db) }).due;
}

export interface PublishReplyArgs {
  key: string;
  workflowId: string;
  /** The summary a unit wrote, for summary mode. */
  summaryHash?: string | null;
  /** The window's last day as the workflow computed it; read from the policy when absent. */
  dueDate?: string | null;
  now: string;
}

export interface PublishReplyResult {
  status: 'published' | 'withheld';
  indexNo: string | null;
  publishedAt: string | null;
  kept: boolean | null;
  notificationKeys: string[];
}

export function makePublishReply(db: Kysely<Database>, publicBaseUrl?: string) {
  return async function publishReply(args: PublishReplyArgs): Promise<PublishReplyResult> {
    return db.transaction().execute(async (trx) => {
      const pub = await trx.selectFrom('publications').selectAll().where('workflow_id', '=', args.workflowId).forUpdate().executeTakeFirst();
      if (!pub || pub.status !== 'approved') throw refuse('公开方式尚未审定');
      const mailKey = notificationKey(args.key, 0, 'published');
      if (pub.published_at) {
        const kept = pub.due_date ? shanghaiDate(pub.published_at.toISOString()) <= pub.due_date : null;
        return { status: 'published', indexNo: pub.index_no, publishedAt: pub.published_at.toISOString(), kept, notificationKeys: [mailKey] };
      }
      if (pub.mode === 'none') {
        // Not published, with the reason kept: recorded once, told to nobody.
        await appendEvent(trx, {
          idempotencyKey: args.key,
          workflowId: args.workflowId,
          step: 'publish',
          actorUserId: null,
          actorRole: null,
          actorUnitId: null,
          occurredAt: args.now,
          summary: { mode: 'none', reason: pub.reason },
        });
        return { status: 'withheld', indexNo: null, publishedAt: null, kept: null, notificationKeys: [] };
      }

      const letter = await dispatchedLetter(trx, args.workflowId);
      const profile = await getPublicationProfile(trx, letter.unitId);
      if (!profile) throw refuse(`单位 ${letter.unitId} 尚未设置公开信息（组织机构代码、发布机构）`);
      const summary = pub.mode === 'summary' ? (args.summaryHash ? await getText(trx, args.summaryHash) : null) : null;
      if (pub.mode === 'summary' && !summary?.trim()) throw refuse('摘要公开需要承办单位提供的摘要');
      const { model, redactions } = publicVersion(letter.model, { mode: pub.mode, summary, personal: await personalDetails(trx, args.workflowId) });

      const today = shanghaiDate(args.now);
      const indexNo = await takeIndexNo(trx, profile.org_code, Number(today.slice(0, 4)));
      const stored = await storeLetter(trx, {
        workflowId: args.workflowId,
        kind: 'public_reply',
        title: model.title.join(''),
        replyVersion: letter.replyVersion,
        model,
      });
      const dueDate = args.dueDate ?? (await windowEnd(trx, args.workflowId, letter.dispatchedAt));
      const kept = dueDate ? today <= dueDate : null;
      await trx
        .updateTable('publications')
        .set({
          index_no: indexNo,
          unit_id: letter.unitId,
          letter_document_id: letter.documentId,
          public_document_id: stored.documentId,
          doc_no: model.number,
          organ: profile.organ,
          classification: profile.classification,
          generated_on: model.meta.isoDate,
          due_date: dueDate,
          published_at: args.now,
          updated_at: args.now,
        })
        .where('workflow_id', '=', args.workflowId)
        .execute();
      await indexProposalTexts(trx, args.workflowId);
      await appendEvent(trx, {
        idempotencyKey: args.key,
        workflowId: args.workflowId,
        step: 'publish',
        actorUserId: null,
        actorRole: null,
        actorUnitId: letter.unitId,
        occurredAt: args.now,
        summary: { mode: pub.mode, indexNo, documentId: stored.documentId, dueDate, kept, redacted: redactions.length },
      });

      const proposers = await trx.selectFrom('proposal_proposers').select('proposer_id').where('workflow_id', '=', args.workflowId).orderBy('position').execute();
      const proposal = await trx.selectFrom('proposals').select(['title', 'proposal_no']).where('workflow_id', '=', args.workflowId).executeTakeFirstOrThrow();
      const mail = renderMail('published', {
        title: proposal.title,
        proposalNo: proposal.proposal_no,
        docNo: model.number,
        publishedOn: today,
        indexNo,
        url: publicEntryUrl(publicBaseUrl, indexNo),
      });
      await enqueueNotification(trx, {
        idempotencyKey: mailKey,
        workflowId: args.workflowId,
        kind: 'published',
        to: await resolveRecipients(trx, { proposers: proposers.map((p) => p.proposer_id) }),
        cc: await resolveRecipients(trx, { unitLiaisons: [letter.unitId] }),
        subject: mail.subject,
        bodyText: mail.text,
        bodyHtml: mail.html,
      });
      return { status: 'published', indexNo, publishedAt: args.now, kept, notificationKeys: [mailKey] };
    });
  };
}
