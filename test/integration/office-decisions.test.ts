import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { readOfficeQueues } from '../../client/read/queues.js';
import { eventually, mailMatching, seedOrg, temporalClient, testDb, waitForMail, type Org } from '../support/context.js';
import { maybeRecordHistory } from '../support/histories.js';
import { Driver } from '../support/drive.js';
import { enc, startApi, type Api } from '../support/http.js';
import type { DurationRule } from '../../workflows/shared/types.js';

// 交办单位审批期限: a unit's adjustment or extension request gives the office its own deadline,
// with a reminder before it and the committee told after it, shown on the unit's task and in
// the office's queues; the decision ends that clock. Policy durations in seconds, real stack.

let db: Db;
let api: Api;
let org: Org;
let d: Driver;

const secs = (amount: number) => ({ amount, unit: 'seconds' as const });
const rule = (key: string, amount: number): DurationRule => ({ key, label: key === 'officeDecision' ? '交办单位审批期限' : key, amount, unit: 'seconds' });
const tomorrow = () => new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  db = testDb();
  api = await startApi(db);
  // The units' own clock is far away (reply in 10 minutes, no ladder): every mail here is the office's.
  org = await seedOrg(db, {
    policy: {
      durations: { reply: rule('reply', 600), officeDecision: rule('officeDecision', 6) },
      clock: { reminderOffsets: [secs(3)], escalation: [], keyEscalation: [] },
    },
  });
  d = await new Driver(api, db, org).login();
});
afterAll(async () => {
  await api.close();
  await db.destroy();
});

const officeAddress = () => `${org.prefix}-office@staff.test`;
const committeeAddress = () => `${org.prefix}-committee@staff.test`;

async function taskOf(id: string) {
  return (await api.call(d.tokens.leadLiaison!, 'GET', `/api/proposals/${enc(id)}`)).json.tasks[0] as {
    status: string;
    decisionDueAt: string | null;
    extensionPendingTo: string | null;
  };
}

describe('the office decides a request by its own deadline', () => {
  it('an extension request: the office is reminded before its decision deadline and the committee told after it, once each', async () => {
    const id = await d.assigned('sole');
    await d.ok('leadLiaison', id, 'requestExtension', { newDate: tomorrow(), reason: '需等待年度统计数据' });
    const request = await waitForMail((m) => m.subject.includes('延期申请') && m.to.includes(officeAddress()) && m.text.includes('审批期限'));
    expect(request.text).toMatch(/请于.+前审批（交办单位审批期限）/);
    const task = await taskOf(id);
    expect(task.extensionPendingTo).toBe(tomorrow());
    expect(task.decisionDueAt).not.toBeNull();
    const queues = await readOfficeQueues(db, { role: 'office', unitId: null, proposerId: null });
    expect(queues.extensions.find((r) => r.workflowId === id)?.decideBy).toBe(task.decisionDueAt);

    await eventually(async () => (await d.steps(id)).filter((s) => s === 'deadlineEscalation').length === 1, 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await d.steps(id)).filter((s) => s.startsWith('deadline'))).toEqual(['deadlineReminder', 'deadlineEscalation']);
    const reminder = mailMatching((m) => m.subject.includes('到期提醒') && m.subject.includes('延期申请的审批') && m.to.includes(officeAddress()));
    expect(reminder).toHaveLength(1);
    const late = mailMatching((m) => m.subject.includes('逾期催办') && m.subject.includes('延期申请的审批'));
    expect(late.filter((m) => m.to.includes(officeAddress()) && m.to.includes(committeeAddress()))).toHaveLength(1);
    // The unit is not chased for the office's lateness.
    expect(late.every((m) => !m.to.includes(`${org.units.lead}@units.test`))).toBe(true);

    await d.ok('office', id, 'decideExtension', { unitId: org.units.lead, decision: 'approve', answer: '同意延期' });
    expect(await taskOf(id)).toMatchObject({ extensionPendingTo: null, decisionDueAt: null });
    const temporal = await temporalClient();
    await maybeRecordHistory(temporal, id, 'office-decision-extension');
    await temporal.connection.close();
  });

  it('an adjustment decided in time: its task shows the decision deadline until then, and nothing more is sent', async () => {
    const id = await d.assigned('sole');
    await d.ok('leadLiaison', id, 'requestAdjustment', { reason: '该事项属于教育部门职责' });
    const task = await taskOf(id);
    expect(task.status).toBe('adjustment_requested');
    expect(Date.parse(task.decisionDueAt!)).toBeGreaterThan(Date.now());
    await d.ok('office', id, 'decideAdjustment', { unitId: org.units.lead, decision: 'refuse', answer: '该事项以你单位为主' });
    expect((await taskOf(id)).decisionDueAt).toBeNull();
    await new Promise((r) => setTimeout(r, 8000));
    expect((await d.steps(id)).filter((s) => s.startsWith('deadline'))).toEqual([]);
  });

  it('a second request after a refusal has a fresh deadline and its own reminder', async () => {
    const id = await d.assigned('sole');
    await d.ok('leadLiaison', id, 'requestExtension', { newDate: tomorrow(), reason: '第一次申请' });
    await eventually(async () => (await d.steps(id)).includes('deadlineReminder'), 20_000);
    await d.ok('office', id, 'decideExtension', { unitId: org.units.lead, decision: 'refuse', answer: '请按期答复' });
    await d.ok('leadLiaison', id, 'requestExtension', { newDate: tomorrow(), reason: '情况有变，再次申请' });
    await eventually(async () => (await d.steps(id)).filter((s) => s === 'deadlineReminder').length === 2, 20_000);
  });
});
