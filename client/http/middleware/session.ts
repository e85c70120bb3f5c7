import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import type { Database, UserRow } from '../../../db/schema.js';
import type { Role } from '../../../workflows/shared/types.js';
import { sessionForToken, type SessionInfo } from '../auth.js';
import { clearPageCookie, setPageCookie } from '../request-info.js';
import { SESSION_COOKIE } from './auth.js';

// The pages' session: the banli_session cookie of a page session (kind 'page'; a bearer token in
// the cookie does not open the pages, since it has no CSRF token and no idle end). Every page
// request learns who is signed in (maybe nobody) and the CSRF token its forms must carry: the
// session's own, or for someone not signed in (the sign-in form, a feedback link) a random
// token in its own cookie that the form repeats (double submit).

export const CSRF_COOKIE = 'banli_csrf';

export interface PageVars {
  user: UserRow;
  session: SessionInfo | null;
  csrf: string;
  /** A session cookie came with the request but its session has ended (idle, expired, revoked). */
  sessionEnded: boolean;
}
export type PageEnv = { Variables: PageVars };
export type PageContext = Context<PageEnv>;

const TOKEN = /^[\w-]{20,200}$/;

export function loadSession(db: Kysely<Database>): MiddlewareHandler<PageEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token && TOKEN.test(token) ? await sessionForToken(db, token) : null;
    const usable = session?.kind === 'page' && session.csrfToken ? session : null;
    c.set('session', usable);
    c.set('sessionEnded', token !== undefined && usable === null);
    if (usable) {
      c.set('user', usable.user);
      c.set('csrf', usable.csrfToken!);
    } else {
      if (token !== undefined && session === null) clearPageCookie(c, SESSION_COOKIE);
      let anonymous = getCookie(c, CSRF_COOKIE);
      if (!anonymous || !TOKEN.test(anonymous)) {
        anonymous = randomBytes(24).toString('base64url');
        setPageCookie(c, CSRF_COOKIE, anonymous);
      }
      c.set('csrf', anonymous);
    }
    await next();
  };
}

/** A path inside this site to come back to after signing in; anything else is ignored. */
export function safeNext(value: string | undefined | null): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\') || value.length > 500) return null;
  return value;
}

/** What someone who must first choose a password may still open. */
const ACCOUNT_PATHS = ['/account', '/account/password', '/logout', '/logout-everywhere'];

/** Pages behind sign-in: nobody signed in goes to the sign-in page and comes back after. */
export function requireSignIn(): MiddlewareHandler<PageEnv> {
  return async (c, next) => {
    const session = c.get('session');
    if (!session) {
      const here = c.req.method === 'GET' ? `${c.req.path}${new URL(c.req.url).search}` : null;
      const params = new URLSearchParams();
      if (c.get('sessionEnded')) params.set('ended', '1');
      if (here && here !== '/') params.set('next', here);
      const query = params.toString();
      return c.redirect(query ? `/?${query}` : '/', 303);
    }
    // After an administrator's reset the person picks their own password before anything else.
    if (session.user.must_change_password && !ACCOUNT_PATHS.includes(c.req.path)) return c.redirect('/account', 303);
    await next();
  };
}

/** A role's pages: another role gets the same "not here" as a missing page would. */
export function requireRole(roles: readonly Role[], refuse: (c: PageContext) => Response | Promise<Response>): MiddlewareHandler<PageEnv> {
  return async (c, next) => {
    if (!roles.includes(c.get('user').role)) return refuse(c);
    await next();
  };
}
