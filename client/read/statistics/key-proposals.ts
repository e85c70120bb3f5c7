import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { StatisticsScope } from './facts.js';

// 重点提案 and their 督办 state as far as the read model and the event log hold it: the
// supervising leader named when the committee marked it, the stage, the next due date, and how
// many 督办 notices (escalations of a key proposal's clock) have gone out. Site visits and
// supervision meetings are not recorded anywhere in the system, so they are not shown.

export interface KeyProposal {
  workflowId: string;
  sessionCode: string;
  proposalNo: string | null;
  title: string;
  stage: string;
  supervisingLeader: string | null;
  unitIds: string[];
  leadUnitId: string | null;
  nextDueAt: string | null;
  nextDueKind: string | null;
  overdue: boolean;
  escalations: number;
  lastEscalationAt: string | null;
  replyClass: string | null;
}

interface Row {
  workflow_id: string;
  session_code: string;
  proposal_no: string | null;
  title: string;
  stage: string;
  supervising_leader: string | null;
  unit_ids: string[];
  lead_unit_id: string | null;
  next_due_at: Date | null;
  next_due_kind: string | null;
  escalations: number;
  last_escalation_at: Date | null;
  reply_class: string | null;
}

export async function listKeyProposals(db: Kysely<Database>, scope: StatisticsScope, limit = 200): Promise<KeyProposal[]> {
  const conditions = [sql`p.key_proposal`];
  if (scope.sessionCode) conditions.push(sql`p.session_code = ${scope.sessionCode}`);
  if (scope.unitId) conditions.push(sql`${scope.unitId} = any(p.unit_ids)`);
  const { rows } = await sql<Row>`
select p.workflow_id, p.session_code, p.proposal_no, p.title, p.stage, p.supervising_leader, p.unit_ids, p.lead_unit_id, p.next_due_at, p.next_due_kind,
  p.reply_class, coalesce(e.n, 0)::int as escalations, e.last_at as last_escalation_at
from proposals p
left join lateral (
  select count(*) as n, max(occurred_at) as last_at from events e where e.workflow_id = p.workflow_id and e.step = 'deadlineEscalation'
) e on true
where ${sql.join(conditions, sql` and `)}
order by p.next_due_at nulls last, p.proposal_no
limit ${limit}
`.execute(db);
  const now = scope.asOf.getTime();
  return rows.map((r) => ({
    workflowId: r.workflow_id,
    sessionCode: r.session_code,
    proposalNo: r.proposal_no,
    title: r.title,
    stage: r.stage,
    supervisingLeader: r.supervising_leader,
    unitIds: r.unit_ids,
    leadUnitId: r.lead_unit_id,
    nextDueAt: r.next_due_at ? new Date(r.next_due_at).toISOString() : null,
    nextDueKind: r.next_due_kind,
    overdue: r.next_due_at !== null && new Date(r.next_due_at).getTime() < now,
    escalations: r.escalations,
    lastEscalationAt: r.last_escalation_at ? new Date(r.last_escalation_at).toISOString() : null,
    replyClass: r.reply_class,
  }));
}
