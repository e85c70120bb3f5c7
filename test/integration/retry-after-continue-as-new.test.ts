import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProposalClient } from '../../client/temporal.js';
import type { Db } from '../../db/connection.js';
import { putText } from '../../db/repositories/blobs.js';
import { jointProposal, proposalClient, seedOrg, testDb, uniq, type Org } from '../support/context.js';

// Temporal de-duplicates an Update id within one run only. A person's retry that arrives after
// the proposal continued as new must get the answer, not a second consultation in the workflow
// state that the database (which saw the key) does not have.

let db: Db;
let proposals: ProposalClient;
let org: Org;
beforeAll(async () => {
  db = testDb();
  proposals = await proposalClient();
  org = await seedOrg(db, { policy: { continueAsNewAfterEvents: 80 } });
});
afterAll(async () => {
  await proposals.client.connection.close();
  await db.destroy();
});

it('answers an action retried after continue-as-new with the first result, applied once', async () => {
  const { body, ...rest } = jointProposal(org, uniq('R'));
  const id = (await proposals.register({ ...rest, bodyHash: await putText(db, body), actor: org.actors.office })).workflowId;
  await proposals.act(id, 'file', org.actors.committee, { outcome: 'filed', proposalNo: `第${uniq('')}号` });
  await proposals.act(id, 'assign', org.actors.office, { mode: 'sole', units: [org.units.lead] });
  const fields = { date: '2026-11-30', way: 'phone' as const, participants: '委员本人', summaryHash: await putText(db, '电话沟通，委员同意。') };
  const updateId = uniq('consult-');
  await proposals.act(id, 'recordConsultation', org.actors.leadLiaison, fields, updateId);
  const handle = proposals.client.workflow.getHandle(id);
  const firstRun = (await handle.describe()).runId;
  // Requests refused by the office fill the history until the policy's threshold makes it continue as new.
  for (let i = 0; i < 30 && (await handle.describe()).runId === firstRun; i++) {
    const due = (await proposals.state(id))!.deadlines[`reply:${org.units.lead}`]!;
    const later = new Date(Date.parse(`${due.dueDate}T00:00:00Z`) + 10 * 86_400_000).toISOString().slice(0, 10);
    await proposals.act(id, 'requestExtension', org.actors.leadLiaison, { newDate: later, reason: '需要补充调研' });
    await proposals.act(id, 'decideExtension', org.actors.office, { unitId: org.units.lead, decision: 'refuse', answer: '请按期答复' });
  }
  expect((await handle.describe()).runId).not.toBe(firstRun);

  const retried = await proposals.act(id, 'recordConsultation', org.actors.leadLiaison, fields, updateId);
  const rows = await db.selectFrom('consultations').select('id').where('workflow_id', '=', id).execute();
  const events = await db.selectFrom('events').select('id').where('workflow_id', '=', id).where('step', '=', 'recordConsultation').execute();
  expect(rows).toHaveLength(1);
  expect(events).toHaveLength(1);
  expect(retried.tracks[0]!.consultations).toBe(1);
});
