import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { insertOne, pendingTexts } from './index-texts.js';

// The archive search's index for texts stored before it existed (or by a step that ran before a
// deploy added indexing): run at worker start after the migrations. It reads only texts without
// an index row, so on a database that is up to date it is one query and adds nothing.

/** Fills the index for every proposal, in batches; running it again adds nothing. */
export async function backfillSearchIndex(db: Kysely<Database>, batch = 500): Promise<number> {
  let added = 0;
  for (;;) {
    const { rows } = await pendingTexts(db, null, batch);
    if (rows.length === 0) return added;
    let round = 0;
    for (const t of rows) if (await insertOne(db, t.workflow_id, t)) round++;
    added += round;
    // Rows that another process indexed meanwhile are skipped; stop when a batch adds nothing.
    if (round === 0) return added;
  }
}
