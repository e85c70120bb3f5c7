import type { Client } from '@temporalio/client';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { mapBounded } from '../../client/bounded.js';
import type { Db } from '../../db/connection.js';
import { coTaskQuery } from '../../workflows/co-opinion/definitions.js';
import { deadlineClockEvents } from '../../workflows/proposal/clock.js';
import { replyTaskQuery } from '../../workflows/reply-task/definitions.js';
import { isWeekend } from '../../workflows/shared/dates.js';
import type { Deadline } from '../../workflows/shared/types.js';
import { activePolicy } from '../../db/repositories/reference.js';
import { row, type Row } from './report.js';

// P5: one calendar edit re-projecting the open deadlines of a national session (the P1 batch's
// unit tasks). The office declares a holiday on every date those deadlines fall on, through the
// real route (PUT /api/calendar/{year}), which tells every running proposal; the clock runs until
// every proposal has recorded its recalculation, no unit task in the read model is due on a new
// holiday, and a sample of the units' own clocks (child workflows) holds the moved date. Those
// clocks' reminders are audited with the product's own clock rules (none due and not fired, none
// fired before its time) and every reminder event of the run is counted: none fired twice, none
// fired for the old date.

const UNIT_PREFIX = 'nb-u';
/** Unit clocks read back by query after the edit. */
const CHILD_SAMPLE = 500;

interface ChildView {
  unitId: string;
  round: number;
  deadline: Deadline;
  keyProposal: boolean;
  firedClock: string[];
}

