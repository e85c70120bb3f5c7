import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { hashPassword } from '../../client/http/auth.js';
import { eventually, mailMatching, seedOrg, temporalClient, testDb, waitForMail, type Org } from '../support/context.js';
import { maybeRecordHistory } from '../support/histories.js';
import { Driver } from '../support/drive.js';
import { enc, startApi, type Api } from '../support/http.js';
import type { ClockPolicy, DurationRule } from '../../workflows/shared/types.js';
import { computeDue } from '../../activities/deadlines/compute-due.js';
import { endOfShanghaiDayInstant, shanghaiDate } from '../../workflows/shared/dates.js';
import { builtinCalendar } from '../../activities/deadlines/builtin-calendar.js';
import { replaceCalendarYear } from '../../db/repositories/reference.js';

let db: Db;
let api: Api;

const secs = (amount: number) => ({ amount, unit: 'seconds' as const });
const rule = (key: string, amount: number, unit: DurationRule['unit'] = 'seconds'): DurationRule => ({ key, label: key === 'reply' ? '答复期限' : key, amount, unit });

async function orgWith(reply: DurationRule, clock: ClockPolicy): Promise<{ org: Org; d: Driver }> {
  const org = await seedOrg(db, { policy: { durations: { reply }, clock } });
  return { org, d: await new Driver(api, db, org).login() };
}

beforeAll(async () => {
  db = testDb();
  api = await startApi(db);
});
afterAll(async () => {
  await api.close();
  await db.destroy();
});

