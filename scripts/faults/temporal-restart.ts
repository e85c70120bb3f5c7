import { performance } from 'node:perf_hooks';
import { mapBounded } from '../../client/bounded.js';
import { ApiTally, call, pick, type Answer } from './api.js';
import { eventCounts, mailCounts, outboxSettled, proposalNumberCounts, recordMails, stagesOf, unitTaskCounts } from './checks.js';
import { describeError, persist, sleep } from './persist.js';
import { addCount, check, newReport, type ScenarioReport } from './report.js';
import { login, registration, seedOrg } from './seed.js';
import type { FaultStack } from './stack.js';

// 4. The Temporal dev server restarted mid-flight on its persisted SQLite file: a batch of
// proposals registered, filed and assigned through the ProposalClient at the office's
// concurrency (the stack's in-process worker); a third of the way in the server is stopped
// (SIGTERM, or SIGKILL for a crash), stays away `downMs`, and starts again on the same port and
// file. The worker, the client and the HTTP server reconnect by themselves; calls that failed
// meanwhile are asked again with the same update ids. While it is away /healthz answers 503
// naming Temporal within its bound and an action through HTTP answers 503 with Retry-After;
// afterwards nothing is lost or doubled.

export interface TemporalRestartOptions {
  batch: number;
  concurrency: number;
  killAt: number;
  downMs: number;
  signal: 'SIGTERM' | 'SIGKILL';
  slackMs: number;
  healthSlackMs: number;
  deadlineMs: number;
}

