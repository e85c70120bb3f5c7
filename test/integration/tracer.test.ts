import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maybeRecordHistory } from '../support/histories.js';
import { BanliProposalNo } from '../../workflows/shared/search-attributes.js';
import { replyTaskWorkflowId } from '../../workflows/shared/ids.js';
import { putText } from '../../db/repositories/blobs.js';
import type { Db } from '../../db/connection.js';
import type { ProposalClient } from '../../client/temporal.js';
import { eventually, jointProposal, proposalClient, seedOrg, testDb, uniq, waitForMail, type Org } from '../support/context.js';

let db: Db;
let client: ProposalClient;
let org: Org;

beforeAll(async () => {
  db = testDb();
  client = await proposalClient();
  org = await seedOrg(db);
});
afterAll(async () => {
  await client.client.connection.close();
  await db.destroy();
});

describe('tracer bullet: one proposal carried end to end', () => {
  it('goes received → filed → assigned → replied → signed → dispatched, with the reply mailed to every proposer', async () => {
    const receiptNo = uniq('R');
    const reg = jointProposal(org, receiptNo);
    const bodyHash = await putText(db, reg.body);
    const registered = await client.register({ ...reg, bodyHash, actor: org.actors.office });
    const id = registered.workflowId;
    expect(registered.stage).toBe('received');
    expect(registered.proposerIds).toHaveLength(2);

    const filed = await client.act(id, 'file', org.actors.committee, { outcome: 'filed', proposalNo: `第${receiptNo}号` });
    expect(filed.stage).toBe('filed');

    const assigned = await client.act(id, 'assign', org.actors.office, { mode: 'sole', units: [org.units.lead] });
    expect(assigned.stage).toBe('handling');
    expect(assigned.tracks[0]!.dueAt).toMatch(/^2\d{3}-/);

    const summaryHash = await putText(db, '与张永庆委员面商，听取意见。');
    await client.act(id, 'recordConsultation', org.actors.leadLiaison, { date: '2026-02-10', way: 'face_to_face', participants: '张永庆委员、王处长', summaryHash });
    const replyHash = await putText(db, '一、已开展工作：出台数字经济促进条例。\n二、下一步工作：加大研发投入。');
    await client.act(id, 'saveDraft', org.actors.leadLiaison, { bodyHash: replyHash, replyClass: 'A' });
    await client.act(id, 'submitForSignOff', org.actors.leadLiaison, {});
    await client.act(id, 'signOff', org.actors.leadLeader, { decision: 'approve' });

    const dispatched = await eventually(async () => {
      const s = await client.state(id);
      return s?.stage === 'dispatched' ? s : null;
    });
    const docNo = dispatched.tracks[0]!.docNo!;
    expect(docNo).toMatch(/提〔\d{4}〕1号$/);

    const mail = await waitForMail((m) => m.subject.includes(docNo));
    expect(mail.to.sort()).toEqual([org.proposerEmails.first, org.proposerEmails.cosigner].sort());
    expect(mail.text).toContain('现答复如下');
    expect(mail.text).toContain('出台数字经济促进条例');
    expect(mail.cc).toContain(`${org.prefix}-office@staff.test`);

    const row = await db.selectFrom('proposals').selectAll().where('workflow_id', '=', id).executeTakeFirstOrThrow();
    expect(row.stage).toBe('dispatched');
    expect(row.reply_doc_no).toBe(docNo);
    const steps = (await db.selectFrom('events').select('step').where('workflow_id', '=', id).orderBy('id').execute()).map((e) => e.step);
    expect(steps).toEqual(['register', 'file', 'assign', 'recordConsultation', 'saveDraft', 'submitForSignOff', 'signOff', 'dispatch']);
    const outbox = await db.selectFrom('notifications').select(['kind', 'status']).where('workflow_id', '=', id).execute();
    expect(outbox.find((n) => n.kind === 'reply')?.status).toBe('sent');

    // Search attributes follow the proposal, so the Temporal UI and `temporal workflow list` find it.
    const listed = await eventually(async () => {
      const found: string[] = [];
      for await (const wf of client.client.workflow.list({
        query: `BanliSession = '${org.sessionCode}' AND BanliStage = 'dispatched' AND BanliUnits = '${org.units.lead}'`,
      })) {
        found.push(wf.workflowId);
      }
      return found.includes(id) ? found : null;
    });
    expect(listed).toEqual([id]);
    const described = await client.client.workflow.getHandle(id).describe();
    expect(described.typedSearchAttributes.get(BanliProposalNo)).toBe(`第${receiptNo}号`);

    // The lead unit's reply clock ran in its own 答复任务 child, which ended when the reply went out.
    const replyTask = client.client.workflow.getHandle(replyTaskWorkflowId(id, org.units.lead, 0));
    expect((await replyTask.describe()).parentExecution?.workflowId).toBe(id);
    expect((await replyTask.result()).status).toBe('answered');

    await maybeRecordHistory(client.client, id, 'tracer');
    await maybeRecordHistory(client.client, replyTaskWorkflowId(id, org.units.lead, 0), 'reply-task-answered');
  });
});
