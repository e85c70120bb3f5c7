import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { factRowsCte, type StatisticsScope } from './facts.js';

// The figures' rows as stored (statistics_facts), made by the one definition in facts.ts, and
// their sums kept ahead per session, figure and unit (statistics_unit_counts) and per session and
// figure over counted things (statistics_item_counts). Triggers mark every proposal whose inputs
// change (migration 2026-12-02T1400); a read first recomputes the marked ones — their old rows'
// share taken off the sums, their new rows' added — in one transaction, one refresh at a time.
// Rows that enter a denominator by time alone (pending) are left out of the sums and counted at
// read time, as of the reader's instant, so a figure never goes stale by the clock.

const REFRESH_LOCK = 0x62616e6c69; // 'banli': one refresh at a time, so two never add the same share

/** Adds (sign 1) or takes off (sign -1) the share of these proposals' stored rows in the sums. */
async function shiftCounts(trx: Kysely<Database>, ids: string[], sign: 1 | -1): Promise<void> {
  await sql`
insert into statistics_unit_counts as c (session_code, figure, unit_id, rows, den, num)
select session_code, figure, unit_id, ${sign} * count(*), ${sign} * count(*) filter (where not pending and den_fixed),
  ${sign} * count(*) filter (where not pending and den_fixed and num)
from statistics_facts
where workflow_id = any(${ids}::text[]) and unit_id is not null
group by session_code, figure, unit_id
on conflict (session_code, figure, unit_id) do update
  set rows = c.rows + excluded.rows, den = c.den + excluded.den, num = c.num + excluded.num
`.execute(trx);
  await sql`
insert into statistics_item_counts as c (session_code, figure, items, den, num)
select session_code, figure, ${sign} * count(*), ${sign} * count(*) filter (where not pending and den), ${sign} * count(*) filter (where not pending and den and num)
from (
  select session_code, figure, workflow_id, item, bool_or(pending) as pending, bool_or(den_fixed) as den,
    coalesce(bool_and(num) filter (where den_fixed), false) as num
  from statistics_facts
  where workflow_id = any(${ids}::text[])
  group by session_code, figure, workflow_id, item
) items
group by session_code, figure
on conflict (session_code, figure) do update
  set items = c.items + excluded.items, den = c.den + excluded.den, num = c.num + excluded.num
`.execute(trx);
}

/** Recomputes the stored rows and sums of every marked proposal; returns how many proposals that was. */
export async function refreshStatistics(db: Kysely<Database>): Promise<number> {
  const refreshed = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${REFRESH_LOCK})`.execute(trx);
    const marked = await trx.deleteFrom('statistics_dirty').returning('workflow_id').execute();
    const ids = [...new Set(marked.map((m) => m.workflow_id))];
    if (ids.length === 0) return 0;
    await shiftCounts(trx, ids, -1);
    await trx.deleteFrom('statistics_facts').where('workflow_id', 'in', ids).execute();
    await sql`
${factRowsCte(sql`p.workflow_id = any(${ids}::text[])`, false)}
insert into statistics_facts (workflow_id, figure, session_code, unit_id, item, den_fixed, den_from, num, received_date)
select a.workflow_id, a.figure, a.session_code, a.unit_id, a.item, a.den_fixed, a.den_from, a.num, p.received_date
from all_facts a join proposals p on p.workflow_id = a.workflow_id
`.execute(trx);
    await shiftCounts(trx, ids, 1);
    return ids.length;
  });
  // After a large refresh (an import, a migration) the planner's picture of these tables is stale
  // until autovacuum comes by, and a join planned on it took seconds instead of milliseconds.
  if (refreshed >= ANALYZE_AFTER) await sql`analyze statistics_facts, statistics_unit_counts, statistics_item_counts`.execute(db);
  return refreshed;
}

const ANALYZE_AFTER = 1_000;

/** Whether the sums can answer the scope: they are kept per session and unit, not per period. */
export function summedScope(scope: StatisticsScope): boolean {
  return !scope.unitId && !scope.receivedFrom && !scope.receivedTo;
}

/**
 * Each figure per session and unit and per session in total, from the sums plus the pending rows
 * as of the scope's instant (for a scope without unit or period; call refreshStatistics first).
 */
export function summedCounts(scope: StatisticsScope): RawBuilder<unknown> {
  const asOf = scope.asOf.toISOString();
  const session = (alias: string) => (scope.sessionCode ? sql`${sql.ref(`${alias}.session_code`)} = ${scope.sessionCode}` : sql`true`);
  const den = sql`(f.den_fixed or coalesce(f.den_from <= ${asOf}::timestamptz, false))`;
  return sql`
