import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProposalClient } from '../../../client/temporal.js';
import type { ProposalView } from '../../../workflows/proposal/definitions.js';
import { temporalClient, uniq } from '../../support/context.js';
import { startStubWorker, type StubWorker } from '../../support/stub-activities.js';
import { cast, fakeHash, registration, updateTrail, within, type Cast } from '../../support/workflow-fixtures.js';

// The workflow lock (workflows/common/lock.ts) as proposalHandling uses it: concurrent Updates
// on one proposal run one at a time, in the order the server accepted them. The database step
// is a stub that takes 150 ms, so two handlers that were let in together would overlap in it.

let client: Client;
let proposals: ProposalClient;
let stub: StubWorker;
let c: Cast;

beforeAll(async () => {
  stub = await startStubWorker(uniq('wf-lock-'), { recordStepDelayMs: 150 });
  client = await temporalClient();
  proposals = new ProposalClient(client, stub.taskQueue);
  c = cast();
});
afterAll(async () => {
  await stub?.stop();
  await client?.connection.close();
});

async function handling(): Promise<string> {
  const { workflowId } = await proposals.register(registration(c));
  await proposals.act(workflowId, 'file', c.committee, { outcome: 'filed', proposalNo: `第${uniq('')}号` });
  await proposals.act(workflowId, 'assign', c.office, { mode: 'sole', units: [c.units.lead] });
  return workflowId;
}

/** The recordStep calls of one workflow never overlapped in time. */
function expectOneStepAtATime(id: string): void {
  expect(stub.stubs.maxConcurrentSteps.get(id)).toBe(1);
  const calls = stub.stubs.of('recordStep', id);
  for (let i = 1; i < calls.length; i++) expect(calls[i]!.startedAt).toBeGreaterThanOrEqual(calls[i - 1]!.endedAt!);
}

describe('the workflow lock', () => {
  it('runs concurrent saveDrafts one at a time, first accepted first served, and loses none', async () => {
    const id = await handling();
    const drafts = Array.from({ length: 6 }, (_v, i) => ({ updateId: uniq(`draft${i}-`), bodyHash: fakeHash() }));
    const answers = new Map<string, ProposalView>();
    await Promise.all(
      drafts.map(async (d) => {
        answers.set(
          d.updateId,
          await within(15_000, d.updateId, proposals.act(id, 'saveDraft', c.leadLiaison, { bodyHash: d.bodyHash, replyClass: 'A' }, d.updateId)),
        );
      }),
    );

    const trail = await updateTrail(client, id);
    const mine = new Set(drafts.map((d) => d.updateId));
    const accepted = trail.accepted.filter((u) => mine.has(u));
    const completed = trail.completed.filter((u) => mine.has(u.updateId));
    expect(completed.every((u) => u.ok)).toBe(true);
    // First in, first out: Updates complete in the order the server accepted them.
    expect(completed.map((u) => u.updateId)).toEqual(accepted);
    expect(accepted).toHaveLength(6);

    // The n-th to complete made version n, saw the n-1 before it, and its answer says so.
    const state = (await proposals.state(id))!;
    const byHash = new Map(drafts.map((d) => [d.bodyHash, d.updateId]));
    expect(state.tracks[0]!.drafts.map((d) => byHash.get(d.bodyHash))).toEqual(accepted);
    expect(state.tracks[0]!.drafts.map((d) => d.version)).toEqual([1, 2, 3, 4, 5, 6]);
    accepted.forEach((updateId, i) => expect(answers.get(updateId)!.tracks[0]!.drafts).toHaveLength(i + 1));
    expectOneStepAtATime(id);
    expect(
      stub.stubs
        .steps(id)
        .filter((s) => s.step === 'saveDraft')
        .map((s) => s.key),
    ).toEqual(accepted.map((u) => `${id}:${u}`));
  });

  it('serialises different actions too, including ones that await more than one activity', async () => {
    const id = await handling();
    const due = (await proposals.state(id))!.deadlines[`reply:${c.units.lead}`]!;
    const later = new Date(Date.parse(`${due.dueDate}T00:00:00Z`) + 10 * 86_400_000).toISOString().slice(0, 10);
    const summary = fakeHash();
    const fired: [string, Promise<ProposalView>][] = [
      ['consult1', proposals.act(id, 'recordConsultation', c.leadLiaison, { date: '2026-11-30', way: 'phone', participants: '委员本人', summaryHash: summary })],
      [
        'consult2',
        proposals.act(id, 'recordConsultation', c.leadLiaison, { date: '2026-12-01', way: 'face_to_face', participants: '委员、处室', summaryHash: summary }),
      ],
      ['draft1', proposals.act(id, 'saveDraft', c.leadLiaison, { bodyHash: fakeHash(), replyClass: 'A' })],
      ['draft2', proposals.act(id, 'saveDraft', c.leadLiaison, { bodyHash: fakeHash(), replyClass: 'A' })],
      ['extension', proposals.act(id, 'requestExtension', c.leadLiaison, { newDate: later, reason: '需要实地调研' })],
      ['key', proposals.act(id, 'markKey', c.committee, { supervisingLeader: '王副主席' })],
    ];
    await Promise.all(fired.map(([what, p]) => within(15_000, what, p)));

    const state = (await proposals.state(id))!;
    expect(state.tracks[0]).toMatchObject({ consultations: 2, faceToFace: 1 });
    expect(state.tracks[0]!.drafts.map((d) => d.version)).toEqual([1, 2]);
    expect(state.deadlines[`reply:${c.units.lead}`]!.pendingExtension).toMatchObject({ to: later });
    expect(state).toMatchObject({ keyProposal: true, supervisingLeader: '王副主席' });
    expect(
      stub.stubs
        .steps(id)
        .map((s) => s.step)
        .sort(),
    ).toEqual(['assign', 'file', 'markKey', 'recordConsultation', 'recordConsultation', 'requestExtension', 'saveDraft', 'saveDraft'].sort());
    expectOneStepAtATime(id);

    // Then an action that awaits two activities (due dates, then the step) while others queue.
    const decided = proposals.act(id, 'decideExtension', c.office, { unitId: c.units.lead, decision: 'approve', answer: '同意延期' });
    const alongside = proposals.act(id, 'saveDraft', c.leadLiaison, { bodyHash: fakeHash(), replyClass: 'A' });
    await within(15_000, 'decideExtension + saveDraft', Promise.all([decided, alongside]));
    const final = (await proposals.state(id))!;
    expect(final.deadlines[`reply:${c.units.lead}`]).toMatchObject({ dueDate: later, pendingExtension: null });
    expect(final.tracks[0]!.drafts).toHaveLength(3);
    expectOneStepAtATime(id);
  });
});
