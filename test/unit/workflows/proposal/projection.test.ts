import { describe, expect, it } from 'vitest';
import { projectionOf, unitTasksOf } from '../../../../workflows/proposal/projection.js';
import { nextDue, type ProposalState } from '../../../../workflows/proposal/state.js';
import {
  act,
  approved,
  assignedState,
  closedState,
  coOpinionsIn,
  committee,
  deepFreeze,
  dispatchAll,
  dispatchedLeadState,
  dispatchedState,
  draftA,
  draftB,
  drafted,
  DUES,
  filedState,
  FRESH_DUES,
  HASH,
  leader,
  liaison,
  office,
  proposer,
  receivedState,
  T,
} from './fixtures.js';

const NOW = '2026-05-01T03:00:00.000Z';

describe('nextDue', () => {
  it('nothing is due before assignment', () => {
    expect(nextDue(receivedState())).toBeNull();
    expect(nextDue(filedState())).toBeNull();
  });

  it('sole handling: the reply', () => {
    expect(nextDue(assignedState())).toEqual({ at: DUES.reply.dueAt, kind: 'reply:u1' });
  });

  it('lead handling: the earlier co-opinion first, then the reply once all opinions are in', () => {
    const s = assignedState('lead', ['u1', 'u2', 'u3']);
    expect(nextDue(s)).toEqual({ at: DUES.coOpinion.dueAt, kind: 'co_opinion:u2' });
    let t = act(s, 'submitCoOpinion', liaison('u2'), { kind: 'no_opinion' }, T.coOpinion);
    expect(nextDue(t)).toEqual({ at: DUES.coOpinion.dueAt, kind: 'co_opinion:u3' });
    t = act(t, 'waiveCoOpinion', office(), { unitId: 'u3', reason: '逾期' }, T.coOpinion);
    expect(nextDue(t)).toEqual({ at: DUES.reply.dueAt, kind: 'reply:u1' });
  });

  it('picks the earliest of several clocks whatever their order', () => {
    const s = assignedState('lead', ['u1', 'u2', 'u3']);
    const later = '2026-03-25T15:59:59.999Z';
    const earlier = '2026-03-15T15:59:59.999Z';
    const skewed: ProposalState = {
      ...s,
      units: s.units.map((u) =>
        u.unitId === 'u2' ? { ...u, coOpinion: { status: 'due', dueAt: later } } : u.unitId === 'u3' ? { ...u, coOpinion: { status: 'due', dueAt: earlier } } : u,
      ),
    };
    expect(nextDue(deepFreeze(skewed))).toEqual({ at: earlier, kind: 'co_opinion:u3' });
    const replyFirst: ProposalState = { ...skewed, tracks: skewed.tracks.map((t) => ({ ...t, dueAt: '2026-03-01T15:59:59.999Z' })) };
    expect(nextDue(replyFirst)).toEqual({ at: '2026-03-01T15:59:59.999Z', kind: 'reply:u1' });
  });

  it('split handling: a dispatched track no longer counts', () => {
    let s = assignedState('split', ['u1', 'u2']);
    s = act(s, 'reassign', office(), { removeUnitId: 'u2', addUnitId: 'u3', reason: '职能调整' }, T.drafted, FRESH_DUES);
    expect(nextDue(s)).toEqual({ at: DUES.reply.dueAt, kind: 'reply:u1' });
    s = dispatchAll(approved(s, 'u1'));
    expect(s.stage).toBe('handling');
    expect(nextDue(s)).toEqual({ at: DUES.freshReply.dueAt, kind: 'reply:u3' });
  });

  it('dispatched: the feedback window', () => {
    expect(nextDue(dispatchedState())).toEqual({ at: DUES.feedback.dueAt, kind: 'feedback' });
  });

  it('closed: the follow-up date (end of that day in Beijing) until reported', () => {
    expect(nextDue(closedState())).toBeNull();
    const s = closedState({ draft: draftB({ followUpDate: '2026-11-30' }) });
    expect(nextDue(s)).toEqual({ at: '2026-11-30T15:59:59.999Z', kind: 'follow_up' });
    expect(nextDue({ ...s, followUp: { ...s.followUp!, status: 'requested' } })).toEqual({ at: '2026-11-30T15:59:59.999Z', kind: 'follow_up' });
    const reported = act(s, 'reportFollowUp', liaison('u1'), { bodyHash: HASH.followUp }, T.closed);
    expect(nextDue(reported)).toBeNull();
  });

  it('withdrawn and re-handling', () => {
    expect(nextDue(act(assignedState(), 'withdraw', office(), { reason: '撤回' }))).toBeNull();
    const r = act(dispatchedLeadState(), 'rate', proposer(11), { attitude: 'satisfied', result: 'unsatisfied' }, T.rated);
    expect(nextDue(r)).toEqual({ at: DUES.rehandlingReply.dueAt, kind: 'reply:u1' });
  });
});

