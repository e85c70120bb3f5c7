import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { problem } from '../problem.js';

// Request bodies: bounded in size before they are read (413 at once from Content-Length, or as
// soon as a streamed body passes the bound), JSON only where JSON is meant (415), and nested at
// most MAX_DEPTH deep (422) so that a hostile body cannot make parsing or validation expensive.

export const MAX_DEPTH = 64;

export function limitBodies(defaultBytes: number, special: { pattern: RegExp; bytes: number }[] = []): MiddlewareHandler {
  const limited = (bytes: number) =>
    bodyLimit({
      maxSize: bytes,
      onError: (c) => problem(c, 'PAYLOAD_TOO_LARGE', `请求内容太大（上限 ${formatBytes(bytes)}），请缩减后重试；大批量请分批提交`),
    });
  const byDefault = limited(defaultBytes);
  const bySpecial = special.map((s) => ({ pattern: s.pattern, handler: limited(s.bytes) }));
  return (c, next) => (bySpecial.find((s) => s.pattern.test(c.req.path))?.handler ?? byDefault)(c, next);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** The deepest nesting of arrays and objects in a JSON text, counted without parsing it. */
export function jsonDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      depth++;
      if (depth > max) max = depth;
      if (max > stopAt) return max;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return max;
}

function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

export type BodyKind = 'json' | 'csv';

const ACCEPTED: Record<BodyKind, readonly string[]> = {
  json: ['application/json'],
  // application/json too: existing clients sent the CSV text with the API's usual content type.
  csv: ['text/csv', 'text/plain', 'application/json'],
};

/**
 * Reads a route's body as the route declared it: the parsed JSON value (a JSON body must be an
 * object) or the CSV text. A Response is a refusal to send back as it is.
 */
export async function readBody(c: Context, kind: BodyKind): Promise<{ value: unknown } | Response> {
  const type = mediaType(c);
  if (!ACCEPTED[kind].includes(type)) {
    const expected = kind === 'json' ? 'application/json' : 'text/csv';
    return problem(c, 'UNSUPPORTED_MEDIA_TYPE', `请求内容类型应为 ${expected}${type ? `，收到的是 ${type}` : '（请求没有标明 Content-Type）'}`);
  }
  const text = await c.req.text();
  if (kind === 'csv') return { value: text };
  if (jsonDepth(text, MAX_DEPTH) > MAX_DEPTH) return problem(c, 'INVALID_INPUT', `请求体嵌套过深（最多 ${MAX_DEPTH} 层）`, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return problem(c, 'INVALID_INPUT', '请求体不是有效的 JSON', '');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return problem(c, 'INVALID_INPUT', '请求体必须是 JSON 对象', '');
  return { value };
}
