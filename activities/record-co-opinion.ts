import { sql, type Kysely } from 'kysely';
import { getUnits } from '../db/repositories/directory.js';
import { takeDocNumber } from '../db/repositories/doc-numbers.js';
import { shanghaiDate } from '../workflows/shared/dates.js';
import { appendEvent } from '../db/repositories/events.js';
import type { Database } from '../db/schema.js';
import type { Actor } from '../workflows/shared/types.js';
import type { NotificationIntent } from '../workflows/shared/notifications.js';
import { notificationKey, queueNotifications } from './record-step.js';

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

/** 会办意见: the co-unit's event row, its task row and the note to the lead unit, at once. */
export function makeRecordCoOpinion(db: Kysely<Database>) {
  return async function recordCoOpinion(args: RecordCoOpinionArgs): Promise<{ notificationKeys: string[]; docNo: string | null }> {
    const intents: NotificationIntent[] = args.leadUnitId
      ? [{ kind: 'co_opinion_received', to: { unitLiaisons: [args.leadUnitId] }, params: { title: args.title, proposalNo: args.proposalNo, coUnit: args.unitId, kind: args.kind } }]
      : [];
    const keys = intents.map((n, i) => notificationKey(args.key, i, n.kind));
    return db.transaction().execute(async (trx) => {
      // A signed opinion is a document of the co-unit: it takes the unit's next 提函 number.
      let docNo: string | null = null;
      if (args.kind === 'opinion') {
        const [unit] = await getUnits(trx, [args.unitId]);
        if (unit) {
          docNo = await takeDocNumber(trx, { key: args.key, unitId: unit.id, docPrefix: unit.doc_prefix, year: Number(shanghaiDate(args.now).slice(0, 4)), kind: 'opinion' });
        }
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
      if (docNo && args.bodyHash) {
        await trx
          .insertInto('documents')
          .values({ workflow_id: args.parentWorkflowId, kind: 'co_opinion', title: `${docNo} 关于《${args.title}》的会办意见`, mime: 'text/plain; charset=utf-8', content_hash: args.bodyHash, reply_version: null })
          .onConflict((oc) => oc.doNothing())
          .execute();
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
      await queueNotifications(trx, args.key, args.parentWorkflowId, intents);
      return { notificationKeys: keys, docNo };
    });
  };
}
