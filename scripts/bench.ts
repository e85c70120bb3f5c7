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
import { measureNationalBatch } from './bench/national-batch.js';
import { measureReadModel } from './bench/read-model.js';
import { measureStartup } from './bench/startup.js';
import { markdown, row, writeResults, type Row } from './bench/report.js';
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
    process.stdout.write(
      `${r.group.padEnd(4)} ${r.name.padEnd(52)} n=${String(r.n).padStart(4)} p50 ${r.p50.toFixed(1).padStart(7)} ms  p95 ${r.p95.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms${r.ceiling ? `  ${(r.p50 / r.ceiling.p50).toFixed(2)}× ${r.ceiling.name}` : ''}\n`,
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
    say(bare0);
    say(row('P2', 'bare Update awaiting 1 local activity', await bare.measure(1, true, ACTION_RUNS)));
    say(row('P2', 'bare Update awaiting 2 local activities', await bare.measure(2, true, ACTION_RUNS)));
    say(row('P2', 'bare Update awaiting 1 ordinary activity', await bare.measure(1, false, Math.min(ACTION_RUNS, 50))));
    const ceiling = { name: 'bare Update', p50: bare0.p50 };
    const { samples: actions, breakdown } = await measureActions({ base: server.url, db, proposals, org, count: ACTION_RUNS });
    for (const [name, samples] of Object.entries(actions) as [string, number[]][]) {
      say(row('P2', `${name} through HTTP`, samples, { ceiling, target: 'p50 ≤ 2.5×, p99 ≤ 100 ms' }));
    }
    // Where file's time goes: the HTTP door alone, and the same Update without the door.
    say(row('P2', 'file: the door alone (GET /api/me, authenticated)', breakdown.door));
    say(row('P2', 'file: the Update alone (ProposalClient, no HTTP)', breakdown.update, { ceiling }));

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
    const committee = { ...org.office, role: 'committee' as const };
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

    const refused: number[] = [];
    for (const id of ids.slice(0, 50)) {
      const t = performance.now();
      await proposals.act(id, 'file', committee, { outcome: 'filed', proposalNo: 'x' }).catch(() => undefined);
      refused.push(performance.now() - t);
    }
    say(row('P2', 'refused action (validator rejects, nothing written)', refused, { ceiling }));

    // P3: the lists on a national read model (rows written by SQL; no workflows behind them).
    for (const r of await measureReadModel(db, server.url, org.tokens.office)) say(r);
    if (process.env.BENCH_STARTUP !== 'false') for (const r of await measureStartup()) say(r);

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