describe('projectionOf', () => {
  it('a received proposal', () => {
    expect(projectionOf(deepFreeze(receivedState({ policyVersion: 7 })), NOW)).toEqual({
      stage: 'received',
      proposalNo: null,
      filingOutcome: null,
      filingReason: null,
      mergedInto: null,
      handlingMode: null,
      leadUnitId: null,
      unitIds: [],
      keyProposal: false,
      supervisingLeader: null,
      replyClass: null,
      replyVersion: null,
      replyDocNo: null,
      dispatchedAt: null,
      nextDueAt: null,
      nextDueKind: null,
      nextDueExplanation: null,
      nextDueConfirmed: true,
      policyVersion: 7,
      rehandlingRound: 0,
      closedAt: null,
    });
  });

  it('filing outcomes', () => {
    expect(projectionOf(filedState(), NOW)).toMatchObject({ stage: 'filed', proposalNo: '第224号', filingOutcome: 'filed', filingReason: null });
    const notFiled = act(receivedState(), 'file', committee(), { outcome: 'not_filed', reasonCode: 'vague', reasonText: '没有具体建议' }, T.filed);
    expect(projectionOf(notFiled, NOW)).toMatchObject({ stage: 'not_filed', filingOutcome: 'not_filed', filingReason: 'vague', proposalNo: null });
    const converted = act(receivedState(), 'file', committee(), { outcome: 'converted', reasonText: '转社情民意' }, T.filed);
    expect(projectionOf(converted, NOW)).toMatchObject({ stage: 'converted', filingOutcome: 'converted', filingReason: '转社情民意' });
    const merged = act(receivedState(), 'file', committee(), { outcome: 'merged', mergedInto: 'proposal:x:R9' }, T.filed);
    expect(projectionOf(merged, NOW)).toMatchObject({ stage: 'merged', filingOutcome: 'merged', mergedInto: 'proposal:x:R9' });
  });

  it('lead handling: mode, lead unit, units, next due', () => {
    const s = assignedState('lead', ['u1', 'u2', 'u3']);
    expect(projectionOf(s, NOW)).toMatchObject({
      stage: 'handling',
      handlingMode: 'lead',
      leadUnitId: 'u1',
      unitIds: ['u1', 'u2', 'u3'],
      nextDueAt: DUES.coOpinion.dueAt,
      nextDueKind: 'co_opinion:u2',
      replyClass: null,
      replyVersion: null,
    });
  });

  it('sole and split lead units', () => {
    expect(projectionOf(assignedState('sole', ['u5']), NOW).leadUnitId).toBe('u5');
    expect(projectionOf(assignedState('split', ['u7', 'u8']), NOW)).toMatchObject({ leadUnitId: 'u7', handlingMode: 'split', unitIds: ['u7', 'u8'] });
  });

  it('the lead unit follows a reassignment', () => {
    const s = act(assignedState('lead', ['u1', 'u2']), 'reassign', office(), { removeUnitId: 'u1', addUnitId: 'u9', reason: '职能调整' }, T.drafted, FRESH_DUES);
    expect(projectionOf(s, NOW)).toMatchObject({ leadUnitId: 'u9', unitIds: ['u9', 'u2'] });
  });

  it('drafts: class and version of the main track', () => {
    let s = drafted(assignedState(), 'u1', draftB());
    expect(projectionOf(s, NOW)).toMatchObject({ replyClass: 'B', replyVersion: 1 });
    s = act(s, 'saveDraft', liaison('u1'), draftA({ bodyHash: HASH.draft2 }), T.drafted);
    expect(projectionOf(s, NOW)).toMatchObject({ replyClass: 'A', replyVersion: 2 });
  });

  it('dispatched: doc numbers of every track, dispatch time, feedback due', () => {
    const split = dispatchAll(approved(approved(assignedState('split', ['u1', 'u2']), 'u1'), 'u2'));
    expect(projectionOf(split, NOW)).toMatchObject({
      stage: 'dispatched',
      replyDocNo: '浙发改提〔2026〕263号；浙发改提〔2026〕264号',
      dispatchedAt: T.dispatched,
      nextDueAt: DUES.feedback.dueAt,
      nextDueKind: 'feedback',
      closedAt: null,
    });
  });

  it('key proposal and supervising leader', () => {
    const s = act(assignedState(), 'markKey', committee(), { supervisingLeader: '王副主席' });
    expect(projectionOf(s, NOW)).toMatchObject({ keyProposal: true, supervisingLeader: '王副主席' });
  });

  it('closed: closedAt is the given instant', () => {
    expect(projectionOf(closedState(), NOW)).toMatchObject({ stage: 'closed', closedAt: NOW, nextDueAt: null });
  });

  it('re-handling: round and cleared dispatch', () => {
    const s = act(dispatchedState(), 'rate', proposer(11), { attitude: 'satisfied', result: 'unsatisfied' }, T.rated);
    expect(projectionOf(s, NOW)).toMatchObject({ stage: 'handling', rehandlingRound: 1, replyDocNo: null, dispatchedAt: null, replyVersion: null, closedAt: null });
  });
});

