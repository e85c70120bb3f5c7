import type { MiddlewareHandler } from 'hono';
import { problem } from '../problem.js';

// A NUL in a path or query string decodes into a value that PostgreSQL refuses (22021), deep
// inside a query: refused here, for every route, before anything looks at it. Lone surrogates
// cannot arrive this way (their UTF-8 encoding does not decode), so NUL is the one to catch.
export function refuseNulInUrl(): MiddlewareHandler {
  return async (c, next) => {
    if (/%00/i.test(c.req.url) || c.req.url.includes('\0')) return problem(c, 'INVALID_INPUT', '请求地址含有空字符（%00），请删除后重试');
    await next();
  };
}