with pending_units as (
  select f.session_code, f.figure, f.unit_id, count(*) filter (where f.den_from <= ${asOf}::timestamptz) as den,
    count(*) filter (where f.den_from <= ${asOf}::timestamptz and f.num) as num
  from statistics_facts f
  where f.pending and f.unit_id is not null and ${session('f')}
  group by f.session_code, f.figure, f.unit_id
),
pending_keys as (
  select distinct g.workflow_id, g.figure, g.item from statistics_facts g where g.pending and ${session('g')}
),
pending_items as (
  select session_code, figure, count(*) filter (where den) as den, count(*) filter (where den and num) as num
  from (
    select f.session_code, f.figure, f.workflow_id, f.item, bool_or(${den}) as den, coalesce(bool_and(f.num) filter (where ${den}), false) as num
    from statistics_facts f
    join pending_keys pk on pk.workflow_id = f.workflow_id and pk.figure = f.figure and pk.item = f.item
    -- By proposal through its index: the pending few, never a scan of every session's rows.
    where f.workflow_id = any(array(select workflow_id from pending_keys))
    group by f.session_code, f.figure, f.workflow_id, f.item
  ) items
  group by session_code, figure
)
select figure, session_code, unit_id, sum(den)::int as den, sum(num)::int as num
from (
  select c.figure, c.session_code, c.unit_id, c.den::bigint as den, c.num::bigint as num from statistics_unit_counts c where c.rows > 0 and ${session('c')}
  union all
  select figure, session_code, unit_id, den, num from pending_units
) units
group by figure, session_code, unit_id
union all
select figure, session_code, null, sum(den)::int, sum(num)::int
from (
  select c.figure, c.session_code, c.den::bigint as den, c.num::bigint as num from statistics_item_counts c where c.items > 0 and ${session('c')}
  union all
  select figure, session_code, den, num from pending_items
) totals
group by figure, session_code
`;
}

/** `with facts as (…)` over the stored rows, for any scope, as of its instant (call refreshStatistics first). */
export function storedFactsCte(scope: StatisticsScope): RawBuilder<unknown> {
  return sql`
with facts as (
  select f.figure, f.session_code, f.workflow_id, f.unit_id, f.item,
    f.den_fixed or coalesce(f.den_from <= ${scope.asOf.toISOString()}::timestamptz, false) as den, f.num
  from statistics_facts f
  where ${storedConditions(scope, 'f')}
)`;
}

/** The scope as conditions on stored rows (alias s unless named). */
export function storedConditions(scope: StatisticsScope, alias = 's'): RawBuilder<unknown> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  const conditions: RawBuilder<unknown>[] = [sql`true`];
  if (scope.sessionCode) conditions.push(sql`${column('session_code')} = ${scope.sessionCode}`);
  if (scope.receivedFrom) conditions.push(sql`${column('received_date')} >= ${scope.receivedFrom}::date`);
  if (scope.receivedTo) conditions.push(sql`${column('received_date')} <= ${scope.receivedTo}::date`);
  if (scope.unitId) conditions.push(sql`${column('unit_id')} = ${scope.unitId}`);
  return sql.join(conditions, sql` and `);
}
