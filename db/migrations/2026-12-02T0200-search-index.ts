import { sql, type Kysely } from 'kysely';

// Archive search (issue 13, items 4–6). Frozen in time like every migration.
//
// search_texts: one row per searchable text of a proposal — its title and body ('proposal'),
//   each reply version ('reply'), each co-unit's opinion ('co_opinion') and the published public
//   version ('public') — keyed by the proposal, the kind, the unit ('' for the proposal itself)
//   and the text's content hash, so indexing the same text again is a no-op. The tsvector is
//   built with the 'simple' configuration over words that jieba (a dictionary segmenter, in
//   Node) has already separated with spaces: PostgreSQL's own parsers do not split Chinese.
//   Filters (session, unit, class, stage) are read from proposals at query time, so the index
//   never goes stale when a proposal moves on. Existing rows are filled by an idempotent
//   backfill at worker start (activities/search/backfill.ts), because segmentation is Node code.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_texts')
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('proposals.workflow_id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('proposal','reply','co_opinion','public')`))
    .addColumn('unit_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('text_hash', 'text', (c) => c.notNull().references('text_blobs.hash'))
    .addColumn('tsv', sql`tsvector`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('search_texts_pk', ['workflow_id', 'kind', 'unit_id', 'text_hash'])
    .execute();
  await sql`create index search_texts_tsv on search_texts using gin (tsv)`.execute(db);
  // Similar titles by trigrams (pg_trgm, a trusted extension shipped with PostgreSQL): catches
  // titles that share characters where the segmenter cut the words differently.
  // Every title says 关于……的建议/提案: compared whole, those shared characters make almost any two
  // titles look alike. The index and the query compare what is left between them.
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`
    create function search_title_core(t text) returns text language sql immutable parallel safe as
    $$ select regexp_replace(regexp_replace(t, '^[[:space:]]*关于', ''), '(的)?(建议|提案|意见)[[:space:]]*$', '') $$`.execute(db);
  await sql`create index proposals_title_trgm on proposals using gin (search_title_core(title) gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists proposals_title_trgm`.execute(db);
  await sql`drop function if exists search_title_core(text)`.execute(db);
  await db.schema.dropTable('search_texts').ifExists().execute();
}