describe('reminders and escalation (policy with clocks in seconds, on the real dev server)', () => {
  it('reminds before the deadline and climbs the ladder after it, each step exactly once', async () => {
    const { org, d } = await orgWith(rule('reply', 8), {
      reminderOffsets: [secs(6), secs(3)],
      escalation: [
        { after: secs(1), notify: 'liaison' },
        { after: secs(3), notify: 'leader' },
        { after: secs(5), notify: 'office_committee' },
      ],
      keyEscalation: [],
    });
    const id = await d.assigned('sole');
    await eventually(async () => (await d.steps(id)).filter((s) => s === 'deadlineEscalation').length === 3, 40_000);
    await new Promise((r) => setTimeout(r, 2000));
    const steps = (await d.steps(id)).filter((s) => s.startsWith('deadline'));
    expect(steps).toEqual(['deadlineReminder', 'deadlineReminder', 'deadlineEscalation', 'deadlineEscalation', 'deadlineEscalation']);
    const reminders = mailMatching((m) => m.subject.includes('到期提醒') && m.to.includes(`${org.units.lead}@units.test`));
    expect(reminders).toHaveLength(2);
    const escalations = mailMatching((m) => m.subject.includes('逾期催办') && [...m.to, ...m.cc].includes(`${org.units.lead}@units.test`));
    expect(escalations).toHaveLength(3);
    expect(escalations.some((m) => m.to.includes(`${org.units.lead}-leader@units.test`))).toBe(true);
    expect(escalations.some((m) => m.to.includes(`${org.prefix}-office@staff.test`) && m.to.includes(`${org.prefix}-committee@staff.test`))).toBe(true);

    const overdue = await api.call(d.tokens.office!, 'GET', `/api/worklists/overdue?session=${enc(org.sessionCode)}`);
    expect(overdue.json.items.map((i: { workflowId: string }) => i.workflowId)).toContain(id);
    const temporal = await temporalClient();
    await maybeRecordHistory(temporal, id, 'clock-escalation');
    await temporal.connection.close();
    const mine = await api.call(d.tokens.otherLiaison!, 'GET', '/api/worklists/overdue');
    expect(mine.json.items.every((i: { unitId: string }) => i.unitId === org.units.other)).toBe(true);
  });

  it('key proposals get 督办 notices up the stricter ladder', async () => {
    const { org, d } = await orgWith(rule('reply', 3), {
      reminderOffsets: [],
      escalation: [{ after: secs(30), notify: 'liaison' }],
      keyEscalation: [
        { after: secs(1), notify: 'leader' },
        { after: secs(2), notify: 'principal' },
      ],
    });
    const id = await d.filed();
    const leader = `leader-${org.prefix}@gov.test`;
    await d.ok('committee', id, 'markKey', { supervisingLeader: '李副主席', supervisingLeaderEmail: ` ${leader} ` });
    // 督办 reaches the leader: told at once, then copied on each notice.
    const told = await waitForMail((m) => m.to.includes(leader) && m.subject.includes('请您督办'), 20_000);
    expect(told.text).toContain('李副主席');
    await d.ok('office', id, 'assign', { mode: 'sole', units: [org.units.lead] });
    const notice = await waitForMail((m) => m.subject.includes('重点提案督办通知') && m.to.includes(`${org.units.lead}-principal@units.test`), 20_000);
    expect(notice.cc).toContain(`${org.prefix}-committee@staff.test`);
    expect(notice.cc).toContain(leader);
    const refused = await d.act('committee', await d.filed(), 'markKey', { supervisingLeader: '王副主席', supervisingLeaderEmail: 'not-an-address' });
    expect(refused.status).toBe(422);
    expect(refused.json.field).toBe('supervisingLeaderEmail');
  });

  it('an extension approved before the reminder moves the clock: the old reminder never goes, the proposer is told the new date', async () => {
    const { org, d } = await orgWith(rule('reply', 12), { reminderOffsets: [secs(6)], escalation: [{ after: secs(1), notify: 'liaison' }], keyEscalation: [] });
    const id = await d.assigned('sole');
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
    const tooFar = await d.act('leadLiaison', id, 'requestExtension', { newDate: '2099-01-01', reason: '需跨部门协调' });
    expect(tooFar.status).toBe(422);
    expect(tooFar.json.message).toContain('6个月');
    await d.ok('leadLiaison', id, 'requestExtension', { newDate: tomorrow, reason: '需跨部门协调' });
    expect((await d.act('leadLiaison', id, 'decideExtension', { unitId: org.units.lead, decision: 'approve', answer: '同意' })).status).toBe(403);
    await d.ok('office', id, 'decideExtension', { unitId: org.units.lead, decision: 'approve', answer: '同意延期' });
    await waitForMail((m) => m.subject.includes('办理期限调整') && m.to.includes(org.proposerEmails.first));
    await new Promise((r) => setTimeout(r, 14_000));
    expect((await d.steps(id)).filter((s) => s.startsWith('deadline'))).toEqual([]);
    const deadlines = await api.call(d.tokens.leadLiaison!, 'GET', `/api/proposals/${enc(id)}/deadlines`);
    expect(deadlines.json.items[0]).toMatchObject({ kind: 'reply', status: 'extended', dueDate: tomorrow });
    expect(deadlines.json.items[0].next.length).toBeGreaterThan(0);
    const overdue = await api.call(d.tokens.office!, 'GET', `/api/worklists/overdue?session=${enc(org.sessionCode)}`);
    expect(overdue.json.items).toHaveLength(0);
  });

  it('an extension approved after a reminder: no escalation follows, the task shows as extended, not overdue', async () => {
    const { org, d } = await orgWith(rule('reply', 6), { reminderOffsets: [secs(5)], escalation: [{ after: secs(2), notify: 'leader' }], keyEscalation: [] });
    const id = await d.assigned('sole');
    await eventually(async () => (await d.steps(id)).includes('deadlineReminder'), 20_000);
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
    await d.ok('leadLiaison', id, 'requestExtension', { newDate: tomorrow, reason: '等待统计数据' });
    await d.ok('office', id, 'decideExtension', { unitId: org.units.lead, decision: 'approve', answer: '同意' });
    await new Promise((r) => setTimeout(r, 8000));
    expect((await d.steps(id)).filter((s) => s.startsWith('deadline'))).toEqual(['deadlineReminder']);
    const task = await db.selectFrom('unit_tasks').select(['extension_count', 'due_at']).where('workflow_id', '=', id).executeTakeFirstOrThrow();
    expect(task.extension_count).toBe(1);
    expect(task.due_at!.getTime()).toBeGreaterThan(Date.now());
  });
});

