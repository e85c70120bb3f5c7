import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { segmentedText } from './index-texts.js';

// A unit's remit (职责) as data: the words an administrator writes, and their jieba segmentation
// as a tsvector beside them, so 智能分办 can match a proposal's words against what each unit answers for.

/** Stores a unit's remit (null or blank clears it) with its index, in the caller's transaction. */
export async function setUnitRemit(db: Kysely<Database>, unitId: string, remit: string | null): Promise<void> {
  const text = remit?.trim() || null;
  await sql`
    update units set remit = ${text}, remit_tsv = ${text === null ? null : sql`to_tsvector('simple', ${segmentedText(text)})`}
    where id = ${unitId}`.execute(db);
}
