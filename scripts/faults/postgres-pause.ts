import { performance } from 'node:perf_hooks';
import { problemFromError } from '../../client/http/errors.js';
import { payloadHash, updateIdFor } from '../../client/http/idempotency.js';
import { findPostmaster, pausePostgres, processStates } from '../lib/postgres-processes.js';
import { ApiTally, call, pick, type Answer } from './api.js';
import { eventCounts, mailCounts, outboxSettled, proposalNumberCounts, recordMails, stagesOf } from './checks.js';
import { describeError, persist, sleep } from './persist.js';
import { addCount, check, newReport, type ScenarioReport } from './report.js';
import { login, registration, seedOrg } from './seed.js';
import type { FaultStack } from './stack.js';

// 1. PostgreSQL paused: every process of the server SIGSTOPped for `pauseMs`, while /healthz is
// asked every second and people's actions arrive through HTTP, each with an idempotency key.
// While paused: /healthz answers 503 naming PostgreSQL within its bound; each action answers
// within the route's bound with 503 + Retry-After (or a 4xx), never 500, never hangs. After
// SIGCONT, nothing restarted: /healthz is 200 again by itself, the same keys return the
// results, every action applied exactly once, proposal numbers and mails neither doubled nor lost.

export interface PostgresPauseOptions {
  pauseMs: number;
  /** Actions sent through HTTP while paused (half `file`, half `assign`), spread over the pause. */
  actions: number;
  /**
   * `assign`s already past the HTTP door when the stall hits: the door reads PostgreSQL before it
   * sends the Update, so an action can only be caught in the workflow by a stall that begins
   * after those reads. Simulated by sending the Update the door would send for an
   * Idempotency-Key (same update id: the key and the payload's hash) straight through the
   * ProposalClient while paused; after SIGCONT the person asks again through HTTP with that key.
   * These test the worker's side: local activities retrying against a stalled database, the
   * Update outliving the caller's wait, the same key answered later and applied once.
   */
  inflightActions: number;
  slackMs: number;
  /** Added to HEALTH_TIMEOUT_MS: /healthz answers a little after its checks give up. */
  healthSlackMs: number;
  recoveryMs: number;
}

interface PlannedAction {
  via: 'http' | 'inflight';
  index: number;
  workflowId: string;
  action: 'file' | 'assign';
  key: string;
  body: unknown;
  token: string;
  expectedStage: string;
  first?: Answer;
  final?: Answer;
  /** For `inflight` actions: how the Update sent while paused ended. */
  inflightFirst?: string;
}

