import type { Kysely } from 'kysely';
import { appendEvent } from '../db/repositories/events.js';
import { enqueueNotification } from '../db/repositories/notifications.js';
import type { Database, UnitRow } from '../db/schema.js';
import { loadOverride, proposalFacts, proposersInOrder, unitRef, unitsInOrder } from './documents/letter-data.js';
import { buildLetter } from './documents/letter-model.js';
import type { LetterStyle } from './documents/letter-style.js';
import { storeLetter } from './documents/store-letter.js';
import { resolveRecipients } from './notifications/recipients.js';
import { renderMail } from './notifications/templates.js';
import { notificationKey } from './record-step.js';

// 并案: every proposer is answered (DOMAIN.md). The proposers of a proposal merged into the one
// answered get the reply as a letter of their own: addressed to them, about their own proposal
// (its title and number), under the reply's number, stored on their proposal (whose page then
// shows it) and mailed to them. Runs inside the dispatch's transaction, keyed by it.

export interface MergedLettersArgs {
  key: string;
  /** The proposal answered (the one merged into). */
  workflowId: string;
  docNo: string;
  /** The answered proposal's number: a merged proposal is handled under it (it has none of its own). */
  proposalNo: string | null;
  replyClass: string;
  version: number;
  body: string;
  date: string;
  coUnits: string[];
  merged: { workflowId: string; proposerIds: number[] }[];
  now: string;
}

export async function sendMergedLetters(trx: Kysely<Database>, unit: UnitRow, style: LetterStyle, args: MergedLettersArgs): Promise<string[]> {
  const keys: string[] = [];
  for (const [i, group] of args.merged.entries()) {
    const facts = await proposalFacts(trx, group.workflowId, { proposalNo: args.proposalNo, title: '' });
    const model = buildLetter(
      {
        kind: 'reply',
        docNo: args.docNo,
        category: args.replyClass,
        ...facts,
        proposers: await proposersInOrder(trx, group.proposerIds),
        unit: unitRef(unit),
        leadUnit: null,
        coUnits: (await unitsInOrder(trx, args.coUnits)).map(unitRef),
        body: args.body,
        contact: { name: unit.contact_name, phone: unit.contact_phone },
        date: args.date,
        override: await loadOverride(trx, args.workflowId),
      },
      style,
    );
    const letter = await storeLetter(trx, {
      workflowId: group.workflowId,
      kind: 'reply_letter',
      title: `${args.docNo} 答复函（并案办理）`,
      replyVersion: args.version,
      model,
    });
    const key = notificationKey(args.key, 100 + i, `reply_merged:${group.workflowId}`);
    const mail = renderMail('reply', {
      docNo: args.docNo,
      title: facts.proposal.title,
      proposalNo: facts.proposal.number,
      unitName: unit.name,
      letterText: letter.text,
      letterHtml: letter.html,
      feedbackDue: null,
    });
    await enqueueNotification(trx, {
      idempotencyKey: key,
      workflowId: group.workflowId,
      kind: 'reply',
      to: await resolveRecipients(trx, { proposers: group.proposerIds }),
      cc: [],
      subject: mail.subject,
      bodyText: mail.text,
      bodyHtml: mail.html,
      attachments: [{ documentId: letter.documentId, format: 'docx', filename: `${args.docNo} 答复函.docx` }],
    });
    await appendEvent(trx, {
      idempotencyKey: `${args.key}:merged:${group.workflowId}`,
      workflowId: group.workflowId,
      step: 'mergedReply',
      actorUserId: null,
      actorRole: null,
      actorUnitId: unit.id,
      occurredAt: args.now,
      summary: {
        docNo: args.docNo,
        into: args.workflowId,
        unitId: unit.id,
        recipients: group.proposerIds,
        letterHash: letter.textHash,
        documentId: letter.documentId,
      },
    });
    keys.push(key);
  }
  return keys;
}
