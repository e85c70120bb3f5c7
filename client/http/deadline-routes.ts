import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { WorkCalendar } from '../../activities/deadlines/calendar.js';
import { shanghaiDate } from '../../workflows/shared/dates.js';
import { publishPolicy, replaceCalendarYear, activePolicy } from '../../db/repositories/reference.js';
import { cachedCalendarLoader } from '../../activities/deadlines/calendar-cache.js';
import type { Database, UserRow } from '../../db/schema.js';
import { deadlineClockEvents, openDeadlines } from '../../workflows/proposal/clock.js';
import type { ProposalClient } from '../temporal.js';
import { zodProblem } from './schemas.js';

// Deadlines people can trust: the calendar and policy as editable data, every due date with its
// explanation and what happens next, and the worklists of what is late or due soon.

const calendarDay = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期必须是 YYYY-MM-DD'),
  kind: z.enum(['holiday', 'makeup_workday'], { message: '类型必须是 holiday（放假）或 makeup_workday（调休上班）' }),
  name: z.string().trim().max(40).nullish(),
});

const clockOffset = z.object({ amount: z.number().min(0).max(400), unit: z.enum(['calendar_days', 'seconds']) });
const rung = z.object({ after: clockOffset, notify: z.enum(['liaison', 'leader', 'principal', 'office_committee']) });
const duration = z.object({
  key: z.string(),
  label: z.string().min(1),
  amount: z.number().int().positive().max(1200),
  unit: z.enum(['working_days', 'calendar_days', 'calendar_months', 'seconds']),
  rollToWorkingDay: z.boolean().optional(),
});
const policyBody = z.object({
  name: z.string().min(1).max(100),
  proposalNumberFormat: z.string().min(1),
  replyClasses: z.array(z.string().min(1)).min(2),
  classesNeedingFollowUp: z.array(z.string()),
  ratingBy: z.enum(['first_proposer', 'all_proposers']),
  noFeedbackCountsAs: z.enum(['satisfied', 'excluded']),
  principalSignOffForKey: z.boolean(),
  durations: z.object({
    adjustmentWindow: duration,
    coOpinion: duration,
    reply: duration,
    extensionCeiling: duration,
    feedbackWindow: duration,
    publication: duration,
    rehandling: duration,
  }),
  notFiledReasons: z.array(z.object({ code: z.string().min(1), label: z.string().min(1) })).min(1),
  clock: z.object({ reminderOffsets: z.array(clockOffset), escalation: z.array(rung), keyEscalation: z.array(rung) }),
  continueAsNewAfterEvents: z.number().int().min(50).max(50_000).optional(),
});

const OPEN_TASK_STATUSES = ['drafting', 'signoff', 'approved', 'due', 'adjustment_requested'];

function csvRows(text: string): unknown[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^date\s*,/i.test(l) && !l.startsWith('#'))
    .map((l) => {
      const [date, kind, name] = l.split(',').map((c) => c.trim());
      return { date, kind, name: name || null };
    });
}

