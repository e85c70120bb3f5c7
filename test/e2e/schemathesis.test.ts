import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemathesisPath } from '../../scripts/lib/schemathesis.js';
import type { Db } from '../../db/connection.js';
import type { Api } from '../support/http.js';
import { useSuite } from '../support/suite.js';
import { refreshStatistics } from '../../client/read/statistics/stored-facts.js';

// The whole HTTP API fuzzed from its own OpenAPI document by schemathesis (from PyPI; installed
// by `.ci/run` through scripts/ensure-schemathesis.ts), against the real server on loopback,
// bounded in examples and time: no answer is a 5xx, and a run of requests the schema says are
// wrong (negative mode) writes nothing: the row counts of every table are the same afterwards.
// (Negative mode also sends harmless oddities, e.g. a GET with a stray Content-Type, which may
// rightly answer 200; what must not happen is a write.)

const suite = useSuite();
let db: Db;
let api: Api;
let token: string;
let out: string;

const bin = process.env.SCHEMATHESIS ?? schemathesisPath();
// In CI the tool must be there; on a developer's machine without it, say how to get it.
const available = existsSync(bin);
if (!available && process.env.CI) throw new Error(`schemathesis not found at ${bin}: run npx tsx scripts/ensure-schemathesis.ts`);

/** Routes whose calls would end the session the fuzzer uses. */
const EXCLUDED_PATHS = ['/api/logout', '/api/logout-everywhere'];

/** Tables a refused request must not touch; login_throttle counts failed sign-ins on purpose. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' order by 1`.execute(db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    if (name === 'login_throttle' || name.startsWith('kysely_')) continue;
    const row = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db);
    counts[name] = row.rows[0]!.n;
  }
  return counts;
}

/**
 * The run's verdict: a failed check (a 5xx, "❌" in its summary) fails the test; so does a run
 * that could not start. A network hiccup of one generated request under a loaded machine (its
 * "Runtime Error", e.g. a request past --request-timeout) is not a finding about the API.
 */
function findings(run: { code: number; output: string }): string[] {
  const failed = run.output.split('\n').filter((line) => line.includes('❌'));
  if (failed.length > 0) return failed;
  if (run.code !== 0 && !/Test cases:/.test(run.output)) return [`schemathesis did not run (exit ${run.code})`];
  return [];
}

function runSchemathesis(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_HOOKS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

function commonArgs(mode: 'negative' | 'positive', examples: number, seconds: number): string[] {
  return [
    'run',
    `${api.server.url}/api/openapi.json`,
    '--header',
    `Authorization: Bearer ${token}`,
    '--checks',
    'not_a_server_error',
    '--mode',
    mode,
    '--max-examples',
    String(examples),
    '--max-time',
    String(seconds),
    '--phases',
    'examples,coverage,fuzzing',
    '--seed',
    '20261202',
    '--workers',
    '2',
    '--request-timeout',
    '20',
    '--generation-database',
    'none',
    '--suppress-health-check',
    'all',
    '--no-color',
    '--report',
    'ndjson',
    '--report-dir',
    out,
    ...EXCLUDED_PATHS.flatMap((p) => ['--exclude-path', p]),
  ];
}

/** Status codes of every response schemathesis saw, from its NDJSON event report. */
function statuses(): number[] {
  const file = join(
    out,
    readdirSync(out).find((f) => f.endsWith('.ndjson'))!,
  );
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => [...line.matchAll(/"status_code":\s*(\d{3})/g)].map((m) => Number(m[1])));
}

beforeAll(async () => {
  ({ db, api } = suite);
  token = suite.d.tokens.office!;
  out = mkdtempSync(join(tmpdir(), 'banli-schemathesis-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(!available)('schemathesis over the whole API', () => {
  it('answers requests the schema says are wrong with 4xx and writes nothing', async () => {
    // The statistics kept ahead are brought up to date first: a read of them recomputes what
    // earlier writes marked (a cache of rows already written); a refused request marks nothing.
    await refreshStatistics(db);
    const before = await rowCounts();
    const run = await runSchemathesis(commonArgs('negative', 15, 60));
    const seen = statuses();
    expect(findings(run), run.output.slice(-12000)).toEqual([]);
    expect(seen.length).toBeGreaterThan(200);
    expect(seen.filter((s) => s >= 500)).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  }, 240_000);

  it('answers requests that fit the schema with no 5xx', async () => {
    const run = await runSchemathesis(commonArgs('positive', 10, 40));
    expect(findings(run), run.output.slice(-12000)).toEqual([]);
    const seen = statuses();
    expect(seen.length).toBeGreaterThan(200);
    expect(seen.filter((s) => s >= 500)).toEqual([]);
  }, 240_000);
});
