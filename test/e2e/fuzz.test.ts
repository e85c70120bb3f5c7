import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTION_NAMES } from '../../workflows/proposal/machine.js';
import { enc } from '../support/http.js';
import { useSuite } from '../support/suite.js';

// A bounded fuzz of the whole HTTP API, driven by its own OpenAPI document: every route, as
// several roles and as nobody, with hostile paths, queries and bodies (NUL, lone surrogates,
// deep nesting, huge and fractional numbers, prototype names, unknown fields, wrong types).
// Nothing may answer 5xx, nothing may take longer than the route's bound, and a refused
// request must write nothing (row counts of every process table, text blobs included).

const suite = useSuite();
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const BOUND_MS = 25_000; // the action route's wait (20 s) plus the door's own work

const TABLES = [
  'proposals',
  'events',
  'unit_tasks',
  'text_blobs',
  'consultations',
  'reply_versions',
  'notifications',
  'ratings',
  'documents',
  'doc_numbers',
  'proposal_proposers',
  'proposers',
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is read field by field
let doc: any;
let proposalId: string;
beforeAll(async () => {
  doc = (await suite.api.call(null, 'GET', '/api/openapi.json')).json;
  proposalId = await suite.d.assigned('lead');
}, 120_000);

async function rowCounts(): Promise<Record<string, number>> {
  const existing = new Set(
    (await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(suite.db)).rows.map(
      (r) => r.table_name,
    ),
  );
  const counts: Record<string, number> = {};
  for (const t of TABLES.filter((t) => existing.has(t))) {
    counts[t] = Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(t)}`.execute(suite.db)).rows[0]!.n);
  }
  return counts;
}

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '__proto__',
    'constructor',
    '../../etc/passwd',
    "'; drop table events; --",
    '2099-12-32',
    '2026-02-30',
    '0000-01-01',
    ' ',
    '',
  ),
  fc.string({ minLength: 1000, maxLength: 3000 }),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 1.5, 1e308, -0, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER));
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A body shaped like the route's schema but with hostile values, or something else entirely. */
function bodyFor(schema: { properties?: Record<string, unknown> } | undefined): fc.Arbitrary<unknown> {
  const keys = Object.keys(schema?.properties ?? {});
  const shaped = keys.length > 0 ? fc.record(Object.fromEntries(keys.map((k) => [k, hostileValue])), { requiredKeys: [] }) : fc.constant({});
  const deep = fc.integer({ min: 60, max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
  return fc.oneof(
    shaped,
    fc.tuple(shaped, fc.dictionary(hostileString, hostileValue, { minKeys: 1, maxKeys: 3 })).map(([a, b]) => ({ ...b, ...a })),
    hostileValue,
    deep,
  );
}

/** encodeURIComponent, except that a lone surrogate goes out as the invalid UTF-8 it would be. */
function encodeHostile(value: string): string {
  try {
    return enc(value);
  } catch {
    return [...value].map((ch) => (/[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : enc(ch))).join('');
  }
}

interface Operation {
  method: string;
  path: string;
  bodySchema?: { properties?: Record<string, unknown> };
}

describe('fuzzing the HTTP API from its OpenAPI document', () => {
  it(`answers ${RUNS} hostile requests with no 5xx, within bound, writing nothing when refused`, async () => {
    const operations: Operation[] = [];
    for (const [path, methods] of Object.entries<Record<string, { requestBody?: { content?: Record<string, { schema?: Operation['bodySchema'] }> } }>>(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
        // Logging out would end the sessions the rest of the run speaks with.
        if (path.includes('logout')) continue;
        operations.push({ method: method.toUpperCase(), path, bodySchema: op.requestBody?.content?.['application/json']?.schema });
      }
    }
    expect(operations.length).toBeGreaterThan(30);
    const who = fc.constantFrom<string | null>(null, 'office', 'committee', 'leadLiaison', 'otherLiaison', 'proposer', 'leadLeader');
    const request = fc.constantFrom(...operations).chain((op) =>
      fc.record({
        op: fc.constant(op),
        who,
        id: fc.oneof(fc.constant(proposalId), hostileString),
        action: fc.oneof(fc.constantFrom(...ACTION_NAMES), fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty'), hostileString),
        query: fc.dictionary(fc.constantFrom('limit', 'offset', 'session', 'stage', 'unit', 'days', 'q', 'dryRun', 'receipt'), hostileString, { maxKeys: 3 }),
        body: bodyFor(op.bodySchema),
        idempotencyKey: fc.option(hostileString, { nil: undefined }),
      }),
    );
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const path = r.op.path
          .replace('{id}', encodeHostile(r.id))
          .replace('{action}', encodeHostile(r.action))
          .replace('{name}', encodeHostile(r.action))
          .replace(/\{[^}]+\}/g, () => encodeHostile(r.id));
        const query = new URLSearchParams(r.query).toString();
        const url = `${path}${query ? `?${query}` : ''}`;
        const token = r.who ? suite.d.tokens[r.who]! : null;
        const before = r.op.method === 'GET' ? null : await rowCounts();
        const started = Date.now();
        const headers: Record<string, string> = r.idempotencyKey !== undefined ? { 'idempotency-key': r.idempotencyKey.replace(/[^\x20-\x7e]/g, '?') } : {};
        const body = r.op.method === 'GET' ? undefined : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
        const res = await suite.api.call(token, r.op.method, url, body, headers);
        const took = Date.now() - started;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) problems.push(`${r.op.method} ${url} → ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
        if (took > BOUND_MS) problems.push(`${r.op.method} ${url} took ${took} ms`);
        if (before && res.status >= 400) {
          const after = await rowCounts();
          if (JSON.stringify(after) !== JSON.stringify(before))
            problems.push(`${r.op.method} ${url} → ${res.status} wrote rows: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
        }
        return true;
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261202), endOnFailure: true },
    );
    expect(problems).toEqual([]);
    // The fuzz reached past the door: refusals of every kind, and some requests that passed.
    for (const status of [401, 404, 422]) expect(statuses.get(status) ?? 0, `no ${status} among ${JSON.stringify([...statuses])}`).toBeGreaterThan(0);
    expect(
      [...statuses.keys()].some((code) => code < 300),
      JSON.stringify([...statuses]),
    ).toBe(true);
    if (process.env.FUZZ_REPORT) process.stdout.write(`fuzz statuses: ${JSON.stringify(Object.fromEntries(statuses))}\n`);
  }, 600_000);
});
