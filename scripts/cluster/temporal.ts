import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import pg from 'pg';
import type { TemporalServerBinaries } from '../lib/temporal-server.js';

// The Temporal server of `npm run cluster`: its two databases on PostgreSQL (made and migrated
// with temporal-sql-tool, as a production install does), a config file with every service in
// one process and several history shards, the process itself, and the namespace.

const run = promisify(execFile);

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

export const TEMPORAL_DATABASES = { main: 'temporal', visibility: 'temporal_visibility' } as const;

export function postgresTarget(databaseUrl: string): PostgresTarget {
  const u = new URL(databaseUrl);
  return { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

async function databaseState(target: PostgresTarget, database: string): Promise<'missing' | 'empty' | 'versioned'> {
  const admin = new pg.Client({ ...target, database: 'postgres' });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) return 'missing';
  } finally {
    await admin.end();
  }
  const db = new pg.Client({ ...target, database });
  await db.connect();
  try {
    const table = await db.query<{ t: string | null }>(`select to_regclass('public.schema_version')::text as t`);
    return table.rows[0]?.t ? 'versioned' : 'empty';
  } finally {
    await db.end();
  }
}

/**
 * create-database (when missing), setup-schema -v 0.0 (when unversioned) and update-schema to
 * the newest version in the binaries' schema folders, for the main and the visibility store.
 */
export async function setupTemporalSchema(binaries: TemporalServerBinaries, target: PostgresTarget, log: (line: string) => void): Promise<void> {
  const env = { ...process.env, SQL_PLUGIN: 'postgres12', SQL_HOST: target.host, SQL_PORT: String(target.port), SQL_USER: target.user, SQL_PASSWORD: target.password };
  const tool = async (database: string, ...args: string[]) => {
    try {
      await run(binaries.sqlTool, args, { env: { ...env, SQL_DATABASE: database }, maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      throw new Error(`temporal-sql-tool ${args.join(' ')} on ${database} failed: ${e.message}\n${e.stderr ?? ''}${e.stdout ?? ''}`, { cause: err });
    }
  };
  for (const [database, dir] of [
    [TEMPORAL_DATABASES.main, 'temporal'],
    [TEMPORAL_DATABASES.visibility, 'visibility'],
  ] as const) {
    const state = await databaseState(target, database);
    if (state === 'missing') await tool(database, 'create-database');
    if (state !== 'versioned') await tool(database, 'setup-schema', '-v', '0.0');
    await tool(database, 'update-schema', '-d', join(binaries.postgresSchemaDir, dir, 'versioned'));
    log(`database ${database}: schema ${state === 'versioned' ? 'up to date' : 'created'} (${binaries.version})`);
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

const claimed = new Set<number>();

/**
 * A free port below 32768, from `start` upwards: the SQL persistence keeps each service's
 * membership port in a smallint column (cluster_membership.rpc_port), so the kernel's ephemeral
 * range (32768 and up, what port 0 gives) makes the server exit at start.
 */
export async function freeLowPort(start: number): Promise<number> {
  for (let port = start; port < 32768; port++) {
    if (claimed.has(port) || !(await portFree(port))) continue;
    claimed.add(port);
    return port;
  }
  throw new Error(`no free port between ${start} and 32767`);
}

export interface ServerPorts {
  frontend: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
  metrics: number;
}

/** Writes the server's static config and its dynamic config; returns the static file's path. */
export function writeServerConfig(dir: string, options: { target: PostgresTarget; ports: ServerPorts; historyShards: number }): string {
  mkdirSync(dir, { recursive: true });
  const { target, ports } = options;
  const store = (database: string, maxConns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: "${target.host}:${target.port}"
        connectProtocol: tcp
        user: ${JSON.stringify(target.user)}
        password: ${JSON.stringify(target.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h`;
  const service = (grpc: number, membership: number) => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnIP: 127.0.0.1`;
  const dynamicFile = join(dir, 'dynamic-config.yaml');
  const yaml = `# Written by scripts/cluster.ts on every start; edit that file, not this one.
log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${options.historyShards}
  datastores:
    postgres-default:${store(TEMPORAL_DATABASES.main, 20)}
    postgres-visibility:${store(TEMPORAL_DATABASES.visibility, 10)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
  metrics:
    prometheus:
      framework: tally
      timerType: histogram
      listenAddress: "127.0.0.1:${ports.metrics}"
services:
  frontend:${service(ports.frontend, ports.frontendMembership)}
  history:${service(ports.history, ports.historyMembership)}
  matching:${service(ports.matching, ports.matchingMembership)}
  worker:${service(ports.worker, ports.workerMembership)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:${ports.frontend}"
dcRedirectionPolicy:
  policy: noop
archival:
  history:
    state: disabled
  visibility:
    state: disabled
namespaceDefaults:
  archival:
    history:
      state: disabled
    visibility:
      state: disabled
publicClient:
  hostPort: "127.0.0.1:${ports.frontend}"
dynamicConfigClient:
  filepath: ${JSON.stringify(dynamicFile)}
  pollInterval: 10s
`;
  // The dev server's own defaults (temporal CLI start-dev): search attributes usable at once, and
  // persistence QPS limits raised to match. Everything else stays at the server's defaults.
  const dynamic = `system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
frontend.persistenceMaxQPS:
  - value: 10000
history.persistenceMaxQPS:
  - value: 45000
`;
  writeFileSync(dynamicFile, dynamic);
  const file = join(dir, 'temporal-server.yaml');
  writeFileSync(file, yaml, { mode: 0o600 });
  return file;
}

export interface TemporalServerHandle {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `temporal-server start` (all four services) and waits until the frontend answers. */
export async function startTemporalServer(options: {
  binaries: TemporalServerBinaries;
  configFile: string;
  port: number;
  logFile: string;
}): Promise<TemporalServerHandle> {
  const child = spawn(options.binaries.server, ['--config-file', options.configFile, '--allow-no-auth', 'start'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  let recent = '';
  const collect = (chunk: Buffer) => {
    log.write(chunk);
    recent = (recent + chunk.toString()).slice(-6000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = String(code ?? signal);
    log.end();
  });
  const address = `127.0.0.1:${options.port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (exited !== undefined) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`temporal-server exited during start (${exited}); see ${options.logFile}:\n${recent}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        await connection.workflowService.describeNamespace({ namespace: 'temporal-system' });
      } finally {
        await connection.close();
      }
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`temporal-server did not answer on ${address} within 120 s (${(err as Error).message}); see ${options.logFile}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return { address, process: child, stop };
}

/** Registers the namespace when missing and waits until the frontend serves it. */
export async function ensureNamespace(address: string, namespace: string, retentionDays = 30): Promise<'created' | 'existed'> {
  const connection = await Connection.connect({ address });
  try {
    let outcome: 'created' | 'existed' = 'existed';
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch {
      try {
        await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`) });
        outcome = 'created';
      } catch (err) {
        // 6 ALREADY_EXISTS: another start won the race.
        if ((err as { code?: number }).code !== 6) throw err;
      }
    }
    // The namespace registry of each service refreshes on its own clock: wait until a visibility
    // call (frontend) and a task-queue call (matching) both know it.
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        await connection.workflowService.describeTaskQueue({ namespace, taskQueue: { name: 'banli-namespace-probe' }, taskQueueType: 1 });
        return outcome;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`namespace ${namespace} registered but not served after 60 s: ${(err as Error).message}`, { cause: err });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await connection.close();
  }
}
