import type { Kysely } from 'kysely';

// Two units with one document prefix would issue the same 文号 (…提〔2026〕1号) twice; refuse
// that when the unit is created rather than when its first reply is dispatched.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('units_doc_prefix_unique').on('units').column('doc_prefix').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('units_doc_prefix_unique').execute();
}
