import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { shanghaiDate } from '../../../workflows/shared/dates.js';
import type { StatisticsScope } from './facts.js';
import { refreshStatistics, storedConditions } from './stored-facts.js';

// 差异报告: where the record contradicts itself.
//   1. a reply classed A or B (solved / being solved) whose proposer rated the result 不满意;
//   2. a B/C promise whose 回头看 is overdue: the follow-up date set at closing has passed and no
//      落实情况 was reported. (Whether a report says the work was NOT done is not recorded: the
//      report is free text, so "reported as not done" cannot be told apart and is not listed.)
//   3. a unit whose satisfaction comes mostly from paper forms entered by the office: of the
//      feedback forms its 满意率 counts (latest feedback round) whose result is 满意/基本满意,
//      more than half were entered on paper (ratings.on_behalf).

export interface UnsatisfiedAB {
  workflowId: string;
  sessionCode: string;
  proposalNo: string | null;
  title: string;
  unitId: string;
  round: number;
  replyClass: string;
  docNo: string | null;
  proposerId: number;
  onBehalf: boolean;
}

export interface OverdueFollowUp {
  workflowId: string;
  sessionCode: string;
  proposalNo: string | null;
  title: string;
  unitIds: string[];
  replyClass: string | null;
  followUpDate: string;
  requested: boolean;
}

export interface PaperSatisfaction {
  unitId: string;
  sessionCode: string;
  satisfied: number;
  onPaper: number;
  share: number;
}

export interface DiscrepancyReport {
  asOf: string;
  unsatisfiedAB: UnsatisfiedAB[];
  overdueFollowUps: OverdueFollowUp[];
  paperSatisfaction: PaperSatisfaction[];
}

function conditions(scope: StatisticsScope, unitColumn: ReturnType<typeof sql.ref> | null) {
  const list = [sql`true`];
  if (scope.sessionCode) list.push(sql`p.session_code = ${scope.sessionCode}`);
  if (scope.receivedFrom) list.push(sql`p.received_date >= ${scope.receivedFrom}::date`);
  if (scope.receivedTo) list.push(sql`p.received_date <= ${scope.receivedTo}::date`);
  if (scope.unitId) list.push(unitColumn ? sql`${unitColumn} = ${scope.unitId}` : sql`${scope.unitId} = any(p.unit_ids)`);
  return sql.join(list, sql` and `);
}

export async function discrepancyReport(db: Kysely<Database>, scope: StatisticsScope): Promise<DiscrepancyReport> {
  const today = shanghaiDate(scope.asOf.toISOString());
  const [ab, followUps, paper] = await Promise.all([
    sql<{
      workflow_id: string;
      session_code: string;
      proposal_no: string | null;
      title: string;
      unit_id: string;
      round: number;
      reply_class: string;
      doc_no: string | null;
      proposer_id: number;
      on_behalf: boolean;
    }>`
select p.workflow_id, p.session_code, p.proposal_no, p.title, t.unit_id, r.round, e.summary->>'replyClass' as reply_class, e.summary->>'docNo' as doc_no, r.proposer_id, r.on_behalf
from ratings r
join proposals p on p.workflow_id = r.workflow_id
join unit_tasks t on t.workflow_id = r.workflow_id and t.round = r.round and t.role in ('sole', 'lead', 'split') and t.status not in ('removed', 'cancelled')
join events e on e.idempotency_key = r.workflow_id || ':dispatch:' || t.unit_id || ':round' || r.round
where r.result = 'unsatisfied' and e.summary->>'replyClass' in ('A', 'B') and ${conditions(scope, sql.ref('t.unit_id'))}
order by p.session_code, p.proposal_no nulls last, p.workflow_id, r.round, t.unit_id, r.proposer_id
`.execute(db),
    sql<{
      workflow_id: string;
      session_code: string;
      proposal_no: string | null;
      title: string;
      unit_ids: string[];
      reply_class: string | null;
      follow_up_date: string;
      requested: boolean;
    }>`
select p.workflow_id, p.session_code, p.proposal_no, p.title,
  case when f.unit_id is null then p.unit_ids else array[f.unit_id] end as unit_ids,
  coalesce(f.reply_class, p.reply_class) as reply_class, f.due as follow_up_date,
  exists (
    select 1 from events q where q.workflow_id = p.workflow_id and q.id > c.id
      and (q.step = 'followUpRequested' or (q.step = 'deadlineReminder' and q.summary->>'deadline' = 'followUp:' || f.unit_id))
  ) as requested
from proposals p
join lateral (
  select e.id, e.summary from events e where e.workflow_id = p.workflow_id and e.step = 'close' order by e.id desc limit 1
) c on true
-- 回头看 per promise: one row per unit's checkpoint; closes from before name one date for all.
cross join lateral (
  select x->>'unitId' as unit_id, x->>'dueDate' as due, x->>'replyClass' as reply_class from jsonb_array_elements(c.summary->'followUps') x
  union all
  select null, c.summary->>'followUpDate', null where c.summary->'followUps' is null
) f
where p.stage = 'closed' and f.due is not null and f.due::date < ${today}::date
  and not exists (
    select 1 from events r where r.workflow_id = p.workflow_id and r.step = 'reportFollowUp' and r.id > c.id and (f.unit_id is null or r.actor_unit_id = f.unit_id)
  )
  and ${conditions(scope, null)}
order by follow_up_date, p.proposal_no nulls last, p.workflow_id
`.execute(db),
    // The forms the 满意率 counts (the latest feedback round, as stored with the figures): of those
    // rated 满意/基本满意, how many were entered on paper.
    refreshStatistics(db).then(() =>
      sql<{ unit_id: string; session_code: string; satisfied: number; on_paper: number }>`
select s.unit_id, s.session_code, count(*)::int as satisfied, (count(*) filter (where paper.num))::int as on_paper
from statistics_facts s
join statistics_facts paper
  on paper.session_code = s.session_code and paper.figure = 'paperRatings' and paper.workflow_id = s.workflow_id and paper.unit_id = s.unit_id and paper.item = s.item
where s.figure = 'resultSatisfied' and s.num and paper.den_fixed and ${storedConditions(scope)}
group by s.unit_id, s.session_code
having (count(*) filter (where paper.num)) * 2 > count(*)
order by s.session_code, s.unit_id
`.execute(db),
    ),
  ]);
  return {
    asOf: scope.asOf.toISOString(),
    unsatisfiedAB: ab.rows.map((r) => ({
      workflowId: r.workflow_id,
      sessionCode: r.session_code,
      proposalNo: r.proposal_no,
      title: r.title,
      unitId: r.unit_id,
      round: r.round,
      replyClass: r.reply_class,
      docNo: r.doc_no,
      proposerId: r.proposer_id,
      onBehalf: r.on_behalf,
    })),
    overdueFollowUps: followUps.rows.map((r) => ({
      workflowId: r.workflow_id,
      sessionCode: r.session_code,
      proposalNo: r.proposal_no,
      title: r.title,
      unitIds: r.unit_ids,
      replyClass: r.reply_class,
      followUpDate: r.follow_up_date,
      requested: r.requested,
    })),
    paperSatisfaction: paper.rows.map((r) => ({
      unitId: r.unit_id,
      sessionCode: r.session_code,
      satisfied: r.satisfied,
      onPaper: r.on_paper,
      share: Math.round((r.on_paper / r.satisfied) * 1000) / 10,
    })),
  };
}
