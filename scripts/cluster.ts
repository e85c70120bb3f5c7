import { spawn, type ChildProcess } from 'node:child_process';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb } from '../db/connection.js';
import { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../db/embedded.js';
import { bootstrapDatabase } from '../worker/bootstrap.js';
import { WORKFLOWS_PATH } from '../worker/create-worker.js';
import { persistentSecret, resolveDemoPassword, seedDemo } from './lib/demo-data.js';
import { startMailCatcher, type MailCatcherHandle } from './lib/mail-catcher.js';
import { choosePort, maskUrl } from './lib/stack-helpers.js';
import type { TemporalServerBinaries } from './lib/temporal-server.js';
import { REPO, startNodeChild, type NodeChild } from './cluster/processes.js';
import {
  ensureNamespace,
  freeLowPort,
  postgresTarget,
  setupTemporalSchema,
  startTemporalServer,
  writeServerConfig,
  type ServerPorts,
  type TemporalServerHandle,
} from './cluster/temporal.js';

// `npm run cluster`: the production topology, small, on one machine. Temporal's own server
// (go.temporal.io/server, built once into ~/.cache/banli by scripts/lib/temporal-server.ts) with
// PostgreSQL persistence (databases temporal and temporal_visibility on the embedded PostgreSQL,
// beside Banli's own database banli), several history shards, frontend/history/matching/worker
// services in one process; two worker processes on one task queue; the HTTP server; the mail
// catcher. Ctrl-C stops it in order: HTTP and workers, the Temporal server, the catcher, PostgreSQL.
//
//   npm run cluster                      serve (data kept in .data/cluster)
//   npm run cluster -- --test [args]     a fresh cluster, then the integration tier against it,
//                                        with two more worker processes on the tests' task queue
//   npm run cluster -- --bench           a fresh cluster, two worker processes on the bench's task
//                                        queue, then `npm run bench` against it (BENCH_* honoured)
//
// Environment: BANLI_CLUSTER_WORKERS (2), BANLI_CLUSTER_SHARDS (4), BANLI_CLUSTER_DIR, TEMPORAL_PORT,
// HTTP_PORT, TEMPORAL_SERVER_VERSION; the rest as for `npm start`.

const INNER_FLAG = 'BANLI_CLUSTER_INNER';
const args = process.argv.slice(2).filter((a) => a !== '--');
const mode: 'serve' | 'test' | 'bench' = args[0] === '--test' ? 'test' : args[0] === '--bench' ? 'bench' : 'serve';
const passThrough = mode === 'serve' ? args : args.slice(1);
const WORKERS = Number(process.env.BANLI_CLUSTER_WORKERS ?? 2);
const SHARDS = Number(process.env.BANLI_CLUSTER_SHARDS ?? 4);
const NAMESPACE = process.env.TEMPORAL_NAMESPACE || 'default';
// The bench's own constants (scripts/bench.ts): its worker processes must sign links alike.
const BENCH_TASK_QUEUE = 'banli-bench';
const BENCH_LINK_SECRET = 'bench-link-secret-0123456789';

const say = (line: string) => process.stdout.write(`[cluster] ${line}\n`);
const warn = (line: string) => process.stderr.write(`[cluster] ${line}\n`);

// ------------------------------------------------------------------ supervisor (as scripts/dev-stack.ts)
function supervise(): void {
  const inner = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    cwd: REPO,
    detached: true, // own process group: the terminal's Ctrl-C stops here, and the stack stops in order
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [INNER_FLAG]: '1' },
  });
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstSignalAt === 0) {
      firstSignalAt = Date.now();
      inner.kill(signal);
    } else if (Date.now() - firstSignalAt > 2000 && inner.pid) {
      warn(`${signal} again: killing the cluster`);
      try {
        process.kill(-inner.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  inner.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1)));
}

