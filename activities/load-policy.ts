import { FailureType } from '../workflows/shared/failures.js';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { activePolicy, getPolicy } from '../db/repositories/reference.js';
import type { Database } from '../db/schema.js';
import type { Policy } from '../workflows/shared/types.js';

export function makeLoadPolicy(db: Kysely<Database>) {
  return async function loadPolicy(args: { version?: number; sessionCode?: string }): Promise<Policy> {
    let version = args.version;
    if (!version && args.sessionCode) {
      const session = await db.selectFrom('sessions').select('policy_version').where('code', '=', args.sessionCode).executeTakeFirst();
      version = session?.policy_version ?? undefined;
    }
    const row = version ? await getPolicy(db, version) : await activePolicy(db);
    if (!row) throw ApplicationFailure.nonRetryable('no active handling policy: run the bootstrap or publish one', FailureType.NOT_FOUND);
    return { version: row.version, body: row.body };
  };
}
