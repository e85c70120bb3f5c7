import { sql, type RawBuilder } from 'kysely';
import { FACE_TO_FACE_WAYS, REPLY_CLASSES, SATISFIED_VALUES } from './definitions.js';

// THE statistics, as one SQL common-table expression over the read model and the event log: one
// row per counted thing (a unit's task, a feedback form, a publication) and figure, saying
// whether it is in the figure's denominator and numerator. Counting (figures.ts) and the lists
// behind each number (drill-down.ts) both read these rows, so a figure and its list cannot
// disagree. The sentences in definitions.ts (and the README) describe each branch.

export interface StatisticsScope {
  sessionCode?: string | undefined;
  /** A unit's people see only their own unit's rows; staff may narrow to one unit. */
  unitId?: string | undefined;
  /** A period: proposals received from … to … (YYYY-MM-DD, both included). */
  receivedFrom?: string | undefined;
  receivedTo?: string | undefined;
  /** "Now" for what is overdue; a parameter so a report can be reproduced. */
  asOf: Date;
}

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql.lit(v)),
    sql`, `,
  );

function proposalConditions(scope: StatisticsScope): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [sql`true`];
  if (scope.sessionCode) conditions.push(sql`p.session_code = ${scope.sessionCode}`);
  if (scope.receivedFrom) conditions.push(sql`p.received_date >= ${scope.receivedFrom}::date`);
  if (scope.receivedTo) conditions.push(sql`p.received_date <= ${scope.receivedTo}::date`);
  return sql.join(conditions, sql` and `);
}

/**
 * `with … facts as (…)`: columns figure, session_code, workflow_id, unit_id (null for merged),
 * item (what is counted within a proposal: '' for the proposal, a proposer id for a feedback
 * form, the unit for a reply's class), den, num, detail (words for the drill-down list).
 */
export function factsCte(scope: StatisticsScope, withDetail = true): RawBuilder<unknown> {
  const asOf = scope.asOf.toISOString();
  const unitFilter = scope.unitId ? sql`where unit_id = ${scope.unitId}` : sql``;
  return sql`
${factRowsCte(proposalConditions(scope), withDetail)},
facts as (
  select figure, session_code, workflow_id, unit_id, item, den_fixed or coalesce(den_from <= ${asOf}::timestamptz, false) as den, num, detail
  from all_facts ${unitFilter}
)
`;
}

/**
 * The rows of every figure for the proposals the condition picks, as the statistics table keeps
 * them: den_fixed, and den_from — the instant from which a row enters its denominator with time
 * alone (a task whose due date passed, a publication whose window closed); null where time
 * changes nothing. `with … all_facts as (…)`.
 */
