import { sql, type Kysely } from 'kysely';

// Letters as data and documents as files (issue 11). Frozen in time like every migration.
//
// letter_styles: how the deployment ('deployment') and each unit ('unit:<id>') word their
//   letters, as a JSON patch over the built-in defaults, edited by an administrator.
// letter_overrides: one proposal's own 抄送 list or closing.
// document_renditions: the .docx, HTML and model of a stored document, next to its text row.
// notifications: an HTML part and attachments (a rendition, by document id and format).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('letter_styles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.references('units.id').onDelete('cascade'))
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('letter_styles_key', sql`(key = 'deployment' and unit_id is null) or (unit_id is not null and key = 'unit:' || unit_id)`)
    .execute();

  await db.schema
    .createTable('letter_overrides')
    .addColumn('workflow_id', 'text', (c) => c.primaryKey().references('proposals.workflow_id'))
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('document_renditions')
    .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('docx','html','model')`))
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('document_renditions_pk', ['document_id', 'format'])
    .execute();
  await db.schema.createIndex('documents_reply_version').on('documents').columns(['workflow_id', 'kind', 'reply_version']).execute();

  await db.schema
    .alterTable('notifications')
    .addColumn('body_html', 'text')
    .addColumn('attachments', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema.createIndex('notifications_failed').on('notifications').column('created_at').where(sql.ref('status'), '=', 'failed').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notifications_failed').ifExists().execute();
  await db.schema.alterTable('notifications').dropColumn('attachments').dropColumn('body_html').execute();
  await db.schema.dropIndex('documents_reply_version').ifExists().execute();
  await db.schema.dropTable('document_renditions').ifExists().execute();
  await db.schema.dropTable('letter_overrides').ifExists().execute();
  await db.schema.dropTable('letter_styles').ifExists().execute();
}
