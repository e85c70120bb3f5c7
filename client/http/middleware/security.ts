import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

// The API answers JSON only: nothing in it is a page to frame, a script to run or a response to
// cache (answers carry people's work). Pages, when they come, set their own policy.
export function apiSecurityHeaders(): MiddlewareHandler[] {
  return [
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
      crossOriginResourcePolicy: 'same-origin',
    }),
    async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    },
  ];
}
