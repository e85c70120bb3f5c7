import { beforeAll, describe, expect, it } from 'vitest';
import { useSuite } from '../support/suite.js';
import type { Db } from '../../db/connection.js';
import { eventually, mailMatching, seedOrg, temporalClient, uniq, waitForMail, type Org } from '../support/context.js';
import type { CaughtMail } from '../../scripts/lib/mail-catcher.js';
import { Driver } from '../support/drive.js';
import { maybeRecordHistory } from '../support/histories.js';
import { enc, type Api } from '../support/http.js';

const suite = useSuite();
let db: Db;
let api: Api;
let org: Org;
let d: Driver;
beforeAll(() => void ({ db, api, org, d } = suite));

/** The proposer's personal link from the n-th feedback request (one per handling round). */
async function feedbackToken(email: string, title: string, nth = 1): Promise<string> {
  const match = (m: CaughtMail) => m.subject.includes('征询意见') && m.subject.includes(title) && m.to.includes(email);
  await eventually(async () => mailMatching(match).length >= nth);
  const mail = mailMatching(match)[nth - 1]!;
  return /\/feedback\/([\w.-]+)/.exec(mail.text)![1]!;
}

describe('征询意见, re-handling, publication and closure', () => {
  it('only the raters rate, each once, by account or personal link; the office may enter a paper form, marked as such; then publication and closure', async () => {
    const title = `关于${uniq('')}的建议`;
    const id = await d.register({ title });
    await d.ok('committee', id, 'file', { outcome: 'filed', proposalNo: `第${uniq('')}号` });
    await d.ok('office', id, 'assign', { mode: 'sole', units: [org.units.lead] });
    await d.reply(id);
    await d.stage(id, 'dispatched');
    const open = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(id)}/deadlines`);
    expect(open.json.items.map((i: { kind: string }) => i.kind).sort()).toEqual(['feedback', 'publication']);
    expect(open.json.items.find((i: { kind: string }) => i.kind === 'publication').why).toContain('20个工作日');

    // The handling unit can never rate for the member.
    const byUnit = await d.act('leadLiaison', id, 'rate', { attitude: 'satisfied', result: 'satisfied' });
    expect(byUnit.status).toBe(403);
    const bad = await d.act('proposer', id, 'rate', { attitude: 'happy', result: 'satisfied' });
    expect(bad.status).toBe(422);
    expect(bad.json.field).toBe('attitude');

    const token = await feedbackToken(org.proposerEmails.first, title);
    const forged = await api.call(null, 'POST', `/feedback/${token.slice(0, -2)}xx`, { attitude: 'satisfied', result: 'satisfied' });
    expect(forged.status).toBe(401);
    expect((await api.call(null, 'POST', `/feedback/${token}`, { attitude: 'satisfied', result: 'basically_satisfied', comment: '答复认真' })).status).toBe(200);
    const again = await api.call(null, 'POST', `/feedback/${token}`, { attitude: 'satisfied', result: 'satisfied' });
    // The first answer stands, and the second is told so.
    expect(again.status).toBe(409);
    expect(again.json.error).toBe('ALREADY_DONE');
    const twice = await d.act('proposer', id, 'rate', { attitude: 'unsatisfied', result: 'unsatisfied' });
    expect(twice.status).toBe(409);

    // The co-signer answered on paper; the office enters it on their behalf.
    const missingWho = await d.act('office', id, 'rate', { attitude: 'satisfied', result: 'satisfied' });
    expect(missingWho.status).toBe(422);
    await d.ok('office', id, 'rate', { attitude: 'satisfied', result: 'satisfied', proposerId: org.actors.cosigner.proposerId });
    const ratings = await db.selectFrom('ratings').select(['proposer_id', 'on_behalf', 'result']).where('workflow_id', '=', id).orderBy('id').execute();
    expect(ratings).toEqual([
      { proposer_id: org.actors.proposer.proposerId, on_behalf: false, result: 'basically_satisfied' },
      { proposer_id: org.actors.cosigner.proposerId, on_behalf: true, result: 'satisfied' },
    ]);

    const noReason = await d.act('leadLiaison', id, 'proposePublication', { mode: 'none' });
    expect(noReason.status).toBe(422);
    const noSummary = await d.act('leadLiaison', id, 'proposePublication', { mode: 'summary', reason: '涉及内部工作安排，摘要公开' });
    expect(noSummary.status).toBe(422);
    expect(noSummary.json.field).toBe('summary');
    await d.ok('leadLiaison', id, 'proposePublication', {
      mode: 'summary',
      reason: '涉及内部工作安排，摘要公开',
      summary: '承办单位已会同有关部门研究提案建议，明确了下一步工作安排。',
    });
    await d.ok('office', id, 'approvePublication', {});
    // 公开: the public version gets its 索引号 and its date against the window; the proposers are told.
    const published = await eventually(async () => {
      const row = await db.selectFrom('publications').selectAll().where('workflow_id', '=', id).executeTakeFirst();
      return row?.index_no ? row : null;
    });
    expect(published.index_no).toMatch(new RegExp(`^T${org.prefix}0/\\d{4}-1$`));
    expect(published.published_at).not.toBeNull();
    await waitForMail((m) => m.subject.includes('公开') && m.to.includes(org.proposerEmails.first));
    const afterApproval = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(id)}/deadlines`);
    expect(afterApproval.json.items.map((i: { kind: string }) => i.kind)).not.toContain('publication');
    await d.ok('office', id, 'close', { note: '答复及评价完成' });
    const closed = await d.stage(id, 'closed');
    expect(closed.proposal.closedAt).not.toBeNull();
    const publication = await db.selectFrom('publications').selectAll().where('workflow_id', '=', id).executeTakeFirstOrThrow();
    expect(publication).toMatchObject({ mode: 'summary', status: 'approved' });
    const client = await temporalClient();
    const result = await client.workflow.getHandle(id).result();
    expect(result?.stage).toBe('closed');

    // The audit trail tells the same story as Temporal's history: every completed update is one
    // event row, in the same order, and every other row is a step the workflow took itself.
    const history = await client.workflow.getHandle(id).fetchHistory();
    const accepted = new Map<string, string>();
    const completed: string[] = [];
    for (const e of history.events ?? []) {
      const acc = e.workflowExecutionUpdateAcceptedEventAttributes;
      if (acc) accepted.set(acc.protocolInstanceId!, acc.acceptedRequest!.input!.name!);
      const done = e.workflowExecutionUpdateCompletedEventAttributes;
      if (done && !done.outcome?.failure) completed.push(accepted.get(done.meta!.updateId!)!);
    }
    const rows = await db.selectFrom('events').select(['step', 'idempotency_key']).where('workflow_id', '=', id).orderBy('id').execute();
    const humanRows = rows.filter(
      (r) =>
        !r.idempotency_key.includes(':dispatch:') &&
        !r.idempotency_key.includes(':clock:') &&
        !r.idempotency_key.includes(':feedback-closed:') &&
        !r.idempotency_key.includes(':follow-up:') &&
        !r.idempotency_key.includes(':recalc:') &&
        !r.idempotency_key.includes(':publish:'),
    );
    expect(humanRows.map((r) => r.step)).toEqual(completed);
    expect(rows.filter((r) => r.step === 'dispatch')).toHaveLength(1);
    await maybeRecordHistory(client, id, 'full-lifecycle');
    await client.connection.close();
  });

  it('不满意 starts re-handling with a new consultation, reply and clock; a second 不满意 brings the office-chaired consultation', async () => {
    const title = `关于${uniq('')}的提案`;
    const id = await d.register({ title });
    await d.ok('committee', id, 'file', { outcome: 'filed', proposalNo: `第${uniq('')}号` });
    await d.ok('office', id, 'assign', { mode: 'sole', units: [org.units.lead] });
    await d.reply(id);
    const first = await d.stage(id, 'dispatched');
    const firstNo = first.proposal.replyDocNo as string;
    await d.ok('proposer', id, 'rate', { attitude: 'basically_satisfied', result: 'unsatisfied', comment: '没有回应第二条建议' });
    const rehandling = await d.stage(id, 'handling');
    expect(rehandling.live.round).toBe(1);
    expect(rehandling.live.tracks[0].consultations).toBe(0);
    await waitForMail((m) => m.subject.includes('重新办理') && m.to.includes(`${org.units.lead}@units.test`));
    // The old consultation does not count for the new round.
    await d.ok('leadLiaison', id, 'saveDraft', { body: '重新答复', replyClass: 'A' });
    expect((await d.act('leadLiaison', id, 'submitForSignOff', {})).status).toBe(409);
    await d.reply(id);
    const second = await d.stage(id, 'dispatched');
    expect(second.proposal.replyDocNo).not.toBe(firstNo);
    const token = await feedbackToken(org.proposerEmails.first, title, 2);
    expect((await api.call(null, 'POST', `/feedback/${token}`, { attitude: 'unsatisfied', result: 'unsatisfied' })).status).toBe(200);
    const third = await d.stage(id, 'handling');
    expect(third.live.round).toBe(2);
    expect(third.live.officeChairedConsultation).toBe(true);
    const events = await db.selectFrom('events').select('step').where('workflow_id', '=', id).where('step', '=', 'rate').execute();
    expect(events).toHaveLength(2);

    // The third round goes to sign-off only after the office has chaired a face-to-face meeting.
    await d.ok('leadLiaison', id, 'recordConsultation', { date: '2026-02-05', way: 'phone', participants: '委员', summary: '电话沟通' });
    await d.ok('leadLiaison', id, 'saveDraft', { body: '第三次答复', replyClass: 'A' });
    const blocked = await d.act('leadLiaison', id, 'submitForSignOff', {});
    expect(blocked.status).toBe(409);
    expect(blocked.json.message).toContain('交办单位主持');
    expect((await d.act('leadLiaison', id, 'recordOfficeConsultation', { date: '2026-02-06', participants: 'x', summary: 'x' })).status).toBe(403);
    await d.ok('office', id, 'recordOfficeConsultation', { date: '2026-02-06', participants: '办公厅、张委员、承办处室', summary: '办公厅主持面商，逐条回应。' });
    await d.ok('leadLiaison', id, 'submitForSignOff', {});
  });

  it('the committee may order re-handling after a reply', async () => {
    const id = await d.assigned('sole');
    await d.reply(id);
    await d.stage(id, 'dispatched');
    expect((await d.act('leadLiaison', id, 'orderRehandling', { reason: 'x' })).status).toBe(403);
    await d.ok('committee', id, 'orderRehandling', { reason: '答复未逐条回应建议' });
    const s = await d.stage(id, 'handling');
    expect(s.live.round).toBe(1);
  });

  it("the office reassigns a unit at any time: the removed unit's work ends, the new one starts", async () => {
    const id = await d.assigned('lead', [org.units.lead, org.units.co1]);
    await d.ok('office', id, 'reassign', { removeUnitId: org.units.co1, addUnitId: org.units.co2, reason: '职能调整' });
    expect((await d.act('co1Liaison', id, 'submitCoOpinion', { kind: 'no_opinion' })).status).toBe(403);
    await d.ok('co2Liaison', id, 'submitCoOpinion', { kind: 'opinion', body: '同意' });
    await waitForMail((m) => m.subject.includes('承办单位调整') && m.to.includes(`${org.units.co1}@units.test`));
    const tasks = await db.selectFrom('unit_tasks').select(['unit_id', 'status']).where('workflow_id', '=', id).orderBy('id').execute();
    expect(tasks.find((t) => t.unit_id === org.units.co1)?.status).toBe('removed');
    expect(tasks.find((t) => t.unit_id === org.units.co2)?.status).toBe('submitted');
  });
});

