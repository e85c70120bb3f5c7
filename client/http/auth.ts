import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../../db/schema.js';
import type { Actor } from '../../workflows/shared/types.js';
import { clearAccountFailures, currentLockout, DEFAULT_THROTTLE, recordLoginFailure, type Lockout, type ThrottlePolicy } from './login-throttle.js';

// Passwords, sign-in and sessions. A bearer token (the API, the CLI) ends 12 hours after sign-in;
// a page session (the cookie) ends after 12 hours too, or after an hour without a request,
// whichever comes first, and carries the CSRF token its forms echo.

export type SessionKind = 'bearer' | 'page';

export const SESSION_POLICY = Object.freeze({
  absoluteHours: 12,
  pageIdleMinutes: 60,
  /** last_seen_at is written at most this often: a page view should not cost a write each time. */
  touchEverySeconds: 60,
});

export function hashPassword(password: string): Promise<string> {
  // argon2id with the library's defaults (19 MiB, t=2): the OWASP baseline.
  return argon2Hash(password);
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const newToken = () => randomBytes(32).toString('base64url');

// Verified against when the user is unknown, so timing does not reveal usernames.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0m9r0Z2Xn8lq7c6b6ZgQeJr1b0bJj3P2c4mJpQzXH0A';

export async function passwordMatches(user: Pick<UserRow, 'password_hash'> | undefined, password: string): Promise<boolean> {
  return argon2Verify(user?.password_hash ?? DUMMY_HASH, password).catch(() => false);
}

export interface LoginOptions {
  kind?: SessionKind;
  /** The caller's address, for per-address throttling; null when unknown (tests, in-process). */
  address?: string | null;
  userAgent?: string | null;
  throttle?: ThrottlePolicy;
  now?: Date;
}

export type LoginResult =
  | { ok: true; token: string; user: UserRow; csrfToken: string | null }
  | { ok: false; reason: 'bad_credentials'; attemptsLeft: number }
  | { ok: false; reason: 'locked'; lockout: Lockout };

export async function login(db: Kysely<Database>, username: string, password: string, options: LoginOptions = {}): Promise<LoginResult> {
  const now = options.now ?? new Date();
  const address = options.address ?? null;
  const throttle = options.throttle ?? DEFAULT_THROTTLE;
  const locked = await currentLockout(db, username, address, now);
  if (locked) return { ok: false, reason: 'locked', lockout: locked };
  const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const ok = await passwordMatches(user, password);
  if (!user || !ok || user.disabled) {
    const failure = await recordLoginFailure(db, username, address, throttle, now);
    return failure.lockout
      ? { ok: false, reason: 'locked', lockout: failure.lockout }
      : { ok: false, reason: 'bad_credentials', attemptsLeft: failure.accountAttemptsLeft };
  }
  await clearAccountFailures(db, username);
  const session = await createSession(db, user.id, options.kind ?? 'bearer', options.userAgent ?? null, now);
  return { ok: true, user, ...session };
}

export async function createSession(
  db: Kysely<Database>,
  userId: number,
  kind: SessionKind,
  userAgent: string | null,
  now = new Date(),
): Promise<{ token: string; csrfToken: string | null }> {
  const token = newToken();
  const csrfToken = kind === 'page' ? newToken() : null;
  const expires = new Date(now.getTime() + SESSION_POLICY.absoluteHours * 3600_000);
  await db
    .insertInto('auth_sessions')
    .values({
      token_hash: tokenHash(token),
      user_id: userId,
      kind,
      expires_at: expires,
      last_seen_at: now,
      idle_expires_at: kind === 'page' ? idleEnd(now, expires) : null,
      csrf_token: csrfToken,
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, csrfToken };
}

function idleEnd(now: Date, absolute: Date): Date {
  return new Date(Math.min(now.getTime() + SESSION_POLICY.pageIdleMinutes * 60_000, absolute.getTime()));
}

export async function logout(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('auth_sessions').where('token_hash', '=', tokenHash(token)).execute();
}

/** Ends every session of a user (「退出所有设备」, a password change, an administrator's action), but `keep`. */
export async function logoutEverywhere(db: Kysely<Database>, userId: number, keepTokenHash?: string): Promise<number> {
  let q = db.deleteFrom('auth_sessions').where('user_id', '=', userId);
  if (keepTokenHash) q = q.where('token_hash', '<>', keepTokenHash);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface SessionInfo {
  user: UserRow;
  kind: SessionKind;
  tokenHash: string;
  csrfToken: string | null;
  expiresAt: Date;
}

/** The live session of a token: not past its end, not idle too long, its user not disabled. */
export async function sessionForToken(db: Kysely<Database>, token: string, now = new Date()): Promise<SessionInfo | null> {
  const hash = tokenHash(token);
  const row = await db
    .selectFrom('auth_sessions')
    .innerJoin('users', 'users.id', 'auth_sessions.user_id')
    .selectAll('users')
    .select(['auth_sessions.kind', 'auth_sessions.csrf_token', 'auth_sessions.expires_at', 'auth_sessions.last_seen_at'])
    .where('auth_sessions.token_hash', '=', hash)
    .where('auth_sessions.expires_at', '>', now)
    .where((eb) => eb.or([eb('auth_sessions.idle_expires_at', 'is', null), eb('auth_sessions.idle_expires_at', '>', now)]))
    .where('users.disabled', '=', false)
    .executeTakeFirst();
  if (!row) return null;
  const { kind, csrf_token, expires_at, last_seen_at, ...user } = row;
  if (now.getTime() - new Date(last_seen_at).getTime() > SESSION_POLICY.touchEverySeconds * 1000) {
    await db
      .updateTable('auth_sessions')
      .set({ last_seen_at: now, ...(kind === 'page' ? { idle_expires_at: idleEnd(now, new Date(expires_at)) } : {}) })
      .where('token_hash', '=', hash)
      .execute();
  }
  return { user: user, kind, tokenHash: hash, csrfToken: csrf_token, expiresAt: new Date(expires_at) };
}

export async function userForToken(db: Kysely<Database>, token: string): Promise<UserRow | null> {
  return (await sessionForToken(db, token))?.user ?? null;
}

/** Sets a new password; every other session of the user ends (a stolen cookie stops working). */
export async function changePassword(db: Kysely<Database>, userId: number, newPassword: string, keepTokenHash?: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(newPassword), must_change_password: false, password_changed_at: new Date() })
    .where('id', '=', userId)
    .execute();
  await logoutEverywhere(db, userId, keepTokenHash);
}

export function actorOf(user: UserRow): Actor {
  return { userId: user.id, role: user.role, unitId: user.unit_id, proposerId: user.proposer_id, name: user.display_name };
}
