import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';

// A national-scale read model and event log for the statistics bench, written by PostgreSQL
// itself with generate_series (seconds, not an hour of workflows): SESSIONS sessions of
// PROPOSALS/SESSIONS proposals, UNITS units, the tasks, replies, consultations, ratings and
// publications a handled session has, and filler events until the log holds EVENTS rows. The
// shapes (keys, steps, summaries) are the ones the workflows write, so the statistics' joins
// find what they find in production.

export interface NationalScale {
  proposals: number;
  events: number;
  sessions: number;
  units: number;
}

export const NATIONAL: NationalScale = { proposals: 60_000, events: 1_000_000, sessions: 10, units: 40 };

export function sessionCode(n: number): string {
  return `基准第${n}届会议`;
}

export async function seedNational(db: Db, s: NationalScale): Promise<void> {
  const wf = sql`'bench:' || g`;
  const unit = sql`'bu' || (g % ${s.units})`;
  const session = sql`'基准第' || (1 + (g / 10) % ${s.sessions}) || '届会议'`;
  await sql`insert into sessions (code, name, year, kind) select '基准第' || n || '届会议', '基准第' || n || '届会议', 2016 + n, 'plenary' from generate_series(1, ${s.sessions}) n`.execute(
    db,
  );
  await sql`insert into units (id, name, short_name, doc_prefix, email, leader_email)
    select 'bu' || i, '基准承办单位' || i, '单位' || i, '基准' || i, 'u' || i || '@bench.test', 'l' || i || '@bench.test' from generate_series(0, ${s.units - 1}) i`.execute(
    db,
  );
  await sql`insert into text_blobs (hash, content) values ('bench-body', '提案正文') on conflict do nothing`.execute(db);
  const proposer = await sql<{ id: number }>`insert into proposers (kind, name, email) values ('member', '基准委员', 'member@bench.test') returning id`.execute(db);
  const pid = proposer.rows[0]!.id;
  // 5 % merged; of the filed, 90 % replied (completed 20 days before to 10 days after the due date), 4 % re-handled, 1 % key.
  await sql`insert into proposals (workflow_id, session_code, receipt_no, proposal_no, title, body_hash, proposer_kind, received_date, stage,
      filing_outcome, merged_into, handling_mode, lead_unit_id, unit_ids, key_proposal, supervising_leader, reply_class, next_due_at, rehandling_round, updated_at)
    select ${wf}, ${session}, 'R' || g, case when g % 20 = 0 then null else '第' || g || '号' end, '关于基准提案' || g || '的建议', 'bench-body', 'individual', date '2026-01-20',
      case when g % 20 = 0 then 'merged' when g % 10 = 3 then 'handling' when g % 3 = 0 then 'closed' else 'dispatched' end,
      case when g % 20 = 0 then 'merged' else 'filed' end, case when g % 20 = 0 then 'bench:' || (g + 1) end,
      'sole', ${unit}, array[${unit}], g % 100 = 1, case when g % 100 = 1 then '督办领导' end,
      case when g % 10 = 3 then null else chr(65 + g % 3) end, now() + ((g % 60) - 20) * interval '1 day', (g % 25 = 0)::int, now()
    from generate_series(1, ${s.proposals}) g`.execute(db);
  await sql`insert into unit_tasks (workflow_id, unit_id, role, status, round, assigned_at, due_at, completed_at, updated_at)
    select ${wf}, ${unit}, case when g % 4 = 0 then 'lead' else 'sole' end, case when g % 10 = 3 then 'drafting' else 'dispatched' end, 0,
      timestamptz '2026-02-01', timestamptz '2026-05-01' + (g % 7) * interval '1 day',
      case when g % 10 = 3 then null else timestamptz '2026-05-01' + ((g % 30) - 20) * interval '1 day' end, now()
    from generate_series(1, ${s.proposals}) g where g % 20 <> 0`.execute(db);
  await sql`insert into unit_tasks (workflow_id, unit_id, role, status, round, assigned_at, due_at, updated_at)
    select ${wf}, 'bu' || ((g + 7) % ${s.units}), 'co', 'submitted', 0, timestamptz '2026-02-01', timestamptz '2026-03-01', now()
    from generate_series(1, ${s.proposals}) g where g % 20 <> 0 and g % 4 = 0`.execute(db);
  await sql`insert into unit_tasks (workflow_id, unit_id, role, status, round, assigned_at, due_at, completed_at, updated_at)
    select ${wf}, ${unit}, 'sole', 'dispatched', 1, timestamptz '2026-06-01', timestamptz '2026-09-01', timestamptz '2026-08-01', now()
    from generate_series(1, ${s.proposals}) g where g % 25 = 0 and g % 20 <> 0`.execute(db);
  const replied = sql`g % 20 <> 0 and g % 10 <> 3`;
  await sql`insert into events (idempotency_key, workflow_id, step, actor_unit_id, occurred_at, summary)
    select ${wf} || ':dispatch:' || ${unit} || ':round0', ${wf}, 'dispatch', ${unit}, timestamptz '2026-05-01',
      jsonb_build_object('replyClass', chr(65 + g % 3), 'unitId', ${unit}, 'docNo', '基准提〔2026〕' || g || '号')
    from generate_series(1, ${s.proposals}) g where ${replied}`.execute(db);
  await sql`insert into events (idempotency_key, workflow_id, step, occurred_at, summary)
    select ${wf} || ':feedback-closed:round0', ${wf}, 'feedbackWindowClosed', timestamptz '2026-06-01', jsonb_build_object('noFeedbackFrom', jsonb_build_array(${pid}::int), 'countsAs', 'excluded')
    from generate_series(1, ${s.proposals}) g where ${replied} and g % 10 = 7`.execute(db);
  await sql`insert into events (idempotency_key, workflow_id, step, occurred_at, summary)
    select ${wf} || ':close', ${wf}, 'close', timestamptz '2026-06-15', jsonb_build_object('followUpDate', case when g % 3 = 0 and g % 2 = 0 then '2026-09-30' end)
    from generate_series(1, ${s.proposals}) g where g % 3 = 0 and ${replied}`.execute(db);
  await sql`insert into events (idempotency_key, workflow_id, step, occurred_at, summary)
    select ${wf} || ':esc', ${wf}, 'deadlineEscalation', timestamptz '2026-05-10', '{}'::jsonb from generate_series(1, ${s.proposals}) g where g % 100 = 1`.execute(
    db,
  );
  await sql`insert into ratings (idempotency_key, workflow_id, proposer_id, round, attitude, result, on_behalf)
    select ${wf} || ':rate', ${wf}, ${pid}, 0, case when g % 13 = 0 then 'unsatisfied' else 'satisfied' end,
      case when g % 11 = 0 then 'unsatisfied' when g % 2 = 0 then 'basically_satisfied' else 'satisfied' end, g % 7 = 0
    from generate_series(1, ${s.proposals}) g where ${replied} and g % 10 <> 7`.execute(db);
  await sql`insert into consultations (idempotency_key, workflow_id, unit_id, round, contact_date, way, participants, summary_hash)
    select ${wf} || ':consult', ${wf}, ${unit}, 0, date '2026-03-01', case when g % 10 < 7 then 'face_to_face' else 'phone' end, '委员、处室', 'bench-body'
    from generate_series(1, ${s.proposals}) g where ${replied}`.execute(db);
  await sql`insert into publications (workflow_id, mode, status, unit_id, due_date, published_at, updated_at)
    select ${wf}, 'full', 'approved', ${unit}, date '2026-06-01', timestamptz '2026-05-20' + (g % 20) * interval '1 day', now()
    from generate_series(1, ${s.proposals}) g where ${replied} and g % 5 <> 0`.execute(db);
  const have = await sql<{ n: number }>`select count(*)::int as n from events`.execute(db);
  const filler = Math.max(0, s.events - have.rows[0]!.n);
  // The rest of each proposal's trail: receipt, filing, assignment, reminders, drafts…
  await sql`insert into events (idempotency_key, workflow_id, step, occurred_at, summary)
    select 'bench:' || (1 + i % ${s.proposals}) || ':step:' || i, 'bench:' || (1 + i % ${s.proposals}),
      (array['register', 'file', 'assign', 'recordConsultation', 'saveDraft', 'submitForSignOff', 'signOff', 'deadlineReminder'])[1 + i % 8],
      timestamptz '2026-02-01' + (i % 100) * interval '1 hour', '{}'::jsonb
    from generate_series(1, ${filler}) i`.execute(db);
  await sql`analyze`.execute(db);
}
