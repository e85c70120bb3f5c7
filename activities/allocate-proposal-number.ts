import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { formatProposalNumber } from '../workflows/shared/proposal-numbers.js';
import { shanghaiDate } from '../workflows/shared/dates.js';

export interface AllocateProposalNumberArgs {
  key: string;
  sessionCode: string;
  format: string;
  now: string;
}

/**
 * Takes the session's next proposal number in the policy's format. Idempotent by key; numbers a
 * committee typed by hand are skipped, so the system never hands out one already in use.
 */
export function makeAllocateProposalNumber(db: Kysely<Database>) {
  return async function allocateProposalNumber(args: AllocateProposalNumberArgs): Promise<{ proposalNo: string }> {
    return db.transaction().execute(async (trx) => {
      const earlier = await trx.selectFrom('proposal_number_allocations').select('proposal_no').where('idempotency_key', '=', args.key).executeTakeFirst();
      if (earlier) return { proposalNo: earlier.proposal_no };
      const year = Number(shanghaiDate(args.now).slice(0, 4));
      for (;;) {
        const seq = await trx
          .insertInto('proposal_number_sequences')
          .values({ session_code: args.sessionCode, last_serial: 1 })
          .onConflict((oc) => oc.column('session_code').doUpdateSet({ last_serial: sql`proposal_number_sequences.last_serial + 1` }))
          .returning('last_serial')
          .executeTakeFirstOrThrow();
        const proposalNo = formatProposalNumber(args.format, seq.last_serial, year);
        const used = await trx
          .selectFrom('proposals')
          .select('workflow_id')
          .where('session_code', '=', args.sessionCode)
          .where('proposal_no', '=', proposalNo)
          .executeTakeFirst();
        if (used) continue;
        await trx
          .insertInto('proposal_number_allocations')
          .values({ idempotency_key: args.key, session_code: args.sessionCode, serial: seq.last_serial, proposal_no: proposalNo })
          .execute();
        return { proposalNo };
      }
    });
  };
}