async function openTaskDueDates(db: Db): Promise<{ date: string; n: number }[]> {
  const rows = await db
    .selectFrom('unit_tasks')
    .select([sql<string>`to_char(due_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`.as('date'), (eb) => eb.fn.countAll<string>().as('n')])
    .where('unit_id', 'like', `${UNIT_PREFIX}%`)
    .where('completed_at', 'is', null)
    .where('due_at', 'is not', null)
    .groupBy('date')
    .execute();
  return rows.map((r) => ({ date: r.date, n: Number(r.n) }));
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not reached in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function measureCalendarReprojection(options: { db: Db; base: string; client: Client; officeToken: string }): Promise<Row[]> {
  const { db, base, client, officeToken } = options;
  const clock = (await activePolicy(db))?.body.clock;
  const before = await openTaskDueDates(db);
  const deadlines = before.reduce((n, d) => n + d.n, 0);
  const holidays = before.map((d) => d.date).filter((d) => !isWeekend(d));
  const years = [...new Set(holidays.map((d) => Number(d.slice(0, 4))))];
  const parents = await db
    .selectFrom('unit_tasks')
    .select((eb) => eb.fn.count<string>('workflow_id').distinct().as('n'))
    .where('unit_id', 'like', `${UNIT_PREFIX}%`)
    .where('completed_at', 'is', null)
    .executeTakeFirstOrThrow();
  const proposals = Number(parents.n);
  const editedAt = new Date();

  const t0 = performance.now();
  let signalled = 0;
  for (const year of years) {
    const days = await db.selectFrom('calendar_days').select(['date', 'kind', 'name']).where('year', '=', year).execute();
    const added = holidays.filter((d) => d.startsWith(`${year}-`) && !days.some((x) => x.date === d));
    const res = await fetch(`${base}/api/calendar/${year}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${officeToken}` },
      body: JSON.stringify({ days: [...days, ...added.map((date) => ({ date, kind: 'holiday', name: '基准测试临时假日' }))] }),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`PUT /api/calendar/${year} → ${res.status} ${text}`);
    signalled += (JSON.parse(text) as { signalled: number }).signalled;
  }
  const answeredMs = performance.now() - t0;

  const recalculated = async () => {
    const r = await db
      .selectFrom('events')
      .innerJoin('unit_tasks', 'unit_tasks.workflow_id', 'events.workflow_id')
      .select((eb) => eb.fn.count<string>('events.workflow_id').distinct().as('n'))
      .where('events.step', '=', 'deadlinesRecalculated')
      .where('events.occurred_at', '>=', editedAt)
      .where('unit_tasks.unit_id', 'like', `${UNIT_PREFIX}%`)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  };
  await until('every proposal recalculated', async () => (await recalculated()) >= proposals, 1_800_000);
  const proposalsMs = performance.now() - t0;
  await until('no unit task due on a new holiday', async () => (await openTaskDueDates(db)).filter((d) => holidays.includes(d.date)).length === 0, 600_000);
  const readModelMs = performance.now() - t0;

  // The units' own clocks (child workflows), told by their proposal in its recalculation step:
  // a sample read by query (each read of a workflow out of the cache replays it), until none of
  // the sample is left on a holiday.
  const children: { id: string; co: boolean }[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowType IN ('coHandlingOpinion', 'unitReplyTask') AND ExecutionStatus = 'Running'` })) {
    children.push({ id: wf.workflowId, co: wf.type === 'coHandlingOpinion' });
  }
  const sample = children.filter((_, i) => i % Math.max(1, Math.floor(children.length / CHILD_SAMPLE)) === 0);
  const views = new Map<string, ChildView>();
  let stale = sample;
  while (stale.length > 0) {
    const read = await mapBounded(stale, 16, async (child) => {
      const handle = client.workflow.getHandle(child.id);
      const view: ChildView = child.co ? await handle.query(coTaskQuery) : await handle.query(replyTaskQuery);
      return { child, view };
    });
    stale = [];
    for (const { child, view } of read) {
      if (!view.unitId.startsWith(UNIT_PREFIX)) continue;
      views.set(child.id, view);
      if (holidays.includes(view.deadline.dueDate)) stale.push(child);
    }
    if (stale.length > 0 && performance.now() - t0 > 1_800_000) throw new Error(`${stale.length} unit clocks still on the old date`);
  }
  const childrenMs = performance.now() - t0;

  // The reminders, audited against the clock rules the product itself runs.
  const now = Date.now();
  let due = 0;
  let missed = 0;
  let early = 0;
  for (const view of views.values()) {
    const events = deadlineClockEvents(view.deadline, view.unitId, { round: view.round, keyProposal: view.keyProposal, clock });
    const fired = new Set(view.firedClock);
    for (const e of events) {
      if (e.at <= now) {
        due++;
        if (!fired.has(e.key)) missed++;
      } else if (fired.has(e.key)) early++;
    }
  }
  const twice = await db
    .selectFrom('events')
    .select(['workflow_id', sql<string>`summary->>'clockKey'`.as('clock_key'), (eb) => eb.fn.countAll<string>().as('n')])
    .where('step', 'in', ['deadlineReminder', 'deadlineEscalation'])
    .groupBy(['workflow_id', sql`summary->>'clockKey'`, sql`summary->>'deadline'`, 'actor_unit_id'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  const atOldDate = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('step', 'in', ['deadlineReminder', 'deadlineEscalation'])
    .where('occurred_at', '>=', editedAt)
    .where(sql<string>`summary->>'dueDate'`, 'in', holidays.length > 0 ? holidays : [''])
    .executeTakeFirstOrThrow();

  const audit = `of ${children.length} unit clocks; reminders in the sample due by now ${due}, missed ${missed}, fired twice ${twice.length}, fired before their time ${early}, fired for the old date ${Number(atOldDate.n)}`;
  const moved = `holiday on ${holidays.join(', ')}; ${signalled} proposals signalled, answered after ${(answeredMs / 1000).toFixed(1)} s`;
  return [
    row('P5', `calendar edit: ${proposals} proposals recalculated (${deadlines} open deadlines)`, [proposalsMs], { note: moved, target: '≤ 60 s' }),
    row('P5', 'calendar edit: … and no unit task in the read model on the old date', [readModelMs]),
    row('P5', `calendar edit: … and a sample of ${views.size} unit clocks (child workflows) read back on the new date`, [childrenMs], {
      note: audit,
      target: '0 doubled, 0 missed',
    }),
  ];
}
