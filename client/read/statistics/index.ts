import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Role } from '../../../workflows/shared/types.js';
import { audienceOf, type Viewer } from '../visibility.js';
import type { StatisticsScope } from './facts.js';

// Who may read the statistics, and over what: staff (office, committee, admin) every unit, a
// unit's people (liaison, leader, principal) only their own unit's rows, a proposer nothing.
// The same rule as client/read/visibility.ts and the worklists.

export { FIGURE_KEYS, FIGURES, formatFigure, isFigureKey, percent, type FigureKey } from './definitions.js';
export { countFigures, countFiguresFromLog, type FigureRow, type FigureSet, type FigureValue } from './figures.js';
export { drillDown, type DrillDownItem, type DrillDownRequest } from './drill-down.js';
export { listKeyProposals, type KeyProposal } from './key-proposals.js';
export { discrepancyReport, type DiscrepancyReport, type OverdueFollowUp, type PaperSatisfaction, type UnsatisfiedAB } from './discrepancies.js';
export type { StatisticsScope } from './facts.js';

export interface StatisticsQuery {
  session?: string | undefined;
  unit?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Who may read statistics at all (the routes declare it, so the OpenAPI document says it). */
export const STATISTICS_ROLES: readonly Role[] = ['office', 'committee', 'admin', 'liaison', 'leader', 'principal'];

/** The words a refused viewer is answered with (403); null when the viewer may read statistics. */
export function statisticsRefusal(viewer: Viewer): string | null {
  const audience = audienceOf(viewer);
  if (audience === 'proposer') return '提案者不能查看办理统计';
  if (audience === 'unit' && !viewer.unitId) return '你的账户没有所属单位';
  return null;
}

/** The scope this viewer gets for the query: a unit is always held to its own unit. Ask statisticsRefusal first. */
export function scopeFor(viewer: Viewer, q: StatisticsQuery, asOf: Date = new Date()): StatisticsScope {
  return {
    sessionCode: q.session,
    unitId: audienceOf(viewer) === 'unit' ? (viewer.unitId ?? '') : q.unit,
    receivedFrom: q.from,
    receivedTo: q.to,
    asOf,
  };
}

/** The sessions there are, newest first (the dashboard's default is the newest). */
export async function listSessions(db: Kysely<Database>): Promise<{ code: string; name: string; year: number }[]> {
  return db.selectFrom('sessions').select(['code', 'name', 'year']).orderBy('year', 'desc').orderBy('created_at', 'desc').execute();
}
