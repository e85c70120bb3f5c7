import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Figures from one run, each beside the ceiling it is judged against, as Markdown and JSON.

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

export interface Row {
  group: string;
  name: string;
  n: number;
  p50: number;
  p95: number;
  p99: number;
  /** The figure this one is judged against, measured in the same run. */
  ceiling?: { name: string; p50: number };
  target?: string;
  note?: string;
  /** What the figures count when not milliseconds (P4's MB). */
  unit?: string;
}

export function row(group: string, name: string, samples: number[], extra: Partial<Row> = {}): Row {
  return { group, name, n: samples.length, p50: quantile(samples, 0.5), p95: quantile(samples, 0.95), p99: quantile(samples, 0.99), ...extra };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

/** A row's p50, p95, p99 as printed: milliseconds bare, another unit named. */
export function figures(r: Row): [string, string, string] {
  const f = (v: number) => (r.unit ? `${ms(v)} ${r.unit}` : ms(v));
  return [f(r.p50), f(r.p95), f(r.p99)];
}

export function markdown(rows: Row[], header: string): string {
  const lines = [header, '', '| group | measured | n | p50 ms | p95 ms | p99 ms | ceiling (same run) | ratio p50 | target |', '|---|---|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const ratio = r.ceiling ? `${(r.p50 / r.ceiling.p50).toFixed(2)}×` : '';
    const ceiling = r.ceiling ? `${r.ceiling.name}: ${ms(r.ceiling.p50)}` : '';
    lines.push(`| ${r.group} | ${r.name}${r.note ? ` (${r.note})` : ''} | ${r.n} | ${figures(r).join(' | ')} | ${ceiling} | ${ratio} | ${r.target ?? ''} |`);
  }
  return lines.join('\n');
}

export function writeResults(rows: Row[], meta: Record<string, unknown>, header: string): string {
  const dir = join(process.cwd(), '.tmp', 'bench');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `bench-${stamp}.json`);
  writeFileSync(file, JSON.stringify({ meta, rows }, null, 2));
  writeFileSync(join(dir, `bench-${stamp}.md`), `${markdown(rows, header)}\n`);
  return file;
}