// ------------------------------------------------------------------ the cluster
let stopping = false;
let pg: EmbeddedPostgresHandle | undefined;
let catcher: MailCatcherHandle | undefined;
let temporal: TemporalServerHandle | undefined;
// A server still starting when a signal comes is stopped once it is up, so nothing is left behind.
let starting: Promise<unknown> = Promise.resolve();
let builder: ChildProcess | undefined;
let foreground: NodeChild | undefined; // vitest or the bench
const app: NodeChild[] = [];
let scratch: string | undefined;

async function step(name: string, stop: (() => Promise<void>) | undefined): Promise<void> {
  if (!stop) return;
  try {
    await stop();
  } catch (err) {
    warn(`stopping ${name} failed: ${(err as Error).message}`);
  }
}

async function shutdown(code: number, reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`${reason}; stopping…`);
  setTimeout(() => {
    warn('stopping took more than 120 s; exiting anyway');
    process.exit(code || 1);
  }, 120_000).unref();
  if (builder?.pid) {
    try {
      process.kill(-builder.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  await step(foreground?.name ?? '', foreground && (() => foreground!.stop(30_000)));
  await Promise.all(app.map((c) => step(c.name, () => c.stop())));
  await starting.catch(() => undefined);
  await step('the Temporal server', temporal && (() => temporal!.stop()));
  await step('the mail catcher', catcher && (() => catcher!.stop()));
  await step('PostgreSQL', pg && (() => pg!.stop()));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  say(code === 0 ? 'stopped' : `stopped (exit ${code})`);
  process.exit(code);
}

/** Builds (first time) or finds the server in a child process group, so Ctrl-C can interrupt `go install`. */
function temporalServerBinaries(): Promise<TemporalServerBinaries> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'scripts/lib/temporal-server.ts')], {
      cwd: REPO,
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    builder = child;
    let json = '';
    child.stdout?.on('data', (d: Buffer) => (json += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      builder = undefined;
      if (code === 0) resolve(JSON.parse(json) as TemporalServerBinaries);
      else reject(new Error(`could not build or find the Temporal server (exit ${code ?? signal})`));
    });
  });
}

