import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProposalClient } from '../../../client/temporal.js';
import { coTaskQuery, submitCoOpinionUpdate } from '../../../workflows/co-opinion/definitions.js';
import { actionUpdates, proposalWorkflowId } from '../../../workflows/proposal/definitions.js';
import { replyTaskQuery } from '../../../workflows/reply-task/definitions.js';
import { coTaskWorkflowId, replyTaskWorkflowId } from '../../../workflows/shared/ids.js';
import { eventually, temporalClient, uniq } from '../../support/context.js';
import { startStubWorker, type StubWorker } from '../../support/stub-activities.js';
import { cast, fakeHash, quiescentTrail, registration, updateTrail, waitUntil, type Cast } from '../../support/workflow-fixtures.js';

// proposalHandling on the real dev server with stub activities: the workflow's own logic.

let client: Client;
let proposals: ProposalClient;
let stub: StubWorker;
let c: Cast;

beforeAll(async () => {
  stub = await startStubWorker(uniq('wf-proposal-'));
  client = await temporalClient();
  proposals = new ProposalClient(client, stub.taskQueue);
  c = cast();
});
afterAll(async () => {
  await stub?.stop();
  await client?.connection.close();
});

async function registered(): Promise<string> {
  const view = await proposals.register(registration(c));
  return view.workflowId;
}

async function filed(): Promise<string> {
  const id = await registered();
  await proposals.act(id, 'file', c.committee, { outcome: 'filed' });
  return id;
}

/** Lead + two co-units (主办 + 会办). */
async function assignedWithCoUnits(): Promise<{ id: string; updateId: string }> {
  const id = await filed();
  const updateId = uniq('assign-');
  await proposals.act(id, 'assign', c.office, { mode: 'lead', units: [c.units.lead, c.units.co1, c.units.co2] }, updateId);
  return { id, updateId };
}

async function refusal(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    return cause as ApplicationFailure;
  }
  throw new Error('expected the update to be refused');
}