describe('the working-day calendar behind the dates', () => {
  const year = 2027;

  afterAll(async () => {
    // Leave the shared calendar as the built-in data had it: 2027 unknown.
    await db.deleteFrom('calendar_days').where('year', '=', year).execute();
    await db.deleteFrom('calendar_years').where('year', '=', year).execute();
  });

  it('flags a due date in a year the calendar does not know, and follows the holidays an administrator loads', async () => {
    const { org, d } = await orgWith(rule('reply', 3, 'calendar_months'), { reminderOffsets: [], escalation: [], keyEscalation: [] });
    const admin = `${org.prefix}-admin`;
    await db
      .insertInto('users')
      .values({
        username: admin,
        display_name: '管理员',
        password_hash: await hashPassword('admin-pw-123'),
        role: 'admin',
        unit_id: null,
        proposer_id: null,
        email: null,
      })
      .execute();
    const adminToken = await api.login(admin, 'admin-pw-123');
    const id = await d.assigned('sole');
    const before = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(id)}/deadlines`);
    const reply = before.json.items[0];
    expect(reply.dueDate.startsWith('2027-')).toBe(true);
    expect(reply.calendarConfirmed).toBe(false);
    expect(reply.why).toContain('日历未确认');
    const row = await db.selectFrom('proposals').select(['next_due_confirmed', 'next_due_explanation']).where('workflow_id', '=', id).executeTakeFirstOrThrow();
    expect(row.next_due_confirmed).toBe(false);

    // Wrong role, bad rows: refused, nothing changes.
    expect((await api.call(d.tokens.leadLiaison!, 'PUT', `/api/calendar/${year}`, { days: [] })).status).toBe(403);
    const bad = await api.call(adminToken, 'POST', `/api/calendar/${year}/import`, `date,kind,name\n2026-12-31,holiday,元旦\n`);
    expect(bad.status).toBe(422);
    expect((await api.call(adminToken, 'GET', `/api/calendar/${year}`)).json.confirmed).toBe(false);

    // The administrator loads 2027, in which the due date happens to be a holiday.
    const csv = `date,kind,name\n${reply.dueDate},holiday,测试假日\n`;
    const loaded = await api.call(adminToken, 'POST', `/api/calendar/${year}/import`, csv);
    expect(loaded.status).toBe(200);
    expect(loaded.json.signalled).toBeGreaterThan(0);
    const after = await eventually(async () => {
      const res = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(id)}/deadlines`);
      return res.json.items[0].calendarConfirmed ? res.json.items[0] : null;
    });
    expect(after.dueDate > reply.dueDate).toBe(true);
    expect(after.why).not.toContain('日历未确认');
    const recalculated = await db.selectFrom('events').select('summary').where('workflow_id', '=', id).where('step', '=', 'deadlinesRecalculated').execute();
    expect(recalculated.length).toBeGreaterThanOrEqual(1);
    const changes = recalculated.flatMap((e) => (e.summary as { changes: { from: string; to: string }[] }).changes);
    expect(changes).toContainEqual({ key: `reply:${org.units.lead}`, from: reply.dueDate, to: after.dueDate });
    const temporal = await temporalClient();
    await maybeRecordHistory(temporal, id, 'calendar-recalculation');
    await temporal.connection.close();
  });
});

describe('daily digest', () => {
  it("gathers a person's due items into one mail a day, and keeps them out of routine reminders", async () => {
    const { org, d } = await orgWith(rule('reply', 4), { reminderOffsets: [secs(2)], escalation: [], keyEscalation: [] });
    expect((await api.call(d.tokens.leadLiaison!, 'PUT', '/api/me/preferences', { dailyDigest: 'yes' })).status).toBe(422);
    expect((await api.call(d.tokens.leadLiaison!, 'PUT', '/api/me/preferences', { dailyDigest: true })).json.dailyDigest).toBe(true);
    const id = await d.assigned('sole');
    await eventually(async () => (await d.steps(id)).includes('deadlineReminder'), 20_000);
    const reminder = await waitForMail((m) => m.subject.includes('到期提醒') && m.to.includes(`${org.units.lead}@units.test`));
    expect(reminder.to).not.toContain(`${org.prefix}-leadLiaison@staff.test`);

    const client = (await import('../support/context.js')).temporalClient;
    const temporal = await client();
    const run = (wid: string) =>
      temporal.workflow.execute('dailyDigest', { taskQueue: inject('taskQueue'), workflowId: wid, args: [{ now: new Date(Date.now() + 60_000).toISOString() }] });
    await run(`${org.prefix}-digest-1`);
    await run(`${org.prefix}-digest-2`);
    await temporal.connection.close();
    const digests = mailMatching((m) => m.subject.includes('每日汇总') && m.to.includes(`${org.prefix}-leadLiaison@staff.test`));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.text).toContain('已逾期（1件）');
  });
});