describe('unitTasksOf', () => {
  it('lead + co: one task per unit with its own clock', () => {
    const s = assignedState('lead', ['u1', 'u2']);
    expect(unitTasksOf(deepFreeze(s))).toEqual([
      {
        unitId: 'u1',
        role: 'lead',
        status: 'drafting',
        round: 0,
        assignedAt: T.assigned,
        dueAt: DUES.reply.dueAt,
        done: false,
        opinionHash: null,
        dueExplanation: DUES.reply.explanation,
        extensionCount: 0,
        extensionPendingTo: null,
        decisionDueAt: null,
        calendarConfirmed: true,
      },
      {
        unitId: 'u2',
        role: 'co',
        status: 'due',
        round: 0,
        assignedAt: T.assigned,
        dueAt: DUES.coOpinion.dueAt,
        done: false,
        opinionHash: null,
        dueExplanation: DUES.coOpinion.explanation,
        extensionCount: 0,
        extensionPendingTo: null,
        decisionDueAt: null,
        calendarConfirmed: true,
      },
    ]);
  });

  it('co-opinion statuses: submitted (with hash), no_opinion, waived are done', () => {
    let s = assignedState('lead', ['u1', 'u2', 'u3', 'u4']);
    s = act(s, 'submitCoOpinion', liaison('u2'), { kind: 'opinion', bodyHash: HASH.opinion }, T.coOpinion);
    s = act(s, 'submitCoOpinion', liaison('u3'), { kind: 'no_opinion' }, T.coOpinion);
    s = act(s, 'waiveCoOpinion', office(), { unitId: 'u4', reason: '逾期' }, T.coOpinion);
    expect(unitTasksOf(s).map((t) => [t.unitId, t.status, t.done, t.opinionHash])).toEqual([
      ['u1', 'drafting', false, null],
      ['u2', 'submitted', true, HASH.opinion],
      ['u3', 'no_opinion', true, null],
      ['u4', 'waived', true, null],
    ]);
  });

  it('reply track statuses through sign-off and dispatch', () => {
    let s = drafted(assignedState(), 'u1');
    s = act(s, 'submitForSignOff', liaison('u1'), {}, T.signOff);
    expect(unitTasksOf(s)[0]).toMatchObject({ status: 'signoff', done: false });
    s = act(s, 'signOff', leader('u1'), { decision: 'approve' }, T.signOff);
    expect(unitTasksOf(s)[0]).toMatchObject({ status: 'approved', done: false });
    s = dispatchAll(s);
    expect(unitTasksOf(s)[0]).toMatchObject({ status: 'dispatched', done: true });
  });

  it("a pending adjustment request shows as 'adjustment_requested' until decided", () => {
    let s = act(assignedState('lead', ['u1', 'u2']), 'requestAdjustment', liaison('u2'), { reason: '不属于本单位职责' }, T.withinWindow);
    expect(unitTasksOf(s).map((t) => [t.unitId, t.status, t.done])).toEqual([
      ['u1', 'drafting', false],
      ['u2', 'adjustment_requested', false],
    ]);
    s = act(s, 'decideAdjustment', office(), { unitId: 'u2', decision: 'refuse', answer: '请继续会办' }, T.withinWindow, []);
    expect(unitTasksOf(s)[1]).toMatchObject({ unitId: 'u2', status: 'due' });
  });

  it('an accepted adjustment hands the task to the replacement', () => {
    let s = act(assignedState('lead', ['u1', 'u2']), 'requestAdjustment', liaison('u2'), { reason: '不属于本单位职责' }, T.withinWindow);
    s = act(s, 'decideAdjustment', office(), { unitId: 'u2', decision: 'accept', replacementUnitId: 'u3', answer: '同意' }, T.withinWindow, FRESH_DUES);
    expect(unitTasksOf(s).map((t) => [t.unitId, t.role, t.status, t.assignedAt, t.dueAt])).toEqual([
      ['u1', 'lead', 'drafting', T.assigned, DUES.reply.dueAt],
      ['u3', 'co', 'due', T.withinWindow, DUES.freshCoOpinion.dueAt],
    ]);
  });

  it("withdrawing cancels every unit's task", () => {
    const s = act(coOpinionsIn(drafted(assignedState('lead', ['u1', 'u2', 'u3']), 'u1')), 'withdraw', office(), { reason: '撤回' }, T.signOff);
    expect(unitTasksOf(s).map((t) => [t.unitId, t.status])).toEqual([
      ['u1', 'cancelled'],
      ['u2', 'cancelled'],
      ['u3', 'cancelled'],
    ]);
  });

  it('re-handling: tasks of the new round; co-units are waived', () => {
    const s = act(dispatchedLeadState(), 'rate', proposer(11), { attitude: 'satisfied', result: 'unsatisfied' }, T.rated);
    const tasks = unitTasksOf(s);
    expect(tasks[0]).toEqual({
      unitId: 'u1',
      role: 'lead',
      status: 'drafting',
      round: 1,
      assignedAt: T.assigned,
      dueAt: DUES.rehandlingReply.dueAt,
      done: false,
      opinionHash: null,
      dueExplanation: DUES.rehandlingReply.explanation,
      extensionCount: 0,
      extensionPendingTo: null,
      decisionDueAt: null,
      calendarConfirmed: true,
    });
    // dueExplanation of the waived co-unit is left out: see the report (it keeps round 0's text while dueAt is null).
    expect(tasks[1]).toMatchObject({
      unitId: 'u2',
      role: 'co',
      status: 'waived',
      round: 1,
      assignedAt: T.assigned,
      dueAt: null,
      done: true,
      opinionHash: null,
      extensionCount: 0,
      extensionPendingTo: null,
      decisionDueAt: null,
    });
    expect(tasks).toHaveLength(2);
  });

  it('no tasks before assignment', () => {
    expect(unitTasksOf(filedState())).toEqual([]);
  });
});