async function runChild(name: string, child: NodeChild): Promise<void> {
  foreground = child;
  const code = await child.exited;
  if (!stopping) void shutdown(code, `${name} finished with exit code ${code}`);
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => void shutdown(mode === 'serve' ? 0 : 130, `received ${s}`));
  process.on('disconnect', () => void shutdown(1, 'the `npm run cluster` process went away'));

  // Serving keeps its data; a test or bench run starts from nothing and leaves nothing.
  const dir = mode === 'serve' ? (process.env.BANLI_CLUSTER_DIR ?? join(REPO, '.data', 'cluster')) : (scratch = mkdtempSync(join(tmpdir(), 'banli-cluster-')));
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755); // PostgreSQL runs as its own user under root and must enter it
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });

  const binaries = await temporalServerBinaries();
  if (stopping) return;
  say(`Temporal server ${binaries.version} (${binaries.server})`);

  const serve = mode === 'serve';
  const port = (label: string, env: string, preferred: number) => choosePort(label, env, serve ? preferred : 0, warn);
  const pgPort = await port('PostgreSQL', 'CLUSTER_PG_PORT', 54339);
  const frontend = await port('Temporal', 'TEMPORAL_PORT', 7233);
  // Membership ports stay below 32768 (see freeLowPort): Temporal's defaults when serving, else
  // a random spot in 20000-29999 so that parallel test runs rarely meet.
  const low = serve ? 6933 : 20_000 + Math.floor(Math.random() * 10_000);
  const ports: ServerPorts = {
    frontend,
    frontendMembership: await freeLowPort(low),
    history: await port('history', 'CLUSTER_HISTORY_PORT', 0),
    historyMembership: await freeLowPort(low),
    matching: await port('matching', 'CLUSTER_MATCHING_PORT', 0),
    matchingMembership: await freeLowPort(low),
    worker: await port('worker service', 'CLUSTER_WORKER_SERVICE_PORT', 0),
    workerMembership: await freeLowPort(low),
    metrics: await port('metrics', 'CLUSTER_METRICS_PORT', 0),
  };
  const smtpPort = mode === 'test' ? undefined : await port('SMTP', 'SMTP_PORT', 2525);
  const httpPort = serve ? await port('HTTP', 'HTTP_PORT', 8080) : undefined;

  // One workflow bundle for every worker process (as a deployment ships a prebuilt one).
  const bundling = mode === 'test' ? undefined : bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  bundling?.catch(() => undefined); // awaited below
  const pgStart = startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port: pgPort, database: 'banli', throwaway: !serve, log: warn });
  starting = pgStart.then((h) => (pg = h));
  pg = await pgStart;
  if (stopping) return;
  say(`PostgreSQL up on 127.0.0.1:${pgPort}`);
  const mailDir = join(dir, 'mail');
  if (smtpPort !== undefined) catcher = await startMailCatcher({ port: smtpPort, dir: mailDir });

  const target = postgresTarget(pg.url);
  await setupTemporalSchema(binaries, target, say);
  if (stopping) return;
  const configFile = writeServerConfig(join(dir, 'temporal'), { target, ports, historyShards: SHARDS });
  const serverStarted = Date.now();
  const temporalStart = startTemporalServer({ binaries, configFile, port: frontend, logFile: join(logDir, 'temporal-server.log') });
  starting = temporalStart.then((h) => (temporal = h));
  temporal = await temporalStart;
  temporal.process.on('exit', (code, signal) => {
    if (!stopping) void shutdown(1, `the Temporal server exited unexpectedly (${signal ?? `code ${code}`}); see ${join(logDir, 'temporal-server.log')}`);
  });
  say(`Temporal server up on ${temporal.address} in ${((Date.now() - serverStarted) / 1000).toFixed(1)} s (${SHARDS} history shards, PostgreSQL persistence)`);
  const created = await ensureNamespace(temporal.address, NAMESPACE);
  say(`namespace ${NAMESPACE} ${created}`);
  if (stopping) return;
  const env: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: NAMESPACE, DATABASE_URL: pg.url };
  delete env[INNER_FLAG];
  delete env.NODE_CHANNEL_FD;
  const registered = await startNodeChild({ name: 'search-attributes', entry: 'scripts/register-search-attributes.ts', env }).exited;
  if (registered !== 0) throw new Error(`registering the search attributes failed (exit ${registered})`);
  if (stopping) return;

  if (mode === 'test') {
    say(`running the integration tier against ${temporal.address} (set up ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
    const vitest = join(REPO, 'node_modules', 'vitest', 'vitest.mjs');
    const testEnv = { ...env, BANLI_CLUSTER_LOG_DIR: logDir, BANLI_CLUSTER_TEST_WORKERS: String(WORKERS) };
    void runChild(
      'the integration tier',
      startNodeChild({
        name: 'vitest',
        entry: vitest,
        tsx: false,
        args: ['run', '--config', 'scripts/cluster/vitest.config.ts', ...passThrough],
        env: testEnv,
        output: 'inherit',
      }),
    );
    return;
  }

  // Schema, calendars and policy once, before any worker (as `npm start` does).
  const db = createDb(pg.url, 2);
  let demoLine: string | undefined;
  try {
    await bootstrapDatabase(db);
    if (serve && process.env.BANLI_SEED_DEMO !== 'false') {
      const demo = resolveDemoPassword(join(dir, 'demo-password'));
      const seeded = await seedDemo(db, demo.password);
      demoLine = `demo logins office, committee, admin, liaison-<unit>, …; password ${demo.source === 'env' ? '(BANLI_DEMO_PASSWORD)' : demo.password}${seeded.passwordMatches ? '' : ' (the users were created earlier with another password, which was kept)'}`;
    }
  } finally {
    await db.destroy();
  }
  if (stopping) return;

  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, (await bundling!).code);
  const taskQueue = mode === 'bench' ? BENCH_TASK_QUEUE : process.env.TEMPORAL_TASK_QUEUE || 'banli-proposals';
  const linkSecret = mode === 'bench' ? BENCH_LINK_SECRET : persistentSecret(join(dir, 'link-secret'), 'BANLI_LINK_SECRET', 32).value;
  const appEnv: NodeJS.ProcessEnv = {
    ...env,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SMTP_URL: catcher!.url,
    MAIL_CATCHER_DIR: mailDir,
    BANLI_LINK_SECRET: linkSecret,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    ...(httpPort !== undefined ? { HTTP_HOST: process.env.HTTP_HOST || '127.0.0.1', HTTP_PORT: String(httpPort) } : {}),
  };
  for (let i = 1; i <= WORKERS; i++) {
    const worker = startNodeChild({
      name: `worker-${i}`,
      entry: 'worker/main.ts',
      env: appEnv,
      ready: /^\[worker\] polling /,
      output: serve ? 'prefixed' : { file: join(logDir, `worker-${i}.log`) },
    });
    // One worker dying leaves the others serving the task queue: said, not fatal.
    void worker.exited.then(
      (code) =>
        stopping ||
        warn(`worker-${i} (pid ${worker.child.pid}) exited (${worker.child.signalCode ?? `code ${code}`}); ${WORKERS - 1} other worker(s) keep polling ${taskQueue}`),
    );
    app.push(worker);
  }
  const http = serve ? startNodeChild({ name: 'http', entry: 'client/main.ts', env: appEnv, ready: /^\[http\] listening on / }) : undefined;
  if (http) {
    app.push(http);
    void http.exited.then((code) => stopping || void shutdown(1, `the HTTP server exited (code ${code})`));
  }
  const [httpLine] = await Promise.all([http?.ready, ...app.filter((c) => c !== http).map((w) => w.ready)]);
  if (stopping) return;

  if (mode === 'bench') {
    say(`${WORKERS} worker processes polling ${taskQueue}; running the bench (set up ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
    void runChild('the bench', startNodeChild({ name: 'bench', entry: 'scripts/bench.ts', args: passThrough, env, output: 'inherit' }));
    return;
  }

  const rel = (p: string) => (p.startsWith(REPO) ? relative(REPO, p) : p);
  const lines = [
    '',
    `Banli 办理 on a Temporal cluster is up (${((Date.now() - startedAt) / 1000).toFixed(1)} s). Press Ctrl-C to stop.`,
    `  HTTP API          ${/listening on (\S+)/.exec(httpLine ?? '')?.[1] ?? `port ${httpPort}`}   (GET /healthz; POST /api/login)`,
    `  Temporal          ${temporal.address}   namespace ${NAMESPACE}, task queue ${taskQueue}`,
    `                    temporal-server ${binaries.version}: frontend, history, matching, worker in one process; ${SHARDS} history shards`,
    `  Temporal storage  ${maskUrl(pg.url.replace(/\/banli$/, '/temporal'))} and …/temporal_visibility (postgres12 plugin)`,
    `  Workers           ${app
      .filter((c) => c !== http)
      .map((w) => `${w.name} pid ${w.child.pid}`)
      .join(', ')}   (kill one: the other keeps going)`,
    `  PostgreSQL        ${maskUrl(pg.url)}   (embedded, ${rel(pg.databaseDir)})`,
    `  SMTP              ${catcher!.url}   (local catcher; mail in ${rel(mailDir)})`,
    `  Server config     ${rel(configFile)}; its log ${rel(join(logDir, 'temporal-server.log'))}`,
    `  Temporal CLI      temporal workflow list --address ${temporal.address}   (the server has no web UI: npm start's dev server has one)`,
  ];
  if (demoLine) lines.push(`  Demo              ${demoLine}`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

if (process.env[INNER_FLAG] === '1') {
  main().catch((err: unknown) => {
    if (stopping) return;
    warn(err instanceof EmbeddedPostgresError ? err.message : ((err as Error)?.stack ?? String(err)));
    void shutdown(1, 'start failed');
  });
} else {
  supervise();
}