describe("a co-unit's own clock", () => {
  it('lives in its 会办任务: the co-unit is chased, the lead is not', async () => {
    const org = await seedOrg(db, {
      policy: {
        durations: { coOpinion: rule('coOpinion', 2), reply: rule('reply', 600) },
        clock: { reminderOffsets: [], escalation: [{ after: secs(1), notify: 'liaison' }], keyEscalation: [] },
      },
    });
    const d = await new Driver(api, db, org).login();
    const id = await d.assigned('lead', [org.units.lead, org.units.co1]);
    const chase = await waitForMail((m) => m.subject.includes('逾期催办') && m.subject.includes('会办意见') && m.to.includes(`${org.units.co1}@units.test`), 20_000);
    expect(chase.to).not.toContain(`${org.units.lead}@units.test`);
    const events = await db.selectFrom('events').select(['step', 'actor_unit_id']).where('workflow_id', '=', id).where('step', '=', 'deadlineEscalation').execute();
    expect(events).toEqual([{ step: 'deadlineEscalation', actor_unit_id: org.units.co1 }]);
  });
});

describe('a calendar edit while a reminder is pending', () => {
  let year = 0;
  let original: { date: string; kind: string; name: string | null }[] = [];

  afterAll(async () => {
    // Put the shared calendar back exactly as it was.
    if (year) await replaceCalendarYear(db, year, original as never, 'builtin');
  });

  it('moves the reminder with the deadline and sends it once, at its final time', async () => {
    // Aim the reminder ~8 s after assignment: offset = (due − now) − 8 s, due from the real calendar.
    const start = new Date().toISOString();
    const expected = computeDue({
      rule: { key: 'reply', label: '答复期限', amount: 2, unit: 'working_days' },
      start: shanghaiDate(start),
      calendar: builtinCalendar(),
    });
    const dueYear = Number(expected.due.slice(0, 4));
    original = await db.selectFrom('calendar_days').select(['date', 'kind', 'name']).where('year', '=', dueYear).orderBy('date').execute();
    year = dueYear;
    const offset = Math.floor((Date.parse(endOfShanghaiDayInstant(expected.due)) - Date.parse(start)) / 1000) - 8;
    const { org, d } = await orgWith(rule('reply', 2, 'working_days'), { reminderOffsets: [secs(offset)], escalation: [], keyEscalation: [] });
    const admin = `${org.prefix}-admin`;
    await db
      .insertInto('users')
      .values({
        username: admin,
        display_name: '管理员',
        password_hash: await hashPassword('admin-pw-123'),
        role: 'admin',
        unit_id: null,
        proposer_id: null,
        email: null,
      })
      .execute();
    const adminToken = await api.login(admin, 'admin-pw-123');
    const id = await d.assigned('sole');
    const before = (await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(id)}/deadlines`)).json.items[0];
    expect(before.dueDate).toBe(expected.due);

    // The administrator declares the due day a holiday: the deadline and its reminder move a day on…
    const withHoliday = [...original.filter((r) => r.date !== expected.due), { date: expected.due, kind: 'holiday', name: '临时调整' }];
    expect((await api.call(adminToken, 'PUT', `/api/calendar/${year}`, { days: withHoliday })).status).toBe(200);
    const moved = await eventually(async () => {
      const item = (await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(id)}/deadlines`)).json.items[0];
      return item.dueDate !== expected.due ? item : null;
    });
    expect(moved.dueDate > expected.due).toBe(true);
    // …and back again before the reminder's original time: it goes out then, once.
    expect((await api.call(adminToken, 'PUT', `/api/calendar/${year}`, { days: original })).status).toBe(200);
    await eventually(async () => (await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(id)}/deadlines`)).json.items[0].dueDate === expected.due);
    await eventually(async () => (await d.steps(id)).includes('deadlineReminder'), 30_000);
    await new Promise((r) => setTimeout(r, 3000));
    const steps = await d.steps(id);
    expect(steps.filter((s) => s === 'deadlineReminder')).toHaveLength(1);
    expect(steps.filter((s) => s === 'deadlinesRecalculated')).toHaveLength(2);
    expect(mailMatching((m) => m.subject.includes('到期提醒') && m.to.includes(`${org.units.lead}@units.test`))).toHaveLength(1);
  });
});