export function factRowsCte(where: RawBuilder<unknown>, withDetail: boolean): RawBuilder<unknown> {
  // Counting needs no words: the drill-down asks for them, the counts skip their cost.
  const say = (words: RawBuilder<unknown>) => (withDetail ? words : sql`null::text`);
  const answering = sql`t.role in ('sole', 'lead', 'split') and t.status not in ('removed', 'cancelled')`;
  const satisfied = list(SATISFIED_VALUES);
  return sql`
with scope as (
  select p.workflow_id, p.session_code, p.rehandling_round
  from proposals p
  where p.filing_outcome = 'filed' and p.stage <> 'withdrawn' and ${where}
),
answering as (
  select t.workflow_id, s.session_code, t.unit_id, t.round, t.status, t.due_at, t.completed_at
  from unit_tasks t join scope s on s.workflow_id = t.workflow_id
  where ${answering}
),
first_tasks as (select * from answering where round = 0),
scope_ratings as (
  select r.* from ratings r join scope s on s.workflow_id = r.workflow_id
),
replied as (
  -- The class the reply went out with: the dispatch step records it (an office override included);
  -- its key is <workflow id>:dispatch:<unit>:round<n> (activities/dispatch-reply.ts).
  select f.*, e.summary->>'replyClass' as reply_class
  from first_tasks f
  left join events e on e.idempotency_key = f.workflow_id || ':dispatch:' || f.unit_id || ':round0'
  where f.status = 'dispatched'
),
fb_events as (
  select e.workflow_id, substring(e.idempotency_key from ':feedback-closed:round([0-9]+)$')::int as round, e.summary
  from events e join scope s on s.workflow_id = e.workflow_id
  where e.step = 'feedbackWindowClosed'
),
fb_round as (
  select workflow_id, max(round) as round
  from (
    select workflow_id, round from scope_ratings
    union all
    select workflow_id, round from fb_events
  ) x
  group by workflow_id
),
forms as (
  select r.workflow_id, r.round, r.proposer_id::text as item, r.attitude, r.result, r.on_behalf, false as missing, null::text as counts_as
  from scope_ratings r join fb_round f on f.workflow_id = r.workflow_id and f.round = r.round
  union all
  select e.workflow_id, e.round, m.item, null, null, false, true, e.summary->>'countsAs'
  from fb_events e
  join fb_round f on f.workflow_id = e.workflow_id and f.round = e.round
  cross join lateral jsonb_array_elements_text(e.summary->'noFeedbackFrom') as m(item)
),
form_units as (
  select fo.*, t.session_code, t.unit_id
  from forms fo
  join answering t on t.workflow_id = fo.workflow_id and t.round = fo.round
),
all_facts as (
  select 'replied' as figure, session_code, workflow_id, unit_id, '' as item, true as den_fixed, null::timestamptz as den_from,
    status = 'dispatched' as num, status as detail
  from first_tasks
  union all
  select 'onTime', session_code, workflow_id, unit_id, '',
    status = 'dispatched', due_at + interval '1 microsecond',
    status = 'dispatched' and completed_at <= due_at,
    ${say(sql`'截止' || coalesce(to_char(due_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD'), '—') || '，答复' || coalesce(to_char(completed_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD'), '未答复')`)}
  from first_tasks
  union all
  select 'faceToFace', r.session_code, r.workflow_id, r.unit_id, '', true, null,
    exists (select 1 from consultations c where c.workflow_id = r.workflow_id and c.unit_id = r.unit_id and c.round = 0 and c.way in (${list(FACE_TO_FACE_WAYS)})),
    ${say(sql`(select string_agg(distinct c.way, '、') from consultations c where c.workflow_id = r.workflow_id and c.unit_id = r.unit_id and c.round = 0)`)}
  from replied r
  union all
  select 'class' || v.cls, r.session_code, r.workflow_id, r.unit_id, r.unit_id, true, null, r.reply_class = v.cls, r.reply_class
  from replied r cross join (values ${sql.join(
    REPLY_CLASSES.map((c) => sql`(${sql.lit(c)})`),
    sql`, `,
  )}) as v(cls)
  union all
  select 'rehandled', r.session_code, r.workflow_id, r.unit_id, '', true, null, s.rehandling_round > 0, '重新办理' || s.rehandling_round || '轮'
  from replied r join scope s on s.workflow_id = r.workflow_id
  union all
  select 'attitudeSatisfied', session_code, workflow_id, unit_id, item,
    not missing or counts_as = 'satisfied', null,
    case when missing then counts_as = 'satisfied' else attitude in (${satisfied}) end,
    coalesce(attitude, '无反馈')
  from form_units
  union all
  select 'resultSatisfied', session_code, workflow_id, unit_id, item,
    not missing or counts_as = 'satisfied', null,
    case when missing then counts_as = 'satisfied' else result in (${satisfied}) end,
    coalesce(result, '无反馈')
  from form_units
  union all
  select 'noFeedback', session_code, workflow_id, unit_id, item, true, null, missing, case when missing then '无反馈（' || coalesce(counts_as, '') || '）' else '已评价' end
  from form_units
  union all
  select 'paperRatings', session_code, workflow_id, unit_id, item, not missing, null, not missing and on_behalf, case when on_behalf then '纸质代录' else '本人评价' end
  from form_units
  union all
  select 'publishedInWindow', s.session_code, pub.workflow_id, pub.unit_id, '',
    pub.published_at is not null, (pub.due_date + 1)::timestamp at time zone 'Asia/Shanghai',
    pub.published_at is not null and (pub.published_at at time zone 'Asia/Shanghai')::date <= pub.due_date,
    ${say(sql`'期限' || to_char(pub.due_date, 'YYYY-MM-DD') || '，公开' || coalesce(to_char(pub.published_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD'), '未公开')`)}
  from publications pub join scope s on s.workflow_id = pub.workflow_id
  where pub.status = 'approved' and pub.mode <> 'none' and pub.due_date is not null
  union all
  select 'merged', p.session_code, p.workflow_id, null, '', true, null, true, '并入' || coalesce(p.merged_into, '')
  from proposals p
  where p.filing_outcome = 'merged' and ${where}
)`;
}
