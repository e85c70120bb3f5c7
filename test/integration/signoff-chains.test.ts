import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { eventually, mailMatching, seedOrg, temporalClient, testDb, waitForMail, type Org } from '../support/context.js';
import { maybeRecordHistory } from '../support/histories.js';
import { Driver } from '../support/drive.js';
import { enc, startApi, type Api } from '../support/http.js';
import type { SignOffChain } from '../../workflows/shared/types.js';

// 审签流程 per unit on the real stack: the unit's chain (处室审核 → 分管领导, a reminder after 3 s)
// is read when the reply is submitted; each step is signed by its own role, is reminded on its
// own, and may return the draft; the last step approves and the reply goes out.

let db: Db;
let api: Api;
let org: Org;
let d: Driver;

beforeAll(async () => {
  db = testDb();
  api = await startApi(db);
  org = await seedOrg(db);
  const chain: SignOffChain = { ordinary: ['liaison', 'leader'], remindAfter: { amount: 3, unit: 'seconds' } };
  await db
    .updateTable('units')
    .set({ signoff_chain: JSON.stringify(chain) })
    .where('id', '=', org.units.lead)
    .execute();
  d = await new Driver(api, db, org).login();
});
afterAll(async () => {
  await api.close();
  await db.destroy();
});

const liaisonMail = () => `${org.units.lead}@units.test`;
const leaderMail = () => `${org.units.lead}-leader@units.test`;

describe("a unit's sign-off chain", () => {
  it('each step is asked in turn, reminded on its own, may return the draft; the last approval sends the reply', async () => {
    const id = await d.assigned('sole');
    await d.ok('leadLiaison', id, 'recordConsultation', { date: '2026-02-03', way: 'face_to_face', participants: '提案者、承办处室', summary: '面商。' });
    await d.ok('leadLiaison', id, 'saveDraft', { body: '答复正文：已开展工作；下一步工作。', replyClass: 'A' });
    await d.ok('leadLiaison', id, 'submitForSignOff', {});
    await waitForMail((m) => m.subject.includes('待审签') && m.to.includes(liaisonMail()) && m.text.includes('第1步（共2步）：处室审核'));

    // The leader may not sign before the 处室 has.
    const early = await d.act('leadLeader', id, 'signOff', { decision: 'approve' });
    expect(early.status).toBe(403);
    expect(early.json.message).toContain('处室审核');
    await d.ok('leadLiaison', id, 'signOff', { decision: 'approve' });
    await waitForMail((m) => m.subject.includes('待审签') && m.to.includes(leaderMail()) && m.text.includes('第2步（共2步）：分管领导'));
    const page = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(id)}`);
    expect(page.json.tasks[0].status).toBe('signoff');

    // The leader's step waits past its 3 s: the leader (not the liaison) is reminded, once.
    await eventually(async () => mailMatching((m) => m.subject.includes('审签提醒') && m.to.includes(leaderMail())).length === 1, 20_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(mailMatching((m) => m.subject.includes('审签提醒') && m.to.includes(leaderMail()))).toHaveLength(1);

    await d.ok('leadLeader', id, 'signOff', { decision: 'return', reason: '请补充具体措施' });
    await waitForMail((m) => m.subject.includes('审签退回') && m.to.includes(liaisonMail()) && m.text.includes('分管领导'));
    await d.ok('leadLiaison', id, 'saveDraft', { body: '答复正文：已开展工作；补充了具体措施。', replyClass: 'A', changeNote: '补充具体措施' });
    await d.ok('leadLiaison', id, 'submitForSignOff', {});
    await d.ok('leadLiaison', id, 'signOff', { decision: 'approve' });
    await d.ok('leadLeader', id, 'signOff', { decision: 'approve' });
    await d.stage(id, 'dispatched');
    const signed = await db.selectFrom('events').select('summary').where('workflow_id', '=', id).where('step', '=', 'signOff').orderBy('id').execute();
    expect(signed.map((e) => [(e.summary as { decision: string }).decision, (e.summary as { signer: string }).signer])).toEqual([
      ['approve', '处室审核'],
      ['return', '分管领导'],
      ['approve', '处室审核'],
      ['approve', '分管领导'],
    ]);
    const temporal = await temporalClient();
    await maybeRecordHistory(temporal, id, 'signoff-chain');
    await temporal.connection.close();
  });
});
