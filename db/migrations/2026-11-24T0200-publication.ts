import { sql, type Kysely } from 'kysely';

// 公开 (issue 11, item 5): what a published reply carries, as in seed 000 — 索引号
// (<organisation code>/<year>-<serial>), 组配分类, 发布机构, 生成日期, 发布日期, 文件编号 — and
// when it was published against its due date, so the 20-working-day window can be reported.
// Frozen in time like every migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('publications')
    .addColumn('unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('letter_document_id', 'integer', (c) => c.references('documents.id'))
    .addColumn('public_document_id', 'integer', (c) => c.references('documents.id'))
    .addColumn('doc_no', 'text')
    .addColumn('organ', 'text')
    .addColumn('classification', 'text')
    .addColumn('generated_on', 'date')
    .addColumn('due_date', 'date')
    .addColumn('published_at', 'timestamptz')
    .execute();
  await sql`create unique index publications_index_no on publications (index_no) where index_no is not null`.execute(db);
  await sql`create index publications_published on publications (published_at desc) where published_at is not null`.execute(db);

  // Who publishes for a unit: its organisation code (the 索引号's first part), the organ named on
  // the page, and the classification its replies are filed under.
  await db.schema
    .createTable('publication_profiles')
    .addColumn('unit_id', 'text', (c) => c.primaryKey().references('units.id').onDelete('cascade'))
    .addColumn('org_code', 'text', (c) => c.notNull())
    .addColumn('organ', 'text', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull().defaultTo('政协委员提案'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // The disclosure serial runs per organisation and year across everything it publishes; an
  // administrator may set where it stands when other systems publish too.
  await db.schema
    .createTable('publication_sequences')
    .addColumn('org_code', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_serial', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('publication_sequences_pk', ['org_code', 'year'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('publication_sequences').ifExists().execute();
  await db.schema.dropTable('publication_profiles').ifExists().execute();
  await sql`drop index if exists publications_published`.execute(db);
  await sql`drop index if exists publications_index_no`.execute(db);
  await db.schema
    .alterTable('publications')
    .dropColumn('published_at')
    .dropColumn('due_date')
    .dropColumn('generated_on')
    .dropColumn('classification')
    .dropColumn('organ')
    .dropColumn('doc_no')
    .dropColumn('public_document_id')
    .dropColumn('letter_document_id')
    .dropColumn('unit_id')
    .execute();
}
