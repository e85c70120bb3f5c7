import { sql, type Kysely } from 'kysely';

// Frozen in time: later schema changes go in new migration files, never edits here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('plenary','between_sessions')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('short_name', 'text', (c) => c.notNull())
    .addColumn('doc_prefix', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('leader_email', 'text', (c) => c.notNull())
    .addColumn('principal_email', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('proposers')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('member','party','organisation','sector_group','special_committee')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('sector', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('proposers_kind_name_email').on('proposers').columns(['kind', 'name', 'email']).unique().nullsNotDistinct().execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('office','committee','liaison','leader','principal','proposer','admin')`))
    .addColumn('unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('proposer_id', 'integer', (c) => c.references('proposers.id'))
    .addColumn('email', 'text')
    .addColumn('daily_digest', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('users_unit_roles', sql`(role in ('liaison','leader','principal')) = (unit_id is not null)`)
    .addCheckConstraint('users_proposer_role', sql`(role = 'proposer') = (proposer_id is not null)`)
    .execute();

  await db.schema
    .createTable('auth_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('text_blobs')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('proposals')
    .addColumn('workflow_id', 'text', (c) => c.primaryKey())
    .addColumn('session_code', 'text', (c) => c.notNull().references('sessions.code'))
    .addColumn('receipt_no', 'text', (c) => c.notNull())
    .addColumn('proposal_no', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull().references('text_blobs.hash'))
    .addColumn('topic', 'text')
    .addColumn('proposer_kind', 'text', (c) => c.notNull())
    .addColumn('received_date', 'date', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('filing_outcome', 'text')
    .addColumn('filing_reason', 'text')
    .addColumn('merged_into', 'text')
    .addColumn('handling_mode', 'text')
    .addColumn('lead_unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('unit_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('key_proposal', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('supervising_leader', 'text')
    .addColumn('reply_class', 'text')
    .addColumn('reply_version', 'integer')
    .addColumn('reply_doc_no', 'text')
    .addColumn('dispatched_at', 'timestamptz')
    .addColumn('next_due_at', 'timestamptz')
    .addColumn('next_due_kind', 'text')
    .addColumn('policy_version', 'integer')
    .addColumn('rehandling_round', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('proposals_receipt_unique', ['session_code', 'receipt_no'])
    .addUniqueConstraint('proposals_number_unique', ['session_code', 'proposal_no'])
    .execute();
  await db.schema.createIndex('proposals_stage').on('proposals').columns(['session_code', 'stage']).execute();
  await db.schema.createIndex('proposals_next_due').on('proposals').column('next_due_at').execute();
  await db.schema.createIndex('proposals_units').on('proposals').using('gin').column('unit_ids').execute();

  await db.schema
    .createTable('proposal_proposers')
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('proposals.workflow_id').onDelete('cascade'))
    .addColumn('proposer_id', 'integer', (c) => c.notNull().references('proposers.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('proposal_proposers_pk', ['workflow_id', 'proposer_id'])
    .execute();

  await db.schema
    .createTable('unit_tasks')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('proposals.workflow_id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('sole','lead','co','split')`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz')
    .addColumn('due_explanation', 'text')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('opinion_hash', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('unit_tasks_unique', ['workflow_id', 'unit_id', 'round'])
    .execute();
  await db.schema.createIndex('unit_tasks_unit_status').on('unit_tasks').columns(['unit_id', 'status']).execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer')
    .addColumn('actor_role', 'text')
    .addColumn('actor_unit_id', 'text')
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('summary', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_workflow').on('events').columns(['workflow_id', 'id']).execute();
  // The audit trail is append-only: the database itself refuses edits and deletions.
  await sql`create function events_append_only() returns trigger language plpgsql as $$
    begin raise exception 'events are append-only'; end $$`.execute(db);
  await sql`create trigger events_no_update before update or delete on events
    for each row execute function events_append_only()`.execute(db);

  await db.schema
    .createTable('reply_versions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('proposals.workflow_id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull().references('text_blobs.hash'))
    .addColumn('reply_class', 'text', (c) => c.notNull())
    .addColumn('change_note', 'text')
    .addColumn('author_user_id', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('reply_versions_unique', ['workflow_id', 'unit_id', 'round', 'version'])
    .execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull().references('text_blobs.hash'))
    .addColumn('reply_version', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('documents_unique', ['workflow_id', 'kind', 'content_hash'])
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('workflow_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_addrs', sql`text[]`, (c) => c.notNull())
    .addColumn('cc_addrs', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','sent','failed')`))
    .addColumn('message_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('publications')
    .addColumn('workflow_id', 'text', (c) => c.primaryKey().references('proposals.workflow_id'))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('full','summary','none')`))
    .addColumn('reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'integer')
    .addColumn('approved_by', 'integer')
    .addColumn('index_no', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('unit_doc_sequences')
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('last_serial', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('unit_doc_sequences_pk', ['unit_id', 'year', 'kind'])
    .execute();

  await db.schema
    .createTable('doc_numbers')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('serial', 'integer', (c) => c.notNull())
    .addColumn('doc_no', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('doc_numbers_serial_unique', ['unit_id', 'year', 'kind', 'serial'])
    .execute();

  await db.schema
    .createTable('consultations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('proposals.workflow_id'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('contact_date', 'date', (c) => c.notNull())
    .addColumn('way', 'text', (c) => c.notNull())
    .addColumn('participants', 'text', (c) => c.notNull())
    .addColumn('summary_hash', 'text', (c) => c.notNull().references('text_blobs.hash'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('ratings')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('proposals.workflow_id'))
    .addColumn('proposer_id', 'integer', (c) => c.notNull().references('proposers.id'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('attitude', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('entered_by_user_id', 'integer')
    .addColumn('on_behalf', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('ratings_once', ['workflow_id', 'proposer_id', 'round'])
    .execute();

  await db.schema
    .createTable('calendar_days')
    .addColumn('date', 'date', (c) => c.primaryKey())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday','makeup_workday')`))
    .addColumn('name', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('policies')
    .addColumn('version', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index policies_one_active on policies (active) where active`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'policies',
    'calendar_years',
    'calendar_days',
    'ratings',
    'consultations',
    'doc_numbers',
    'unit_doc_sequences',
    'publications',
    'notifications',
    'documents',
    'reply_versions',
    'events',
    'unit_tasks',
    'proposal_proposers',
    'proposals',
    'text_blobs',
    'auth_sessions',
    'users',
    'proposers',
    'units',
    'sessions',
  ]) {
    await db.schema.dropTable(table).ifExists().cascade().execute();
  }
  await sql`drop function if exists events_append_only()`.execute(db);
}
