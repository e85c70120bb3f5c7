import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import {
  countFigures,
  discrepancyReport,
  listKeyProposals,
  type DiscrepancyReport,
  type FigureRow,
  type KeyProposal,
  type StatisticsScope,
} from '../read/statistics/index.js';

// Everything the exports and the annual report say, read once from the statistics (the same
// figures as the dashboard and GET /api/statistics) for one scope.

export interface StatisticsBundle {
  scope: StatisticsScope;
  /** The scope's rows per unit. */
  unitRows: FigureRow[];
  /** The scope's total (per proposal), or null when nothing was counted. */
  total: FigureRow | null;
  report: DiscrepancyReport;
  keyProposals: KeyProposal[];
  unitName: (id: string | null) => string;
  sessionName: string | null;
  sessionYear: number | null;
}

export async function loadStatistics(db: Kysely<Database>, scope: StatisticsScope): Promise<StatisticsBundle> {
  const [rows, report, keyProposals, units, session] = await Promise.all([
    countFigures(db, scope),
    discrepancyReport(db, scope),
    listKeyProposals(db, scope),
    db.selectFrom('units').select(['id', 'name']).execute(),
    scope.sessionCode ? db.selectFrom('sessions').select(['name', 'year']).where('code', '=', scope.sessionCode).executeTakeFirst() : Promise.resolve(undefined),
  ]);
  const names = new Map(units.map((u) => [u.id, u.name]));
  return {
    scope,
    unitRows: rows.filter((r) => r.unitId !== null),
    total: rows.find((r) => r.unitId === null) ?? null,
    report,
    keyProposals,
    unitName: (id) => (id === null ? '合计' : (names.get(id) ?? id)),
    sessionName: session?.name ?? scope.sessionCode ?? null,
    sessionYear: session?.year ?? null,
  };
}

/** How the session's policy (pinned, else the active one) counts no feedback, for the report's words. */
export async function noFeedbackRule(db: Kysely<Database>, sessionCode: string | undefined): Promise<'satisfied' | 'excluded'> {
  const pinned = sessionCode ? await db.selectFrom('sessions').select('policy_version').where('code', '=', sessionCode).executeTakeFirst() : undefined;
  const query = db.selectFrom('policies').select('body');
  const row = pinned?.policy_version
    ? await query.where('version', '=', pinned.policy_version).executeTakeFirst()
    : await query.where('active', '=', true).executeTakeFirst();
  return row?.body.noFeedbackCountsAs === 'satisfied' ? 'satisfied' : 'excluded';
}
