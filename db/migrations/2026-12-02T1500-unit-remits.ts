import { sql, type Kysely } from 'kysely';

// 智能分办 from the units' remits (职责) as data: each unit's remit in words, and the same text
// segmented (jieba, in the application) as a tsvector, so a new proposal's words can find the
// units whose remit they fall under. Frozen in time like every migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('units')
    .addColumn('remit', 'text')
    .addColumn('remit_tsv', sql`tsvector`)
    .execute();
  await sql`create index units_remit on units using gin (remit_tsv)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists units_remit`.execute(db);
  await db.schema.alterTable('units').dropColumn('remit_tsv').dropColumn('remit').execute();
}