describe('proposalHandling (stub activities)', () => {
  it('registers, files with the session’s next number, and records each step under its update id', async () => {
    const reg = registration(c);
    const registerId = uniq('register-');
    const view = await proposals.register(reg, registerId);
    const id = proposalWorkflowId(c.sessionCode, reg.receiptNo);
    expect(view).toMatchObject({ workflowId: id, stage: 'received', proposerIds: [1000, 1001] });

    const fileId = uniq('file-');
    const afterFile = await proposals.act(id, 'file', c.committee, { outcome: 'filed' }, fileId);
    expect(afterFile.stage).toBe('filed');
    expect(afterFile.proposalNo).toMatch(/^第\d+号$/);
    expect(stub.stubs.of('recordReceipt', id).map((call) => (call.args as { key: string }).key)).toEqual([`${id}:register`]);
    expect(stub.stubs.steps(id).map((s) => [s.step, s.key])).toEqual([['file', `${id}:${fileId}`]]);
    // The number was taken under the same key as the step: a retried step takes no second number.
    expect(stub.stubs.of('allocateProposalNumber').map((call) => (call.args as { key: string }).key)).toContain(`${id}:${fileId}`);
  });

  it('assign (lead + two co-units) starts one 会办任务 per co-unit, together, before it answers; the lead’s 答复任务 follows', async () => {
    const id = await filed();
    const assignId = uniq('assign-');
    const answer = await proposals.act(id, 'assign', c.office, { mode: 'lead', units: [c.units.lead, c.units.co1, c.units.co2] }, assignId);

    const co1 = coTaskWorkflowId(id, c.units.co1, 0);
    const co2 = coTaskWorkflowId(id, c.units.co2, 0);
    const reply = replyTaskWorkflowId(id, c.units.lead, 0);
    expect(answer.stage).toBe('handling');
    expect(answer.coTasks).toEqual({ [c.units.co1]: { workflowId: co1, round: 0 }, [c.units.co2]: { workflowId: co2, round: 0 } });
    // The state right after the answer says the same: a client routing by it finds the tasks.
    expect((await proposals.state(id))!.coTasks).toEqual(answer.coTasks);
    // The answering unit's clock takes no action of its own: the main loop starts it next.
    await eventually(async () => (await proposals.state(id))?.replyTasks?.[c.units.lead]?.workflowId === reply);

    for (const [childId, type] of [
      [co1, 'coHandlingOpinion'],
      [co2, 'coHandlingOpinion'],
      [reply, 'unitReplyTask'],
    ] as const) {
      const d = await client.workflow.getHandle(childId).describe();
      expect(d).toMatchObject({ type, status: { name: 'RUNNING' }, taskQueue: stub.taskQueue });
      expect(d.parentExecution?.workflowId).toBe(id);
    }
    expect(await client.workflow.getHandle(co1).query(coTaskQuery)).toMatchObject({ parentWorkflowId: id, unitId: c.units.co1, round: 0, status: 'due' });
    expect(await client.workflow.getHandle(reply).query(replyTaskQuery)).toMatchObject({ unitId: c.units.lead, status: 'open' });

    // In the parent's history the co-units' tasks were started (and their start confirmed) before
    // the assign Update completed, both in one workflow task; exactly one start per child.
    const history = await client.workflow.getHandle(id).fetchHistory();
    const events = history.events ?? [];
    const completedAt = events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId === assignId);
    const initiated = events.map((e, i) => ({ i, e })).filter(({ e }) => e.startChildWorkflowExecutionInitiatedEventAttributes);
    const started = events
      .map((e, i) => ({ i, e }))
      .filter(({ e }) => e.childWorkflowExecutionStartedEventAttributes)
      .map(({ i, e }) => ({ i, workflowId: e.childWorkflowExecutionStartedEventAttributes!.workflowExecution!.workflowId }));
    expect(completedAt).toBeGreaterThan(0);
    expect(started.map((s) => s.workflowId).sort()).toEqual([co1, co2, reply].sort());
    for (const s of started.filter((s) => s.workflowId !== reply)) expect(s.i).toBeLessThan(completedAt);
    const coInitiated = initiated.filter(({ e }) => e.startChildWorkflowExecutionInitiatedEventAttributes!.workflowId !== reply).map(({ i }) => i);
    expect(coInitiated[1]! - coInitiated[0]!).toBe(1);
  });

  it('takes a co-unit’s opinion sent the moment assign answers: routed to its 会办任务 and accepted', async () => {
    const { id } = await assignedWithCoUnits();
    const submitId = uniq('co-');
    const view = await proposals.act(id, 'submitCoOpinion', c.co1Liaison, { kind: 'no_opinion' }, submitId);
    expect(view.stage).toBe('handling');

    const co1 = coTaskWorkflowId(id, c.units.co1, 0);
    const recorded = stub.stubs.of('recordCoOpinion', id).map((call) => call.args);
    expect(recorded).toEqual([expect.objectContaining({ key: `${id}:${submitId}`, parentWorkflowId: id, unitId: c.units.co1, kind: 'no_opinion', round: 0 })]);
    // The task ends once its answer is recorded and its note to the lead unit is out …
    expect(await client.workflow.getHandle(co1).result()).toMatchObject({ status: 'no_opinion', unitId: c.units.co1 });
    // … and the proposal learns of it by signal.
    await waitUntil(
      async () => (await proposals.state(id))!.units.find((u) => u.unitId === c.units.co1)?.coOpinion?.status === 'no_opinion',
      'co1 answered on the proposal',
    );

    // The other co-unit may answer on its own task directly, with a signed opinion.
    const co2 = coTaskWorkflowId(id, c.units.co2, 0);
    const signed = await client.workflow
      .getHandle(co2)
      .executeUpdate(submitCoOpinionUpdate, { args: [{ kind: 'opinion', bodyHash: fakeHash(), actor: c.co2Liaison }], updateId: uniq('co-') });
    expect(signed).toMatchObject({ status: 'submitted', docNo: expect.stringMatching(/提函/) });
    await waitUntil(
      async () => (await proposals.state(id))!.units.find((u) => u.unitId === c.units.co2)?.coOpinion?.status === 'submitted',
      'co2 answered on the proposal',
    );
  });

  it('refuses a co-opinion on the wrong door: on the proposal itself, or on another unit’s task', async () => {
    const { id } = await assignedWithCoUnits();
    const atProposal = await refusal(
      client.workflow.getHandle(id).executeUpdate(actionUpdates.submitCoOpinion, { args: [{ kind: 'no_opinion', actor: c.co1Liaison }], updateId: uniq('co-') }),
    );
    expect(atProposal.type).toBe('WRONG_STAGE');
    const otherUnit = await refusal(
      client.workflow
        .getHandle(coTaskWorkflowId(id, c.units.co1, 0))
        .executeUpdate(submitCoOpinionUpdate, { args: [{ kind: 'no_opinion', actor: c.co2Liaison }], updateId: uniq('co-') }),
    );
    expect(otherUnit.type).toBe('NOT_YOUR_UNIT');
    expect(stub.stubs.of('recordCoOpinion', id)).toEqual([]);
  });

  it('withdraw ends every unit task and then the proposal', async () => {
    const { id } = await assignedWithCoUnits();
    const withdrawn = await proposals.act(id, 'withdraw', c.office, { reason: '提案者申请撤回' });
    expect(withdrawn.stage).toBe('withdrawn');

    const children = [coTaskWorkflowId(id, c.units.co1, 0), coTaskWorkflowId(id, c.units.co2, 0), replyTaskWorkflowId(id, c.units.lead, 0)];
    const results = await Promise.all(children.map((child) => client.workflow.getHandle(child).result()));
    expect(results.map((r) => (r as { status: string }).status)).toEqual(['removed', 'removed', 'removed']);
    const final = await client.workflow.getHandle(id).result();
    expect(final).toMatchObject({ stage: 'withdrawn' });
    expect(stub.stubs.steps(id).map((s) => s.step)).toEqual(['file', 'assign', 'withdraw']);
  });

  it('leaves no trace of a refused update: no history event, no step recorded', async () => {
    const id = await filed();
    const before = await quiescentTrail(client, id);
    const stepsBefore = stub.stubs.calls.length;

    const wrongRole = await refusal(proposals.act(id, 'assign', c.proposer, { mode: 'sole', units: [c.units.lead] }, uniq('bad-')));
    expect(wrongRole.type).toBe('FORBIDDEN_ROLE');
    expect(wrongRole.message).toContain('交办');
    const wrongStage = await refusal(proposals.act(id, 'saveDraft', c.leadLiaison, { bodyHash: fakeHash(), replyClass: 'A' }, uniq('bad-')));
    expect(wrongStage.type).toBe('WRONG_STAGE');
    const badInput = await refusal(proposals.act(id, 'assign', c.office, { mode: 'sole', units: [] }, uniq('bad-')));
    expect(badInput.type).toBe('INVALID_INPUT');

    const after = await updateTrail(client, id);
    expect(after.length).toBe(before.length);
    expect(after.types).toEqual(before.types);
    expect(stub.stubs.calls.length).toBe(stepsBefore);
    // The proposal is still usable at once.
    expect((await proposals.act(id, 'assign', c.office, { mode: 'sole', units: [c.units.lead] })).stage).toBe('handling');
  });

  it('answers a repeated update id with the first result and records the step once', async () => {
    const id = await filed();
    const updateId = uniq('assign-');
    const first = await proposals.act(id, 'assign', c.office, { mode: 'sole', units: [c.units.lead] }, updateId);
    const again = await proposals.act(id, 'assign', c.office, { mode: 'sole', units: [c.units.lead] }, updateId);
    expect(again).toEqual(first);
    expect(stub.stubs.steps(id).filter((s) => s.step === 'assign')).toHaveLength(1);
  });
});

