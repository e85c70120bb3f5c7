import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { userForToken } from '../auth.js';
import { problem } from '../problem.js';
import type { Authenticate } from '../route.js';

export const SESSION_COOKIE = 'banli_session';

/** The session token from `Authorization: Bearer …` or the session cookie. */
export function sessionToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  return header?.startsWith('Bearer ') ? header.slice(7) : getCookie(c, SESSION_COOKIE);
}

/** Sets the caller as `user`, or answers 401 (a Response to send back). */
export function authenticator(db: Kysely<Database>): Authenticate {
  return async (c) => {
    const token = sessionToken(c);
    // A token is base64url (login makes it); anything else cannot be a session and is not looked up.
    const user = token && /^[\w-]{20,200}$/.test(token) ? await userForToken(db, token) : null;
    if (!user) return problem(c, 'UNAUTHENTICATED', '请先登录');
    c.set('user', user);
    return null;
  };
}
