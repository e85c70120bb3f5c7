import type { Kysely } from 'kysely';

// A unit's adjustment or extension request waits for the office's decision, which has its own
// deadline (交办单位审批期限): the unit's task shows it while the request is pending. Frozen in
// time like every migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('unit_tasks').addColumn('decision_due_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('unit_tasks').dropColumn('decision_due_at').execute();
}
