import type { Context, MiddlewareHandler } from 'hono';

// Addresses that are both a page and JSON (the emailed feedback link, a missing address): a
// browser asks for text/html first; a program asks for JSON or for anything.

export function wantsHtml(c: Context): boolean {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return false;
  const accept = c.req.header('accept') ?? '';
  return /\btext\/html\b/i.test(accept) && !c.req.path.startsWith('/api/');
}

/** A form a browser posted (a program posts JSON). */
export function isFormPost(c: Context): boolean {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return c.req.method === 'POST' && (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data');
}

/** Runs middleware and a final handler as one handler, so a route can decide first whether it is its request at all. */
export async function through<C extends Context>(c: C, middleware: MiddlewareHandler[], final: (c: C) => Response | Promise<Response>): Promise<Response> {
  let answer: Response | undefined;
  const step = async (i: number): Promise<void> => {
    const mw = middleware[i];
    if (!mw) {
      answer = await final(c);
      return;
    }
    const early = await mw(c, () => step(i + 1));
    if (early instanceof Response) answer = early;
  };
  await step(0);
  return answer ?? c.res;
}
