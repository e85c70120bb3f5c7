import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFeedbackLinks } from '../../activities/feedback-link.js';
import { startHttpServer, type RunningHttpServer } from '../../client/server.js';
import { DEFAULT_HTTP_LIMITS } from '../../client/settings.js';
import { ProposalClient } from '../../client/temporal.js';
import { createDb, type Db } from '../../db/connection.js';
import { startEphemeralStack, type EphemeralStack } from '../lib/ephemeral-stack.js';
import { freePort } from '../lib/free-port.js';
import { findPostmaster } from '../lib/postgres-processes.js';
import { startMailCatcher, type MailCatcherHandle } from '../lib/mail-catcher.js';
import { ensureTemporalCli } from '../lib/temporal-cli.js';
import { startTemporalDevServer, type DevServerHandle } from '../lib/temporal-dev-server.js';

// The stack the fault scenarios break: the ephemeral stack (embedded PostgreSQL, SMTP catcher,
// an in-process worker) in front of a Temporal dev server this script starts itself, on a
// SQLite file it keeps, so that scenario 4 can stop it and start it again on the same file and
// port; and the real HTTP server with a database pool of its own, as in production where it is
// another process than the worker.

export const TASK_QUEUE = 'banli-faults';
export const LINK_SECRET = 'faults-link-secret-0123456789';

export interface RestartableDevServer {
  address: string;
  dbFile: string;
  /** SIGTERM (a clean shutdown, SIGKILL after 10 s) or SIGKILL (a crash); resolves once it has exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  start(): Promise<void>;
  running(): boolean;
  /** SIGKILL now, synchronously: for exit handlers. */
  killNow(): void;
}

export interface RestartableCatcher {
  url: string;
  dir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  running(): boolean;
}

export interface FaultStack {
  stack: EphemeralStack;
  temporal: RestartableDevServer;
  catcher: RestartableCatcher;
  client: Client;
  proposals: ProposalClient;
  http: RunningHttpServer;
  /** The pool the checks read with (the stack's). */
  db: Db;
  logDir: string;
  log(line: string): void;
  /** The embedded PostgreSQL's postmaster (undefined with DATABASE_URL: not ours to stop). */
  postmaster: number | undefined;
  /** How long the HTTP door waits for an Update, and for /healthz's checks. */
  limits: { updateWaitMs: number; healthTimeoutMs: number };
  stop(): Promise<void>;
}

async function restartableDevServer(log: (line: string) => void): Promise<RestartableDevServer> {
  const cli = ensureTemporalCli(log);
  const dir = mkdtempSync(join(tmpdir(), 'banli-faults-temporal-'));
  const dbFile = join(dir, 'temporal.sqlite');
  let port = 0;
  let uiPort = 0;
  let handle: DevServerHandle | undefined;
  for (let attempt = 1; !handle; attempt++) {
    port = await freePort();
    uiPort = await freePort();
    try {
      handle = await startTemporalDevServer({ cli, port, uiPort, dbFile, log });
    } catch (err) {
      if (attempt >= 3) throw err;
      log(`[temporal] start attempt ${attempt} failed, retrying: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return {
    address: handle.address,
    dbFile,
    running: () => handle !== undefined,
    killNow: () => handle?.process.kill('SIGKILL'),
    async stop(signal = 'SIGTERM') {
      const h = handle;
      handle = undefined;
      if (!h) return;
      if (signal === 'SIGTERM') return h.stop();
      const child = h.process;
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
    async start() {
      if (handle) return;
      // The same port and file: clients and workers reconnect to the address they know.
      handle = await startTemporalDevServer({ cli, port, uiPort, dbFile, log });
    },
  };
}

export async function startFaultStack(options: { logDir: string }): Promise<FaultStack> {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, 'stack.log');
  const log = (line: string) => appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  // The SDK's and Core's warnings (activities failing while PostgreSQL is paused, a worker
  // losing its server) are the faults doing their work: kept in the log, not on the screen.
  const sink = (entry: LogEntry) =>
    log(`[temporal ${entry.level}] ${entry.message} ${entry.meta ? JSON.stringify(entry.meta, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) : ''}`);
  Runtime.install({ logger: new DefaultLogger('WARN', sink), telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } } });

  const temporal = await restartableDevServer(log);
  process.env.TEMPORAL_ADDRESS = temporal.address;
  let stack: EphemeralStack;
  try {
    stack = await startEphemeralStack({ taskQueue: TASK_QUEUE, linkSecret: LINK_SECRET, log });
  } catch (err) {
    await temporal.stop();
    throw err;
  }

  // The catcher the stack started, and later ones on the same port and folder.
  let catcher: MailCatcherHandle | undefined = stack.catcher;
  const restartableCatcher: RestartableCatcher = {
    url: stack.catcher.url,
    dir: stack.mailDir,
    running: () => catcher !== undefined,
    async stop() {
      const c = catcher;
      catcher = undefined;
      await c?.stop();
    },
    async start() {
      catcher ??= await startMailCatcher({ port: stack.catcher.port, dir: stack.mailDir });
    },
  };

  const ownPostgres = !process.env.DATABASE_URL;
  const postmaster = ownPostgres ? await findPostmaster(stack.db) : undefined;
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: 'default' });
  const limits = { updateWaitMs: DEFAULT_HTTP_LIMITS.updateWaitMs, healthTimeoutMs: DEFAULT_HTTP_LIMITS.healthTimeoutMs };
  const proposals = new ProposalClient(client, TASK_QUEUE, { waitMs: limits.updateWaitMs });
  const httpDb = createDb(stack.databaseUrl);
  const http = await startHttpServer({
    db: httpDb,
    proposals,
    host: '127.0.0.1',
    port: 0,
    mailCatcherDir: stack.mailDir,
    feedbackLinks: createFeedbackLinks(LINK_SECRET, 'http://banli.test'),
    limits,
  });

  return {
    stack,
    temporal,
    catcher: restartableCatcher,
    client,
    proposals,
    http,
    db: stack.db,
    logDir: options.logDir,
    log,
    postmaster,
    limits,
    async stop() {
      await http.close();
      await httpDb.destroy();
      await connection.close();
      // The stack stops the catcher it started; one started later is stopped here.
      if (catcher && catcher !== stack.catcher) await catcher.stop();
      await stack.stop();
      await temporal.stop();
      rmSync(join(temporal.dbFile, '..'), { recursive: true, force: true });
    },
  };
}
