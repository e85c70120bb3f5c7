import type { Kysely } from 'kysely';

// "Why this date": every due date shown carries its explanation, extension state and whether
// the calendar year behind it is confirmed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('unit_tasks')
    .addColumn('extension_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extension_pending_to', 'date')
    .addColumn('calendar_confirmed', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  await db.schema
    .alterTable('proposals')
    .addColumn('next_due_explanation', 'text')
    .addColumn('next_due_confirmed', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  await db.schema.createIndex('unit_tasks_due').on('unit_tasks').columns(['status', 'due_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('unit_tasks_due').execute();
  await db.schema.alterTable('proposals').dropColumn('next_due_explanation').dropColumn('next_due_confirmed').execute();
  await db.schema.alterTable('unit_tasks').dropColumn('extension_count').dropColumn('extension_pending_to').dropColumn('calendar_confirmed').execute();
}
