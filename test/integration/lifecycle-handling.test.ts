import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { eventually, seedOrg, temporalClient, testDb, waitForMail, type Org } from '../support/context.js';
import { coTaskWorkflowId } from '../../workflows/shared/ids.js';
import { Driver } from '../support/drive.js';
import { maybeRecordHistory } from '../support/histories.js';
import { startApi, type Api } from '../support/http.js';

let db: Db;
let api: Api;
let org: Org;
let d: Driver;
let shortWindow: Driver;

beforeAll(async () => {
  db = testDb();
  api = await startApi(db);
  org = await seedOrg(db);
  d = await new Driver(api, db, org).login();
  // A session whose policy gives units a 2-second adjustment window: late requests without waiting days.
  const shortOrg = await seedOrg(db, { policy: { durations: { adjustmentWindow: { key: 'adjustmentWindow', label: '申请调整期限', amount: 2, unit: 'seconds' } } } });
  shortWindow = await new Driver(api, db, shortOrg).login();
});
afterAll(async () => {
  await api.close();
  await db.destroy();
});

describe('交办 and 申请调整', () => {
  it('an adjustment request needs a reason; the office refuses it and the assignment stands', async () => {
    const id = await d.assigned('sole');
    const noReason = await d.act('leadLiaison', id, 'requestAdjustment', {});
    expect(noReason.status).toBe(422);
    expect(noReason.json.field).toBe('reason');
    await d.ok('leadLiaison', id, 'requestAdjustment', { reason: '该事项属于教育部门职责' });
    const twice = await d.act('leadLiaison', id, 'requestAdjustment', { reason: '再次申请' });
    expect(twice.status).toBe(409);
    expect((await api.call(d.tokens.office!, 'GET', `/api/proposals/${encodeURIComponent(id)}`)).json.tasks[0].status).toBe('adjustment_requested');
    await d.ok('office', id, 'decideAdjustment', { unitId: org.units.lead, decision: 'refuse', answer: '该事项以你单位为主' });
    await waitForMail((m) => m.subject.includes('调整申请未同意') && m.to.includes(`${org.units.lead}@units.test`));
  });

  it('an accepted request hands the task to the replacement unit; the old unit can no longer act', async () => {
    const id = await d.assigned('sole');
    await d.ok('leadLiaison', id, 'requestAdjustment', { reason: '不属于我委职责' });
    const noReplacement = await d.act('office', id, 'decideAdjustment', { unitId: org.units.lead, decision: 'accept', answer: '同意' });
    expect(noReplacement.status).toBe(422);
    expect(noReplacement.json.field).toBe('replacementUnitId');
    await d.ok('office', id, 'decideAdjustment', { unitId: org.units.lead, decision: 'accept', replacementUnitId: org.units.other, answer: '同意调整' });
    expect((await d.act('leadLiaison', id, 'recordNoConsultation', { reason: 'x' })).status).toBe(403);
    await d.ok('otherLiaison', id, 'recordNoConsultation', { reason: '提案者出国，无法联系' });
    const tasks = await db.selectFrom('unit_tasks').select(['unit_id', 'status']).where('workflow_id', '=', id).orderBy('id').execute();
    expect(tasks).toEqual([
      { unit_id: org.units.lead, status: 'removed' },
      { unit_id: org.units.other, status: 'drafting' },
    ]);
  });

  it('a late adjustment request is refused with a clear message', async () => {
    const id = await shortWindow.assigned('sole');
    await new Promise((r) => setTimeout(r, 2500));
    const late = await shortWindow.act('leadLiaison', id, 'requestAdjustment', { reason: '不属于我单位职责' });
    expect(late.status).toBe(409);
    expect(late.json.error).toBe('DEADLINE_PASSED');
    expect(late.json.message).toContain('交办视为确定');
  });

  it('units can never hand a task on themselves', async () => {
    const id = await d.assigned('sole');
    const res = await d.act('leadLiaison', id, 'reassign', { removeUnitId: org.units.lead, addUnitId: org.units.other, reason: '转给教育厅' });
    expect(res.status).toBe(403);
  });
});

