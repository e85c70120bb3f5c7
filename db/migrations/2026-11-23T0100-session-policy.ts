import type { Kysely } from 'kysely';

// Rules differ by session (a province may change its reply deadline from one year to the next):
// a session may pin a policy version; proposals registered in it follow that version.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sessions')
    .addColumn('policy_version', 'integer', (c) => c.references('policies.version'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('policy_version').execute();
}
