import { sql, type Kysely } from 'kysely';

// 公开 of a split proposal (分办): each unit answers with its own letter, so one publication
// decision gives one published entry per unit's letter, each with its own 索引号. The decision
// (mode, reason, approval, window) stays in publications; what the public site shows moves here.
// Entries already published are copied over. Frozen in time like every migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('publication_entries')
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('publications.workflow_id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('index_no', 'text', (c) => c.notNull().unique())
    .addColumn('letter_document_id', 'integer', (c) => c.notNull().references('documents.id'))
    .addColumn('public_document_id', 'integer', (c) => c.notNull().references('documents.id'))
    .addColumn('doc_no', 'text')
    .addColumn('organ', 'text', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('generated_on', 'date')
    .addColumn('published_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('publication_entries_pk', ['workflow_id', 'unit_id'])
    .execute();
  await sql`create index publication_entries_published on publication_entries (published_at desc, index_no desc)`.execute(db);
  await sql`
    insert into publication_entries (workflow_id, unit_id, index_no, letter_document_id, public_document_id, doc_no, organ, classification, generated_on, published_at)
    select workflow_id, unit_id, index_no, letter_document_id, public_document_id, doc_no, coalesce(organ, ''), coalesce(classification, '政协委员提案'), generated_on, published_at
      from publications
     where published_at is not null and index_no is not null and unit_id is not null
       and letter_document_id is not null and public_document_id is not null
    on conflict do nothing
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('publication_entries').ifExists().execute();
}
