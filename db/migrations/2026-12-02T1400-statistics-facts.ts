import { sql, type Kysely } from 'kysely';

// The statistics at national scale: the rows of every figure (client/read/statistics/facts.ts)
// kept per proposal in statistics_facts, so a dashboard counts a table instead of joining the
// read model and the event log each time. Whatever writes a row the figures read (a proposal, a
// unit task, a rating, a consultation, a publication, a dispatch or 征询期满 event) marks its
// proposal in statistics_dirty by trigger — no write path can forget — and a read first
// recomputes the marked proposals. Plain inserts, no unique key: a writer never waits for a
// reader. Every proposal starts marked. Frozen in time like every migration.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table statistics_facts (
      workflow_id text not null,
      figure text not null,
      session_code text not null,
      unit_id text,
      item text not null,
      den_fixed boolean,
      den_from timestamptz,
      num boolean,
      received_date date
    )
  `.execute(db);
  await sql`create index statistics_facts_session on statistics_facts (session_code, figure)`.execute(db);
  // Pending: a row that enters its denominator by time alone (a task not answered, a reply not
  // published, before their dates pass). Everything else is summed ahead in the two tables below;
  // pending rows are counted at read time, as of the reader's instant.
  await sql`
    alter table statistics_facts add column pending boolean
      generated always as (den_fixed is not true and den_from is not null) stored
  `.execute(db);
  await sql`create index statistics_facts_pending on statistics_facts (session_code, figure) where pending`.execute(db);
  // Per session, figure and unit: how many rows (pending too: a unit shows once it has any), and
  // the denominator and numerator of those not pending.
  await sql`
    create table statistics_unit_counts (
      session_code text not null,
      figure text not null,
      unit_id text not null,
      rows integer not null,
      den integer not null,
      num integer not null,
      primary key (session_code, figure, unit_id)
    )
  `.execute(db);
  // Per session and figure, over counted things (a proposal's reply, a feedback form): how many,
  // and the denominator and numerator of those without a pending row.
  await sql`
    create table statistics_item_counts (
      session_code text not null,
      figure text not null,
      items integer not null,
      den integer not null,
      num integer not null,
      primary key (session_code, figure)
    )
  `.execute(db);
  await sql`create index statistics_facts_workflow on statistics_facts (workflow_id)`.execute(db);
  await sql`create table statistics_dirty (id bigserial primary key, workflow_id text not null)`.execute(db);
  await sql`
    create function banli_mark_statistics_dirty() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        insert into statistics_dirty (workflow_id) values (old.workflow_id);
      end if;
      if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.workflow_id is distinct from old.workflow_id) then
        insert into statistics_dirty (workflow_id) values (new.workflow_id);
      end if;
      return null;
    end
    $$
  `.execute(db);
  for (const table of ['proposals', 'unit_tasks', 'ratings', 'consultations', 'publications']) {
    await sql`
      create trigger ${sql.raw(`${table}_statistics_dirty`)} after insert or update or delete on ${sql.table(table)}
      for each row execute function banli_mark_statistics_dirty()
    `.execute(db);
  }
  await sql`
    create trigger events_statistics_dirty after insert on events
    for each row when (new.step in ('dispatch', 'feedbackWindowClosed')) execute function banli_mark_statistics_dirty()
  `.execute(db);
  await sql`insert into statistics_dirty (workflow_id) select workflow_id from proposals`.execute(db);
  // The discrepancy report's first list (A/B replies rated 不满意) starts from these few ratings.
  await sql`create index ratings_unsatisfied on ratings (workflow_id, round) where result = 'unsatisfied'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists ratings_unsatisfied`.execute(db);
  for (const table of ['proposals', 'unit_tasks', 'ratings', 'consultations', 'publications', 'events']) {
    await sql`drop trigger if exists ${sql.raw(`${table}_statistics_dirty`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop function if exists banli_mark_statistics_dirty()`.execute(db);
  await sql`drop table if exists statistics_dirty`.execute(db);
  await sql`drop table if exists statistics_item_counts`.execute(db);
  await sql`drop table if exists statistics_unit_counts`.execute(db);
  await sql`drop table if exists statistics_facts`.execute(db);
}
