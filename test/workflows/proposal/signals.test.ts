import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProposalClient } from '../../../client/temporal.js';
import { deadlinesChangedSignal } from '../../../workflows/proposal/definitions.js';
import { coTaskWorkflowId } from '../../../workflows/shared/ids.js';
import { temporalClient, uniq } from '../../support/context.js';
import { startStubWorker, type StubWorker } from '../../support/stub-activities.js';
import { cast, fakeHash, registration, waitUntil, type Cast } from '../../support/workflow-fixtures.js';

// A signal that lands while a step of the workflow's own waits on an activity: the step used to
// set the state it had computed before the signal, and the co-unit's answer was lost from the
// proposal for good (seen once in CI: a 会办任务 ended no_opinion while the proposal still showed
// the unit as due). Loading the policy is a local activity now: while it runs the worker holds the
// workflow task, so nothing reaches the workflow until the task heartbeats at 80% of its 10 s
// timeout. From the recalculation on, the stub takes 13 s, so the answer is delivered at that
// heartbeat, inside the step.

let client: Client;
let proposals: ProposalClient;
let stub: StubWorker;
let c: Cast;

beforeAll(async () => {
  stub = await startStubWorker(uniq('wf-signals-'));
  client = await temporalClient();
  proposals = new ProposalClient(client, stub.taskQueue);
  c = cast();
});
afterAll(async () => {
  await stub?.stop();
  await client?.connection.close();
});

describe('signals while a step is in flight', () => {
  it('keeps a co-unit’s answer that arrives while the proposal recalculates its deadlines', async () => {
    const { workflowId: id } = await proposals.register(registration(c));
    await proposals.act(id, 'file', c.committee, { outcome: 'filed' });
    await proposals.act(id, 'assign', c.office, { mode: 'lead', units: [c.units.lead, c.units.co1] });

    const loads = () => stub.stubs.of('loadPolicy');
    const before = loads().length;
    stub.stubs.setDelay('loadPolicy', 13_000);
    await client.workflow.getHandle(id).signal(deadlinesChangedSignal, { reason: '调休调整', reloadPolicy: true });
    await waitUntil(async () => loads().length > before, 'the recalculation is loading the policy');
    const recalculation = loads()[before]!;

    // The client reads the proposal (a query, answered at that heartbeat) before and after the
    // co-unit's task takes the answer; the task ends, and reports to the proposal, in between.
    const answering = proposals.act(id, 'submitCoOpinion', c.co1Liaison, { kind: 'no_opinion' });
    expect(await client.workflow.getHandle(coTaskWorkflowId(id, c.units.co1, 0)).result()).toMatchObject({ status: 'no_opinion' });
    // The answer came in while the recalculation still held its older state.
    expect(recalculation.endedAt).toBeNull();
    await answering;

    // The next action waits for the recalculation (one lock), so its answer shows what that left.
    const afterwards = await proposals.act(id, 'saveDraft', c.leadLiaison, { bodyHash: fakeHash(), replyClass: 'A' });
    expect(recalculation.endedAt).not.toBeNull();
    expect(afterwards.units.find((u) => u.unitId === c.units.co1)?.coOpinion?.status).toBe('no_opinion');
    expect((await proposals.state(id))!.units.find((u) => u.unitId === c.units.co1)?.coOpinion?.status).toBe('no_opinion');
  });
});
