import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedbackLinks } from '../../activities/feedback-link.js';
import { makeJointConsentActivities, type JointConsentActivities } from '../../activities/joint-consent.js';
import { jointLinksFrom } from '../../activities/joint-link.js';
import type { Db } from '../../db/connection.js';
import { putText } from '../../db/repositories/blobs.js';
import { TEST_LINK_BASE, TEST_LINK_SECRET } from '../support/constants.js';
import { seedOrg, testDb, uniq, type Org } from '../support/context.js';
import { failureOf } from '../support/activities.js';

// The joint-consent steps on the real database, called directly: one transaction per step, the
// same key twice changes nothing, and a refused step writes nothing.

let db: Db;
let acts: JointConsentActivities;
let org: Org;
const feedbackLinks = createFeedbackLinks(TEST_LINK_SECRET, TEST_LINK_BASE);

beforeAll(async () => {
  db = testDb();
  acts = makeJointConsentActivities(db, feedbackLinks);
  org = await seedOrg(db);
});
afterAll(async () => {
  await db?.destroy();
});

async function rows(workflowId: string) {
  const [drafts, signers, events, mail] = await Promise.all([
    db.selectFrom('joint_drafts').selectAll().where('workflow_id', '=', workflowId).execute(),
    db.selectFrom('joint_signers').selectAll().where('draft_workflow_id', '=', workflowId).orderBy('position').execute(),
    db.selectFrom('events').selectAll().where('workflow_id', '=', workflowId).orderBy('id').execute(),
    db.selectFrom('notifications').selectAll().where('workflow_id', '=', workflowId).orderBy('id').execute(),
  ]);
  return { drafts, signers, events, mail };
}

async function opened() {
  const receiptNo = uniq('LM');
  const workflowId = `joint:${org.sessionCode}:${receiptNo}`;
  const args = {
    key: `${workflowId}:open`,
    workflowId,
    actor: org.actors.office,
    sessionCode: org.sessionCode,
    receiptNo,
    title: '关于联名推进数字乡村建设的建议',
    bodyHash: await putText(db, `正文${uniq('')}：一、情况；二、问题；三、建议。`),
    topic: null,
    firstSigner: { proposerId: org.actors.proposer.proposerId! },
    coSigners: [{ name: `王${uniq('')}`, email: `${uniq('w')}@members.test` }, { name: `孙${uniq('')}` }],
    now: '2026-03-02T01:00:00.000Z',
  };
  return { args, result: await acts.openJointDraft(args) };
}

describe('joint-consent activities', () => {
  it('opens a draft with its signers, an expiry from the default rule when the policy has none, and one invitation per co-signer with an address, once', async () => {
    const { args, result } = await opened();
    // 2026-03-02 is a Monday: five working days later is Monday 9 March, end of day in Beijing.
    expect(result.view.expiresAt).toBe('2026-03-09T15:59:59.999Z');
    expect(result.view.signers.map((s) => s.status)).toEqual(['first_signer', 'invited', 'invited']);
    expect(result.view.signers[0]!.name).toBe(`张永庆${org.prefix}`);
    expect(result.notificationKeys).toHaveLength(1);
    const first = await rows(args.workflowId);
    expect(first.mail[0]!.to_addrs).toEqual([args.coSigners[0]!.email]);
    const token = /\/joint-consent\/([\w.-]+)/.exec(first.mail[0]!.body_text)![1]!;
    expect(jointLinksFrom(feedbackLinks).verify(token, new Date('2026-03-03T00:00:00.000Z'))).toMatchObject({ draftId: args.workflowId, position: 1 });

    const again = await acts.openJointDraft(args);
    expect(again.notificationKeys).toEqual(result.notificationKeys);
    expect(await rows(args.workflowId)).toEqual(first);
  });

  it('records an answer once for its key, and only for a signer still invited', async () => {
    const { args } = await opened();
    const answer = {
      key: `${args.workflowId}:${uniq('upd-')}`,
      workflowId: args.workflowId,
      actor: org.actors.office,
      position: 2,
      status: 'paper_accepted' as const,
      comment: '回执',
      now: '2026-03-03T01:00:00.000Z',
    };
    await acts.recordJointAnswer(answer);
    const after = await rows(args.workflowId);
    await acts.recordJointAnswer(answer);
    expect(await rows(args.workflowId)).toEqual(after);
    expect(after.signers[2]).toMatchObject({ status: 'paper_accepted', answered_by_user_id: org.actors.office.userId, comment: '回执' });
  });

  it('closes the window once: the unanswered are expired and the first signer and the office get one summary', async () => {
    const { args } = await opened();
    const close = { key: `${args.workflowId}:close`, workflowId: args.workflowId, reason: 'expired' as const, now: '2026-03-10T00:00:00.000Z' };
    const first = await acts.closeJointConsent(close);
    const after = await rows(args.workflowId);
    expect(await acts.closeJointConsent(close)).toEqual(first);
    expect(await rows(args.workflowId)).toEqual(after);
    expect(after.signers.map((s) => s.status)).toEqual(['first_signer', 'expired', 'expired']);
    const summary = after.mail.find((m) => m.kind === 'joint_consent_closed')!;
    expect(summary.to_addrs).toEqual([org.proposerEmails.first]);
    expect(summary.cc_addrs).toContain(`${org.prefix}-office@staff.test`);
    expect(summary.body_text).toContain(`未答复：${args.coSigners[0]!.name}、${args.coSigners[1]!.name}`);
  });

  it('refuses a draft under a receipt number already registered in the session, and writes nothing', async () => {
    const receiptNo = uniq('R');
    await db
      .insertInto('proposals')
      .values({
        workflow_id: `proposal:${org.sessionCode}:${receiptNo}`,
        session_code: org.sessionCode,
        receipt_no: receiptNo,
        title: '已登记',
        body_hash: await putText(db, '已登记的正文'),
        proposer_kind: 'individual',
        received_date: '2026-03-01',
        stage: 'received',
        unit_ids: [],
        updated_at: new Date(),
      })
      .execute();
    const { args } = await opened();
    const clash = { ...args, receiptNo, workflowId: `joint:${org.sessionCode}:${receiptNo}`, key: `joint:${org.sessionCode}:${receiptNo}:open` };
    const err = await failureOf(acts.openJointDraft(clash));
    expect(err.type).toBe('CONFLICT');
    expect(await rows(clash.workflowId)).toEqual({ drafts: [], signers: [], events: [], mail: [] });
  });
});
