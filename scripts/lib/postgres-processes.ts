import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';

// Freezing a PostgreSQL server the way a stalled host, a VM pause or a storage hang would: every
// process of the server stops (SIGSTOP) and later goes on (SIGCONT) where it was. Connections
// stay open, nothing is refused; the server just does not answer. Only a server on this machine
// whose processes we may signal (ours, or we are root) can be paused.

function psField(pid: number, field: string): string {
  return execFileSync('ps', ['-o', `${field}=`, '-p', String(pid)], { encoding: 'utf8' }).trim();
}

/** The postmaster's pid, found from a backend of ours: `select pg_backend_pid()`, then its parent. */
export async function findPostmaster(db: Db): Promise<number> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
  const backend = rows[0]?.pid;
  if (!backend) throw new Error('pg_backend_pid() returned nothing');
  const parent = Number(psField(backend, 'ppid'));
  if (!Number.isInteger(parent) || parent <= 1) throw new Error(`backend ${backend} has no postmaster parent (ppid "${parent}"): is PostgreSQL on this machine?`);
  const command = psField(parent, 'args');
  if (!/postgres|postmaster/.test(command)) throw new Error(`parent ${parent} of backend ${backend} is not PostgreSQL: ${command}`);
  return parent;
}

/** The postmaster and every process it forked (checkpointer, writers, launchers, backends), postmaster first. */
export function postgresProcesses(postmaster: number): number[] {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' });
  } catch (err) {
    // pgrep exits 1 when nothing matched: a postmaster without children (it always has some).
    if ((err as { status?: number }).status !== 1) throw err;
  }
  const children = out
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  return [postmaster, ...children];
}

const pausedNow = new Set<PausedPostgres>();

/** Resumes every server still paused: for exit handlers, so a script that dies leaves no frozen PostgreSQL. */
export function resumeAllPaused(): void {
  for (const p of [...pausedNow]) p.resume();
}

export interface PausedPostgres {
  readonly pids: number[];
  /** SIGCONT to every process paused (children first, then the postmaster); safe to call twice. */
  resume(): void;
}

/**
 * SIGSTOPs the postmaster first (so it forks nothing new meanwhile), then its children. A
 * backend forked between the listing and the stop is caught by a second listing.
 */
export function pausePostgres(postmaster: number): PausedPostgres {
  const stopped = new Set<number>();
  let resumed = false;
  const handle: PausedPostgres = {
    get pids() {
      return [...stopped];
    },
    resume() {
      if (resumed) return;
      resumed = true;
      pausedNow.delete(handle);
      for (const pid of [...stopped].reverse()) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // gone: nothing to resume
        }
      }
    },
  };
  // Registered before the first signal: whatever happens next, an exit handler can undo it.
  pausedNow.add(handle);
  const stop = (pid: number) => {
    try {
      process.kill(pid, 'SIGSTOP');
      stopped.add(pid);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  };
  try {
    stop(postmaster);
    for (let round = 0; round < 2; round++) for (const pid of postgresProcesses(postmaster)) if (!stopped.has(pid)) stop(pid);
  } catch (err) {
    handle.resume();
    throw err;
  }
  return handle;
}

/** The process state letter per pid ('T' = stopped), for the report. */
export function processStates(pids: number[]): Record<number, string> {
  const states: Record<number, string> = {};
  for (const pid of pids) {
    try {
      states[pid] = psField(pid, 'stat').slice(0, 1);
    } catch {
      states[pid] = 'gone';
    }
  }
  return states;
}
