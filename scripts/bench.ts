import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { hashPassword } from '../client/http/auth.js';
import { startHttpServer } from '../client/server.js';
import { ProposalClient } from '../client/temporal.js';
import { mapBounded } from '../client/bounded.js';
import { createFeedbackLinks } from '../activities/feedback-link.js';
import { putText } from '../db/repositories/blobs.js';
import type { Db } from '../db/connection.js';
import { measureActions, type BenchOrg } from './bench/actions.js';
import { startBare } from './bench/bare.js';
import { cpuPerCall, cpuSnapshot } from './bench/cpu-meter.js';
import { measureNationalBatch } from './bench/national-batch.js';
import { measureReadModel } from './bench/read-model.js';
import { measureStartup } from './bench/startup.js';
import { measureCalendarReprojection } from './bench/calendar-reprojection.js';
import { measureWorkerMemory } from './bench/worker-memory.js';
import { figures, markdown, row, writeResults, type Row } from './bench/report.js';
import { reportSuggestion } from './bench/suggestion.js';
import { startEphemeralStack } from './lib/ephemeral-stack.js';

// npm run bench: latency and throughput on the real stack (embedded PostgreSQL, the Temporal dev
// server, the SMTP catcher) on this machine, each figure beside its ceiling measured on the same
// server in the same run (a bare workflow whose Update awaits N no-op activities). Compare
// ratios within a run, not absolute numbers across machines. Never part of `npm test`.

