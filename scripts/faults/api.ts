import { performance } from 'node:perf_hooks';

// What the API answered while a fault was on: every call is bounded on the caller's side (a
// call still open past its bound plus a margin is a hang, and the script goes on), timed, and
// tallied per label: status histogram, max latency, answers past the route's bound, 5xx other
// than 503, 503s without Retry-After where one is promised.

export interface Answer {
  /** HTTP status, or 'hang' (no answer within the caller's limit) or 'error' (connection failed). */
  status: number | 'hang' | 'error';
  ms: number;
  json: unknown;
  retryAfter: string | null;
  error?: string;
}

/** A field deep in a JSON answer, or undefined. */
export function pick(json: unknown, ...path: string[]): unknown {
  let at = json;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Give up (and call it a hang) after this long. */
  limitMs: number;
}

export async function call(base: string, method: string, path: string, options: CallOptions): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(options.limitMs),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, ms: performance.now() - started, json, retryAfter: res.headers.get('retry-after') };
  } catch (err) {
    const e = err as Error;
    const hang = e.name === 'TimeoutError' || e.name === 'AbortError';
    return { status: hang ? 'hang' : 'error', ms: performance.now() - started, json: null, retryAfter: null, error: `${e.name}: ${e.message}` };
  }
}

export interface TallyRules {
  /** An answer slower than this breaks the bound. */
  boundMs: number;
  /** 503 must carry Retry-After (the action route promises it). */
  requireRetryAfter?: boolean;
  /** Statuses that are expected here; anything else is listed as a violation (5xx other than 503 always is). */
  allowed?: (a: Answer) => string | null;
}

interface Line {
  label: string;
  rules: TallyRules;
  n: number;
  statuses: Map<string, number>;
  maxMs: number;
  overBound: number;
}

export class ApiTally {
  private readonly lines = new Map<string, Line>();
  readonly violations: string[] = [];

  record(label: string, answer: Answer, rules: TallyRules, context = ''): Answer {
    let line = this.lines.get(label);
    if (!line) {
      line = { label, rules, n: 0, statuses: new Map(), maxMs: 0, overBound: 0 };
      this.lines.set(label, line);
    }
    line.n += 1;
    line.statuses.set(String(answer.status), (line.statuses.get(String(answer.status)) ?? 0) + 1);
    line.maxMs = Math.max(line.maxMs, answer.ms);
    const where = `${label}${context ? ` (${context})` : ''}`;
    const body = typeof answer.json === 'string' ? answer.json.slice(0, 200) : JSON.stringify(answer.json)?.slice(0, 300);
    if (answer.ms > rules.boundMs) {
      line.overBound += 1;
      this.violations.push(`${where}: answered ${answer.status} after ${answer.ms.toFixed(0)} ms, past its bound of ${rules.boundMs} ms`);
    }
    if (answer.status === 'hang' || answer.status === 'error') {
      this.violations.push(`${where}: ${answer.status} after ${answer.ms.toFixed(0)} ms (${answer.error ?? ''})`);
    } else if (answer.status >= 500 && answer.status !== 503) {
      this.violations.push(`${where}: ${answer.status} after ${answer.ms.toFixed(0)} ms: ${body}`);
    } else if (answer.status === 503 && rules.requireRetryAfter && !answer.retryAfter) {
      this.violations.push(`${where}: 503 without Retry-After after ${answer.ms.toFixed(0)} ms: ${body}`);
    }
    const why = rules.allowed?.(answer);
    if (why) this.violations.push(`${where}: ${why} (${answer.status} after ${answer.ms.toFixed(0)} ms: ${body})`);
    return answer;
  }

  /** One line per label: n, status histogram, max latency against the bound. */
  summary(): string[] {
    const out: string[] = [];
    for (const line of this.lines.values()) {
      const histogram = [...line.statuses.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([status, count]) => `${status}×${count}`)
        .join(' ');
      out.push(
        `${line.label.padEnd(50)} n=${String(line.n).padStart(4)}  ${histogram.padEnd(24)} max ${line.maxMs.toFixed(0).padStart(6)} ms (bound ${line.rules.boundMs} ms)${line.overBound ? `  ${line.overBound} past bound` : ''}`,
      );
    }
    return out;
  }
}

/** Polls a path every `everyMs` until stopped, tallying each answer (the calls do not overlap). */
export function poll(options: {
  base: string;
  path: string;
  token?: string;
  everyMs: number;
  tally: ApiTally;
  label: () => string;
  rules: TallyRules;
  limitMs: number;
  onAnswer?: (a: Answer) => void;
}): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      const a = await call(options.base, 'GET', options.path, { ...(options.token ? { token: options.token } : {}), limitMs: options.limitMs });
      options.tally.record(options.label(), a, options.rules);
      options.onAnswer?.(a);
      const wait = options.everyMs - (performance.now() - t);
      if (running && wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
