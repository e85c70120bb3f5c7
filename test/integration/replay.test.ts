import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { withWorkerLogs } from '../support/worker-logs.js';

const dir = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

function histories() {
  return files.map((file) => {
    const parsed = JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as { workflowId?: string; history?: unknown; events?: unknown };
    // Early fixtures are bare histories; later ones carry their workflow id.
    return parsed.events ? { workflowId: file.replace(/\.json$/, ''), history: parsed } : { workflowId: parsed.workflowId!, history: parsed.history };
  });
}

async function replayAll(options: ReplayWorkerOptions) {
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories(options, histories())) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  return failures;
}

describe('replay of recorded histories', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('replays every committed history against the current workflow code', async () => {
    const failures = await replayAll({ workflowBundle: { codePath: inject('workflowBundlePath') } });
    expect(failures).toEqual([]);
  });

  it('fails on a deliberately non-deterministic change', async () => {
    const { result: failures, logs } = await withWorkerLogs(() =>
      replayAll({ workflowsPath: fileURLToPath(new URL('../fixtures/nondeterministic/index.ts', import.meta.url)) }),
    );
    expect(failures.length).toBe(files.length);
    // The worker says why, for the proposal histories and for the child tasks the broken bundle lacks.
    const said = JSON.stringify(logs, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
    expect(said).toContain('Nondeterminism');
    expect(said).toContain('no such function is exported by the workflow bundle');
  });
});