const TASK_QUEUE = 'banli-bench';
const LINK_SECRET = 'bench-link-secret-0123456789';
const PROPOSALS = Number(process.env.BENCH_PROPOSALS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ACTION_RUNS = Number(process.env.BENCH_ACTION_RUNS ?? 100);
/** A national session's batch (P1); 0 skips it (it takes about a quarter of an hour here). */
const NATIONAL_BATCH = Number(process.env.BENCH_NATIONAL_BATCH ?? 6000);
/** P4: the open proposals at which the worker's memory is read. */
const P4_OPEN = (process.env.BENCH_P4_OPEN ?? '2000,20000').split(',').map(Number);
/** Which groups to run (BENCH_GROUPS=P2,P4); all by default. For working on one figure, not for the README's table. */
const GROUPS = new Set((process.env.BENCH_GROUPS ?? 'P1,P2,P3,P4,P5,P6').split(',').map((g) => g.trim()));

async function seed(db: Db): Promise<Omit<BenchOrg, 'tokens'> & { passwords: Record<string, string> }> {
  const session = '十四届基准测试会议';
  await db.insertInto('sessions').values({ code: session, name: session, year: 2026, kind: 'plenary', policy_version: null }).execute();
  await db
    .insertInto('units')
    .values({
      id: 'bench-fgw',
      name: '浙江省发展和改革委员会',
      short_name: '省发展改革委',
      doc_prefix: '浙发改',
      email: 'fgw@bench.test',
      leader_email: 'fgw-leader@bench.test',
      principal_email: null,
      contact_name: '王联络',
      contact_phone: '0571-87050000',
    })
    .execute();
  const passwordHash = await hashPassword('bench-password');
  const user = (username: string, role: 'office' | 'committee' | 'liaison' | 'leader', unit: string | null) =>
    db
      .insertInto('users')
      .values({ username, display_name: username, password_hash: passwordHash, role, unit_id: unit, proposer_id: null, email: `${username}@bench.test` })
      .returning('id')
      .executeTakeFirstOrThrow();
  const office = await user('bench-office', 'office', null);
  await user('bench-committee', 'committee', null);
  await user('bench-liaison', 'liaison', 'bench-fgw');
  await user('bench-leader', 'leader', 'bench-fgw');
  return {
    session,
    unitId: 'bench-fgw',
    office: { userId: office.id, role: 'office', unitId: null, proposerId: null, name: '办公厅' },
    passwords: { office: 'bench-office', committee: 'bench-committee', liaison: 'bench-liaison', leader: 'bench-leader' },
  };
}

async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'bench-password' }),
  });
  if (res.status !== 200) throw new Error(`login ${username} → ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const stack = await startEphemeralStack({ taskQueue: TASK_QUEUE, linkSecret: LINK_SECRET });
  const { db } = stack;
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const proposals = new ProposalClient(client, TASK_QUEUE);
  const server = await startHttpServer({ db, proposals, host: '127.0.0.1', port: 0, feedbackLinks: createFeedbackLinks(LINK_SECRET, 'http://banli.test') });
  const bare = await startBare(stack.temporalAddress, client);
  const rows: Row[] = [];
  const header = `Banli benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}; dev server on SQLite`;
  const say = (r: Row) => {
    rows.push(r);
    const [p50, p95, p99] = figures(r).map((f) => (r.unit ? f : `${f} ms`).padStart(10));
    process.stdout.write(
      `${r.group.padEnd(4)} ${r.name.padEnd(52)} n=${String(r.n).padStart(4)} p50 ${p50}  p95 ${p95}  p99 ${p99}${r.ceiling ? `  ${(r.p50 / r.ceiling.p50).toFixed(2)}× ${r.ceiling.name}` : ''}${r.note ? `  (${r.note})` : ''}\n`,
    );
  };
  try {
    const seeded = await seed(db);
    const org: BenchOrg = {
      ...seeded,
      tokens: {
        office: await login(server.url, 'bench-office'),
        committee: await login(server.url, 'bench-committee'),
        liaison: await login(server.url, 'bench-liaison'),
        leader: await login(server.url, 'bench-leader'),
      },
    };
    process.stdout.write(`\n${header}\n\n`);

    // Ceilings first, then Banli: the same server, warmed up by the same kind of traffic.
    await bare.measure(0, false, 20);
    const bare0 = row('P2', 'bare Update, handler awaits nothing', await bare.measure(0, false, ACTION_RUNS));
    const ceiling = { name: 'bare Update', p50: bare0.p50 };
    const committee = { ...org.office, role: 'committee' as const };

    async function measureP2(): Promise<void> {
      say(bare0);
      say(row('P2', 'bare Update awaiting 1 local activity', await bare.measure(1, true, ACTION_RUNS)));
      say(row('P2', 'bare Update awaiting 2 local activities', await bare.measure(2, true, ACTION_RUNS)));
      say(row('P2', 'bare Update awaiting 1 ordinary activity', await bare.measure(1, false, Math.min(ACTION_RUNS, 50))));
      const { samples: actions, breakdown, filed } = await measureActions({ base: server.url, db, proposals, org, count: ACTION_RUNS });
      for (const [name, samples] of Object.entries(actions) as [string, number[]][]) {
        say(row('P2', `${name} through HTTP`, samples, { ceiling, target: 'p50 ≤ 2.5×, p99 ≤ 100 ms' }));
      }
      // Where file's time goes: the HTTP door alone, and the same Update without the door.
      say(row('P2', 'file: the door alone (GET /api/me, authenticated)', breakdown.door));
      say(row('P2', 'file: the Update alone (ProposalClient, no HTTP)', breakdown.update, { ceiling }));
      const refused: number[] = [];
      for (const id of filed.slice(0, 50)) {
        const t = performance.now();
        await proposals.act(id, 'file', committee, { outcome: 'filed', proposalNo: 'x' }).catch(() => undefined);
        refused.push(performance.now() - t);
      }
      say(row('P2', 'refused action (validator rejects, nothing written)', refused, { ceiling }));

      // Where the milliseconds go: CPU per call of this process (worker, HTTP, client), the
      // Temporal server and PostgreSQL, for the bare Updates and for file without HTTP.
      const cpuRuns = Math.min(ACTION_RUNS, 60);
      for (const [name, activities, local] of [
        ['bare Update, handler awaits nothing', 0, false],
        ['bare Update awaiting 1 local activity', 1, true],
      ] as const) {
        const before = cpuSnapshot();
        const samples = await bare.measure(activities, local, cpuRuns);
        say(row('P2', `CPU: ${name}`, samples, { note: cpuPerCall(before, cpuSnapshot(), cpuRuns) }));
      }
      const fresh = await registerForCpu(cpuRuns);
      await new Promise((r) => setTimeout(r, 3000)); // their receipts' mail and indexing settle first
      const before = cpuSnapshot();
      const samples: number[] = [];
      for (const [i, id] of fresh.entries()) {
        const t = performance.now();
        await proposals.act(id, 'file', committee, { outcome: 'filed', proposalNo: `第CPU-${i}号` });
        samples.push(performance.now() - t);
      }
      say(row('P2', 'CPU: file, the Update alone (no HTTP)', samples, { ceiling, note: cpuPerCall(before, cpuSnapshot(), cpuRuns) }));
    }

    async function registerForCpu(count: number): Promise<string[]> {
      const bodyHash = await putText(db, '一、基本情况。二、存在问题。三、具体建议：加大投入，完善政策。');
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const view = await proposals.register({
          actor: org.office,
          sessionCode: org.session,
          receiptNo: `CPU-${String(i).padStart(4, '0')}`,
          title: `关于第${i}项工作的建议`,
          bodyHash,
          topic: null,
          proposerKind: 'individual',
          proposers: [{ kind: 'member', name: `委员${i}`, email: `cpu-${i}@bench.test` }],
          receivedDate: '2026-01-20',
        });
        ids.push(view.workflowId);
      }
      return ids;
    }

    async function measureP1(): Promise<void> {
      // Registration and assignment of a batch at the office's concurrency.
      const bodyHash = await putText(db, '一、基本情况。二、存在问题。三、具体建议：加大投入，完善政策。');
      const registerLatency: number[] = [];
      let t0 = performance.now();
      const ids = await mapBounded(
        Array.from({ length: PROPOSALS }, (_, i) => i),
        CONCURRENCY,
        async (i) => {
          const t = performance.now();
          const view = await proposals.register({
            actor: org.office,
            sessionCode: org.session,
            receiptNo: `B${String(i).padStart(5, '0')}`,
            title: `关于第${i}项工作的建议`,
            bodyHash,
            topic: null,
            proposerKind: 'individual',
            proposers: [{ kind: 'member', name: `委员${i}`, email: `m${i}@bench.test` }],
            receivedDate: '2026-01-20',
          });
          registerLatency.push(performance.now() - t);
          return view.workflowId;
        },
      );
      say(
        row('P1', `register ${PROPOSALS} at concurrency ${CONCURRENCY}`, registerLatency, {
          note: `${(PROPOSALS / ((performance.now() - t0) / 1000)).toFixed(1)} proposals/s`,
        }),
      );
      await mapBounded(ids, CONCURRENCY, (id, i) => proposals.act(id, 'file', committee, { outcome: 'filed', proposalNo: `第${i + 1}号` }));
      const assignLatency: number[] = [];
      t0 = performance.now();
      await mapBounded(ids, CONCURRENCY, async (id) => {
        const t = performance.now();
        await proposals.act(id, 'assign', org.office, { mode: 'sole', units: [org.unitId] });
        assignLatency.push(performance.now() - t);
      });
      say(
        row('P1', `assign ${PROPOSALS} at concurrency ${CONCURRENCY}`, assignLatency, {
          note: `${(PROPOSALS / ((performance.now() - t0) / 1000)).toFixed(1)} proposals/s`,
        }),
      );
      // P1 at a national session's size, beside bare workflows with the same children.
      if (NATIONAL_BATCH > 0) {
        const batchRows = await measureNationalBatch({
          db,
          base: server.url,
          client,
          address: stack.temporalAddress,
          proposals,
          officeToken: org.tokens.office,
          committee,
          session: org.session,
          count: NATIONAL_BATCH,
        });
        for (const r of batchRows) say(r);
      }
    }

    if (GROUPS.has('P2')) await measureP2();
    if (GROUPS.has('P1')) await measureP1();
    // P5 re-projects the deadlines of P1's national batch.
    if (GROUPS.has('P5') && GROUPS.has('P1') && NATIONAL_BATCH > 0) {
      for (const r of await measureCalendarReprojection({ db, base: server.url, client, officeToken: org.tokens.office })) say(r);
    }
    if (GROUPS.has('P4')) {
      const bodyHash = await putText(db, '一、基本情况。二、存在问题。三、具体建议：加大投入，完善政策。');
      for (const r of await measureWorkerMemory({ client, stack, linkSecret: LINK_SECRET, office: org.office, session: org.session, bodyHash, checkpoints: P4_OPEN }))
        say(r);
    }
    if (GROUPS.has('P3')) for (const r of await measureReadModel(db, server.url, org.tokens.office)) say(r);
    if (GROUPS.has('P6') && process.env.BENCH_STARTUP !== 'false') for (const r of await measureStartup()) say(r);

    const file = writeResults(
      rows,
      { proposals: PROPOSALS, concurrency: CONCURRENCY, actionRuns: ACTION_RUNS, readModel: 'national (scripts/bench/read-model.ts)' },
      header,
    );
    process.stdout.write(`\n${markdown(rows, header)}\n\nJSON and Markdown: ${file.replace(/\.json$/, '.{json,md}')}\n`);
    process.stdout.write(`\n${await reportSuggestion(db, file)}\n`);
  } finally {
    await bare.stop();
    await server.close();
    await connection.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
