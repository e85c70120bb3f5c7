import type { Kysely } from 'kysely';

// 立案编号: a session's proposals are numbered in sequence when the committee leaves the number
// to the system; the step that took a number finds it again on a retry.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('proposal_number_sequences')
    .addColumn('session_code', 'text', (c) => c.primaryKey().references('sessions.code'))
    .addColumn('last_serial', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('proposal_number_allocations')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('session_code', 'text', (c) => c.notNull())
    .addColumn('serial', 'integer', (c) => c.notNull())
    .addColumn('proposal_no', 'text', (c) => c.notNull())
    .addUniqueConstraint('proposal_number_allocations_unique', ['session_code', 'serial'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('proposal_number_allocations').execute();
  await db.schema.dropTable('proposal_number_sequences').execute();
}
