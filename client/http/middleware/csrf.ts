import type { MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'node:crypto';
import { readForm } from '../pages/form-fields.js';
import type { PageContext, PageEnv } from './session.js';

// Every state-changing page request is a form POST that carries the CSRF token of the session
// (or, signed out, of the double-submit cookie) in its hidden `_csrf` field. A POST without it,
// with another one, or from another site (its Origin names another host) changes nothing and is
// answered with a page that says so. The API needs none of this: it takes JSON bodies only,
// which a page on another site cannot send without CORS, and bearer tokens are not ambient.

export const CSRF_FIELD = '_csrf';

export type CsrfRefusal = 'not_a_form' | 'bad_token' | 'other_site';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A browser's Origin, when it sends one, must be this host (schemes differ behind a TLS proxy). */
function fromOtherSite(c: PageContext): boolean {
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return false;
  try {
    const host = c.req.header('x-forwarded-host') ?? c.req.header('host') ?? new URL(c.req.url).host;
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

export function csrfGuard(refuse: (c: PageContext, why: CsrfRefusal) => Response | Promise<Response>): MiddlewareHandler<PageEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (fromOtherSite(c)) return refuse(c, 'other_site');
    const form = await readForm(c);
    if (!form) return refuse(c, 'not_a_form');
    const sent = form.get(CSRF_FIELD);
    if (!sent || !sameToken(sent, c.get('csrf'))) return refuse(c, 'bad_token');
    await next();
  };
}
