import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../../workflows/proposal/actions/index.js';
import { clockEvents, clockNotification } from '../../../../workflows/proposal/clock.js';
import { chainSteps } from '../../../../workflows/proposal/signoff-chain.js';
import type { ProposalState } from '../../../../workflows/proposal/state.js';
import { FailureType } from '../../../../workflows/shared/failures.js';
import type { SignOffChain } from '../../../../workflows/shared/types.js';
import { act, assignedState, draftA, drafted, expectFailure, leader, liaison, principal, T } from './fixtures.js';

// 审签流程 per unit: the chain is data read when the reply is submitted; each step has its
// signer, its own return loop and its own reminder; without a chain the policy's rule stands.

const CHAIN: SignOffChain = {
  ordinary: ['liaison', 'leader'],
  key: ['leader', 'principal'],
  funds: ['leader', 'principal'],
  remindAfter: { amount: 3, unit: 'calendar_days' },
};
const DAY = 86_400_000;

function submitted(state: ProposalState, chain: SignOffChain | null, at = T.signOff): ProposalState {
  const s = drafted(state, 'u1');
  ACTIONS.submitForSignOff.check(s, liaison('u1'), {}, at);
  return ACTIONS.submitForSignOff.apply(s, liaison('u1'), {}, { now: at, dues: [], signOffChain: chain }).state;
}

const later = (days: number) => new Date(Date.parse(T.signOff) + days * DAY).toISOString();

describe('sign-off chains per unit', () => {
  it('the chain for an ordinary reply, a key proposal and a reply committing money; key and money always end with the principal', () => {
    const policy = assignedState().policy;
    expect(chainSteps(CHAIN, policy, false, false)).toEqual(['liaison', 'leader']);
    expect(chainSteps(CHAIN, policy, true, false)).toEqual(['leader', 'principal']);
    expect(chainSteps(CHAIN, policy, false, true)).toEqual(['leader', 'principal']);
    expect(chainSteps({ ordinary: ['liaison', 'leader'] }, policy, true, false)).toEqual(['liaison', 'leader', 'principal']);
  });

  it('the default reproduces the policy: the leader signs, or the principal for a key proposal', () => {
    const policy = assignedState().policy;
    expect(chainSteps(null, policy, false, false)).toEqual(['leader']);
    expect(chainSteps(null, policy, true, false)).toEqual(['principal']);
    expect(chainSteps(null, policy, false, true)).toEqual(['principal']);
  });

  it('each step is signed by its role in order; the last approval approves the reply', () => {
    let s = submitted(assignedState(), CHAIN);
    expect(s.tracks[0]!.signOff).toMatchObject({ steps: ['liaison', 'leader'], at: 0 });
    expectFailure(() => ACTIONS.signOff.check(s, leader('u1'), { decision: 'approve' }, later(1)), FailureType.FORBIDDEN_ROLE);
    s = act(s, 'signOff', liaison('u1'), { decision: 'approve' }, later(1));
    expect(s.tracks[0]).toMatchObject({ status: 'signoff', signOff: { at: 1, startedAt: later(1) } });
    expectFailure(() => ACTIONS.signOff.check(s, liaison('u1'), { decision: 'approve' }, later(2)), FailureType.FORBIDDEN_ROLE);
    s = act(s, 'signOff', leader('u1'), { decision: 'approve' }, later(2));
    expect(s.tracks[0]).toMatchObject({ status: 'approved', signOff: null, signOffRounds: 1 });
  });

  it('a step returns the draft with its comments: back to drafting, the next submission starts the chain again', () => {
    let s = submitted(assignedState(), CHAIN);
    s = act(s, 'signOff', liaison('u1'), { decision: 'approve' }, later(1));
    const { state, record } = (() => {
      ACTIONS.signOff.check(s, leader('u1'), { decision: 'return', reason: '请补充资金测算' }, later(2));
      return ACTIONS.signOff.apply(s, leader('u1'), { decision: 'return', reason: '请补充资金测算' }, { now: later(2), dues: [] });
    })();
    expect(state.tracks[0]).toMatchObject({ status: 'drafting', signOff: null, lastReturnReason: '请补充资金测算' });
    expect(record.summary).toMatchObject({ decision: 'return', step: 2, of: 2, signer: '分管领导' });
    expect(record.notifications[0]).toMatchObject({ kind: 'signoff_returned', to: { unitLiaisons: ['u1'] }, params: { by: '分管领导' } });
    const again = act(state, 'saveDraft', liaison('u1'), draftA({ changeNote: '补充资金测算' }), later(3));
    const resubmitted = ACTIONS.submitForSignOff.apply(again, liaison('u1'), {}, { now: later(3), dues: [], signOffChain: CHAIN }).state;
    expect(resubmitted.tracks[0]!.signOff).toMatchObject({ at: 0, startedAt: later(3) });
  });

  it('each step has its own reminder to its own signer, keyed by when the step began', () => {
    let s = submitted(assignedState(), CHAIN);
    const first = clockEvents(s).filter((e) => e.deadlineKey === 'signOff:u1');
    expect(first.map((e) => [e.key, e.at])).toEqual([[`signOff:u1:${T.signOff}:remind`, Date.parse(T.signOff) + 3 * DAY]]);
    expect(clockNotification(s, first[0]!)).toMatchObject({ kind: 'signoff_reminder', to: { unitLiaisons: ['u1'] }, params: { step: '第1步（共2步）：处室审核' } });
    s = act(s, 'signOff', liaison('u1'), { decision: 'approve' }, later(1));
    const second = clockEvents(s).filter((e) => e.deadlineKey === 'signOff:u1');
    expect(second.map((e) => e.key)).toEqual([`signOff:u1:${later(1)}:remind`]);
    expect(clockNotification(s, second[0]!)).toMatchObject({ to: { unitLeaders: ['u1'] }, params: { step: '第2步（共2步）：分管领导' } });
    s = act(s, 'signOff', leader('u1'), { decision: 'approve' }, later(2));
    expect(clockEvents(s).filter((e) => e.deadlineKey === 'signOff:u1')).toEqual([]);
  });

  it('a reply committing money goes up the funds chain to the principal', () => {
    let s = drafted(assignedState(), 'u1', draftA({ commitsFunds: 'yes' }));
    expect(s.tracks[0]!.commitsFunds).toBe(true);
    s = ACTIONS.submitForSignOff.apply(s, liaison('u1'), {}, { now: T.signOff, dues: [], signOffChain: null }).state;
    expect(s.tracks[0]!.signOff!.steps).toEqual(['principal']);
    expectFailure(() => ACTIONS.signOff.check(s, leader('u1'), { decision: 'approve' }, T.signOff), FailureType.FORBIDDEN_ROLE);
    expect(act(s, 'signOff', principal('u1'), { decision: 'approve' }, later(1)).tracks[0]!.status).toBe('approved');
  });

  it('runs from before chains: no chain is kept, any leader signs, a liaison never does', () => {
    const s = act(drafted(assignedState(), 'u1'), 'submitForSignOff', liaison('u1'), {}, T.signOff);
    expect(s.tracks[0]!.signOff).toBeUndefined();
    expectFailure(() => ACTIONS.signOff.check(s, liaison('u1'), { decision: 'approve' }, T.signOff), FailureType.FORBIDDEN_ROLE);
    expect(act(s, 'signOff', leader('u1'), { decision: 'approve' }, later(1)).tracks[0]!.status).toBe('approved');
  });
});
