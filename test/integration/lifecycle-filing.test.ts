import { beforeAll, describe, expect, it } from 'vitest';
import { useSuite } from '../support/suite.js';
import type { Db } from '../../db/connection.js';
import { temporalClient, waitForMail, type Org } from '../support/context.js';
import { Driver } from '../support/drive.js';
import { maybeRecordHistory } from '../support/histories.js';
import { enc, type Api } from '../support/http.js';

const suite = useSuite();
let db: Db;
let api: Api;
let org: Org;
let d: Driver;
beforeAll(() => void ({ db, api, org, d } = suite));

describe('审查立案 outcomes', () => {
  it("filed without a typed number: the system numbers the session in sequence, in the policy's format, skipping numbers typed by hand", async () => {
    const a = await d.register();
    const b = await d.register();
    const c = await d.register();
    expect((await d.ok('committee', a, 'file', { outcome: 'filed' })).proposalNo).toBe('第1号');
    await d.ok('committee', b, 'file', { outcome: 'filed', proposalNo: '第2号' });
    expect((await d.ok('committee', c, 'file', { outcome: 'filed' })).proposalNo).toBe('第3号');

    const { d: yearly } = await suite.orgWith({ policy: { proposalNumberFormat: '第{year}{n4}号' } });
    const y = await yearly.register();
    const filed = await yearly.ok('committee', y, 'file', { outcome: 'filed' });
    expect(filed.proposalNo).toMatch(/^第20\d{2}0001号$/);
  });

  it('not filed: needs a standard reason, tells the proposers why, and ends', async () => {
    const id = await d.register();
    const bad = await d.act('committee', id, 'file', { outcome: 'not_filed', reasonCode: 'because' });
    expect(bad.status).toBe(422);
    expect(bad.json.field).toBe('reasonCode');
    await d.ok('committee', id, 'file', { outcome: 'not_filed', reasonCode: 'personal', reasonText: '反映的是个人待遇问题' });
    const detail = await d.stage(id, 'not_filed');
    expect(detail.proposal.filingReason).toBe('personal');
    const mail = await waitForMail((m) => m.to.includes(org.proposerEmails.first) && m.subject.includes('未予立案') && m.text.includes('个人待遇'));
    expect(mail.text).toContain('属于个人事务');
    expect((await d.act('office', id, 'assign', { mode: 'sole', units: [org.units.lead] })).status).toBe(409);
  });

  it('converted to an opinion: forwarded with no reply clock', async () => {
    const id = await d.register();
    await d.ok('committee', id, 'file', { outcome: 'converted', reasonText: '属于工作建议，转有关部门参考' });
    const detail = await d.stage(id, 'converted');
    expect(detail.proposal.nextDueAt).toBeNull();
    await waitForMail((m) => m.subject.includes('转为意见建议') && m.to.includes(org.proposerEmails.first));
  });

  it("merged: one handling, but the merged proposal's proposers get a letter of their own and rate separately", async () => {
    const main = await d.filed();
    const other = await d.register({
      title: '关于发展低空经济的建议',
      proposerKind: 'individual',
      proposers: [{ kind: 'member', name: `赵六${org.prefix}`, email: `${org.prefix}-zhao@members.test` }],
    });
    const self = await d.act('committee', other, 'file', { outcome: 'merged', mergedInto: other });
    expect(self.status).toBe(422);
    // A merge target that does not exist, belongs to another session or is no longer handled is
    // refused with a message, and the proposal stays as it was (still to be filed).
    const missing = await d.act('committee', other, 'file', { outcome: 'merged', mergedInto: `${main}-不存在` });
    expect(missing.status).toBe(422);
    expect(missing.json).toMatchObject({ error: 'INVALID_INPUT', field: 'mergedInto' });
    expect(missing.json.message).toContain('不存在');
    const elsewhere = await suite.orgWith({});
    const otherSession = await elsewhere.d.filed();
    const wrongSession = await d.act('committee', other, 'file', { outcome: 'merged', mergedInto: otherSession });
    expect(wrongSession.status).toBe(422);
    expect(wrongSession.json.message).toContain('届次');
    const withdrawn = await d.filed();
    await d.ok('office', withdrawn, 'withdraw', { reason: '提案者申请撤回' });
    await d.stage(withdrawn, 'withdrawn');
    const closed = await d.act('committee', other, 'file', { outcome: 'merged', mergedInto: withdrawn });
    expect(closed.status).toBe(422);
    expect(closed.json.message).toContain('不在办理中');
    expect((await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(other)}`)).json.proposal.stage).toBe('received');
    await d.ok('committee', other, 'file', { outcome: 'merged', mergedInto: main });
    await d.stage(other, 'merged');
    await d.ok('office', main, 'assign', { mode: 'sole', units: [org.units.lead] });
    await d.reply(main);
    const detail = await d.stage(main, 'dispatched');
    expect(detail.live.mergedProposerIds).toHaveLength(1);
    const docNo = detail.proposal.replyDocNo as string;
    // 并案: the main letter to the main proposal's proposers; the merged proposer's own letter is
    // addressed to them, about their own proposal, under the same reply number.
    const letter = await waitForMail((m) => m.subject.includes(docNo) && m.to.includes(org.proposerEmails.first));
    expect(letter.to).not.toContain(`${org.prefix}-zhao@members.test`);
    const own = await waitForMail((m) => m.subject.includes(docNo) && m.to.includes(`${org.prefix}-zhao@members.test`));
    expect(own.to).toEqual([`${org.prefix}-zhao@members.test`]);
    expect(own.text).toContain(`赵六${org.prefix}委员：`);
    expect(own.text).toContain('《关于发展低空经济的建议》收悉');
    expect(own.attachments.map((a) => a.filename)).toEqual([`${docNo} 答复函.docx`]);
    // Their own proposal's page lists the letter sent to them.
    const docs = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(other)}/documents`);
    expect((docs.json.items as { kind: string; title: string }[]).map((x) => [x.kind, x.title])).toEqual([['reply_letter', `${docNo} 答复函（并案办理）`]]);
    // The merged proposer's own feedback link, in a mail of their own.
    const request = await waitForMail((m) => m.subject.includes('征询意见') && m.to.includes(`${org.prefix}-zhao@members.test`));
    const token = /\/feedback\/([\w.-]+)/.exec(request.text)![1]!;
    const rated = await api.call(null, 'POST', `/feedback/${token}`, { attitude: 'satisfied', result: 'basically_satisfied' });
    expect(rated.status).toBe(200);
    const ratings = await db.selectFrom('ratings').selectAll().where('workflow_id', '=', main).execute();
    expect(ratings).toHaveLength(1);
    expect(ratings[0]!.on_behalf).toBe(false);
    const events = await db.selectFrom('events').select(['step', 'summary']).where('workflow_id', '=', other).where('step', '=', 'mergedReply').execute();
    expect(events.map((e) => (e.summary as { into: string }).into)).toEqual([main]);
    const client = await temporalClient();
    await maybeRecordHistory(client, main, 'merged-own-letter');
    await client.connection.close();
  });

  it('merged, with the joint-letter policy: one letter answers every proposer', async () => {
    const { org: joint, d: jd } = await suite.orgWith({ policy: { mergedReplies: 'joint_letter' } });
    const main = await jd.filed();
    const other = await jd.register({
      title: '关于发展低空经济的建议',
      proposerKind: 'individual',
      proposers: [{ kind: 'member', name: `赵六${joint.prefix}`, email: `${joint.prefix}-zhao@members.test` }],
    });
    await jd.ok('committee', other, 'file', { outcome: 'merged', mergedInto: main });
    await jd.stage(other, 'merged');
    await jd.ok('office', main, 'assign', { mode: 'sole', units: [joint.units.lead] });
    await jd.reply(main);
    const detail = await jd.stage(main, 'dispatched');
    const letter = await waitForMail((m) => m.subject.includes(detail.proposal.replyDocNo) && m.to.includes(joint.proposerEmails.first));
    expect(letter.to).toContain(`${joint.prefix}-zhao@members.test`);
    expect(await db.selectFrom('documents').select('id').where('workflow_id', '=', other).execute()).toEqual([]);
  });

  it('withdrawn during handling: open unit work is cancelled and the units are told', async () => {
    const id = await d.assigned('lead', [org.units.lead, org.units.co1]);
    expect((await d.act('leadLiaison', id, 'withdraw', { reason: 'x' })).status).toBe(403);
    await d.ok('office', id, 'withdraw', { reason: '提案者申请撤回' });
    await d.stage(id, 'withdrawn');
    const tasks = await db.selectFrom('unit_tasks').select(['unit_id', 'status']).where('workflow_id', '=', id).execute();
    expect(tasks.map((t) => t.status)).toEqual(['cancelled', 'cancelled']);
    await waitForMail((m) => m.subject.includes('撤案通知') && m.to.includes(`${org.units.co1}@units.test`));
    expect((await d.act('leadLiaison', id, 'recordNoConsultation', { reason: 'x' })).status).toBe(409);
    const client = await temporalClient();
    await maybeRecordHistory(client, id, 'withdrawn');
    await client.connection.close();
  });
});
