import { sql, type Kysely } from 'kysely';

// What the statistics need, recorded when it happens: each unit task's original due date beside
// its current one (an approved extension moves only the current), and the final A/B/C class of
// the reply the unit sent (set at dispatch, moved by a later override). Existing rows are filled
// from the event log: the first approved extension's "from" date, the dispatch's class and any
// override after it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('unit_tasks').addColumn('original_due_at', 'timestamptz').addColumn('final_class', 'text').execute();
  await fillTaskOutcomes(db);
}

/** Fills both columns of rows that have none from the event log (idempotent). */
export async function fillTaskOutcomes(db: Kysely<any>): Promise<void> {
  await sql`
    update unit_tasks t set original_due_at = coalesce(
      (select (e.summary->>'from' || 'T23:59:59.999+08:00')::timestamptz
         from events e
        where e.workflow_id = t.workflow_id and e.step = 'decideExtension' and e.actor_unit_id = t.unit_id
          and e.summary->>'decision' = 'approve' and e.occurred_at >= t.assigned_at
        order by e.id limit 1),
      t.due_at)
    where t.original_due_at is null
  `.execute(db);
  await sql`
    update unit_tasks t set final_class = x.cls
    from (
      select t2.id, coalesce(o.cls, d.cls) as cls
        from unit_tasks t2
        cross join lateral (
          select e.id, e.summary->>'replyClass' as cls from events e
           where e.workflow_id = t2.workflow_id and e.step = 'dispatch' and e.actor_unit_id = t2.unit_id and e.occurred_at >= t2.assigned_at
           order by e.id limit 1) d
        left join lateral (
          select e.summary->>'to' as cls from events e
           where e.workflow_id = t2.workflow_id and e.step = 'overrideClass' and e.actor_unit_id = t2.unit_id and e.id > d.id
           order by e.id desc limit 1) o on true
    ) x
    where x.id = t.id and t.final_class is null
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('unit_tasks').dropColumn('original_due_at').dropColumn('final_class').execute();
}
