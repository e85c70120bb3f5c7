import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ProposalClient } from '../../client/temporal.js';
import { startWorkerProcess, type WorkerProcess } from '../lib/worker-process.js';
import { mapBounded } from '../../client/bounded.js';
import { ApiTally, call, pick, poll, type Answer } from './api.js';
import { eventCounts, mailCounts, outboxSettled, proposalNumberCounts, recordMails, stagesOf, unitTaskCounts } from './checks.js';
import { describeError, persist, sleep } from './persist.js';
import { addCount, check, newReport, type ScenarioReport } from './report.js';
import { login, registration, seedOrg, type FaultOrg } from './seed.js';
import { LINK_SECRET, type FaultStack } from './stack.js';

// 2. The worker killed with SIGKILL in the middle of a batch: N proposals registered, filed
// (each taking a proposal number) and assigned through the ProposalClient at the office's
// concurrency, by a worker that is a process of its own on its own task queue. After about a
// third of the calls, kill -9; a new worker starts; the batch goes on, each call asked again
// with the same update id while it is unavailable. Then: every proposal in 'handling', events
// exactly [register, file, assign] each, unit tasks once each, numbers and mails once.

export interface WorkerKillOptions {
  batch: number;
  concurrency: number;
  /** Kill when this share of the batch's calls has been answered. */
  killAt: number;
  /** How long no worker polls the queue. */
  restartDelayMs: number;
  slackMs: number;
  healthSlackMs: number;
  /** The whole batch, kill and restart included. */
  deadlineMs: number;
}

/** Most sole, every fourth lead + co-unit (one 会办 child each), a few sole to another unit. */
function assignmentOf(org: FaultOrg, i: number): { mode: 'sole' | 'lead'; units: string[] } {
  const [u0, u1, u2] = org.units.map((u) => u.id) as [string, string, string];
  if (i % 4 === 0) return { mode: 'lead', units: [u0, u1] };
  return { mode: 'sole', units: [i % 3 === 0 ? u2 : u0] };
}

