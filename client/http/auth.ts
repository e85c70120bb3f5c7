import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../../db/schema.js';
import type { Actor } from '../../workflows/shared/types.js';

const SESSION_HOURS = 12;

export function hashPassword(password: string): Promise<string> {
  // argon2id with the library's defaults (19 MiB, t=2): the OWASP baseline.
  return argon2Hash(password);
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function login(db: Kysely<Database>, username: string, password: string): Promise<{ token: string; user: UserRow } | null> {
  const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  // Verify against a fixed hash when the user is unknown, so timing does not reveal usernames.
  const stored = user?.password_hash ?? '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0m9r0Z2Xn8lq7c6b6ZgQeJr1b0bJj3P2c4mJpQzXH0A';
  const ok = await argon2Verify(stored, password).catch(() => false);
  if (!user || !ok || user.disabled) return null;
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('auth_sessions')
    .values({ token_hash: tokenHash(token), user_id: user.id, expires_at: new Date(Date.now() + SESSION_HOURS * 3600_000).toISOString() })
    .execute();
  return { token, user };
}

export async function logout(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('auth_sessions').where('token_hash', '=', tokenHash(token)).execute();
}

export async function userForToken(db: Kysely<Database>, token: string): Promise<UserRow | null> {
  const row = await db
    .selectFrom('auth_sessions')
    .innerJoin('users', 'users.id', 'auth_sessions.user_id')
    .selectAll('users')
    .where('auth_sessions.token_hash', '=', tokenHash(token))
    .where('auth_sessions.expires_at', '>', new Date())
    .where('users.disabled', '=', false)
    .executeTakeFirst();
  return row ?? null;
}

export function actorOf(user: UserRow): Actor {
  return { userId: user.id, role: user.role, unitId: user.unit_id, proposerId: user.proposer_id, name: user.display_name };
}
