import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { sha256 } from '../../db/repositories/blobs.js';
import { eventKeysWithPrefix } from '../../db/repositories/events.js';
import type { Database } from '../../db/schema.js';
import { problem } from './problem.js';

// Idempotency keys without a table of their own. The Update ID is `${key}:${sha256(payload)}`:
// the same key with the same payload is the same Update (Temporal answers a repeat with the
// first result, a late repeat after a 503 included), and the same key with another payload is
// another Update. The step an Update writes is keyed `${workflowId}:${updateId}` (record-step,
// co-opinion), so "this key was already used for something else" is an event whose key has
// this key's prefix and another payload hash: found in PostgreSQL, surviving restarts and
// continue-as-new. What it cannot see is a first request still in flight (no event yet) or one
// the workflow refused (it wrote nothing, so reusing its key is harmless).

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEY = /^[A-Za-z0-9_.:-]{8,200}$/;
const HASH = /^[0-9a-f]{64}$/;

/** The client's key, a fresh one when it sent none, or a 422 for one that is malformed. */
export function idempotencyKeyOf(c: Context): { key: string; fromClient: boolean } | Response {
  const key = c.req.header(IDEMPOTENCY_HEADER);
  if (key === undefined) return { key: randomUUID(), fromClient: false };
  if (!KEY.test(key)) {
    return problem(c, 'INVALID_INPUT', '幂等键（Idempotency-Key）应为8至200个字符，只能包含字母、数字和 _ . : -', IDEMPOTENCY_HEADER);
  }
  return { key, fromClient: true };
}

/** JSON with object keys sorted, so that equal payloads hash equally however they were written. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function payloadHash(payload: unknown): string {
  return sha256(canonical(payload));
}

export function updateIdFor(key: string, hash: string): string {
  return `${key}:${hash}`;
}

/** True when this key already recorded a step on this proposal for a different payload. */
export async function keyUsedForOtherPayload(db: Kysely<Database>, workflowId: string, key: string, hash: string): Promise<boolean> {
  const prefix = `${workflowId}:${key}:`;
  const keys = await eventKeysWithPrefix(db, workflowId, `${key}:`);
  return keys.some((k) => {
    const rest = k.slice(prefix.length);
    return HASH.test(rest) && rest !== hash;
  });
}

export const RETRY_AFTER_SECONDS = 5;

/** 503 for an Update that was sent but not answered in time; the same key later gets its result. */
export function stillRunning(c: Context, key: string, message: string): Response {
  c.header('Retry-After', String(RETRY_AFTER_SECONDS));
  c.header(IDEMPOTENCY_HEADER, key);
  return problem(c, 'UNAVAILABLE', message, undefined, { idempotencyKey: key, retryAfterSeconds: RETRY_AFTER_SECONDS });
}
