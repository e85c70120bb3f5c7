import { sql, type Kysely } from 'kysely';

// 联名: a joint proposal's draft while its co-signers are asked (one row per draft, keyed by the
// draft's workflow id) and each signer's answer. The process state lives in the draft's workflow;
// these rows are what the office and the proposal's page read, and they outlive the workflow as
// the record of who accepted, declined or never answered. Frozen in time like every migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('joint_drafts')
    .addColumn('workflow_id', 'text', (c) => c.primaryKey())
    .addColumn('session_code', 'text', (c) => c.notNull().references('sessions.code'))
    .addColumn('receipt_no', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull().references('text_blobs.hash'))
    .addColumn('topic', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'submitted', 'registering', 'registered', 'withdrawn')`))
    .addColumn('consent_closed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expiry_explanation', 'text', (c) => c.notNull())
    .addColumn('calendar_confirmed', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('opened_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('submitted_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('proposal_workflow_id', 'text')
    .addColumn('registered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('joint_drafts_session_receipt', ['session_code', 'receipt_no'])
    .execute();
  await db.schema.createIndex('joint_drafts_proposal').on('joint_drafts').column('proposal_workflow_id').execute();
  await db.schema.createIndex('joint_drafts_status').on('joint_drafts').columns(['status', 'expires_at']).execute();

  await db.schema
    .createTable('joint_signers')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('draft_workflow_id', 'text', (c) => c.notNull().references('joint_drafts.workflow_id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull().check(sql`position >= 0`))
    .addColumn('proposer_id', 'integer', (c) => c.references('proposers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('sector', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('first_signer', 'invited', 'accepted', 'declined', 'paper_accepted', 'paper_declined', 'expired')`),
    )
    .addColumn('answered_at', 'timestamptz')
    .addColumn('answered_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('comment', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('joint_signers_position', ['draft_workflow_id', 'position'])
    .execute();
  await db.schema.createIndex('joint_signers_proposer').on('joint_signers').column('proposer_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('joint_signers').ifExists().execute();
  await db.schema.dropTable('joint_drafts').ifExists().execute();
}
