import { describe, expect, it } from 'vitest';
import { applySignalled } from '../../../../workflows/proposal/signalled.js';
import { letterAddressees } from '../../../../workflows/proposal/state.js';
import { assignedState } from './fixtures.js';

// 并案: every proposer is answered; a merged proposal's proposers in a letter of their own unless
// the policy asks for one joint letter.

describe('merged proposals are answered in their own letters', () => {
  it('the signal from a merged proposal records where its proposers came from, once', () => {
    const s = assignedState('sole', ['u1'], { proposerIds: [11, 12] });
    const once = applySignalled(s, { kind: 'merged', proposerIds: [21], workflowId: 'proposal:s:B' });
    const twice = applySignalled(once, { kind: 'merged', proposerIds: [21], workflowId: 'proposal:s:B' });
    expect(twice.mergedProposerIds).toEqual([21]);
    expect(twice.mergedFrom).toEqual([{ workflowId: 'proposal:s:B', proposerIds: [21] }]);
  });

  it("by default the proposal's own letter goes to its proposers and each merged proposal gets its own", () => {
    let s = assignedState('sole', ['u1'], { proposerIds: [11, 12] });
    s = applySignalled(s, { kind: 'merged', proposerIds: [21], workflowId: 'proposal:s:B' });
    s = applySignalled(s, { kind: 'merged', proposerIds: [31, 32], workflowId: 'proposal:s:C' });
    expect(letterAddressees(s)).toEqual({
      own: [11, 12],
      merged: [
        { workflowId: 'proposal:s:B', proposerIds: [21] },
        { workflowId: 'proposal:s:C', proposerIds: [31, 32] },
      ],
    });
  });

  it('with the joint-letter policy everyone is answered in the one letter', () => {
    let s = assignedState('sole', ['u1'], { proposerIds: [11, 12] });
    s = { ...s, policy: { ...s.policy, body: { ...s.policy.body, mergedReplies: 'joint_letter' } } };
    s = applySignalled(s, { kind: 'merged', proposerIds: [21], workflowId: 'proposal:s:B' });
    expect(letterAddressees(s)).toEqual({ own: [11, 12, 21], merged: [] });
  });

  it('a merge signalled by a run from before (no proposal named) stays in the one letter', () => {
    let s = assignedState('sole', ['u1'], { proposerIds: [11] });
    s = applySignalled(s, { kind: 'merged', proposerIds: [21] });
    expect(letterAddressees(s)).toEqual({ own: [11, 21], merged: [] });
  });
});
