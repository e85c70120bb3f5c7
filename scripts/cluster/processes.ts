import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { relayLines } from '../lib/stack-helpers.js';

// The Node processes of `npm run cluster` (workers, the HTTP server, a test or bench run): each
// a child in its own process group, so a Ctrl-C at the terminal reaches only the cluster script,
// which then stops them in order.

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface NodeChild {
  name: string;
  child: ChildProcess;
  /** Resolves with the first line matching `ready` (never, when none is given). */
  ready: Promise<string>;
  exited: Promise<number>;
  /** SIGTERM (the Temporal SDK drains a worker), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function startNodeChild(options: {
  name: string;
  entry: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  /** Run the entry through tsx (default) or as plain JavaScript. */
  tsx?: boolean;
  ready?: RegExp;
  /** Relay output with a `[name]` prefix (default), pass it through untouched, or append it to a file. */
  output?: 'prefixed' | 'inherit' | { file: string };
}): NodeChild {
  const entry = options.entry.startsWith('/') ? options.entry : join(REPO, options.entry);
  const child = spawn(process.execPath, [...(options.tsx === false ? [] : ['--import', 'tsx']), entry, ...(options.args ?? [])], {
    cwd: REPO,
    env: options.env,
    detached: true,
    stdio: ['ignore', options.output === 'inherit' ? 'inherit' : 'pipe', options.output === 'inherit' ? 'inherit' : 'pipe'],
  });
  let markReady: (line: string) => void = () => undefined;
  let markFailed: (err: Error) => void = () => undefined;
  const ready = new Promise<string>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  ready.catch(() => undefined);
  const onLine = (line: string) => {
    if (options.ready?.test(line)) markReady(line);
  };
  const file = typeof options.output === 'object' ? createWriteStream(options.output.file, { flags: 'a' }) : undefined;
  relayLines(child.stdout, `[${options.name}]`, file ?? process.stdout, onLine);
  relayLines(child.stderr, `[${options.name}]`, file ?? process.stderr, onLine);
  child.on('close', () => file?.end());
  const exited = new Promise<number>((resolve) => {
    child.on('error', (err) => {
      markFailed(err);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      markFailed(new Error(`${options.name} exited during start (${signal ?? `code ${code}`})`));
      resolve(code ?? 1);
    });
  });
  // The whole group: a child's own children (vitest's forks, `go install`) go with it.
  const signal = (s: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, s);
    } catch {
      child.kill(s);
    }
  };
  const stop = (graceMs = 20_000) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => {
        process.stderr.write(`[cluster] ${options.name} did not stop within ${graceMs / 1000} s; killing it\n`);
        signal('SIGKILL');
      }, graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      signal('SIGTERM');
    });
  return { name: options.name, child, ready, exited, stop };
}
