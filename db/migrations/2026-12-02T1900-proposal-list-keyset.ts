import { sql, type Kysely } from 'kysely';

// The proposal list pages by keyset (newest first, then by id): at a national session's size an
// index in that order answers a page without sorting the session. Frozen in time like every
// migration.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index proposals_created_keyset on proposals (created_at desc, workflow_id desc)`.execute(db);
  await sql`create index proposals_session_created_keyset on proposals (session_code, created_at desc, workflow_id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists proposals_session_created_keyset`.execute(db);
  await sql`drop index if exists proposals_created_keyset`.execute(db);
}