export function registerDeadlineRoutes(app: Hono<{ Variables: { user: UserRow } }>, db: Kysely<Database>, proposals: ProposalClient): void {
  const calendarNow = cachedCalendarLoader(db);
  const canEditReference = (user: UserRow) => user.role === 'admin' || user.role === 'office';

  app.get('/api/calendar/:year', async (c) => {
    const year = Number(c.req.param('year'));
    if (!Number.isInteger(year) || year < 2000 || year > 2100) return c.json({ error: 'INVALID_INPUT', message: '年份无效', field: 'year' }, 422);
    const known = await db.selectFrom('calendar_years').selectAll().where('year', '=', year).executeTakeFirst();
    const days = await db.selectFrom('calendar_days').select(['date', 'kind', 'name', 'source']).where('year', '=', year).orderBy('date').execute();
    return c.json({ year, confirmed: !!known, source: known?.source ?? null, days, note: known ? null : `${year}年节假日安排尚未载入：该年的期限按周末规则估算并标记“日历未确认”` });
  });

  const saveYear = async (userRole: UserRow, year: number, rows: unknown[]) => {
    const parsed = z.array(calendarDay).safeParse(rows);
    if (!parsed.success) return { status: 422 as const, body: zodProblem(parsed.error) };
    const seen = new Set<string>();
    for (const [i, row] of parsed.data.entries()) {
      if (Number(row.date.slice(0, 4)) !== year || shanghaiDate(`${row.date}T12:00:00+08:00`) !== row.date) {
        return { status: 422 as const, body: { error: 'INVALID_INPUT', message: `第${i + 1}行：${row.date} 不是${year}年的有效日期`, field: `days[${i}].date` } };
      }
      if (seen.has(row.date)) return { status: 422 as const, body: { error: 'INVALID_INPUT', message: `第${i + 1}行：${row.date} 重复`, field: `days[${i}].date` } };
      seen.add(row.date);
    }
    await replaceCalendarYear(db, year, parsed.data.map((r) => ({ date: r.date, kind: r.kind, name: r.name ?? null })), 'admin');
    const signalled = await proposals.broadcastDeadlinesChanged(`${userRole.display_name}调整了${year}年节假日安排`, false);
    return { status: 200 as const, body: { year, days: parsed.data.length, signalled } };
  };

  app.put('/api/calendar/:year', async (c) => {
    const user = c.get('user');
    if (!canEditReference(user)) return c.json({ error: 'FORBIDDEN_ROLE', message: '只有管理员或交办单位可以维护节假日' }, 403);
    const year = Number(c.req.param('year'));
    if (!Number.isInteger(year) || year < 2000 || year > 2100) return c.json({ error: 'INVALID_INPUT', message: '年份无效', field: 'year' }, 422);
    const body = (await c.req.json().catch(() => null)) as { days?: unknown } | null;
    if (!body || !Array.isArray(body.days)) return c.json({ error: 'INVALID_INPUT', message: '请提供 days 数组', field: 'days' }, 422);
    const result = await saveYear(user, year, body.days);
    return c.json(result.body, result.status);
  });

  /** Import a year as CSV lines `date,kind,name` (the State Council's notice typed into a sheet). */
  app.post('/api/calendar/:year/import', async (c) => {
    const user = c.get('user');
    if (!canEditReference(user)) return c.json({ error: 'FORBIDDEN_ROLE', message: '只有管理员或交办单位可以维护节假日' }, 403);
    const year = Number(c.req.param('year'));
    if (!Number.isInteger(year) || year < 2000 || year > 2100) return c.json({ error: 'INVALID_INPUT', message: '年份无效', field: 'year' }, 422);
    const result = await saveYear(user, year, csvRows(await c.req.text()));
    return c.json(result.body, result.status);
  });

  app.get('/api/policies/active', async (c) => c.json((await activePolicy(db)) ?? null));

  app.put('/api/policies/active', async (c) => {
    const user = c.get('user');
    if (user.role !== 'admin') return c.json({ error: 'FORBIDDEN_ROLE', message: '只有管理员可以修改办理规则' }, 403);
    const body = (await c.req.json().catch(() => null)) as { body?: unknown; applyToRunning?: unknown } | null;
    const parsed = policyBody.safeParse(body?.body);
    if (!parsed.success) return c.json(zodProblem(parsed.error), 422);
    const version = await publishPolicy(db, parsed.data.name, parsed.data as unknown as Record<string, unknown>, user.id);
    const signalled = body?.applyToRunning === true ? await proposals.broadcastDeadlinesChanged(`${user.display_name}发布了办理规则第${version}版`, true) : 0;
    return c.json({ version, signalled });
  });

  /** 期限说明: every open deadline of a proposal, why it is that date, and what happens next and when. */
  app.get('/api/proposals/:id/deadlines', async (c) => {
    const user = c.get('user');
    const workflowId = c.req.param('id');
    const state = await proposals.state(workflowId).catch(() => null);
    if (!state) return c.json({ error: 'NOT_FOUND', message: '没有找到该提案' }, 404);
    const mine = user.role === 'liaison' || user.role === 'leader' || user.role === 'principal';
    if (mine && !state.units.some((u) => u.unitId === user.unit_id) && !state.removedUnits.includes(user.unit_id!)) {
      return c.json({ error: 'NOT_FOUND', message: '没有找到该提案，或你无权查看' }, 404);
    }
    if (user.role === 'proposer' && !state.proposerIds.includes(user.proposer_id!)) return c.json({ error: 'NOT_FOUND', message: '没有找到该提案，或你无权查看' }, 404);
    const now = Date.now();
    const ctx = { round: state.round, keyProposal: state.keyProposal, clock: state.policy.body.clock };
    const items = openDeadlines(state)
      .filter(({ unitId }) => !mine || unitId === user.unit_id)
      .map(({ deadline, unitId, kind }) => ({
        key: deadline.key,
        kind,
        unitId,
        dueDate: deadline.dueDate,
        dueAt: deadline.dueAt,
        status: deadline.extensions.length > 0 && now <= Date.parse(deadline.dueAt) ? 'extended' : now > Date.parse(deadline.dueAt) ? 'overdue' : 'open',
        why: deadline.explanation,
        calendarConfirmed: deadline.calendarConfirmed,
        extensions: deadline.extensions,
        pendingExtension: deadline.pendingExtension,
        ceilingDate: deadline.ceilingDate,
        // Whoever keeps the clock (the proposal or the unit's own task), these are still to come.
        next: (kind === 'feedback' ? [] : deadlineClockEvents(deadline, unitId, ctx))
          .filter((e) => e.at > now)
          .sort((a, b) => a.at - b.at)
          .map((e) => ({ at: new Date(e.at).toISOString(), what: e.kind === 'reminder' ? '到期提醒' : `逾期催办（${e.rung}）`, to: e.rung })),
      }));
    return c.json({ workflowId, stage: state.stage, items });
  });

  /** 逾期清单 / 临期清单 for the office and committee (a unit sees its own). */
  app.get('/api/worklists/:kind', async (c) => {
    const user = c.get('user');
    const kind = c.req.param('kind');
    if (kind !== 'overdue' && kind !== 'due-soon') return c.json({ error: 'NOT_FOUND', message: '清单类型应为 overdue 或 due-soon' }, 404);
    if (user.role === 'proposer') return c.json({ error: 'FORBIDDEN_ROLE', message: '无权查看' }, 403);
    const days = Math.min(Math.max(Number(c.req.query('days') ?? 7) || 7, 1), 90);
    const now = new Date();
    let query = db
      .selectFrom('unit_tasks as t')
      .innerJoin('proposals as p', (j) => j.onRef('p.workflow_id', '=', 't.workflow_id').onRef('p.rehandling_round', '=', 't.round'))
      .select([
        't.workflow_id',
        't.unit_id',
        't.role',
        't.status',
        't.due_at',
        't.due_explanation',
        't.extension_count',
        't.calendar_confirmed',
        'p.session_code',
        'p.proposal_no',
        'p.title',
        'p.key_proposal',
      ])
      .where('t.status', 'in', OPEN_TASK_STATUSES)
      .where('p.stage', '=', 'handling')
      .where('t.due_at', 'is not', null);
    query = kind === 'overdue' ? query.where('t.due_at', '<', now) : query.where('t.due_at', '>=', now).where('t.due_at', '<', new Date(now.getTime() + days * 86_400_000));
    const unitScoped = user.role === 'liaison' || user.role === 'leader' || user.role === 'principal';
    if (unitScoped) query = query.where('t.unit_id', '=', user.unit_id!);
    else if (c.req.query('unit')) query = query.where('t.unit_id', '=', c.req.query('unit')!);
    if (c.req.query('session')) query = query.where('p.session_code', '=', c.req.query('session')!);
    const rows = await query
      .orderBy('p.key_proposal', 'desc')
      .orderBy('t.due_at', 'asc')
      .limit(Math.min(Number(c.req.query('limit') ?? 500) || 500, 5000))
      .execute();
    const calendar = WorkCalendar.from(await calendarNow());
    const today = shanghaiDate(now.toISOString());
    const items = rows.map((r) => {
      const dueDate = shanghaiDate(new Date(r.due_at!).toISOString());
      return {
        ...r,
        dueDate,
        daysLate: kind === 'overdue' ? calendar.workingDaysBetween(dueDate, today) : 0,
        daysLeft: kind === 'due-soon' ? calendar.workingDaysBetween(today, dueDate) : 0,
        extended: r.extension_count > 0,
      };
    });
    if (kind === 'overdue') items.sort((a, b) => Number(b.key_proposal) - Number(a.key_proposal) || b.daysLate - a.daysLate);
    return c.json({ kind, asOf: now.toISOString(), items, count: items.length });
  });
}