describe('协商、会办、起草、审签', () => {
  it('co-units answer with an opinion or 无意见; the office may waive one that is late, and that is recorded', async () => {
    const id = await d.assigned('lead', [org.units.lead, org.units.co1, org.units.co2]);
    expect((await d.act('co1Liaison', id, 'saveDraft', { body: '答复', replyClass: 'A' })).status).toBe(403);
    await d.ok('co1Liaison', id, 'submitCoOpinion', { kind: 'no_opinion' });
    expect((await d.act('co1Liaison', id, 'submitCoOpinion', { kind: 'opinion', body: '补充意见' })).status).toBe(409);
    await d.ok('leadLiaison', id, 'recordConsultation', { date: '2026-02-05', way: 'site_visit', participants: '委员、处室', summary: '实地调研' });
    await d.ok('leadLiaison', id, 'saveDraft', { body: '答复正文', replyClass: 'A' });
    const blocked = await d.act('leadLiaison', id, 'submitForSignOff', {});
    expect(blocked.status).toBe(409);
    expect(blocked.json.message).toContain(org.units.co2);
    expect((await d.act('office', id, 'waiveCoOpinion', { unitId: org.units.co2 })).status).toBe(422);
    await d.ok('office', id, 'waiveCoOpinion', { unitId: org.units.co2, reason: '会办单位逾期未复，经协调免于等待' });
    await d.ok('leadLiaison', id, 'submitForSignOff', {});
    const steps = await d.steps(id);
    expect(steps).toContain('waiveCoOpinion');
  });

  it('a reply cannot go to sign-off without a consultation or a reason why none was possible', async () => {
    const id = await d.assigned('sole');
    await d.ok('leadLiaison', id, 'saveDraft', { body: '答复正文', replyClass: 'A' });
    const res = await d.act('leadLiaison', id, 'submitForSignOff', {});
    expect(res.status).toBe(409);
    expect(res.json.message).toContain('先协商后答复');
    const future = await d.act('leadLiaison', id, 'recordConsultation', { date: '2099-01-01', way: 'phone', participants: '委员', summary: '电话' });
    expect(future.status).toBe(422);
    expect(future.json.field).toBe('date');
  });

  it('B-class replies carry promised actions and a follow-up date; the office can override the class with a reason', async () => {
    const id = await d.assigned('sole');
    await d.ok('leadLiaison', id, 'recordConsultation', { date: '2026-02-05', way: 'letter', participants: '委员', summary: '函询' });
    const missing = await d.act('leadLiaison', id, 'saveDraft', { body: '答复正文', replyClass: 'B' });
    expect(missing.status).toBe(422);
    expect(missing.json.field).toBe('promisedActions');
    await d.ok('leadLiaison', id, 'saveDraft', { body: '答复正文', replyClass: 'B', promisedActions: '年内出台实施方案', followUpDate: '2027-06-30' });
    const state = await d.ok('office', id, 'overrideClass', { unitId: org.units.lead, replyClass: 'C', reason: '承诺事项暂不具备条件' });
    expect(state.tracks[0].replyClass).toBe('C');
    expect(state.tracks[0].classOverride.reason).toBe('承诺事项暂不具备条件');
  });

  it('key proposals need the principal leader; returns go back with reasons for any number of rounds', async () => {
    const id = await d.assigned('sole');
    expect((await d.act('office', id, 'markKey', { supervisingLeader: '王副主席' })).status).toBe(403);
    await d.ok('committee', id, 'markKey', { supervisingLeader: '王副主席' });
    await d.ok('leadLiaison', id, 'recordConsultation', { date: '2026-02-05', way: 'forum', participants: '委员', summary: '座谈' });
    await d.ok('leadLiaison', id, 'saveDraft', { body: '第一稿', replyClass: 'A' });
    await d.ok('leadLiaison', id, 'submitForSignOff', {});
    const leader = await d.act('leadLeader', id, 'signOff', { decision: 'approve' });
    expect(leader.status).toBe(403);
    expect(leader.json.message).toContain('主要负责人');
    const noReason = await d.act('leadPrincipal', id, 'signOff', { decision: 'return' });
    expect(noReason.status).toBe(422);
    await d.ok('leadPrincipal', id, 'signOff', { decision: 'return', reason: '数据需更新' });
    await d.ok('leadLiaison', id, 'saveDraft', { body: '第二稿', replyClass: 'A', changeNote: '更新数据' });
    await d.ok('leadLiaison', id, 'submitForSignOff', {});
    await d.ok('leadPrincipal', id, 'signOff', { decision: 'return', reason: '再补充下一步措施' });
    await d.ok('leadLiaison', id, 'saveDraft', { body: '第三稿', replyClass: 'A', changeNote: '补充措施' });
    await d.ok('leadLiaison', id, 'submitForSignOff', {});
    await d.ok('leadPrincipal', id, 'signOff', { decision: 'approve' });
    const detail = await d.stage(id, 'dispatched');
    expect(detail.live.tracks[0].signOffRounds).toBe(3);
    expect(detail.proposal.keyProposal).toBe(true);
    const client = await temporalClient();
    await maybeRecordHistory(client, id, 'key-proposal-signoff');
    await client.connection.close();
  });

  it('split handling: each unit answers for its part with its own number; dispatched when all have', async () => {
    const id = await d.assigned('split', [org.units.lead, org.units.co1]);
    await d.reply(id, 'leadLiaison', 'leadLeader');
    await new Promise((r) => setTimeout(r, 500));
    expect((await api.call(d.tokens.office!, 'GET', `/api/proposals/${encodeURIComponent(id)}`)).json.live.stage).toBe('handling');
    await d.act('co1Liaison', id, 'recordNoConsultation', { reason: '已在主办单位协商中一并听取' });
    const co1Leader = await d.act('leadLeader', id, 'saveDraft', { body: 'x', replyClass: 'A' });
    expect(co1Leader.status).toBe(403);
    await d.ok('co1Liaison', id, 'saveDraft', { body: '分办答复', replyClass: 'A' });
    await d.ok('co1Liaison', id, 'submitForSignOff', {});
    // Another unit's leader has nothing of co1's to sign.
    expect((await d.act('leadPrincipal', id, 'signOff', { decision: 'approve' })).status).toBe(409);
    await d.ok('co1Leader', id, 'signOff', { decision: 'approve' });
    const detail = await d.stage(id, 'dispatched');
    const numbers = (detail.proposal.replyDocNo as string).split('；');
    expect(numbers).toHaveLength(2);
    expect(detail.live.tracks.map((t: { docNo: string }) => t.docNo).sort()).toEqual([...numbers].sort());
  });
});

