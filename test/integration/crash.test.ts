import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putText } from '../../db/repositories/blobs.js';
import type { Db } from '../../db/connection.js';
import type { ProposalClient } from '../../client/temporal.js';
import { eventually, jointProposal, mailMatching, proposalClient, seedOrg, testDb, uniq, waitForMail, type Org } from '../support/context.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

let db: Db;
let client: ProposalClient;
let org: Org;
const taskQueue = uniq('crash-');
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  db = testDb();
  client = await proposalClient(taskQueue);
  org = await seedOrg(db);
});
afterAll(async () => {
  for (const w of workers) await w.kill('SIGTERM');
  await client.client.connection.close();
  await db.destroy();
});

describe('a worker killed mid-way', () => {
  it('resumes on a new worker and finishes the proposal with no step done twice', async () => {
    workers.push(await startWorkerProcess(taskQueue));
    const receiptNo = uniq('R');
    const reg = jointProposal(org, receiptNo);
    const registered = await client.register({ ...reg, bodyHash: await putText(db, reg.body), actor: org.actors.office });
    const id = registered.workflowId;
    await client.act(id, 'file', org.actors.committee, { outcome: 'filed', proposalNo: `第${receiptNo}号` });
    await client.act(id, 'assign', org.actors.office, { mode: 'sole', units: [org.units.lead] });

    // Crash 1: between steps. The next action waits for a worker and completes on the new one.
    await workers[0]!.kill('SIGKILL');
    const pending = client.act(id, 'recordNoConsultation', org.actors.leadLiaison, { reason: '委员长期在外地，经多次联系未能协商' }, `noc-${receiptNo}`);
    workers.push(await startWorkerProcess(taskQueue));
    expect((await pending).tracks[0]!.noConsultationReason).toContain('未能协商');

    await client.act(id, 'saveDraft', org.actors.leadLiaison, { bodyHash: await putText(db, '答复正文：已开展工作与下一步工作。'), replyClass: 'A' });
    await client.act(id, 'submitForSignOff', org.actors.leadLiaison, {});
    await client.act(id, 'signOff', org.actors.leadLeader, { decision: 'approve' });
    // Crash 2: right after sign-off, while the reply is being numbered, stored and mailed.
    await workers[1]!.kill('SIGKILL');
    workers.push(await startWorkerProcess(taskQueue));

    const done = await eventually(async () => {
      const s = await client.state(id);
      return s?.stage === 'dispatched' ? s : null;
    }, 60_000);
    const docNo = done.tracks[0]!.docNo!;
    await waitForMail((m) => m.subject.includes(docNo));
    // Give a duplicate, if any, the time to show up.
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailMatching((m) => m.subject.includes(docNo))).toHaveLength(1);

    const steps = (await db.selectFrom('events').select('step').where('workflow_id', '=', id).orderBy('id').execute()).map((e) => e.step);
    expect(steps).toEqual(['register', 'file', 'assign', 'recordNoConsultation', 'saveDraft', 'submitForSignOff', 'signOff', 'dispatch']);
    const numbers = await db.selectFrom('doc_numbers').select('doc_no').where('unit_id', '=', org.units.lead).execute();
    expect(numbers.map((n) => n.doc_no)).toEqual([docNo]);
  });
});
