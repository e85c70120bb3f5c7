import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { freePort } from './free-port.js';

// Small pieces of `npm start` (scripts/dev-stack.ts) that do not depend on its state.

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

const takenPorts = new Set<number>();

/** The preferred port (or the one in `envName`) when it is free, else any free port. */
export async function choosePort(label: string, envName: string, preferred: number, warn: (line: string) => void, host = '127.0.0.1'): Promise<number> {
  const raw = process.env[envName];
  let want = preferred;
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${envName} must be a port number, not "${raw}"`);
    want = n;
  }
  if (want !== 0 && !takenPorts.has(want) && (await portFree(want, host))) {
    takenPorts.add(want);
    return want;
  }
  let port: number;
  do port = await freePort();
  while (takenPorts.has(port));
  takenPorts.add(port);
  if (want !== 0) warn(`${label} port ${want} is in use; using ${port} instead`);
  return port;
}

export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':****@');
  }
}

/** Copies a child's output line by line, adding `[name]` unless the line already carries it. */
export function relayLines(stream: Readable | null, prefix: string, out: Writable, onLine?: (line: string) => void): void {
  if (!stream) return;
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  rl.on('line', (line) => {
    out.write(line.startsWith(prefix) ? `${line}\n` : `${prefix} ${line}\n`);
    onLine?.(line);
  });
}

export function processAlive(pid: number, commandIncludes: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // Guard against a recycled pid where /proc exists (Linux).
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(commandIncludes);
  } catch {
    return true;
  }
}

export function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms / 1000} s`)), ms);
    }),
  ]);
}