describe('会办任务 as child workflows', () => {
  it('runs one child per co-unit that takes its opinion, and ends it cleanly when the unit is taken off or the proposal withdrawn', async () => {
    const id = await d.assigned('lead', [org.units.lead, org.units.co1, org.units.co2]);
    const temporal = await temporalClient();
    const child = (unit: string) => temporal.workflow.getHandle(coTaskWorkflowId(id, unit, 0));
    await eventually(
      async () =>
        (
          await child(org.units.co1)
            .describe()
            .catch(() => null)
        )?.status.name === 'RUNNING',
    );
    await eventually(
      async () =>
        (
          await child(org.units.co2)
            .describe()
            .catch(() => null)
        )?.status.name === 'RUNNING',
    );
    expect((await child(org.units.co1).describe()).parentExecution?.workflowId).toBe(id);

    // Each co-unit answers in its own task, once.
    expect((await d.act('co2Liaison', id, 'submitCoOpinion', { kind: 'no_opinion' })).status).toBe(200);
    await d.ok('co1Liaison', id, 'submitCoOpinion', { kind: 'opinion', body: '建议补充科技支撑措施。' });
    expect((await d.act('co1Liaison', id, 'submitCoOpinion', { kind: 'no_opinion' })).status).toBe(409);
    const co1Result = await child(org.units.co1).result();
    expect(co1Result.status).toBe('submitted');
    expect(co1Result.docNo).toMatch(/提函〔\d{4}〕\d+号$/);
    const opinionDoc = await db
      .selectFrom('documents')
      .select(['kind', 'title'])
      .where('workflow_id', '=', id)
      .where('kind', '=', 'co_opinion')
      .executeTakeFirstOrThrow();
    expect(opinionDoc.title).toContain(co1Result.docNo);
    await maybeRecordHistory(temporal, coTaskWorkflowId(id, org.units.co1, 0), 'co-task-submitted');
    expect(await child(org.units.co2).result()).toMatchObject({ status: 'no_opinion', docNo: null });
    const state = await d.stage(id, 'handling');
    expect(state.live.units.filter((u: { role: string }) => u.role === 'co').map((u: { coOpinion: { status: string } }) => u.coOpinion.status)).toEqual([
      'submitted',
      'no_opinion',
    ]);
    const opinionEvents = (await d.steps(id)).filter((s) => s === 'submitCoOpinion');
    expect(opinionEvents).toHaveLength(2);

    const second = await d.assigned('lead', [org.units.lead, org.units.co1]);
    await eventually(
      async () =>
        (
          await temporal.workflow
            .getHandle(coTaskWorkflowId(second, org.units.co1, 0))
            .describe()
            .catch(() => null)
        )?.status.name === 'RUNNING',
    );
    await d.ok('office', second, 'reassign', { removeUnitId: org.units.co1, addUnitId: org.units.co2, reason: '职能调整' });
    expect((await temporal.workflow.getHandle(coTaskWorkflowId(second, org.units.co1, 0)).result()).status).toBe('removed');
    await eventually(
      async () =>
        (
          await temporal.workflow
            .getHandle(coTaskWorkflowId(second, org.units.co2, 0))
            .describe()
            .catch(() => null)
        )?.status.name === 'RUNNING',
    );
    await d.ok('office', second, 'withdraw', { reason: '提案者撤回' });
    expect((await temporal.workflow.getHandle(coTaskWorkflowId(second, org.units.co2, 0)).result()).status).toBe('removed');
    await temporal.connection.close();
  });
});
