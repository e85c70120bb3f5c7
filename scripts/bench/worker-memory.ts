import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { mapBounded } from '../../client/bounded.js';
import { ProposalClient } from '../../client/temporal.js';
import type { Actor } from '../../workflows/shared/types.js';
import { startWorkerProcess } from '../lib/worker-process.js';
import { row, type Row } from './report.js';

// P4: the worker's memory as open proposals grow. The real worker entry point runs as its own
// process (so its RSS is the worker's alone) with an explicit workflow cache, on a task queue of
// its own; proposals are registered onto it and stay open. With the cache bounding what is held,
// RSS at 20,000 open proposals should be what it is at 2,000.

/** The worker's workflow cache (MAX_CACHED_WORKFLOWS), as a deployment would set it for this machine. */
const CACHE = Number(process.env.BENCH_P4_CACHE ?? 100);
const CONCURRENCY = 16;
/**
 * A heap ceiling for the worker, as the README advises for a deployment: without one V8 lets
 * garbage from evicted workflows pile up to gigabytes on a large machine before collecting it
 * (measured here: 554 MB at 100 open proposals, 791 MB at 800, with a cache of 100).
 */
const NODE_OPTIONS = process.env.BENCH_P4_NODE_OPTIONS ?? '--max-old-space-size=192';

/** Resident set size of a process, in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kb / 1024;
}

export async function measureWorkerMemory(options: {
  client: Client;
  stack: { temporalAddress: string; databaseUrl: string; catcher: { url: string }; workflowBundlePath: string; scratch: string };
  linkSecret: string;
  office: Actor;
  session: string;
  bodyHash: string;
  checkpoints: number[];
}): Promise<Row[]> {
  const { client, stack, office, session, bodyHash, checkpoints } = options;
  const taskQueue = 'banli-bench-p4';
  const worker = await startWorkerProcess({
    temporalAddress: stack.temporalAddress,
    taskQueue,
    databaseUrl: stack.databaseUrl,
    smtpUrl: stack.catcher.url,
    workflowBundlePath: stack.workflowBundlePath,
    linkSecret: options.linkSecret,
    logFile: join(stack.scratch, 'p4-worker.log'),
    env: { MAX_CACHED_WORKFLOWS: String(CACHE), NODE_OPTIONS: NODE_OPTIONS },
  });
  const proposals = new ProposalClient(client, taskQueue);
  const rows: Row[] = [];
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(worker.pid))), 1000);
  try {
    const startMb = rssMb(worker.pid);
    let registered = 0;
    const t0 = performance.now();
    for (const target of checkpoints) {
      await mapBounded(
        Array.from({ length: target - registered }, (_, k) => registered + k),
        CONCURRENCY,
        (i) =>
          proposals.register({
            actor: office,
            sessionCode: session,
            receiptNo: `P4-${String(i).padStart(6, '0')}`,
            title: `关于内存基准第${i}项工作的建议`,
            bodyHash,
            topic: null,
            proposerKind: 'individual',
            proposers: [{ kind: 'member', name: `委员${i}`, email: `p4-${i}@bench.test` }],
            receivedDate: '2026-03-10',
          }),
      );
      registered = target;
      // The registrations' own background steps (receipt mail, search index) settle first.
      await new Promise((r) => setTimeout(r, 10_000));
      const open = await client.workflow.count(`WorkflowType = 'proposalHandling' AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}'`);
      const mb = rssMb(worker.pid);
      rows.push(
        row('P4', `worker RSS with ${open.count} open proposals (its own process, cache ${CACHE}, ${NODE_OPTIONS})`, [mb], {
          unit: 'MB',
          note: `${startMb.toFixed(0)} MB at start, peak so far ${Math.max(peak, mb).toFixed(0)} MB; ${((performance.now() - t0) / 1000).toFixed(0)} s of registration`,
          target: '≤ 400 MB, flat',
        }),
      );
    }
    return rows;
  } finally {
    clearInterval(sampler);
    await worker.stop();
  }
}
