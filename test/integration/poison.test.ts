import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProposalClient } from '../../client/temporal.js';
import type { Db } from '../../db/connection.js';
import { putText } from '../../db/repositories/blobs.js';
import { proposalWorkflowId } from '../../workflows/shared/ids.js';
import { jointProposal, proposalClient, seedOrg, testDb, uniq, type Org } from '../support/context.js';

// Input that passes every check but that PostgreSQL refuses must fail at once, typed, and leave
// the proposal usable: no twenty retries holding the lock, no version number burnt. These go
// straight to the workflow (no HTTP door in front), which must defend itself as well.

let db: Db;
let client: ProposalClient;
let org: Org;

beforeAll(async () => {
  db = testDb();
  client = await proposalClient();
  org = await seedOrg(db);
});
afterAll(async () => {
  await client?.client.connection.close();
  await db?.destroy();
});

function failureOf(err: unknown): ApplicationFailure | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 6; depth++) {
    if (e instanceof ApplicationFailure && e.type) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

async function refusal(promise: Promise<unknown>): Promise<{ type: string | undefined; message: string; ms: number }> {
  const started = Date.now();
  try {
    await promise;
  } catch (err) {
    const failure = failureOf(err);
    return { type: failure?.type ?? undefined, message: failure?.message ?? String(err), ms: Date.now() - started };
  }
  throw new Error('expected a refusal');
}

async function registered(): Promise<{ id: string; registration: Parameters<ProposalClient['register']>[0] }> {
  const form = jointProposal(org, uniq('P'));
  const bodyHash = await putText(db, form.body);
  const registration = { ...form, actor: org.actors.office, bodyHash, topic: form.topic, receivedDate: form.receivedDate };
  const view = await client.register(registration);
  expect(view.workflowId).toBe(proposalWorkflowId(form.sessionCode, form.receiptNo));
  return { id: view.workflowId, registration };
}

describe('poison input', () => {
  it('refuses the same receipt registered again with other data, and answers a true retry', async () => {
    const { id, registration } = await registered();
    expect((await client.register(registration)).workflowId).toBe(id);
    const r = await refusal(client.register({ ...registration, title: '关于另一件事情的建议' }));
    expect(r.type).toBe('CONFLICT');
    expect(r.message).toContain('标题');
  });

  it('refuses an assignment to a unit not in the directory at once, then takes a valid one', async () => {
    const { id } = await registered();
    await client.act(id, 'file', org.actors.committee, { outcome: 'filed', proposalNo: `第${uniq('')}号` });
    const r = await refusal(client.act(id, 'assign', org.actors.office, { mode: 'sole', units: ['no-such-unit'] }));
    expect(r.type).toBe('DATA_REJECTED');
    // Bounded well below the old behaviour (20 retries, ~451 s); generous for a loaded 2-core machine.
    expect(r.ms).toBeLessThan(5_000);
    const started = Date.now();
    const view = await client.act(id, 'assign', org.actors.office, { mode: 'sole', units: [org.units.lead] });
    expect(view.stage).toBe('handling');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a draft whose text was never stored, and the next draft is still version 1', async () => {
    const { id } = await registered();
    await client.act(id, 'file', org.actors.committee, { outcome: 'filed', proposalNo: `第${uniq('')}号` });
    await client.act(id, 'assign', org.actors.office, { mode: 'sole', units: [org.units.lead] });
    const r = await refusal(client.act(id, 'saveDraft', org.actors.leadLiaison, { bodyHash: 'f'.repeat(64), replyClass: 'A' }));
    expect(r.type).toBe('DATA_REJECTED');
    const bodyHash = await putText(db, `答复正文${uniq('')}`);
    const view = await client.act(id, 'saveDraft', org.actors.leadLiaison, { bodyHash, replyClass: 'A' });
    expect(view.tracks[0]!.drafts.map((d) => d.version)).toEqual([1]);
    const versions = await db.selectFrom('reply_versions').select('version').where('workflow_id', '=', id).execute();
    expect(versions.map((v) => v.version)).toEqual([1]);
  });

  it('refuses text PostgreSQL cannot store in the validator: nothing reaches history', async () => {
    const { id } = await registered();
    const handle = client.client.workflow.getHandle(id);
    // The workflow may still be settling after registration; what must not appear is an accepted update.
    const accepted = async () => (await handle.fetchHistory()).events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length ?? 0;
    const before = await accepted();
    for (const reason of ['撤回\u0000理由', '孤立的\ud800代理字符']) {
      const r = await refusal(client.act(id, 'withdraw', org.actors.office, { reason }));
      expect(r.type).toBe('INVALID_INPUT');
    }
    const r = await refusal(client.act(id, 'withdraw', org.actors.office, { reason: '理由', extra: 1 } as never));
    expect(r.type).toBe('INVALID_INPUT');
    expect(r.message).toContain('extra');
    expect(await accepted()).toBe(before);
  });
});
