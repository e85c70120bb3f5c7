import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { activePolicy, getPolicy } from '../db/repositories/reference.js';
import type { Database } from '../db/schema.js';
import type { Policy, PolicyBody } from '../workflows/types.js';

export function makeLoadPolicy(db: Kysely<Database>) {
  return async function loadPolicy(args: { version?: number }): Promise<Policy> {
    const row = args.version ? await getPolicy(db, args.version) : await activePolicy(db);
    if (!row) throw ApplicationFailure.nonRetryable('no active handling policy: run the bootstrap or publish one', 'NOT_FOUND');
    return { version: row.version, body: row.body as unknown as PolicyBody };
  };
}
