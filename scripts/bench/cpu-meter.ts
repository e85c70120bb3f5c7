import { readdirSync, readFileSync } from 'node:fs';

// CPU time spent by this process and the servers it started (the Temporal dev server,
// PostgreSQL and its backends), read from /proc: where a figure's milliseconds go.

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
}

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces; the fields after it are space-separated.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    return { pid, ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // ended meanwhile
  }
}

export type CpuGroups = Record<'bench process' | 'Temporal server' | 'PostgreSQL' | 'other', number>;

/** CPU milliseconds so far of this process and its descendants, by kind. */
export function cpuSnapshot(): CpuGroups {
  const procs = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is Proc => p !== null);
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const descends = (p: Proc): boolean => {
    for (let cur: Proc | undefined = p; cur; cur = byPid.get(cur.ppid)) if (cur.pid === process.pid) return true;
    return false;
  };
  const groups: CpuGroups = { 'bench process': 0, 'Temporal server': 0, PostgreSQL: 0, other: 0 };
  for (const p of procs) {
    if (!descends(p)) continue;
    const ms = (p.ticks * 1000) / TICKS_PER_SECOND;
    if (p.pid === process.pid) groups['bench process'] += ms;
    else if (p.comm.startsWith('temporal')) groups['Temporal server'] += ms;
    else if (p.comm.startsWith('postgres')) groups.PostgreSQL += ms;
    else groups.other += ms;
  }
  return groups;
}

/** CPU milliseconds per call between two snapshots, as words for a row's note. */
export function cpuPerCall(before: CpuGroups, after: CpuGroups, calls: number): string {
  const parts = (Object.keys(before) as (keyof CpuGroups)[])
    .map((k) => [k, (after[k] - before[k]) / calls] as const)
    .filter(([, v]) => v >= 0.05)
    .map(([k, v]) => `${k} ${v.toFixed(1)} ms`);
  return `CPU per call: ${parts.join(', ') || 'none measurable'}`;
}