describe('proposalHandling continues as new (stub activities)', () => {
  /** A session whose policy asks for a new run once the history reaches 80 events. */
  function longLivedCast(): Cast {
    const long = cast();
    stub.stubs.setPolicy(long.sessionCode, { continueAsNewAfterEvents: 80 });
    return long;
  }

  /** Extension asked for and refused, again and again (each step sends mail), until the run continues as new. */
  async function untilContinuedAsNew(l: Cast, id: string): Promise<{ firstRunId: string; updateIds: string[] }> {
    const firstRunId = (await client.workflow.getHandle(id).describe()).runId;
    const updateIds: string[] = [];
    for (let i = 0; i < 30; i++) {
      if ((await client.workflow.getHandle(id).describe()).runId !== firstRunId) return { firstRunId, updateIds };
      const state = (await proposals.state(id))!;
      const due = state.deadlines[`reply:${l.units.lead}`]!;
      const later = new Date(Date.parse(`${due.dueDate}T00:00:00Z`) + 10 * 86_400_000).toISOString().slice(0, 10);
      const ask = uniq('ext-');
      const answer = uniq('dec-');
      await proposals.act(id, 'requestExtension', l.leadLiaison, { newDate: later, reason: '需要更多时间调研' }, ask);
      await proposals.act(id, 'decideExtension', l.office, { unitId: l.units.lead, decision: 'refuse', answer: '请按期答复' }, answer);
      updateIds.push(ask, answer);
    }
    return waitUntil(async () => ((await client.workflow.getHandle(id).describe()).runId !== firstRunId ? { firstRunId, updateIds } : null), 'continued as new');
  }

  it('carries state, unit tasks and step keys into the next run, where a co-unit’s answer still arrives', async () => {
    const l = longLivedCast();
    const reg = registration(l);
    const view = await proposals.register(reg);
    const id = view.workflowId;
    await proposals.act(id, 'file', l.committee, { outcome: 'filed', proposalNo: `第${uniq('')}号` });
    await proposals.act(id, 'assign', l.office, { mode: 'lead', units: [l.units.lead, l.units.co1] });
    const draftId = uniq('draft-');
    await proposals.act(id, 'saveDraft', l.leadLiaison, { bodyHash: fakeHash(), replyClass: 'A' }, draftId);
    const before = (await proposals.state(id))!;

    const { firstRunId } = await untilContinuedAsNew(l, id);
    const firstRun = await updateTrail(client, id, firstRunId);
    expect(firstRun.types.at(-1)).toBe('workflowExecutionContinuedAsNew');

    const after = (await proposals.state(id))!;
    expect(after).toMatchObject({ stage: 'handling', proposalNo: before.proposalNo, units: before.units, coTasks: before.coTasks, replyTasks: before.replyTasks });
    expect(after.tracks[0]!.drafts).toEqual(before.tracks[0]!.drafts);
    // The unit tasks outlive the run that started them.
    const co1 = coTaskWorkflowId(id, l.units.co1, 0);
    expect((await client.workflow.getHandle(co1).describe()).status.name).toBe('RUNNING');

    // A step in the new run is keyed by its update id like every other: keys never repeat.
    const submitId = uniq('draft-');
    await proposals.act(
      id,
      'saveDraft',
      l.leadLiaison,
      { bodyHash: fakeHash(), replyClass: 'B', promisedActions: '年内出台方案', followUpDate: '2027-06-30' },
      submitId,
    );
    const keys = stub.stubs.steps(id).map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain(`${id}:${draftId}`);
    expect(keys.at(-1)).toBe(`${id}:${submitId}`);

    // The co-unit answers on its task; the task signals the proposal's current run.
    await proposals.act(id, 'submitCoOpinion', l.co1Liaison, { kind: 'no_opinion' });
    await waitUntil(
      async () => (await proposals.state(id))!.units.find((u) => u.unitId === l.units.co1)?.coOpinion?.status === 'no_opinion',
      'the new run heard the co-unit',
    );
    expect((await proposals.state(id))!.tracks[0]!.drafts.map((d) => d.version)).toEqual([1, 2]);
  });
});
