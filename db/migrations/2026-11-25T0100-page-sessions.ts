import { sql, type Kysely } from 'kysely';

// Sessions for the web pages (issue 12, item 1). Frozen in time like every migration.
//
// auth_sessions: a page session (kind 'page', the cookie) expires when idle as well as at its
//   absolute end; a bearer token (kind 'bearer', the API and the CLI) keeps only the absolute
//   end. Each page session carries its own CSRF token (synchronizer pattern). last_seen_at is
//   written at most about once a minute, not on every request.
// login_throttle: failed sign-ins per account name and per address, and a lockout end; a key
//   is 'user:<name as typed>' or 'addr:<address>', so an unknown name locks like a known one and
//   the message does not reveal which names exist.
// users.must_change_password: set by an administrator's reset, cleared by the person's own change.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('auth_sessions')
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .defaultTo('bearer')
        .check(sql`kind in ('bearer','page')`),
    )
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('idle_expires_at', 'timestamptz')
    .addColumn('csrf_token', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('auth_sessions_user').on('auth_sessions').column('user_id').execute();
  await db.schema.createIndex('auth_sessions_expires').on('auth_sessions').column('expires_at').execute();

  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('password_changed_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('password_changed_at').dropColumn('must_change_password').execute();
  await db.schema.dropTable('login_throttle').ifExists().execute();
  await db.schema.dropIndex('auth_sessions_expires').ifExists().execute();
  await db.schema.dropIndex('auth_sessions_user').ifExists().execute();
  await db.schema
    .alterTable('auth_sessions')
    .dropColumn('user_agent')
    .dropColumn('csrf_token')
    .dropColumn('idle_expires_at')
    .dropColumn('last_seen_at')
    .dropColumn('kind')
    .execute();
}