export async function temporalRestart(s: FaultStack, options: TemporalRestartOptions): Promise<ScenarioReport> {
  const report = newReport(
    `4. Temporal dev server stopped (${options.signal}) mid-batch of ${options.batch} for ${options.downMs / 1000} s, started again on its SQLite file`,
  );
  const started = performance.now();
  const org = await seedOrg(s.db, 'tr', 1);
  const unit = org.units[0]!;
  const client = s.proposals;
  const office = await login(s.http.url, org.office.username);
  const probeView = await client.register(registration(org, options.batch), `faults-reg-${org.tag}-probe`);
  await client.act(probeView.workflowId, 'file', org.committee, { outcome: 'filed' }, `faults-file-${org.tag}-probe`);
  const probeId = probeView.workflowId;

  const healthBound = s.limits.healthTimeoutMs + options.healthSlackMs;
  const actionBound = s.limits.updateWaitMs + options.slackMs;
  const down = new ApiTally();
  const after = new ApiTally();
  report.api.push({ title: 'while Temporal is away', tally: down }, { title: 'after it is back', tally: after });
  // A holder, not a `let`: the loop below reads what the outage (another closure) sets. The
  // server is 'away' from the moment its process has exited until start() is called; while it
  // shuts down or boots (it listens before it is ready) either answer is right.
  const now: { phase: 'up' | 'stopping' | 'down' | 'starting' | 'back' } = { phase: 'up' };
  let backAt = 0;
  let healthyAgain = 0;
  let polling = true;
  const healthLoop = (async () => {
    while (polling) {
      const t = performance.now();
      const sentWhile = now.phase;
      const a = await call(s.http.url, 'GET', '/healthz', { limitMs: healthBound + 10_000 });
      const answeredWhile = now.phase;
      if (sentWhile === 'down' && answeredWhile === 'down') {
        down.record('GET /healthz every 1 s', a, {
          boundMs: healthBound,
          allowed: (x) =>
            x.status !== 503
              ? 'not 503 while Temporal is away'
              : JSON.stringify(pick(x.json, 'message') ?? '').includes('Temporal') && pick(x.json, 'checks', 'temporal') === 'down'
                ? null
                : '503 does not name Temporal',
        });
      } else if (sentWhile === 'up' && answeredWhile === 'up') {
        down.record('GET /healthz every 1 s before the stop', a, { boundMs: healthBound, allowed: (x) => (x.status === 200 ? null : 'not 200 before the stop') });
      } else if (sentWhile === 'back') {
        after.record(healthyAgain ? 'GET /healthz every 1 s (back to 200)' : 'GET /healthz every 1 s until 200', a, {
          boundMs: healthBound,
          ...(healthyAgain ? { allowed: (x: Answer) => (x.status === 200 ? null : 'not 200 once healthy again') } : {}),
        });
        if (a.status === 200 && !healthyAgain) healthyAgain = performance.now();
      } else {
        (answeredWhile === 'back' ? after : down).record('GET /healthz while it stops or starts', a, { boundMs: healthBound });
      }
      const wait = 1_000 - (performance.now() - t);
      if (polling && wait > 0) await sleep(wait);
    }
  })();

  const total = options.batch * 3;
  let answered = 0;
  let outage: Promise<void> | undefined;
  let httpProbe: Promise<Answer> | undefined;
  const sendProbe = () =>
    call(s.http.url, 'POST', `/api/proposals/${encodeURIComponent(probeId)}/actions/assign`, {
      token: office,
      body: { mode: 'sole', units: [unit.id] },
      headers: { 'idempotency-key': `faults-${org.tag}-probe-assign` },
      limitMs: actionBound + 15_000,
    });
  const actionRules = { boundMs: actionBound, requireRetryAfter: true, allowed: (a: Answer) => (a.status === 200 || a.status === 503 ? null : 'neither 200 nor 503') };
  const onAnswered = () => {
    answered += 1;
    if (outage || answered < total * options.killAt) return;
    outage = (async () => {
      const t = performance.now();
      now.phase = 'stopping';
      await s.temporal.stop(options.signal);
      now.phase = 'down';
      report.facts.push(
        `dev server stopped (${options.signal}) after ${answered} of ${total} calls answered, ${((t - started) / 1000).toFixed(1)} s in; exited in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
      httpProbe = sendProbe();
      await sleep(options.downMs);
      const restarting = performance.now();
      now.phase = 'starting';
      await s.temporal.start();
      now.phase = 'back';
      backAt = performance.now();
      report.facts.push(
        `started again on ${s.temporal.address} with the same SQLite file after ${((restarting - t) / 1000).toFixed(1)} s away, ready in ${((backAt - restarting) / 1000).toFixed(1)} s`,
      );
    })();
  };

  const unavailable = { register: 0, file: 0, assign: 0 };
  const failures: string[] = [];
  const ids: string[] = [];
  const step = async <T>(what: keyof typeof unavailable, i: number, fn: () => Promise<T>): Promise<T | undefined> => {
    const r = await persist(fn, options.deadlineMs);
    unavailable[what] += r.unavailable;
    onAnswered();
    if (r.error !== undefined) failures.push(`#${i} ${what}: ${describeError(r.error)}`);
    return r.value;
  };
  const batchStarted = performance.now();
  try {
    await mapBounded(
      Array.from({ length: options.batch }, (_, i) => i),
      options.concurrency,
      async (i) => {
        const view = await step('register', i, () => client.register(registration(org, i), `faults-reg-${org.tag}-${i}`));
        if (!view) return;
        ids[i] = view.workflowId;
        if (!(await step('file', i, () => client.act(view.workflowId, 'file', org.committee, { outcome: 'filed' }, `faults-file-${org.tag}-${i}`)))) return;
        await step('assign', i, () => client.act(view.workflowId, 'assign', org.office, { mode: 'sole', units: [unit.id] }, `faults-assign-${org.tag}-${i}`));
      },
    );
    await outage;
  } finally {
    // Whatever happened, the server is running again before the next scenario.
    if (!s.temporal.running()) await s.temporal.start();
  }
  const batchSeconds = (performance.now() - batchStarted) / 1000;
  report.facts.push(
    `batch answered in ${batchSeconds.toFixed(1)} s; calls asked again while unavailable: register ${unavailable.register}, file ${unavailable.file}, assign ${unavailable.assign}`,
  );
  for (const f of failures) report.failures.push(f);
  check(report, outage !== undefined, 'the dev server was never stopped (the batch ended first)');

  if (httpProbe) {
    let last = down.record('POST assign sent while away', await httpProbe, actionRules);
    const until = performance.now() + 90_000;
    while (last.status === 503 && performance.now() < until) {
      await sleep(Number(last.retryAfter ?? 1) * 1000);
      last = after.record('POST assign again, same key', await sendProbe(), actionRules);
    }
    check(
      report,
      last.status === 200 && pick(last.json, 'proposal', 'stage') === 'handling',
      `the HTTP assign sent while Temporal was away ended ${last.status}: ${JSON.stringify(last.json)?.slice(0, 300)}`,
    );
  }
  const healthDeadline = performance.now() + 60_000;
  while (!healthyAgain && performance.now() < healthDeadline) await sleep(500);
  polling = false;
  await healthLoop;
  if (check(report, healthyAgain > 0, '/healthz did not answer 200 within 60 s of the restart')) {
    report.facts.push(`/healthz 200 again ${((healthyAgain - backAt) / 1000).toFixed(1)} s after the server was ready`);
  }

  const all = [...ids.filter(Boolean), probeId];
  const batchIds = ids.filter(Boolean);
  const stages = await stagesOf(s.db, batchIds);
  report.proposals.expected = options.batch;
  report.proposals.completed = batchIds.filter((id) => stages.get(id) === 'handling').length;
  const live = await mapBounded(batchIds, 8, async (id) => (await persist(() => client.state(id), 30_000)).value?.stage);
  const liveOff = live.filter((st) => st !== 'handling').length;
  check(report, liveOff === 0, `${liveOff} workflows are not in 'handling' by their own state`);
  report.facts.push(`${batchIds.length - liveOff} of ${batchIds.length} workflows in 'handling' by query, as in the read model`);
  const events = await eventCounts(s.db, new Map(all.map((id) => [id, ['register', 'file', 'assign']])));
  addCount(report, events);
  for (const m of events.mismatched.slice(0, 10)) report.failures.push(`events: ${m}`);
  addCount(report, await unitTaskCounts(s.db, new Map(all.map((id) => [id, [unit.id]]))));
  addCount(report, await proposalNumberCounts(s.db, org.session, all));
  const settled = await outboxSettled(s.db, all, 120_000);
  check(report, settled.settled, `outbox still has ${settled.pending} pending mail ${settled.waitedMs} ms after the batch`);
  await sleep(1_500);
  recordMails(report, await mailCounts(s.db, s.catcher.dir, all), { failedAllowed: false });
  report.wallMs = performance.now() - started;
  return report;
}
