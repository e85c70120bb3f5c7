import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { eventually, jointProposal, seedOrg, temporalClient, testDb, uniq, waitForMail, type Org } from '../support/context.js';
import { enc, startApi, type Api } from '../support/http.js';

let db: Db;
let api: Api;
let org: Org;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  db = testDb();
  api = await startApi(db);
  org = await seedOrg(db);
  for (const [key, u] of Object.entries(org.users)) tokens[key] = await api.login(u.username, u.password);
});
afterAll(async () => {
  await api.close();
  await db.destroy();
});

async function countRows(receiptNo: string) {
  const proposals = await db.selectFrom('proposals').select('workflow_id').where('receipt_no', '=', receiptNo).execute();
  const events = await db.selectFrom('events').select('id').where('workflow_id', 'like', `%:${receiptNo}`).execute();
  return { proposals: proposals.length, events: events.length };
}

describe('HTTP → workflow → projection → mail', () => {
  it('refuses requests without a login', async () => {
    const res = await api.call(null, 'GET', '/api/proposals');
    expect(res.status).toBe(401);
    expect(res.json.message).toBe('请先登录');
  });

  it('answers 422 naming the field when registration misses or mangles one, and writes nothing', async () => {
    const receiptNo = uniq('R');
    const base = jointProposal(org, receiptNo);
    const { title: _t, ...withoutTitle } = base;
    const missing = await api.call(tokens.office!, 'POST', '/api/proposals', withoutTitle);
    expect(missing.status).toBe(422);
    expect(missing.json.field).toBe('title');
    expect(missing.json.message).toContain('标题');

    const badDate = await api.call(tokens.office!, 'POST', '/api/proposals', { ...base, receivedDate: '2026-13-45' });
    expect(badDate.status).toBe(422);
    expect(badDate.json.field).toBe('receivedDate');

    const badEmail = await api.call(tokens.office!, 'POST', '/api/proposals', {
      ...base,
      proposers: [{ ...base.proposers[0], email: 'not-an-email' }, base.proposers[1]],
    });
    expect(badEmail.status).toBe(422);
    expect(badEmail.json.field).toBe('proposers[0].email');

    const soloJoint = await api.call(tokens.office!, 'POST', '/api/proposals', { ...base, proposers: [base.proposers[0]] });
    expect(soloJoint.status).toBe(422);
    expect(soloJoint.json.field).toBe('proposers');

    const unknownSession = await api.call(tokens.office!, 'POST', '/api/proposals', { ...base, sessionCode: '不存在的届次' });
    expect(unknownSession.status).toBe(422);
    expect(unknownSession.json.field).toBe('sessionCode');

    const notJson = await api.call(tokens.office!, 'POST', '/api/proposals', '{oops');
    expect(notJson.status).toBe(422);
    expect(notJson.json.error).toBe('INVALID_INPUT');

    expect(await countRows(receiptNo)).toEqual({ proposals: 0, events: 0 });
  });

  it('refuses a proposal number already used in the session with a 409 naming the field, and the proposal stays unfiled', async () => {
    const first = await api.call(tokens.office!, 'POST', '/api/proposals', jointProposal(org, uniq('R')));
    const second = await api.call(tokens.office!, 'POST', '/api/proposals', jointProposal(org, uniq('R')));
    const number = `第${uniq('')}号`;
    const ok = await api.call(tokens.committee!, 'POST', `/api/proposals/${encodeURIComponent(first.json.workflowId)}/actions/file`, {
      outcome: 'filed',
      proposalNo: number,
    });
    expect(ok.status).toBe(200);
    const clash = await api.call(tokens.committee!, 'POST', `/api/proposals/${encodeURIComponent(second.json.workflowId)}/actions/file`, {
      outcome: 'filed',
      proposalNo: number,
    });
    expect(clash.status).toBe(409);
    expect(clash.json).toMatchObject({ error: 'CONFLICT', field: 'proposalNo' });
    const row = await db.selectFrom('proposals').select('stage').where('workflow_id', '=', second.json.workflowId).executeTakeFirstOrThrow();
    expect(row.stage).toBe('received');
    const retry = await api.call(tokens.committee!, 'POST', `/api/proposals/${encodeURIComponent(second.json.workflowId)}/actions/file`, {
      outcome: 'filed',
      proposalNo: `${number}之二`,
    });
    expect(retry.status).toBe(200);
  });

  it('registers collective proposers (party, organisation, sector group, special committee) and refuses a mismatched kind', async () => {
    for (const [proposerKind, kind, name] of [
      ['party', 'party', '民进浙江省委会'],
      ['organisation', 'organisation', '省工商联'],
      ['sector_group', 'sector_group', '经济界别'],
      ['special_committee', 'special_committee', '经济委员会'],
    ] as const) {
      const res = await api.call(tokens.office!, 'POST', '/api/proposals', {
        ...jointProposal(org, uniq('R')),
        proposerKind,
        proposers: [{ kind, name: `${name}${org.prefix}`, email: `${org.prefix}-${kind}@bodies.test` }],
      });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      expect(res.json.proposal.proposerKind).toBe(proposerKind);
    }
    const mismatch = await api.call(tokens.office!, 'POST', '/api/proposals', {
      ...jointProposal(org, uniq('R')),
      proposerKind: 'party',
      proposers: [{ kind: 'member', name: '张三', email: 'z@x.test' }],
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.json.field).toBe('proposers[0].kind');
  });

  it('lets only the office or committee register', async () => {
    const receiptNo = uniq('R');
    const res = await api.call(tokens.leadLiaison!, 'POST', '/api/proposals', jointProposal(org, receiptNo));
    expect(res.status).toBe(403);
    expect(await countRows(receiptNo)).toEqual({ proposals: 0, events: 0 });
  });

  it('carries a proposal registered over HTTP to the reply in the mailbox, answering a double click with the first result', async () => {
    const receiptNo = uniq('R');
    const created = await api.call(tokens.office!, 'POST', '/api/proposals', jointProposal(org, receiptNo), { 'idempotency-key': `reg-${receiptNo}` });
    expect(created.status).toBe(201);
    const id = created.json.workflowId as string;
    const again = await api.call(tokens.office!, 'POST', '/api/proposals', jointProposal(org, receiptNo), { 'idempotency-key': `reg-${receiptNo}` });
    expect(again.status).toBe(201);
    expect(again.json.workflowId).toBe(id);
    expect((await countRows(receiptNo)).events).toBe(1);

    const act = (who: string, action: string, body: unknown, key?: string) =>
      api.call(tokens[who]!, 'POST', `/api/proposals/${enc(id)}/actions/${action}`, body, key ? { 'idempotency-key': key } : {});

    // Wrong role, then wrong stage: typed refusals, nothing written — not even in Temporal's history.
    const temporal = await temporalClient();
    // The workflow may still be settling after registration (a workflow task of its own); what a
    // refusal must never leave is an Update in the history.
    const historyLength = async () =>
      (await temporal.workflow.getHandle(id).fetchHistory()).events?.filter(
        (e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateCompletedEventAttributes,
      ).length ?? 0;
    const before = await historyLength();
    const rowsBefore = (await countRows(receiptNo)).events;
    // (The proposer sees the proposal; a unit without a task on it would get 404, see below.)
    expect((await act('proposer', 'file', { outcome: 'filed', proposalNo: '第1号' })).status).toBe(403);
    const early = await act('office', 'assign', { mode: 'sole', units: [org.units.lead] });
    expect(early.status).toBe(409);
    expect(early.json.error).toBe('WRONG_STAGE');
    const noNumber = await act('committee', 'file', { outcome: 'filed', proposalNo: '   ' });
    expect(noNumber.status).toBe(422);
    expect(noNumber.json.field).toBe('proposalNo');
    expect(await historyLength()).toBe(before);
    expect((await countRows(receiptNo)).events).toBe(rowsBefore);
    await temporal.connection.close();

    expect((await act('committee', 'file', { outcome: 'filed', proposalNo: `第${receiptNo}号` }, `file-${receiptNo}`)).status).toBe(200);
    const dup = await act('committee', 'file', { outcome: 'filed', proposalNo: `第${receiptNo}号` }, `file-${receiptNo}`);
    expect(dup.status).toBe(200);
    expect(dup.json.proposal.stage).toBe('filed');
    expect((await act('office', 'assign', { mode: 'lead', units: [org.units.lead, org.units.co1] })).status).toBe(200);

    // A unit that was not assigned cannot act, and cannot even see the proposal: both are 404.
    expect((await act('otherLiaison', 'recordNoConsultation', { reason: 'x' })).status).toBe(404);
    expect((await api.call(tokens.otherLiaison!, 'GET', `/api/proposals/${enc(id)}`)).status).toBe(404);
    expect((await api.call(tokens.leadLiaison!, 'GET', `/api/proposals/${enc(id)}`)).status).toBe(200);

    expect(
      (await act('leadLiaison', 'recordConsultation', { date: '2026-02-03', way: 'phone', participants: '张委员', summary: '电话沟通，委员同意答复思路。' })).status,
    ).toBe(200);
    expect((await act('leadLiaison', 'saveDraft', { body: '一、已开展工作……\n二、下一步工作……', replyClass: 'A' })).status).toBe(200);
    const blocked = await act('leadLiaison', 'submitForSignOff', {});
    expect(blocked.status).toBe(409);
    expect(blocked.json.message).toContain('会办');
    expect((await act('co1Liaison', 'submitCoOpinion', { kind: 'opinion', body: '我厅同意主办单位意见，并建议加强科技支撑。' })).status).toBe(200);
    expect((await act('leadLiaison', 'submitForSignOff', {})).status).toBe(200);
    expect((await act('leadLeader', 'signOff', { decision: 'return', reason: '请逐条回应建议' })).status).toBe(200);
    expect((await act('leadLiaison', 'saveDraft', { body: '针对建议一……针对建议二……', replyClass: 'A', changeNote: '逐条回应' })).status).toBe(200);
    expect((await act('leadLiaison', 'submitForSignOff', {})).status).toBe(200);
    expect((await act('leadLeader', 'signOff', { decision: 'approve' })).status).toBe(200);

    const detail = await eventually(async () => {
      const res = await api.call(tokens.office!, 'GET', `/api/proposals/${enc(id)}`);
      return res.json.proposal?.stage === 'dispatched' ? res.json : null;
    });
    const docNo = detail.proposal.replyDocNo as string;
    const mail = await waitForMail((m) => m.subject.includes(docNo));
    expect(mail.to.sort()).toEqual([org.proposerEmails.first, org.proposerEmails.cosigner].sort());
    expect(mail.cc).toContain(`${org.units.co1}@units.test`);
    expect(mail.text).toContain('针对建议一');
    expect(mail.text).toContain('经综合省科技厅');

    const events = await api.call(tokens.office!, 'GET', `/api/proposals/${enc(id)}/events`);
    expect(events.json.items.map((e: { step: string }) => e.step)).toEqual([
      'register',
      'file',
      'assign',
      'recordConsultation',
      'saveDraft',
      'submitCoOpinion',
      'submitForSignOff',
      'signOff',
      'saveDraft',
      'submitForSignOff',
      'signOff',
      'dispatch',
    ]);
    const versions = await db.selectFrom('reply_versions').select(['version', 'change_note']).where('workflow_id', '=', id).orderBy('version').execute();
    expect(versions).toEqual([
      { version: 1, change_note: '初稿' },
      { version: 2, change_note: '逐条回应' },
    ]);
  });
});