export async function workerKill(s: FaultStack, options: WorkerKillOptions): Promise<ScenarioReport> {
  const report = newReport(`2. worker killed (SIGKILL) mid-batch of ${options.batch} proposals, a new one started`);
  const started = performance.now();
  const org = await seedOrg(s.db, 'wk', 3);
  const taskQueue = `banli-faults-crash-${org.tag}`;
  const client = new ProposalClient(s.client, taskQueue, { waitMs: s.limits.updateWaitMs });
  const workers: WorkerProcess[] = [];
  const startWorker = async () => {
    const w = await startWorkerProcess({
      temporalAddress: s.temporal.address,
      taskQueue,
      databaseUrl: s.stack.databaseUrl,
      smtpUrl: s.catcher.url,
      workflowBundlePath: s.stack.workflowBundlePath,
      linkSecret: LINK_SECRET,
      logFile: join(s.logDir, `worker-${org.tag}-${workers.length + 1}.log`),
    });
    workers.push(w);
    return w;
  };
  const during = new ApiTally();
  report.api.push({ title: 'during the batch, the kill and the restart', tally: during });
  const probes: { stop(): Promise<void> }[] = [];
  try {
    const first = await startWorker();
    report.facts.push(`worker 1 (pid ${first.pid}) polling ${taskQueue}`);
    const office = await login(s.http.url, org.office.username);

    // One proposal kept aside for an action through HTTP while no worker is there.
    const probeView = await client.register(registration(org, options.batch), `faults-reg-${org.tag}-probe`);
    await client.act(probeView.workflowId, 'file', org.committee, { outcome: 'filed' }, `faults-file-${org.tag}-probe`);
    const probeId = probeView.workflowId;

    const healthBound = s.limits.healthTimeoutMs + options.healthSlackMs;
    const readBound = s.limits.updateWaitMs + options.slackMs;
    probes.push(
      poll({
        base: s.http.url,
        path: '/healthz',
        everyMs: 1_000,
        tally: during,
        label: () => 'GET /healthz every 1 s',
        rules: { boundMs: healthBound, allowed: (a) => (a.status === 200 ? null : 'not 200') },
        limitMs: healthBound + 10_000,
      }),
      // The read model answers; the live part waits for a worker at most the route's bound.
      poll({
        base: s.http.url,
        path: `/api/proposals/${encodeURIComponent(probeId)}`,
        token: office,
        everyMs: 1_000,
        tally: during,
        label: () => 'GET /api/proposals/{id} every 1 s',
        rules: { boundMs: readBound, allowed: (a) => (a.status === 200 ? null : 'not 200') },
        limitMs: readBound + 10_000,
      }),
    );

    const total = options.batch * 3;
    let answered = 0;
    let killedAt = 0;
    let restartedAt = 0;
    let restart: Promise<void> | undefined;
    let httpProbe: Promise<Answer> | undefined;
    const unavailable = { register: 0, file: 0, assign: 0 };
    const failures: string[] = [];
    const ids: string[] = [];
    const onAnswered = () => {
      answered += 1;
      if (restart || answered < total * options.killAt) return;
      restart = (async () => {
        await workers[0]!.kill('SIGKILL');
        killedAt = performance.now();
        report.facts.push(`worker 1 killed (SIGKILL) after ${answered} of ${total} calls answered, ${((killedAt - started) / 1000).toFixed(1)} s in`);
        httpProbe = call(s.http.url, 'POST', `/api/proposals/${encodeURIComponent(probeId)}/actions/assign`, {
          token: office,
          body: { mode: 'sole', units: [org.units[0]!.id] },
          headers: { 'idempotency-key': `faults-${org.tag}-probe-assign` },
          limitMs: readBound + 15_000,
        });
        await sleep(options.restartDelayMs);
        const second = await startWorker();
        restartedAt = performance.now();
        report.facts.push(`worker 2 (pid ${second.pid}) polling ${((restartedAt - killedAt) / 1000).toFixed(1)} s after the kill`);
      })();
    };
    const latency: Record<keyof typeof unavailable, number[]> = { register: [], file: [], assign: [] };
    const step = async <T>(what: keyof typeof unavailable, i: number, fn: () => Promise<T>): Promise<T | undefined> => {
      const t = performance.now();
      const r = await persist(fn, options.deadlineMs);
      latency[what].push(performance.now() - t);
      unavailable[what] += r.unavailable;
      onAnswered();
      if (r.error !== undefined) failures.push(`#${i} ${what}: ${describeError(r.error)}`);
      return r.value;
    };
    const batchStarted = performance.now();
    await mapBounded(
      Array.from({ length: options.batch }, (_, i) => i),
      options.concurrency,
      async (i) => {
        const view = await step('register', i, () => client.register(registration(org, i), `faults-reg-${org.tag}-${i}`));
        if (!view) return;
        ids[i] = view.workflowId;
        if (!(await step('file', i, () => client.act(view.workflowId, 'file', org.committee, { outcome: 'filed' }, `faults-file-${org.tag}-${i}`)))) return;
        await step('assign', i, () => client.act(view.workflowId, 'assign', org.office, assignmentOf(org, i), `faults-assign-${org.tag}-${i}`));
      },
    );
    await restart;
    const batchSeconds = (performance.now() - batchStarted) / 1000;
    report.facts.push(
      `batch answered in ${batchSeconds.toFixed(1)} s (${(options.batch / batchSeconds).toFixed(1)} proposals/s at concurrency ${options.concurrency}); calls asked again while unavailable: register ${unavailable.register}, file ${unavailable.file}, assign ${unavailable.assign}`,
    );
    const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
    report.facts.push(
      `call latency p50 / p99 / max: ${Object.entries(latency)
        .map(([k, xs]) => `${k} ${pct(xs, 0.5).toFixed(0)} / ${pct(xs, 0.99).toFixed(0)} / ${Math.max(0, ...xs).toFixed(0)} ms`)
        .join('; ')}`,
    );
    for (const f of failures) report.failures.push(f);
    check(report, killedAt > 0, 'the worker was never killed (the batch ended first)');

    // The HTTP action sent while no worker was there: 503 + Retry-After (or 200 if the new
    // worker came in time); then the same key returns the result, applied once.
    const actionRules = { boundMs: readBound, requireRetryAfter: true, allowed: (a: Answer) => (a.status === 200 || a.status === 503 ? null : 'neither 200 nor 503') };
    if (httpProbe) {
      const firstAnswer = during.record('POST assign sent right after the kill', await httpProbe, actionRules);
      let last = firstAnswer;
      const until = performance.now() + 60_000;
      while (last.status === 503 && performance.now() < until) {
        await sleep(Number(last.retryAfter ?? 1) * 1000);
        last = during.record(
          'POST assign again, same key',
          await call(s.http.url, 'POST', `/api/proposals/${encodeURIComponent(probeId)}/actions/assign`, {
            token: office,
            body: { mode: 'sole', units: [org.units[0]!.id] },
            headers: { 'idempotency-key': `faults-${org.tag}-probe-assign` },
            limitMs: readBound + 15_000,
          }),
          actionRules,
        );
      }
      check(
        report,
        last.status === 200 && pick(last.json, 'proposal', 'stage') === 'handling',
        `the HTTP assign sent after the kill ended ${last.status}: ${JSON.stringify(last.json)?.slice(0, 300)}`,
      );
    }
    for (const p of probes.splice(0)) await p.stop();

    const all = [...ids.filter(Boolean), probeId];
    const batchIds = ids.filter(Boolean);
    const stages = await stagesOf(s.db, batchIds);
    report.proposals.expected = options.batch;
    report.proposals.completed = batchIds.filter((id) => stages.get(id) === 'handling').length;
    // The workflows themselves agree with the read model.
    const live = await mapBounded(batchIds, 8, async (id) => (await persist(() => client.state(id), 30_000)).value?.stage);
    const liveOff = live.filter((st) => st !== 'handling').length;
    check(report, liveOff === 0, `${liveOff} workflows are not in 'handling' by their own state`);
    report.facts.push(`${batchIds.length - liveOff} of ${batchIds.length} workflows in 'handling' by query, as in the read model`);

    const events = await eventCounts(s.db, new Map(all.map((id) => [id, ['register', 'file', 'assign']])));
    addCount(report, events);
    for (const m of events.mismatched.slice(0, 10)) report.failures.push(`events: ${m}`);
    addCount(
      report,
      await unitTaskCounts(
        s.db,
        new Map([...ids.map((id, i) => [id, assignmentOf(org, i).units] as [string, string[]]).filter(([id]) => !!id), [probeId, [org.units[0]!.id]]]),
      ),
    );
    addCount(report, await proposalNumberCounts(s.db, org.session, all));
    const settled = await outboxSettled(s.db, all, 120_000);
    check(report, settled.settled, `outbox still has ${settled.pending} pending mail ${settled.waitedMs} ms after the batch`);
    await sleep(1_500);
    const mails = await mailCounts(s.db, s.catcher.dir, all);
    recordMails(report, mails, { failedAllowed: false });
    report.facts.push(
      `mail kinds: ${Object.entries(mails.byKind)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
  } finally {
    for (const p of probes) await p.stop();
    for (const w of workers) await w.stop();
  }
  report.wallMs = performance.now() - started;
  return report;
}
