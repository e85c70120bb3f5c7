import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { hashPassword } from '../client/http/auth.js';
import { startHttpServer } from '../client/server.js';
import { ProposalClient } from '../client/temporal.js';
import { mapBounded } from '../client/bounded.js';
import { createFeedbackLinks } from '../activities/feedback-link.js';
import { putText } from '../db/repositories/blobs.js';
import { startEphemeralStack } from './lib/ephemeral-stack.js';

// npm run bench: throughput and latency on the real stack (embedded PostgreSQL, the Temporal dev
// server, the SMTP catcher), on this machine. Figures are medians of one run; compare ratios
// within a run rather than absolute numbers across machines.

const TASK_QUEUE = 'banli-bench';
const PROPOSALS = Number(process.env.BENCH_PROPOSALS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const NATIONAL_SESSION = Number(process.env.BENCH_READ_MODEL_ROWS ?? 6000);
const QUERY_RUNS = 30;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function report(name: string, samples: number[], extra = ''): void {
  process.stdout.write(
    `${name.padEnd(46)} n=${String(samples.length).padStart(4)}  median ${quantile(samples, 0.5).toFixed(1).padStart(7)} ms  p95 ${quantile(samples, 0.95).toFixed(1).padStart(7)} ms ${extra}\n`,
  );
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const stack = await startEphemeralStack({ taskQueue: TASK_QUEUE, linkSecret: 'bench-link-secret-0123456789' });
  const { db } = stack;
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const proposals = new ProposalClient(new Client({ connection, namespace: 'default' }), TASK_QUEUE);
  try {
    const session = '十四届基准测试会议';
    await db.insertInto('sessions').values({ code: session, name: session, year: 2026, kind: 'plenary', policy_version: null }).execute();
    await db
      .insertInto('units')
      .values({ id: 'bench-fgw', name: '浙江省发展和改革委员会', short_name: '省发展改革委', doc_prefix: '浙发改', email: 'fgw@bench.test', leader_email: 'fgw-leader@bench.test', principal_email: null, contact_name: null, contact_phone: null })
      .execute();
    const office = await db
      .insertInto('users')
      .values({ username: 'bench-office', display_name: '办公厅', password_hash: await hashPassword('bench-password'), role: 'office', unit_id: null, proposer_id: null, email: 'office@bench.test' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const actor = { userId: office.id, role: 'office' as const, unitId: null, proposerId: null, name: '办公厅' };
    const committee = { ...actor, role: 'committee' as const };
    const bodyHash = await putText(db, '一、基本情况。二、存在问题。三、具体建议：加大投入，完善政策。');

    process.stdout.write(`\nBanli benchmark — ${PROPOSALS} proposals at concurrency ${CONCURRENCY}, read model of ${NATIONAL_SESSION} proposals\n\n`);

    // 1. Registration (update-with-start: workflow start + receipt step in PostgreSQL).
    const registerLatency: number[] = [];
    const started = performance.now();
    const ids = await mapBounded(Array.from({ length: PROPOSALS }, (_, i) => i), CONCURRENCY, async (i) => {
      const t = performance.now();
      const view = await proposals.register({
        actor,
        sessionCode: session,
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
    });
    const registerSeconds = (performance.now() - started) / 1000;
    report('register (update-with-start)', registerLatency, `  ${(PROPOSALS / registerSeconds).toFixed(1)} proposals/s`);

    // 2. One validated action per proposal (立案), then a batch assignment of all of them.
    const fileLatency: number[] = [];
    await mapBounded(ids, CONCURRENCY, async (id, i) => {
      const t = performance.now();
      await proposals.act(id, 'file', committee, { outcome: 'filed', proposalNo: `第${i + 1}号` });
      fileLatency.push(performance.now() - t);
    });
    report('file (Update with validator + event + projection)', fileLatency);
    const assignLatency: number[] = [];
    const assignStart = performance.now();
    await mapBounded(ids, CONCURRENCY, async (id) => {
      const t = performance.now();
      await proposals.act(id, 'assign', actor, { mode: 'sole', units: ['bench-fgw'] });
      assignLatency.push(performance.now() - t);
    });
    report('assign (with calendar due dates)', assignLatency, `  ${(PROPOSALS / ((performance.now() - assignStart) / 1000)).toFixed(1)} proposals/s`);

    // 3. A refused action (validator only: nothing in history, nothing written).
    const refusedLatency: number[] = [];
    for (const id of ids.slice(0, 50)) {
      const t = performance.now();
      await proposals.act(id, 'file', committee, { outcome: 'filed', proposalNo: 'x' }).catch(() => undefined);
      refusedLatency.push(performance.now() - t);
    }
    report('refused action (validator rejects)', refusedLatency);

    // 4. Worklists on a national-session read model. The extra rows are synthetic projection rows
    //    (no workflows behind them): this measures the read side only.
    await sql`
      insert into proposals (workflow_id, session_code, receipt_no, proposal_no, title, body_hash, proposer_kind, received_date, stage, unit_ids, key_proposal, rehandling_round, next_due_at, updated_at)
      select 'synthetic:' || g, ${session}, 'S' || g, '第S' || g || '号', '关于合成数据' || g || '的建议', ${bodyHash}, 'individual', date '2026-01-20', 'handling',
             array['bench-fgw'], g % 20 = 0, 0, now() + ((g % 60) - 30) * interval '1 day', now()
      from generate_series(1, ${NATIONAL_SESSION}) g`.execute(db);
    await sql`
      insert into unit_tasks (workflow_id, unit_id, role, status, round, assigned_at, due_at, updated_at)
      select 'synthetic:' || g, 'bench-fgw', 'sole', 'drafting', 0, now() - interval '60 days', now() + ((g % 60) - 30) * interval '1 day', now()
      from generate_series(1, ${NATIONAL_SESSION}) g`.execute(db);
    await sql`analyze`.execute(db);

    const server = await startHttpServer({ db, proposals, host: '127.0.0.1', port: 0, feedbackLinks: createFeedbackLinks('bench-link-secret-0123456789', 'http://banli.test') });
    const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-office', password: 'bench-password' }) });
    const { token } = (await login.json()) as { token: string };
    for (const kind of ['overdue', 'due-soon'] as const) {
      const samples: number[] = [];
      let count = 0;
      for (let i = 0; i < QUERY_RUNS; i++) {
        const t = performance.now();
        const res = await fetch(`${server.url}/api/worklists/${kind}?session=${encodeURIComponent(session)}&limit=5000`, { headers: { authorization: `Bearer ${token}` } });
        count = ((await res.json()) as { count: number }).count;
        samples.push(performance.now() - t);
      }
      report(`GET /api/worklists/${kind} (HTTP, ${count} rows)`, samples);
    }
    await server.close();
    process.stdout.write('\n');
  } finally {
    await connection.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
