import { problemFromError } from '../../client/http/errors.js';

// What a well-behaved client does when the engine is slow or away: ask again with the same
// update id (Temporal answers a repeat with the first result, and applies it once), until an
// answer or the deadline. Anything that is not "unavailable" is an answer and ends the loop.

export interface Persisted<T> {
  value?: T;
  error?: unknown;
  attempts: number;
  unavailable: number;
}

export async function persist<T>(fn: () => Promise<T>, deadlineMs: number, pauseMs = 1_000): Promise<Persisted<T>> {
  const deadline = Date.now() + deadlineMs;
  let attempts = 0;
  let unavailable = 0;
  for (;;) {
    attempts += 1;
    try {
      return { value: await fn(), attempts, unavailable };
    } catch (err) {
      if (problemFromError(err).type !== 'UNAVAILABLE' || Date.now() > deadline) return { error: err, attempts, unavailable };
      unavailable += 1;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
}

export function describeError(err: unknown): string {
  const e = err as Error & { cause?: unknown };
  const cause = e?.cause ? ` ← ${describeError(e.cause)}` : '';
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}${cause}`.slice(0, 400);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
