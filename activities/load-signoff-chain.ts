import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SignOffChain } from '../workflows/shared/types.js';

/** 审签流程: a unit's chain as the directory holds it when a reply is submitted (null: the policy's rule). */
export function makeLoadSignOffChain(db: Kysely<Database>) {
  return async function loadSignOffChain(args: { unitId: string }): Promise<SignOffChain | null> {
    const row = await db.selectFrom('units').select('signoff_chain').where('id', '=', args.unitId).executeTakeFirst();
    return row?.signoff_chain ?? null;
  };
}