export async function postgresPause(s: FaultStack, options: PostgresPauseOptions): Promise<ScenarioReport> {
  const report = newReport(`1. PostgreSQL paused ${options.pauseMs / 1000} s (SIGSTOP/SIGCONT) while actions arrive`);
  const started = performance.now();
  const base = s.http.url;
  const org = await seedOrg(s.db, 'pg', 1);
  const unit = org.units[0]!;
  const tokens = { office: await login(base, org.office.username), committee: await login(base, org.committee.username) };

  // Before the pause: every proposal registered; those that get `assign` while paused filed too,
  // the others not (they get `file`, which takes a proposal number).
  const half = Math.ceil(options.actions / 2);
  const plan: PlannedAction[] = [];
  for (let i = 0; i < options.actions + options.inflightActions; i++) {
    const view = await s.proposals.register(registration(org, i), `faults-register-${org.tag}-${i}`);
    const via = i < options.actions ? 'http' : 'inflight';
    const assign = via === 'inflight' || i < half;
    if (assign) await s.proposals.act(view.workflowId, 'file', org.committee, { outcome: 'filed' }, `faults-file-${org.tag}-${i}`);
    plan.push({
      via,
      index: i,
      workflowId: view.workflowId,
      action: assign ? 'assign' : 'file',
      key: `faults-${org.tag}-${via}-${assign ? 'assign' : 'file'}-${i}`,
      body: assign ? { mode: 'sole', units: [unit.id] } : { outcome: 'filed' },
      token: assign ? tokens.office : tokens.committee,
      expectedStage: assign ? 'handling' : 'filed',
    });
  }
  const httpPlan = plan.filter((p) => p.via === 'http');
  const inflightPlan = plan.filter((p) => p.via === 'inflight');
  const ids = plan.map((p) => p.workflowId);
  report.proposals.expected = plan.length;
  await outboxSettled(s.db, ids, 30_000);

  const healthBound = s.limits.healthTimeoutMs + options.healthSlackMs;
  const actionBound = s.limits.updateWaitMs + options.slackMs;
  const whilePaused = new ApiTally();
  const afterResume = new ApiTally();
  report.api.push({ title: `while PostgreSQL is paused (${options.pauseMs / 1000} s)`, tally: whilePaused }, { title: 'after SIGCONT', tally: afterResume });
  const send = (p: PlannedAction) =>
    call(base, 'POST', `/api/proposals/${encodeURIComponent(p.workflowId)}/actions/${p.action}`, {
      token: p.token,
      body: p.body,
      headers: { 'idempotency-key': p.key },
      limitMs: actionBound + 15_000,
    });
  const actionRules = {
    boundMs: actionBound,
    requireRetryAfter: true,
    // 5xx other than 503, hangs and late answers are flagged by the tally itself.
    allowed: (a: Answer) => (typeof a.status === 'number' && a.status < 400 && a.status !== 200 ? 'neither 200 nor 503 nor 4xx' : null),
  };

  const postmaster = await findPostmaster(s.db);
  let phase: 'paused' | 'resumed' = 'paused';
  let firstHealthy: number | null = null;
  let resumedAt = 0;
  const healthLoop = (async () => {
    while (firstHealthy === null) {
      const t = performance.now();
      const sentWhile = phase;
      const a = await call(base, 'GET', '/healthz', { limitMs: healthBound + 10_000 });
      if (sentWhile === 'paused' && phase === 'paused') {
        whilePaused.record('GET /healthz every 1 s', a, {
          boundMs: healthBound,
          allowed: (x) =>
            x.status !== 503
              ? 'not 503 while PostgreSQL is paused'
              : JSON.stringify(pick(x.json, 'message') ?? '').includes('PostgreSQL') && pick(x.json, 'checks', 'postgres') === 'down'
                ? null
                : '503 does not name PostgreSQL',
        });
      } else if (sentWhile === 'paused') {
        // Asked just before SIGCONT and answered after it: either answer is right.
        afterResume.record('GET /healthz sent before SIGCONT, answered after', a, { boundMs: healthBound });
      } else {
        afterResume.record('GET /healthz every 1 s until 200', a, { boundMs: healthBound });
        if (a.status === 200) firstHealthy = performance.now();
        else if (performance.now() - resumedAt > options.recoveryMs) break;
      }
      const wait = 1_000 - (performance.now() - t);
      if (firstHealthy === null && wait > 0) await sleep(wait);
    }
  })();

  const paused = pausePostgres(postmaster);
  const pausedAt = performance.now();
  let firstTries: Promise<void>[];
  try {
    const states = processStates(paused.pids);
    const stopped = Object.values(states).filter((st) => st === 'T').length;
    report.facts.push(`paused postmaster ${postmaster} and ${paused.pids.length - 1} children; ${stopped}/${paused.pids.length} in state T`);
    check(report, stopped === paused.pids.length, `not every PostgreSQL process stopped: ${JSON.stringify(states)}`);
    // Actions spread over the pause, the last one well before SIGCONT.
    const spread = Math.max(0, options.pauseMs - 8_000);
    const at = (i: number, n: number) => sleep(1_000 + (n > 1 ? (spread * i) / (n - 1) : 0));
    firstTries = [
      ...httpPlan.map(async (p, i) => {
        await at(i, httpPlan.length);
        p.first = whilePaused.record(`POST ${p.action} (sent while paused)`, await send(p), actionRules, `${p.workflowId} ${p.key}`);
      }),
      ...inflightPlan.map(async (p, i) => {
        await at(i, inflightPlan.length);
        const t = performance.now();
        const input = { mode: 'sole' as const, units: [unit.id] };
        try {
          // The Update the door sends for this Idempotency-Key and body (perform-action.ts).
          const view = await s.proposals.act(
            p.workflowId,
            'assign',
            org.office,
            input,
            updateIdFor(p.key, payloadHash({ action: 'assign', userId: org.office.userId, input })),
          );
          p.inflightFirst = `answered (${view.stage}) after ${(performance.now() - t).toFixed(0)} ms`;
        } catch (err) {
          p.inflightFirst = `${problemFromError(err).type} after ${(performance.now() - t).toFixed(0)} ms${problemFromError(err).type === 'UNAVAILABLE' ? '' : ` (${describeError(err)})`}`;
        }
      }),
    ];
    await sleep(options.pauseMs - (performance.now() - pausedAt));
  } finally {
    phase = 'resumed';
    resumedAt = performance.now();
    paused.resume();
  }
  report.facts.push(`SIGCONT after ${((resumedAt - pausedAt) / 1000).toFixed(1)} s`);
  await healthLoop;
  await Promise.all(firstTries);
  if (check(report, firstHealthy !== null, `/healthz did not answer 200 within ${options.recoveryMs / 1000} s of SIGCONT`)) {
    report.facts.push(`/healthz 200 again ${((firstHealthy! - resumedAt) / 1000).toFixed(1)} s after SIGCONT, nothing restarted`);
  }
  const firstStatuses = httpPlan.map((p) => p.first?.status);
  report.facts.push(
    `HTTP actions, first tries: ${firstStatuses.filter((x) => x === 503).length} × 503, ${firstStatuses.filter((x) => x === 200).length} × 200, ${firstStatuses.filter((x) => x !== 503 && x !== 200).length} other`,
  );
  if (inflightPlan.length) report.facts.push(`assigns in flight in the workflow while paused: ${inflightPlan.map((p) => p.inflightFirst).join('; ')}`);

  // The same keys again, as the 503 told the caller to do, until each has its answer.
  const retryUntil = performance.now() + options.recoveryMs + actionBound;
  // The in-flight ones too: the person asks through HTTP with the key their first request carried.
  await Promise.all(
    plan.map(async (p) => {
      for (;;) {
        const label = p.via === 'http' ? `POST ${p.action} again, same key` : `POST ${p.action} with the key of an Update in flight`;
        const a = afterResume.record(label, await send(p), actionRules, `${p.workflowId} ${p.key}`);
        p.final = a;
        if (a.status !== 503 || performance.now() > retryUntil) break;
        await sleep(Number(a.retryAfter ?? 1) * 1000);
      }
    }),
  );
  for (const p of plan) {
    const stage = pick(p.final?.json, 'proposal', 'stage');
    check(
      report,
      p.final?.status === 200 && stage === p.expectedStage,
      `${p.workflowId} ${p.action} with key ${p.key}: final answer ${p.final?.status} stage ${JSON.stringify(stage ?? '-')} (expected 200, ${p.expectedStage}): ${JSON.stringify(p.final?.json)?.slice(0, 300)}`,
    );
  }
  // A fresh action after recovery goes through at once.
  const probe = await persist(() => s.proposals.state(plan[0]!.workflowId), 10_000);
  check(report, probe.value !== undefined, `query after recovery failed: ${describeError(probe.error)}`);

  const stages = await stagesOf(s.db, ids);
  report.proposals.completed = plan.filter((p) => stages.get(p.workflowId) === p.expectedStage).length;
  const events = await eventCounts(s.db, new Map(plan.map((p) => [p.workflowId, p.action === 'assign' ? ['register', 'file', 'assign'] : ['register', 'file']])));
  addCount(report, events);
  for (const m of events.mismatched) report.failures.push(`events: ${m}`);
  // Each key applied exactly once: one event whose key carries it.
  const keyed = await s.db.selectFrom('events').select(['workflow_id', 'idempotency_key']).where('workflow_id', 'in', ids).execute();
  for (const p of plan) {
    const n = keyed.filter((e) => e.workflow_id === p.workflowId && e.idempotency_key.startsWith(`${p.workflowId}:${p.key}:`)).length;
    check(report, n === 1, `${p.workflowId}: key ${p.key} applied ${n} times`);
  }
  addCount(report, await proposalNumberCounts(s.db, org.session, ids));
  const settled = await outboxSettled(s.db, ids, 60_000);
  check(report, settled.settled, `outbox still has ${settled.pending} pending mail after ${settled.waitedMs} ms`);
  await sleep(1_500); // a duplicate, if any, has the time to arrive
  recordMails(report, await mailCounts(s.db, s.catcher.dir, ids), { failedAllowed: false });
  report.wallMs = performance.now() - started;
  return report;
}
