import type { Kysely } from 'kysely';
import { upsertProposer } from '../db/repositories/directory.js';
import { appendEvent } from '../db/repositories/events.js';
import { insertProposal, type ProjectionFields } from '../db/repositories/proposals.js';
import type { Database } from '../db/schema.js';
import type { RegisterInput } from '../workflows/proposal/definitions.js';
import type { Actor } from '../workflows/shared/types.js';
import { indexProposalTexts } from './search/index-texts.js';

export interface RecordReceiptArgs {
  key: string;
  workflowId: string;
  actor: Actor;
  registration: Omit<RegisterInput, 'actor'>;
  projection: ProjectionFields;
  now: string;
}

/** 登记: the proposal row, its proposers in signing order, and the receipt event, at once. */
export function makeRecordReceipt(db: Kysely<Database>) {
  return async function recordReceipt(args: RecordReceiptArgs): Promise<{ proposerIds: number[] }> {
    const reg = args.registration;
    return db.transaction().execute(async (trx) => {
      const proposerIds: number[] = [];
      for (const p of reg.proposers) {
        proposerIds.push(
          await upsertProposer(trx, {
            kind: p.kind,
            name: p.name.trim(),
            email: p.email?.trim().toLowerCase() || null,
            phone: p.phone?.trim() || null,
            sector: p.sector?.trim() || null,
          }),
        );
      }
      const fresh = await appendEvent(trx, {
        idempotencyKey: args.key,
        workflowId: args.workflowId,
        step: 'register',
        actorUserId: args.actor.userId,
        actorRole: args.actor.role,
        actorUnitId: args.actor.unitId,
        occurredAt: args.now,
        summary: {
          sessionCode: reg.sessionCode,
          receiptNo: reg.receiptNo,
          title: reg.title,
          proposerKind: reg.proposerKind,
          proposers: proposerIds,
          bodyHash: reg.bodyHash,
        },
      });
      if (!fresh) return { proposerIds };
      await insertProposal(
        trx,
        {
          workflowId: args.workflowId,
          sessionCode: reg.sessionCode,
          receiptNo: reg.receiptNo,
          title: reg.title,
          bodyHash: reg.bodyHash,
          topic: reg.topic,
          proposerKind: reg.proposerKind,
          receivedDate: reg.receivedDate,
        },
        args.projection,
        args.now,
      );
      await trx
        .insertInto('proposal_proposers')
        .values(proposerIds.map((id, position) => ({ workflow_id: args.workflowId, proposer_id: id, position })))
        .onConflict((oc) => oc.doNothing())
        .execute();
      await indexProposalTexts(trx, args.workflowId);
      return { proposerIds };
    });
  };
}
