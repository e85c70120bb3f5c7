import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { FigureKey } from './definitions.js';
import { factsCte, type StatisticsScope } from './facts.js';

// The proposals behind a number: the same facts the figure counted, at the same grain (a unit's
// row per task or form; a session total per proposal or form), so the list is as long as the
// number says.

export interface DrillDownRequest {
  figure: FigureKey;
  /** 'num': what the numerator counted; 'den': everything the denominator counted. */
  part: 'num' | 'den';
  sessionCode?: string | undefined;
  /** A unit's row; absent: the session's total. */
  unitId?: string | undefined;
  limit: number;
}

export interface DrillDownItem {
  workflowId: string;
  sessionCode: string;
  proposalNo: string | null;
  title: string;
  keyProposal: boolean;
  stage: string;
  /** The units the counted thing belongs to. */
  unitIds: string[];
  /** What was counted within the proposal ('' the proposal, a proposer id for a form, a unit for a reply). */
  item: string;
  inNumerator: boolean;
  details: string[];
}

interface Row {
  workflow_id: string;
  session_code: string;
  proposal_no: string | null;
  title: string;
  key_proposal: boolean;
  stage: string;
  unit_ids: string[];
  item: string;
  num: boolean;
  details: string[];
}

export async function drillDown(db: Kysely<Database>, scope: StatisticsScope, q: DrillDownRequest): Promise<{ items: DrillDownItem[]; count: number }> {
  const narrowed: StatisticsScope = { ...scope, sessionCode: q.sessionCode ?? scope.sessionCode, unitId: q.unitId ?? scope.unitId };
  const wanted = q.part === 'num' ? sql`den and num` : sql`den`;
  const { rows } = await sql<Row>`
${factsCte(narrowed)}
, per_item as (
  select workflow_id, session_code, item, bool_or(den) as den, coalesce(bool_and(num) filter (where den), false) as num,
    array_agg(distinct unit_id) filter (where unit_id is not null) as unit_ids, array_agg(distinct detail) filter (where detail is not null) as details
  from facts
  where figure = ${q.figure}
  group by workflow_id, session_code, item
)
select i.workflow_id, i.session_code, p.proposal_no, p.title, p.key_proposal, p.stage, coalesce(i.unit_ids, '{}') as unit_ids, i.item, i.num,
  coalesce(i.details, '{}') as details
from per_item i join proposals p on p.workflow_id = i.workflow_id
where ${wanted}
order by i.session_code, p.proposal_no nulls last, i.workflow_id, i.item
`.execute(db);
  const items = rows.slice(0, q.limit).map((r): DrillDownItem => ({
    workflowId: r.workflow_id,
    sessionCode: r.session_code,
    proposalNo: r.proposal_no,
    title: r.title,
    keyProposal: r.key_proposal,
    stage: r.stage,
    unitIds: r.unit_ids,
    item: r.item,
    inNumerator: r.num,
    details: r.details,
  }));
  return { items, count: rows.length };
}
