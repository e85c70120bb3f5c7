import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { mapBounded } from '../../client/bounded.js';
import type { ProposalClient } from '../../client/temporal.js';
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../workflows/shared/types.js';
import { bareAssign, bareParent } from './bare-batch-workflow.js';
import { row, type Row } from './report.js';

// P1: a national session's batch (交办会): PROPOSALS registered through the batch endpoint, filed,
// then assigned through the batch endpoint in the national mix (sole; lead + 1–4 co-units;
// split), until every unit task is in the read model and every child workflow runs; beside the
// same number of bare parents whose Update starts the same number of children, on the same
// server in the same run.

const BATCH = 2000; // the endpoints' limit per request
const CONCURRENCY = 8;
const UNITS = 165;
const BARE_WORKFLOWS = fileURLToPath(new URL('./bare-batch-workflow.ts', import.meta.url));

/**
 * The national mix: 40 % sole; 45 % lead with 1–4 co-units (1 co-unit in a fifth of them); 15 %
 * split, half of them between three units. Of 6,000, 2,610 have three or more units (a national
 * session has over 2,400).
 */
export function nationalAssignment(i: number): { mode: 'sole' | 'lead' | 'split'; units: string[] } {
  const unit = (k: number) => `nb-u${(i * 7 + k * 31) % UNITS}`;
  const r = i % 20;
  if (r < 8) return { mode: 'sole', units: [unit(0)] };
  if (r < 17) {
    const co = [1, 2, 2, 3, 4][Math.floor(i / 20) % 5]!;
    return { mode: 'lead', units: Array.from({ length: co + 1 }, (_, k) => unit(k)) };
  }
  return { mode: 'split', units: Array.from({ length: 2 + (Math.floor(i / 20) % 2) }, (_, k) => unit(k)) };
}

async function post(
  base: string,
  token: string,
  path: string,
  body: unknown,
): Promise<{ assigned?: number; registered?: number; failed: number; results: { status: number; workflowId?: string }[] }> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path} → ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as { failed: number; results: { status: number; workflowId?: string }[] };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 900_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not reached in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function measureNationalBatch(options: {
  db: Db;
  base: string;
  client: Client;
  address: string;
  proposals: ProposalClient;
  officeToken: string;
  committee: Actor;
  session: string;
  count: number;
}): Promise<Row[]> {
  const { db, base, client, proposals, officeToken, committee, session, count } = options;
  await db
    .insertInto('units')
    .values(
      Array.from({ length: UNITS }, (_, i) => ({
        id: `nb-u${i}`,
        name: `全国基准单位${i}`,
        short_name: `基准${i}`,
        doc_prefix: `全基${i}`,
        email: `nb${i}@bench.test`,
        leader_email: `nbl${i}@bench.test`,
      })),
    )
    .execute();
  const items = Array.from({ length: count }, (_, i) => ({
    sessionCode: session,
    receiptNo: `NB-${String(i).padStart(5, '0')}`,
    title: `关于全国基准第${i}项工作的建议`,
    body: '一、基本情况。二、存在问题。三、具体建议：加大投入，完善政策。',
    proposerKind: 'individual',
    proposers: [{ kind: 'member', name: `委员${i}`, email: `nb-${i}@bench.test` }],
    receivedDate: '2026-03-10',
  }));
  const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / BATCH) }, (_, k) => xs.slice(k * BATCH, (k + 1) * BATCH));

  let t = performance.now();
  const ids: string[] = [];
  for (const chunk of chunks(items)) {
    const r = await post(base, officeToken, '/api/proposals/batch', { items: chunk });
    if (r.failed > 0) throw new Error(`registration: ${r.failed} rows refused`);
    ids.push(...r.results.map((x) => x.workflowId!));
  }
  const registerMs = performance.now() - t;

  t = performance.now();
  await mapBounded(ids, CONCURRENCY, (id, i) => proposals.act(id, 'file', committee, { outcome: 'filed', proposalNo: `第NB-${i + 1}号` }));
  const fileMs = performance.now() - t;

  const plan = ids.map((workflowId, i) => ({ workflowId, ...nationalAssignment(i) }));
  const tasks = plan.reduce((n, p) => n + p.units.length, 0);
  const threeOrMore = plan.filter((p) => p.units.length >= 3).length;
  t = performance.now();
  for (const chunk of chunks(plan)) {
    const r = await post(base, officeToken, '/api/assignments/batch', { items: chunk, batchId: randomUUID() });
    if (r.failed > 0) throw new Error(`assignment: ${r.failed} rows refused: ${JSON.stringify(r.results.find((x) => x.status !== 200))}`);
  }
  const answeredMs = performance.now() - t;
  await until('every unit task in the read model', async () => {
    const n = await db
      .selectFrom('unit_tasks')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('unit_id', 'like', 'nb-u%')
      .executeTakeFirstOrThrow();
    return Number(n.n) >= tasks;
  });
  await until('every child workflow running', async () => {
    const running = await client.workflow.count(`WorkflowType IN ('coHandlingOpinion', 'unitReplyTask') AND ExecutionStatus = 'Running'`);
    return running.count >= tasks;
  });
  const assignMs = performance.now() - t;

  // The ceiling: bare parents started (not timed, like registration), then their Updates each
  // start the same number of children, at the same concurrency.
  const connection = await NativeConnection.connect({ address: options.address });
  const taskQueue = `bare-batch-${randomUUID().slice(0, 8)}`;
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: BARE_WORKFLOWS, logger: new DefaultLogger('WARN') });
  const worker = await Worker.create({ connection, taskQueue, workflowBundle, activities: {} });
  const running = worker.run();
  try {
    t = performance.now();
    const handles = await mapBounded(plan, CONCURRENCY, (_, i) =>
      client.workflow.start(bareParent, { taskQueue, workflowId: `bare-parent-${i}-${randomUUID().slice(0, 6)}` }),
    );
    const bareStartMs = performance.now() - t;
    t = performance.now();
    await mapBounded(handles, CONCURRENCY, (h, i) => h.executeUpdate(bareAssign, { args: [{ children: plan[i]!.units.length }] }));
    const bareAssignMs = performance.now() - t;
    const per = (ms: number) => [ms / count];
    const rate = (ms: number) => `${(count / (ms / 1000)).toFixed(1)} proposals/s, ${(ms / 1000).toFixed(0)} s in all`;
    const assignCeiling = { name: `bare: ${count} Updates starting ${tasks} children`, p50: bareAssignMs / count };
    return [
      row('P1', `register ${count} through the batch endpoint (per proposal)`, per(registerMs), {
        note: rate(registerMs),
        ceiling: { name: `bare: ${count} workflow starts`, p50: bareStartMs / count },
      }),
      row('P1', `file ${count} (ProposalClient, concurrency ${CONCURRENCY}; per proposal)`, per(fileMs), { note: rate(fileMs) }),
      row(
        'P1',
        `assign ${count} through the batch endpoint until ${tasks} unit tasks are listed and their children run (${threeOrMore} with 3+ units; per proposal)`,
        per(assignMs),
        {
          note: `${rate(assignMs)}; batch answered after ${(answeredMs / 1000).toFixed(0)} s`,
          ceiling: assignCeiling,
          target: '≤ 1.5× bare, ≤ 180 s',
        },
      ),
      row('P1', `bare: ${count} parents' Updates starting ${tasks} children (per proposal)`, per(bareAssignMs), { note: rate(bareAssignMs) }),
    ];
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
  }
}