describe('no feedback within the window', () => {
  it('is recorded as no feedback when the (policy-shortened) window closes, and the office can close', async () => {
    const quick = await seedOrg(db, { policy: { durations: { feedbackWindow: { key: 'feedbackWindow', label: '征询意见期限', amount: 3, unit: 'seconds' } } } });
    const q = await new Driver(api, db, quick).login();
    const id = await q.assigned('sole');
    await q.reply(id);
    await q.stage(id, 'dispatched');
    const early = await q.act('office', id, 'close', {});
    expect(early.status).toBe(409);
    const event = await eventually(async () =>
      db.selectFrom('events').selectAll().where('workflow_id', '=', id).where('step', '=', 'feedbackWindowClosed').executeTakeFirst(),
    );
    expect((event.summary as { noFeedbackFrom: number[] }).noFeedbackFrom).toHaveLength(2);
    const late = await api.call(q.tokens.proposer!, 'POST', `/api/proposals/${enc(id)}/actions/rate`, { attitude: 'satisfied', result: 'satisfied' });
    expect(late.status).toBe(409);
    expect(late.json.error).toBe('DEADLINE_PASSED');
    await q.ok('office', id, 'close', {});
  });
});

describe('a long-lived proposal', () => {
  it('continues as new when its history grows (threshold from policy) and goes on as if nothing happened', async () => {
    const { org: o, d: q } = await suite.orgWith({ policy: { continueAsNewAfterEvents: 60 } });
    const id = await q.assigned('lead', [o.units.lead, o.units.co1]);
    const temporal = await temporalClient();
    const handle = temporal.workflow.getHandle(id);
    const firstRun = (await handle.describe()).runId;
    await q.ok('co1Liaison', id, 'submitCoOpinion', { kind: 'no_opinion' });
    await q.reply(id);
    await q.stage(id, 'dispatched');
    await q.ok('proposer', id, 'rate', { attitude: 'satisfied', result: 'satisfied' });
    await q.ok('office', id, 'rate', { attitude: 'satisfied', result: 'basically_satisfied', proposerId: o.actors.cosigner.proposerId });
    await q.ok('leadLiaison', id, 'proposePublication', { mode: 'full' });
    await q.ok('office', id, 'approvePublication', {});
    await q.ok('office', id, 'close', {});
    const result = await handle.result();
    expect(result?.stage).toBe('closed');
    expect((await handle.describe()).runId).not.toBe(firstRun);
    const runs: string[] = [];
    for await (const wf of temporal.workflow.list({ query: `WorkflowId = '${id}'` })) runs.push(wf.runId);
    expect(runs.length).toBeGreaterThan(1);
    const rows = await db.selectFrom('events').select('step').where('workflow_id', '=', id).orderBy('id').execute();
    // The publish step runs in the workflow's own loop, beside the office's next action.
    expect(rows.map((r) => r.step).filter((s) => s !== 'publish')).toEqual([
      'register',
      'file',
      'assign',
      'submitCoOpinion',
      'recordConsultation',
      'saveDraft',
      'submitForSignOff',
      'signOff',
      'dispatch',
      'rate',
      'rate',
      'proposePublication',
      'approvePublication',
      'close',
    ]);
    expect(rows.filter((r) => r.step === 'publish')).toHaveLength(1);
    await temporal.connection.close();
  });
});
