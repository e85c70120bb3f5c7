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

/**
 * Each answering unit's letter as last dispatched (a re-handled reply replaces the first), in the
 * order the units first dispatched: one for a sole or lead answer, one per unit when split.
 */
async function dispatchedLetters(db: Kysely<Database>, workflowId: string): Promise<DispatchedLetter[]> {
  const events = await db
    .selectFrom('events')
    .select(['id', 'summary', 'occurred_at'])
    .where('workflow_id', '=', workflowId)
    .where('step', '=', 'dispatch')
    .orderBy('id')
    .execute();
  const latest = new Map<string, { documentId: number; at: Date }>();
  for (const event of events) {
    const summary = event.summary as { documentId?: number; unitId?: string } | undefined;
    if (typeof summary?.documentId !== 'number' || typeof summary.unitId !== 'string') continue;
    latest.set(summary.unitId, { documentId: summary.documentId, at: event.occurred_at });
  }
  if (latest.size === 0) throw refuse('尚无已寄发的答复函，无法公开');
  const letters: DispatchedLetter[] = [];
  for (const [unitId, { documentId, at }] of latest) {
    const doc = await db.selectFrom('documents').select(['id', 'reply_version']).where('id', '=', documentId).executeTakeFirstOrThrow();
    const model = await getRendition(db, doc.id, 'model');
    if (!model) throw refuse(`答复函（文档 ${doc.id}）没有可公开的结构化版本`);
    letters.push({
      documentId: doc.id,
      unitId,
      replyVersion: doc.reply_version,
      dispatchedAt: at,
      model: JSON.parse(model.content.toString('utf8')) as LetterModel,
    });
  }
  return letters;
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

export interface LetterPreview {
  unitId: string;
  docNo: string;
  internal: string[];
  public: string[];
  diff: DiffLine[];
  redactions: Redaction[];
}

/** The first letter's preview at the top, as for a sole answer; every unit's letter in letters. */
export type PublicationPreview = Omit<LetterPreview, 'unitId' | 'docNo'> & { letters: LetterPreview[] };

const lines = (model: LetterModel) =>
  renderLetterText(model)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The public version beside each letter as sent, for the office to check before approving. */
export async function previewPublication(db: Kysely<Database>, args: { workflowId: string; mode: PublicMode; summary?: string | null }): Promise<PublicationPreview> {
  const personal = await personalDetails(db, args.workflowId);
  const letters = (await dispatchedLetters(db, args.workflowId)).map((letter): LetterPreview => {
    const { model, redactions } = publicVersion(letter.model, { mode: args.mode, summary: args.summary, personal });
    const internal = lines(letter.model);
    const published = lines(model);
    return { unitId: letter.unitId, docNo: letter.model.number, internal, public: published, diff: diffLines(internal, published), redactions };
  });
  const { internal, public: published, diff, redactions } = letters[0]!;
  return { internal, public: published, diff, redactions, letters };
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
      const mailKey = (i: number) => notificationKey(args.key, i, 'published');
      if (pub.published_at) {
        const kept = pub.due_date ? shanghaiDate(pub.published_at.toISOString()) <= pub.due_date : null;
        const entries = await trx.selectFrom('publication_entries').select('index_no').where('workflow_id', '=', args.workflowId).execute();
        const notificationKeys = Array.from({ length: Math.max(entries.length, 1) }, (_, i) => mailKey(i));
        return { status: 'published', indexNo: pub.index_no, publishedAt: pub.published_at.toISOString(), kept, notificationKeys };
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

      const letters = await dispatchedLetters(trx, args.workflowId);
      const summary = pub.mode === 'summary' ? (args.summaryHash ? await getText(trx, args.summaryHash) : null) : null;
      if (pub.mode === 'summary' && !summary?.trim()) throw refuse('摘要公开需要承办单位提供的摘要');
      const personal = await personalDetails(trx, args.workflowId);
      const lastDispatch = new Date(Math.max(...letters.map((l) => l.dispatchedAt.getTime())));
      const dueDate = args.dueDate ?? (await windowEnd(trx, args.workflowId, lastDispatch));
      const today = shanghaiDate(args.now);
      const kept = dueDate ? today <= dueDate : null;
      const entries = [];
      for (const letter of letters) entries.push(await publishLetter(trx, { ...args, letter, mode: pub.mode, summary, personal, today }));

      const first = entries[0]!;
      await trx
        .updateTable('publications')
        .set({
          index_no: first.indexNo,
          unit_id: first.unitId,
          letter_document_id: first.letterDocumentId,
          public_document_id: first.publicDocumentId,
          doc_no: first.docNo,
          organ: first.organ,
          classification: first.classification,
          generated_on: first.generatedOn,
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
        actorUnitId: first.unitId,
        occurredAt: args.now,
        summary: {
          mode: pub.mode,
          indexNo: first.indexNo,
          documentId: first.publicDocumentId,
          entries: entries.map((e) => ({ unitId: e.unitId, indexNo: e.indexNo, documentId: e.publicDocumentId })),
          dueDate,
          kept,
          redacted: entries.reduce((n, e) => n + e.redacted, 0),
        },
      });

      const proposers = await trx.selectFrom('proposal_proposers').select('proposer_id').where('workflow_id', '=', args.workflowId).orderBy('position').execute();
      const proposal = await trx.selectFrom('proposals').select(['title', 'proposal_no']).where('workflow_id', '=', args.workflowId).executeTakeFirstOrThrow();
      const to = await resolveRecipients(trx, { proposers: proposers.map((p) => p.proposer_id) });
      // One mail per published letter: each names its own 索引号 and address, copied to its unit.
      const notificationKeys: string[] = [];
      for (const [i, entry] of entries.entries()) {
        const mail = renderMail('published', {
          title: proposal.title,
          proposalNo: proposal.proposal_no,
          docNo: entry.docNo,
          publishedOn: today,
          indexNo: entry.indexNo,
          url: publicEntryUrl(publicBaseUrl, entry.indexNo),
        });
        await enqueueNotification(trx, {
          idempotencyKey: mailKey(i),
          workflowId: args.workflowId,
          kind: 'published',
          to,
          cc: await resolveRecipients(trx, { unitLiaisons: [entry.unitId] }),
          subject: mail.subject,
          bodyText: mail.text,
          bodyHtml: mail.html,
        });
        notificationKeys.push(mailKey(i));
      }
      return { status: 'published', indexNo: first.indexNo, publishedAt: args.now, kept, notificationKeys };
    });
  };
}

