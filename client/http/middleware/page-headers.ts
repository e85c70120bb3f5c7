import type { MiddlewareHandler } from 'hono';

// Headers for what a browser renders: pages (text/html) and their static CSS and script. It runs
// outside the API's header middleware and replaces its policy for these responses only; JSON
// keeps the API's (default-src 'none'). No inline script or style is allowed anywhere: the one
// stylesheet and the one script come from /static. A response may ask for a stricter policy of
// its own (a caught mail's HTML, shown in a sandboxed frame) through PAGE_CSP_HEADER.

export const PAGE_CSP_HEADER = 'x-banli-page-csp';

export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

const RENDERED = /^(text\/html|text\/css|text\/javascript|application\/javascript)\b/i;

export function pageSecurityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const type = c.res.headers.get('content-type') ?? '';
    if (!RENDERED.test(type)) return;
    const own = c.res.headers.get(PAGE_CSP_HEADER);
    c.res.headers.delete(PAGE_CSP_HEADER);
    const framedBySelf = own !== null;
    c.res.headers.set('Content-Security-Policy', own ?? PAGE_CSP);
    c.res.headers.set('X-Frame-Options', framedBySelf ? 'SAMEORIGIN' : 'DENY');
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    // same-origin: our own form posts keep their Origin (the CSRF guard reads it), and no address
    // (a feedback link carries its token in the path) leaves for another site.
    c.res.headers.set('Referrer-Policy', 'same-origin');
    c.res.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    c.res.headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    c.res.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    // Pages carry people's work: never cached. Static files are addressed by their content's hash.
    c.res.headers.set('Cache-Control', /^text\/html/i.test(type) ? 'no-store' : 'public, max-age=31536000, immutable');
  };
}
