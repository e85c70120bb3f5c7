import { sql, type Kysely } from 'kysely';
import { getUnits } from '../db/repositories/directory.js';
import { takeDocNumber } from '../db/repositories/doc-numbers.js';
import { getText } from '../db/repositories/blobs.js';
import { loadStyle, proposalFacts, unitRef } from './documents/letter-data.js';
import { buildLetter, formatDocNumber } from './documents/letter-model.js';
import { storeLetter } from './documents/store-letter.js';
import { shanghaiDate } from '../workflows/shared/dates.js';
import { appendEvent } from '../db/repositories/events.js';
import type { Database } from '../db/schema.js';
import type { Actor } from '../workflows/shared/types.js';
import type { NotificationIntent } from '../workflows/shared/notifications.js';
import { notificationKey, queueNotifications } from './record-step.js';
import { indexProposalTexts } from './search/index-texts.js';

export interface RecordCoOpinionArgs {
  key: string;
  parentWorkflowId: string;
  unitId: string;
  round: number;
  leadUnitId: string | null;
  title: string;
  proposalNo: string | null;
  kind: 'opinion' | 'no_opinion';
  bodyHash: string | null;
  actor: Actor;
  now: string;
}

/**
 * 会办意见: the co-unit's event row, its task row and the note to the lead unit, at once. A signed
 * opinion takes the unit's next 提函 number and is stored as a letter (.docx, HTML) to the lead.
 */
export function makeRecordCoOpinion(db: Kysely<Database>) {
  return async function recordCoOpinion(args: RecordCoOpinionArgs): Promise<{ notificationKeys: string[]; docNo: string | null }> {
    const intents: NotificationIntent[] = args.leadUnitId
      ? [
          {
            kind: 'co_opinion_received',
            to: { unitLiaisons: [args.leadUnitId] },
            params: { title: args.title, proposalNo: args.proposalNo, coUnit: args.unitId, kind: args.kind },
          },
        ]
      : [];
    const keys = intents.map((n, i) => notificationKey(args.key, i, n.kind));
    return db.transaction().execute(async (trx) => {
      // A signed opinion is a document of the co-unit: it takes the unit's next 提函 number.
      let docNo: string | null = null;
      const [unit] = args.kind === 'opinion' ? await getUnits(trx, [args.unitId]) : [];
      const style = unit ? await loadStyle(trx, unit.id) : null;
      const date = shanghaiDate(args.now);
      const year = Number(date.slice(0, 4));
      if (unit && style) {
        docNo = await takeDocNumber(trx, {
          key: args.key,
          unitId: unit.id,
          docPrefix: unit.doc_prefix,
          year,
          kind: 'opinion',
          format: (serial) => formatDocNumber(style, { kind: 'opinion', prefix: unit.doc_prefix, year, serial, category: null }),
        });
      }
      const fresh = await appendEvent(trx, {
        idempotencyKey: args.key,
        workflowId: args.parentWorkflowId,
        step: 'submitCoOpinion',
        actorUserId: args.actor.userId,
        actorRole: args.actor.role,
        actorUnitId: args.unitId,
        occurredAt: args.now,
        summary: { kind: args.kind, bodyHash: args.bodyHash, signedBy: args.actor.name, round: args.round, docNo },
      });
      if (!fresh) return { notificationKeys: keys, docNo };
      if (docNo && args.bodyHash && unit && style) {
        // The document's text row stays the opinion as signed; its renditions are the 提函 itself.
        const [lead] = args.leadUnitId ? await getUnits(trx, [args.leadUnitId]) : [];
        const model = buildLetter(
          {
            kind: 'opinion',
            docNo,
            category: null,
            ...(await proposalFacts(trx, args.parentWorkflowId, { proposalNo: args.proposalNo, title: args.title })),
            proposers: [],
            unit: unitRef(unit),
            leadUnit: lead ? unitRef(lead) : null,
            coUnits: [],
            body: (await getText(trx, args.bodyHash)) ?? '',
            contact: { name: unit.contact_name, phone: unit.contact_phone },
            date,
          },
          style,
        );
        await storeLetter(trx, {
          workflowId: args.parentWorkflowId,
          kind: 'co_opinion',
          title: `${docNo} 关于《${args.title}》的会办意见`,
          replyVersion: null,
          model,
          contentHash: args.bodyHash,
        });
      }
      await trx
        .updateTable('unit_tasks')
        .set({
          status: args.kind === 'opinion' ? 'submitted' : 'no_opinion',
          opinion_hash: args.bodyHash,
          completed_at: sql<Date>`coalesce(completed_at, ${args.now}::timestamptz)`,
          updated_at: args.now,
        })
        .where('workflow_id', '=', args.parentWorkflowId)
        .where('unit_id', '=', args.unitId)
        .where('round', '=', args.round)
        .execute();
      await indexProposalTexts(trx, args.parentWorkflowId);
      await queueNotifications(trx, args.key, args.parentWorkflowId, intents);
      return { notificationKeys: keys, docNo };
    });
  };
}
