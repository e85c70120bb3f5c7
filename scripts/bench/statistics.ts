import { performance } from 'node:perf_hooks';
import { cachedCalendarLoader } from '../../activities/deadlines/calendar-cache.js';
import { countFigures, discrepancyReport, drillDown, listKeyProposals, type StatisticsScope } from '../../client/read/statistics/index.js';
import { readWorklist } from '../../client/read/worklists.js';
import type { Db } from '../../db/connection.js';
import { row, type Row } from './report.js';
import { sessionCode } from './statistics-data.js';

// The committee dashboard's reads at national scale (scripts/bench/statistics-data.ts), each
// timed alone and then all together as the page runs them (one Promise.all per page view).
// Target (issue 13): p95 ≤ 100 ms per dashboard.

const STAFF = { role: 'committee' as const, unitId: null, proposerId: null };

export async function measureStatistics(db: Db, runs = Number(process.env.BENCH_STAT_RUNS ?? 30)): Promise<Row[]> {
  const calendarNow = cachedCalendarLoader(db);
  const session = sessionCode(1);
  const scope = (): StatisticsScope => ({ sessionCode: session, asOf: new Date() });
  const reads: Record<string, () => Promise<unknown>> = {
    'figures, one session by unit': () => countFigures(db, scope()),
    'figures, every session (the 各届次对比 page, not the dashboard)': () => countFigures(db, { ...scope(), sessionCode: undefined }),
    'discrepancy report, one session': () => discrepancyReport(db, scope()),
    'key proposals, one session': () => listKeyProposals(db, scope()),
    'drill-down: 办复率 denominator, one session': () => drillDown(db, scope(), { figure: 'replied', part: 'den', limit: 2000 }),
    'worklists overdue + due-soon, one session': () =>
      Promise.all([
        readWorklist(db, calendarNow, STAFF, { kind: 'overdue', days: 7, session, limit: 500 }),
        readWorklist(db, calendarNow, STAFF, { kind: 'due-soon', days: 7, session, limit: 500 }),
      ]),
  };
  const rows: Row[] = [];
  for (const [name, read] of Object.entries(reads)) {
    await read(); // warm: plans and the calendar cache
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await read();
      samples.push(performance.now() - t);
    }
    rows.push(row('statistics', name, samples));
  }
  // What GET /committee/dashboard reads, together (its Promise.all).
  const DASHBOARD = new Set([
    'figures, one session by unit',
    'discrepancy report, one session',
    'key proposals, one session',
    'worklists overdue + due-soon, one session',
  ]);
  const page: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await Promise.all(
      Object.entries(reads)
        .filter(([n]) => DASHBOARD.has(n))
        .map(([, read]) => read()),
    );
    page.push(performance.now() - t);
  }
  rows.push(row('statistics', 'whole dashboard (the page’s reads together)', page, { target: 'p95 ≤ 100 ms' }));
  // The same while the session is being handled: before each view, CHANGED proposals of the
  // session were written to (marked as triggers mark them), so the view first recomputes them.
  const changed = Number(process.env.BENCH_STAT_CHANGED ?? 60);
  const ids = (await db.selectFrom('proposals').select('workflow_id').where('session_code', '=', session).execute()).map((p) => p.workflow_id);
  const busy: number[] = [];
  for (let i = 0; i < runs; i++) {
    const marked = Array.from({ length: changed }, (_, k) => ids[(i * changed + k) % ids.length]!);
    await db
      .insertInto('statistics_dirty')
      .values(marked.map((workflow_id) => ({ workflow_id })))
      .execute();
    const t = performance.now();
    await Promise.all(
      Object.entries(reads)
        .filter(([n]) => DASHBOARD.has(n))
        .map(([, read]) => read()),
    );
    busy.push(performance.now() - t);
  }
  rows.push(row('statistics', `whole dashboard, ${changed} proposals changed since the last view`, busy, { target: 'p95 ≤ 100 ms' }));
  return rows;
}
