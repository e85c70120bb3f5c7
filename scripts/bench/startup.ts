import { spawn, execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from '../lib/free-port.js';
import type { Row } from './report.js';

// P6: how long `npm start` takes until it says the stack is up, from a fresh clone with no .data
// (cold: initdb, migrations, the demo data, the workflow bundle) and again on the same data
// (warm), on ports of its own so it runs beside anything else. The clone shares node_modules.

const REPO = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();

async function startOnce(dir: string, env: NodeJS.ProcessEnv): Promise<number> {
  const t = performance.now();
  const child = spawn('npm', ['start'], { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const up = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start was not up within 300 s:\n${out.slice(-2000)}`)), 300_000);
    const look = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('is up (')) {
        clearTimeout(timer);
        resolve(performance.now() - t);
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before it was up:\n${out.slice(-2000)}`)));
  });
  try {
    return await up;
  } finally {
    const stopped = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', () => resolve())));
    try {
      process.kill(-child.pid!, 'SIGINT');
    } catch {
      /* already gone */
    }
    await Promise.race([stopped, new Promise((r) => setTimeout(r, 120_000))]);
  }
}

export async function measureStartup(): Promise<Row[]> {
  const work = mkdtempSync(join(tmpdir(), 'banli-startup-'));
  const dir = join(work, 'banli');
  try {
    execFileSync('git', ['clone', '--quiet', REPO, dir]);
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
    const env = {
      ...process.env,
      HTTP_PORT: String(await freePort()),
      PG_PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      SMTP_PORT: String(await freePort()),
    };
    const cold = await startOnce(dir, env);
    const warm = await startOnce(dir, env);
    const one = (name: string, ms: number): Row => ({ group: 'P6', name, n: 1, p50: ms, p95: ms, p99: ms });
    return [one('npm start until up, cold (fresh clone, no .data)', cold), one('npm start until up, warm (same .data)', warm)];
  } finally {
    // Under root the database lives outside the checkout, behind a symlink.
    const pgdata = join(dir, '.data', 'postgres', 'pg');
    if (existsSync(pgdata) && lstatSync(pgdata).isSymbolicLink()) rmSync(readlinkSync(pgdata), { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
