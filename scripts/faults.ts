import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resumeAllPaused } from './lib/postgres-processes.js';
import { killWorkerProcessesNow } from './lib/worker-process.js';
import { postgresPause } from './faults/postgres-pause.js';
import { smtpOutage } from './faults/smtp-outage.js';
import { temporalRestart } from './faults/temporal-restart.js';
import { workerKill } from './faults/worker-kill.js';
import { formatReport, newReport, passed, type ScenarioReport } from './faults/report.js';
import { startFaultStack, type FaultStack } from './faults/stack.js';

// npm run faults: the real stack, started here, broken on purpose, one fault at a time, each
// bounded in time; per scenario the counts (proposals completed; events, mails and numbers,
// duplicated and lost) and what the API answered meanwhile. Exit code 1 when any check failed.
// Never part of `npm test`: it takes minutes and pauses processes.
//
//   FAULTS_ONLY=postgres,worker,smtp,temporal   which scenarios (default: all, in that order)
//   FAULTS_PG_PAUSE_S=60   FAULTS_PG_ACTIONS=8   FAULTS_PG_INFLIGHT_ACTIONS=4   the pause, the actions sent
//     meanwhile through HTTP, and the actions caught in flight in the workflow (retried through HTTP after)
//   FAULTS_BATCH=1000   FAULTS_CONCURRENCY=8   FAULTS_WORKER_RESTART_DELAY_MS=3000   the batch whose worker dies
//   FAULTS_REPLIES=10   FAULTS_SMTP_DOWN_S=90   replies dispatched in two waves while the SMTP server is away
//     (the first at once, the second 30 s before it is back)
//   FAULTS_TEMPORAL_BATCH=60   FAULTS_TEMPORAL_DOWN_S=10   FAULTS_TEMPORAL_SIGNAL=SIGTERM|SIGKILL   the batch during
//     which the Temporal dev server goes away and comes back on its SQLite file
//   FAULTS_SLACK_MS=2000   added to an action route's bound (HTTP_UPDATE_WAIT_MS) before an answer is late
//   FAULTS_HEALTH_SLACK_MS=1000   likewise for /healthz (HEALTH_TIMEOUT_MS): here the HTTP server shares its process
//     and the machine with the worker and this script, whose load delays its timers
//   FAULTS_TIMEOUT_S=1500  the whole run; past it the script stops everything and fails

const env = (name: string, fallback: number) => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, not "${raw}"`);
  return n;
};

interface Scenario {
  id: string;
  run(s: FaultStack): Promise<ScenarioReport>;
}

const SLACK_MS = env('FAULTS_SLACK_MS', 2_000);
const HEALTH_SLACK_MS = env('FAULTS_HEALTH_SLACK_MS', 1_000);
const SCENARIOS: Scenario[] = [
  {
    id: 'postgres',
    run: (s) =>
      postgresPause(s, {
        pauseMs: env('FAULTS_PG_PAUSE_S', 60) * 1000,
        actions: env('FAULTS_PG_ACTIONS', 8),
        inflightActions: env('FAULTS_PG_INFLIGHT_ACTIONS', 4),
        slackMs: SLACK_MS,
        healthSlackMs: HEALTH_SLACK_MS,
        recoveryMs: 60_000,
      }),
  },
  {
    id: 'worker',
    run: (s) => {
      const batch = env('FAULTS_BATCH', 1000);
      return workerKill(s, {
        batch,
        concurrency: env('FAULTS_CONCURRENCY', 8),
        killAt: 1 / 3,
        restartDelayMs: env('FAULTS_WORKER_RESTART_DELAY_MS', 3_000),
        slackMs: SLACK_MS,
        healthSlackMs: HEALTH_SLACK_MS,
        // 1,000 took 130 ms each with the restart on 2 cores; a loaded machine gets 600 ms each.
        deadlineMs: Math.max(300_000, batch * 600),
      });
    },
  },
  {
    id: 'smtp',
    run: (s) =>
      smtpOutage(s, {
        replies: env('FAULTS_REPLIES', 10),
        downMs: env('FAULTS_SMTP_DOWN_S', 90) * 1000,
        secondWaveBeforeEndMs: 30_000,
        slackMs: SLACK_MS,
        healthSlackMs: HEALTH_SLACK_MS,
        settleMs: 240_000,
      }),
  },
  {
    id: 'temporal',
    run: (s) =>
      temporalRestart(s, {
        batch: env('FAULTS_TEMPORAL_BATCH', 60),
        concurrency: env('FAULTS_CONCURRENCY', 8),
        killAt: 1 / 3,
        downMs: env('FAULTS_TEMPORAL_DOWN_S', 10) * 1000,
        signal: process.env.FAULTS_TEMPORAL_SIGNAL === 'SIGKILL' ? 'SIGKILL' : 'SIGTERM',
        slackMs: SLACK_MS,
        healthSlackMs: HEALTH_SLACK_MS,
        deadlineMs: 300_000,
      }),
  },
];

/**
 * Stops the stack. PostgreSQL is stopped right after the pools are ended, and pg-pool ends its
 * idle clients without waiting for them: one still closing gets the server's 57P01 ("terminating
 * connection due to administrator command") and its pool, which has no 'error' listener
 * (db/connection.ts), throws it. Here that is the stack going away, so it is counted and said;
 * anything else uncaught still fails the run.
 */
async function stopStack(stack: FaultStack): Promise<void> {
  let adminTerminated = 0;
  const onUncaught = (err: Error & { code?: string }) => {
    if (err?.code === '57P01') {
      adminTerminated += 1;
      return;
    }
    process.stderr.write(`uncaught while stopping the stack: ${err?.stack ?? String(err)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', onUncaught);
  try {
    await stack.stop();
    stopped = true;
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    process.off('uncaughtException', onUncaught);
  }
  if (adminTerminated > 0) {
    process.stdout.write(
      `note: while the stack stopped, ${adminTerminated} idle pooled PostgreSQL connection(s) got 57P01 and their pool had no 'error' listener (a running worker or HTTP server would crash the same way when PostgreSQL restarts)\n\n`,
    );
  }
}

