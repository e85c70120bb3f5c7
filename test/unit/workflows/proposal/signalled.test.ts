import { describe, expect, it } from 'vitest';
import { applySignalled, stillAtRisk, type SignalFact, type SignalledFact } from '../../../../workflows/proposal/signalled.js';
import { assignedState, deepFreeze } from './fixtures.js';

const noOpinion = (round = 0): SignalFact => ({ kind: 'coReport', report: { unitId: 'u2', round, kind: 'no_opinion', bodyHash: null } });
const co = (s: ReturnType<typeof assignedState>) => s.units.find((u) => u.unitId === 'u2')!.coOpinion;

describe('applySignalled', () => {
  it('marks a due co-unit answered, keeping its deadline, and is idempotent', () => {
    const state = deepFreeze(assignedState('lead', ['u1', 'u2']));
    const once = applySignalled(state, { kind: 'coReport', report: { unitId: 'u2', round: 0, kind: 'opinion', bodyHash: 'h'.repeat(64) } });
    expect(co(once)).toEqual({ ...co(state), status: 'submitted', hash: 'h'.repeat(64) });
    expect(applySignalled(once, noOpinion())).toBe(once);
  });

  it('changes nothing for another round, or a unit that is not a due co-unit', () => {
    const state = deepFreeze(assignedState('lead', ['u1', 'u2']));
    expect(applySignalled(state, noOpinion(1))).toBe(state);
    expect(applySignalled(state, { kind: 'coReport', report: { unitId: 'u9', round: 0, kind: 'no_opinion', bodyHash: null } })).toBe(state);
  });

  it('adds merged proposers once', () => {
    const state = deepFreeze(assignedState());
    const merged = applySignalled(state, { kind: 'merged', proposerIds: [7, 8, 7] });
    expect(merged.mergedProposerIds).toEqual([7, 8]);
    expect(applySignalled(merged, { kind: 'merged', proposerIds: [8] })).toBe(merged);
  });
});

describe('stillAtRisk', () => {
  const fact = (acquisitionsAtArrival: number): SignalledFact => ({ acquisitionsAtArrival, fact: noOpinion() });

  it('keeps a fact only while the holder that was in when it arrived still holds the lock', () => {
    const facts = [fact(3), fact(5)];
    expect(stillAtRisk(facts, { held: true, acquisitions: 5 })).toEqual([fact(5)]);
    expect(stillAtRisk(facts, { held: true, acquisitions: 6 })).toEqual([]);
    expect(stillAtRisk(facts, { held: false, acquisitions: 5 })).toEqual([]);
  });
});
