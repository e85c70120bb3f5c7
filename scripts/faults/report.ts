import type { ApiTally } from './api.js';

// One scenario's result: the counts the issue asks for (proposals completed; events, mails and
// numbers, each with duplicated and lost), what the API answered meanwhile, and every check that
// failed, in words. A scenario passes when no check failed.

export interface Counted {
  label: string;
  total: number;
  expected: number;
  duplicated: number;
  lost: number;
  /** Anything else worth a word (recorded failed, out of order, …). */
  note?: string;
}

export interface ScenarioReport {
  name: string;
  wallMs: number;
  proposals: { completed: number; expected: number };
  counts: Counted[];
  api: { title: string; tally: ApiTally }[];
  facts: string[];
  failures: string[];
}

export function newReport(name: string): ScenarioReport {
  return { name, wallMs: 0, proposals: { completed: 0, expected: 0 }, counts: [], api: [], facts: [], failures: [] };
}

/** Adds a count and fails the scenario on any duplicate or loss. */
export function addCount(report: ScenarioReport, c: Counted): void {
  report.counts.push(c);
  if (c.duplicated > 0) report.failures.push(`${c.label}: ${c.duplicated} duplicated`);
  if (c.lost > 0) report.failures.push(`${c.label}: ${c.lost} lost`);
}

export function check(report: ScenarioReport, ok: boolean, failure: string): boolean {
  if (!ok) report.failures.push(failure);
  return ok;
}

export function formatReport(r: ScenarioReport): string {
  const failures = [...r.failures, ...r.api.flatMap((a) => a.tally.violations.map((v) => `API ${a.title}: ${v}`))];
  const lines = [`== ${r.name}: ${failures.length === 0 ? 'PASS' : 'FAIL'} (${(r.wallMs / 1000).toFixed(1)} s)`];
  lines.push(`   proposals completed   ${r.proposals.completed} / ${r.proposals.expected}`);
  for (const c of r.counts) {
    lines.push(
      `   ${c.label.padEnd(21)} ${String(c.total).padStart(5)} (expected ${c.expected})  duplicated ${c.duplicated}  lost ${c.lost}${c.note ? `  ${c.note}` : ''}`,
    );
  }
  if (!r.counts.some((c) => c.label === 'reply numbers')) lines.push(`   ${'reply numbers'.padEnd(21)}     - (no reply dispatched in this scenario)`);
  for (const a of r.api) {
    lines.push(`   API ${a.title}:`);
    for (const l of a.tally.summary()) lines.push(`     ${l}`);
  }
  for (const f of r.facts) lines.push(`   · ${f}`);
  if (failures.length > 0) {
    lines.push('   failed checks:');
    const shown = failures.slice(0, 25);
    for (const f of shown) lines.push(`     ✗ ${f}`);
    if (failures.length > shown.length) lines.push(`     … and ${failures.length - shown.length} more`);
  }
  return lines.join('\n');
}

export function passed(r: ScenarioReport): boolean {
  return r.failures.length === 0 && r.api.every((a) => a.tally.violations.length === 0);
}