let running: FaultStack | undefined;
let stopped = false;

/** Undoes what would outlive this process if it dies: a frozen PostgreSQL, worker processes, the dev server. */
function emergencyCleanup(): void {
  resumeAllPaused();
  killWorkerProcessesNow();
  running?.temporal.killNow();
  // The embedded server is stopped by stack.stop(); if that never ran, a fast shutdown (SIGINT).
  if (running?.postmaster && !stopped) {
    try {
      process.kill(running.postmaster, 'SIGINT');
    } catch {
      // already gone
    }
  }
}

/** Which code ran: others edit the tree while this runs, and tsx runs what is on disk. */
function codeVersion(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).split('\n').filter(Boolean).length;
    return dirty ? `${head} + uncommitted changes in ${dirty} tracked files` : head;
  } catch {
    return 'unknown (no git)';
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const only = (process.env.FAULTS_ONLY ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const unknown = only.filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length) throw new Error(`FAULTS_ONLY: no scenario ${unknown.join(', ')} (there are ${SCENARIOS.map((s) => s.id).join(', ')})`);
  const chosen = only.length ? SCENARIOS.filter((s) => only.includes(s.id)) : SCENARIOS;
  const runId = new Date().toISOString().replace(/[:.]/g, '-');
  const logDir = join(process.cwd(), '.tmp', 'faults', runId);
  mkdirSync(logDir, { recursive: true });

  process.stdout.write(
    `Banli fault tests, ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}\ncode: ${codeVersion()}\nlogs: ${logDir}\n\n`,
  );
  const stack = await startFaultStack({ logDir });
  running = stack;
  // The HTTP server prints what it answers 500 with; those lines belong in the log, counted.
  const internalErrors: string[] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => {
    const line = args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' ');
    if (line.startsWith('[http]')) internalErrors.push(line);
    stack.log(`[console.error] ${line}`);
  };
  process.stdout.write(
    `stack up in ${((performance.now() - started) / 1000).toFixed(1)} s: HTTP ${stack.http.url}, Temporal ${stack.temporal.address}, SMTP ${stack.catcher.url}\n\n`,
  );

  const reports: ScenarioReport[] = [];
  try {
    for (const scenario of chosen) {
      const before = internalErrors.length;
      const t = performance.now();
      // Late answers may be this process's own load (the HTTP server, the in-process worker and
      // the script share it) or the machine's: both are said beside the scenario.
      const loop = monitorEventLoopDelay({ resolution: 20 });
      loop.enable();
      let report: ScenarioReport;
      try {
        report = await scenario.run(stack);
      } catch (err) {
        // A scenario that could not finish fails; the next one runs on a stack made whole again.
        report = newReport(`${scenario.id}: did not finish`);
        report.wallMs = performance.now() - t;
        report.failures.push(`threw: ${(err as Error).stack ?? String(err)}`);
        resumeAllPaused();
        if (!stack.temporal.running()) await stack.temporal.start();
        if (!stack.catcher.running()) await stack.catcher.start();
      }
      loop.disable();
      report.facts.push(
        `event loop delay of this process during the scenario: p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms, max ${(loop.max / 1e6).toFixed(0)} ms; machine load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' / ')} on ${cpus().length} CPUs`,
      );
      const logged = internalErrors.slice(before);
      if (logged.length) {
        report.failures.push(`the HTTP server logged ${logged.length} internal error(s) (answered 500); first: ${logged[0]!.split('\n').slice(0, 3).join(' | ')}`);
      }
      reports.push(report);
      process.stdout.write(`${formatReport(report)}\n\n`);
    }
  } finally {
    resumeAllPaused();
    console.error = consoleError;
    await stopStack(stack);
  }
  const wall = (performance.now() - started) / 1000;
  const ok = reports.every(passed);
  process.stdout.write(`Summary (${wall.toFixed(1)} s wall):\n`);
  for (const r of reports) process.stdout.write(`  ${passed(r) ? 'PASS' : 'FAIL'}  ${r.name}  (${(r.wallMs / 1000).toFixed(1)} s)\n`);
  writeFileSync(
    join(logDir, 'report.json'),
    JSON.stringify(
      {
        wallSeconds: wall,
        ok,
        reports: reports.map((r) => ({ ...r, api: r.api.map((a) => ({ title: a.title, lines: a.tally.summary(), violations: a.tally.violations })) })),
      },
      null,
      2,
    ),
  );
  process.stdout.write(`${ok ? 'all fault checks passed' : 'FAULT CHECKS FAILED'}; report ${join(logDir, 'report.json')}\n`);
  return ok ? 0 : 1;
}

const watchdog = setTimeout(
  () => {
    emergencyCleanup();
    process.stderr.write(`faults: the run did not finish within FAULTS_TIMEOUT_S; giving up\n`);
    process.exit(1);
  },
  env('FAULTS_TIMEOUT_S', 1500) * 1000,
);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    emergencyCleanup();
    process.exit(130);
  });
}
process.on('exit', () => emergencyCleanup());

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    emergencyCleanup();
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
