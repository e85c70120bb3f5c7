import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The real worker entry point (worker/main.ts) as a child process, so that a script can kill it
// the way a crash would (SIGKILL) and start another. The same shape as the tests' helper
// (test/support/worker-process.ts), without vitest: addresses are passed in.

const WORKER_MAIN = fileURLToPath(new URL('../../worker/main.ts', import.meta.url));

export interface WorkerProcessOptions {
  temporalAddress: string;
  taskQueue: string;
  databaseUrl: string;
  smtpUrl: string;
  workflowBundlePath: string;
  linkSecret: string;
  /** The child's stdout and stderr are appended here. */
  logFile: string;
  startTimeoutMs?: number;
  /** More environment for the child (MAX_CACHED_WORKFLOWS, …). */
  env?: Record<string, string>;
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM (the SDK shuts down gracefully), SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

/** SIGKILLs every worker process still running: for exit handlers, so a script that dies leaves none polling. */
export function killWorkerProcessesNow(): void {
  for (const child of live) child.kill('SIGKILL');
}

export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_MAIN], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      DATABASE_URL: options.databaseUrl,
      SMTP_URL: options.smtpUrl,
      WORKFLOW_BUNDLE_PATH: options.workflowBundlePath,
      BANLI_LINK_SECRET: options.linkSecret,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  let output = '';
  const collect = (d: Buffer) => {
    log.write(d);
    output = (output + d.toString()).slice(-8000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  live.add(child);
  child.once('exit', () => {
    live.delete(child);
    log.end();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker did not start within ${(options.startTimeoutMs ?? 60_000) / 1000} s:\n${output}`)),
      options.startTimeoutMs ?? 60_000,
    );
    const check = () => {
      if (output.includes('[worker] polling')) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        child.off('exit', exited);
        resolve();
      }
    };
    const exited = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}:\n${output}`));
    };
    child.stdout?.on('data', check);
    child.once('exit', exited);
  });
  const kill = (signal: NodeJS.Signals = 'SIGKILL') =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return {
    child,
    pid: child.pid!,
    kill,
    async stop() {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await kill('SIGTERM');
      clearTimeout(timer);
    },
  };
}
