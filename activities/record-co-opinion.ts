import { sql, type Kysely } from 'kysely';
import { appendEvent } from '../db/repositories/events.js';
import type { Database } from '../db/schema.js';
import type { Actor } from '../workflows/types.js';
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
  return async function recordCoOpinion(args: RecordCoOpinionArgs): Promise<{ notificationKeys: string[] }> {
    const intents = args.leadUnitId
      ? [{ kind: 'co_opinion_received', to: { unitLiaisons: [args.leadUnitId] }, params: { title: args.title, proposalNo: args.proposalNo, coUnit: args.unitId, kind: args.kind } }]
      : [];
    const keys = intents.map((n, i) => notificationKey(args.key, i, n.kind));
    return db.transaction().execute(async (trx) => {
      const fresh = await appendEvent(trx, {
        idempotencyKey: args.key,
        workflowId: args.parentWorkflowId,
        step: 'submitCoOpinion',
        actorUserId: args.actor.userId,
        actorRole: args.actor.role,
        actorUnitId: args.unitId,
        occurredAt: args.now,
        summary: { kind: args.kind, bodyHash: args.bodyHash, signedBy: args.actor.name, round: args.round },
      });
      if (!fresh) return { notificationKeys: keys };
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
      return { notificationKeys: keys };
    });
  };
}