interface PublishedLetter {
  unitId: string;
  indexNo: string;
  letterDocumentId: number;
  publicDocumentId: number;
  docNo: string;
  organ: string;
  classification: string;
  generatedOn: string;
  redacted: number;
}

/** One unit's letter made public: its public version stored, a 索引号 from its organisation's sequence, its entry. */
async function publishLetter(
  trx: Kysely<Database>,
  args: PublishReplyArgs & { letter: DispatchedLetter; mode: PublicMode; summary: string | null; personal: string[]; today: string },
): Promise<PublishedLetter> {
  const { letter } = args;
  const profile = await getPublicationProfile(trx, letter.unitId);
  if (!profile) throw refuse(`单位 ${letter.unitId} 尚未设置公开信息（组织机构代码、发布机构）`);
  const { model, redactions } = publicVersion(letter.model, { mode: args.mode, summary: args.summary, personal: args.personal });
  const indexNo = await takeIndexNo(trx, profile.org_code, Number(args.today.slice(0, 4)));
  const stored = await storeLetter(trx, {
    workflowId: args.workflowId,
    kind: 'public_reply',
    title: model.title.join(''),
    replyVersion: letter.replyVersion,
    model,
  });
  const entry: PublishedLetter = {
    unitId: letter.unitId,
    indexNo,
    letterDocumentId: letter.documentId,
    publicDocumentId: stored.documentId,
    docNo: model.number,
    organ: profile.organ,
    classification: profile.classification,
    generatedOn: model.meta.isoDate,
    redacted: redactions.length,
  };
  await trx
    .insertInto('publication_entries')
    .values({
      workflow_id: args.workflowId,
      unit_id: entry.unitId,
      index_no: indexNo,
      letter_document_id: entry.letterDocumentId,
      public_document_id: entry.publicDocumentId,
      doc_no: entry.docNo,
      organ: entry.organ,
      classification: entry.classification,
      generated_on: entry.generatedOn,
      published_at: args.now,
    })
    .execute();
  return entry;
}
