import { formatProposalNumber } from '../../../../workflows/shared/proposal-numbers.js';
import { describe, expect, it } from 'vitest';
import { FailureType } from '../../../../workflows/shared/failures.js';
import { DEFAULT_POLICY } from '../../../../activities/policy/default-policy.js';
import { ACTIONS, type ActionSpec } from '../../../../workflows/proposal/actions/index.js';
import type { ProposalState } from '../../../../workflows/proposal/state.js';
import { ACTION_NAMES, actionRule, type ActionName } from '../../../../workflows/proposal/machine.js';
import type { Actor, DueDate } from '../../../../workflows/shared/types.js';
import {
  act,
  actFull,
  approved,
  answerDues,
  ASSIGN_DUES,
  consultation,
  draftB,
  HASH,
  assignedState,
  check,
  checkRaw,
  committee,
  deepFreeze,
  dispatchAll,
  dispatchedLeadState,
  drafted,
  DUES,
  duesFor,
  expectFailure,
  filedState,
  FRESH_DUES,
  leader,
  liaison,
  office,
  principal,
  proposer,
  receivedState,
  T,
} from './fixtures.js';

// 审查立案, 交办, 申请调整, 调整承办单位, 撤案, 重点提案.

describe('file (审查立案)', () => {
  it('filed: gets its number, moves to filed, no notification', () => {
    const { state, record, mergeInto } = actFull(receivedState(), 'file', committee(), { outcome: 'filed', proposalNo: '  第224号 ' }, T.filed);
    expect(state.stage).toBe('filed');
    expect(state.proposalNo).toBe('第224号');
    expect(state.filing).toEqual({ outcome: 'filed' });
    expect(mergeInto).toBeUndefined();
    expect(record.step).toBe('file');
    expect(record.summary).toMatchObject({ outcome: 'filed', proposalNo: '第224号' });
    expect(record.notifications).toEqual([]);
  });

  it('the office may file too', () => {
    expect(act(receivedState(), 'file', office(), { outcome: 'filed', proposalNo: '第1号' }, T.filed).stage).toBe('filed');
  });

  it('a blank or too long typed proposalNo is INVALID_INPUT on proposalNo', () => {
    expectFailure(() => check(receivedState(), 'file', committee(), { outcome: 'filed', proposalNo: '   ' }), FailureType.INVALID_INPUT, 'proposalNo');
    expectFailure(() => check(receivedState(), 'file', committee(), { outcome: 'filed', proposalNo: 'x'.repeat(41) }), FailureType.INVALID_INPUT, 'proposalNo');
  });

  it('filed without a number asks the system for one and takes the number it was given', () => {
    const spec = ACTIONS.file as unknown as {
      needsProposalNumber(s: unknown, i: unknown): boolean;
      apply(s: unknown, a: unknown, i: unknown, c: unknown): { state: { proposalNo: string; stage: string } };
    };
    expect(spec.needsProposalNumber(receivedState(), { outcome: 'filed' })).toBe(true);
    expect(spec.needsProposalNumber(receivedState(), { outcome: 'filed', proposalNo: '第7号' })).toBe(false);
    expect(spec.needsProposalNumber(receivedState(), { outcome: 'converted', reasonText: 'x' })).toBe(false);
    const applied = spec.apply(receivedState(), committee(), { outcome: 'filed' }, { now: '2026-02-01T02:00:00.000Z', dues: [], allocatedProposalNo: '第20260001号' });
    expect(applied.state).toMatchObject({ stage: 'filed', proposalNo: '第20260001号' });
  });

  it('formats numbers from the policy: {n}, zero-padded {n4}, {year}', () => {
    expect(formatProposalNumber('第{n}号', 224, 2025)).toBe('第224号');
    expect(formatProposalNumber('第{year}{n4}号', 688, 2025)).toBe('第20250688号');
  });

  it('unknown outcome is INVALID_INPUT on outcome', () => {
    expectFailure(() => checkRaw(receivedState(), 'file', committee(), { outcome: 'rejected' }), FailureType.INVALID_INPUT, 'outcome');
  });

  it('merged: stage merged, tells every proposer, asks the workflow to tell the target', () => {
    const s = receivedState({ proposerIds: [11, 12] });
    const { state, record, mergeInto } = actFull(s, 'file', committee(), { outcome: 'merged', mergedInto: 'proposal:十四届四次会议:R0099' }, T.filed);
    expect(state.stage).toBe('merged');
    expect(state.filing).toEqual({ outcome: 'merged', mergedInto: 'proposal:十四届四次会议:R0099' });
    expect(state.proposalNo).toBeNull();
    expect(mergeInto).toBe('proposal:十四届四次会议:R0099');
    expect(record.notifications).toEqual([{ kind: 'merged', to: { proposers: [11, 12] }, params: { title: s.title, mergedInto: 'proposal:十四届四次会议:R0099' } }]);
  });

  it('merged needs a target, and not itself', () => {
    const s = receivedState();
    expectFailure(() => check(s, 'file', committee(), { outcome: 'merged' }), FailureType.INVALID_INPUT, 'mergedInto');
    expectFailure(() => check(s, 'file', committee(), { outcome: 'merged', mergedInto: s.workflowId }), FailureType.INVALID_INPUT, 'mergedInto');
  });

  it('converted: needs an explanation; stage converted; proposers told with the reason', () => {
    const s = receivedState({ proposerIds: [11] });
    expectFailure(() => check(s, 'file', committee(), { outcome: 'converted' }), FailureType.INVALID_INPUT, 'reasonText');
    const { state, record } = actFull(s, 'file', committee(), { outcome: 'converted', reasonText: ' 宜作为社情民意转送参考 ' }, T.filed);
    expect(state.stage).toBe('converted');
    expect(state.filing).toEqual({ outcome: 'converted', reasonText: '宜作为社情民意转送参考' });
    expect(record.notifications).toHaveLength(1);
    expect(record.notifications[0]).toMatchObject({ kind: 'converted', to: { proposers: [11] }, params: { reason: ' 宜作为社情民意转送参考 ' } });
  });

  it("not_filed: reason code must be one of the policy's; proposers are told the label", () => {
    const s = receivedState({ proposerIds: [11, 12] });
    expectFailure(() => check(s, 'file', committee(), { outcome: 'not_filed' }), FailureType.INVALID_INPUT, 'reasonCode');
    const f = expectFailure(() => check(s, 'file', committee(), { outcome: 'not_filed', reasonCode: 'boring' }), FailureType.INVALID_INPUT, 'reasonCode');
    expect(f.message).toContain('litigation');
    const { state, record } = actFull(s, 'file', committee(), { outcome: 'not_filed', reasonCode: 'personal', reasonText: '系个人待遇问题' }, T.filed);
    expect(state.stage).toBe('not_filed');
    expect(state.filing).toEqual({ outcome: 'not_filed', reasonCode: 'personal', reasonText: '系个人待遇问题' });
    expect(record.notifications).toEqual([
      { kind: 'not_filed', to: { proposers: [11, 12] }, params: { title: s.title, reason: '属于个人事务', detail: '系个人待遇问题' } },
    ]);
  });

  it('not_filed reasons come from the policy, not code', () => {
    const s = receivedState({ policy: { notFiledReasons: [{ code: 'custom', label: '自定义理由' }] } });
    expectFailure(() => check(s, 'file', committee(), { outcome: 'not_filed', reasonCode: 'personal' }), FailureType.INVALID_INPUT, 'reasonCode');
    const { record } = actFull(s, 'file', committee(), { outcome: 'not_filed', reasonCode: 'custom' }, T.filed);
    expect(record.notifications[0]?.params.reason).toBe('自定义理由');
  });

  it('cannot file twice (WRONG_STAGE) nor by a liaison (FORBIDDEN_ROLE)', () => {
    expectFailure(() => check(filedState(), 'file', committee(), { outcome: 'filed', proposalNo: '第2号' }), FailureType.WRONG_STAGE);
    expectFailure(() => check(receivedState(), 'file', liaison('u1'), { outcome: 'filed', proposalNo: '第2号' }), FailureType.FORBIDDEN_ROLE);
  });
});

describe('assign (交办)', () => {
  it('asks for reply and adjustment-window dues, plus co-opinion for lead mode', () => {
    const s = filedState();
    expect(duesFor(s, 'assign', office(), { mode: 'sole', units: ['u1'] }, T.assigned)).toEqual([
      { key: 'reply', ruleKey: 'reply', start: T.assigned },
      { key: 'adjustmentWindow', ruleKey: 'adjustmentWindow', start: T.assigned },
      { key: 'extensionCeiling', ruleKey: 'extensionCeiling', start: T.assigned },
    ]);
    expect(duesFor(s, 'assign', office(), { mode: 'lead', units: ['u1', 'u2'] }, T.assigned).map((d) => d.key)).toEqual([
      'reply',
      'adjustmentWindow',
      'extensionCeiling',
      'coOpinion',
    ]);
    expect(duesFor(s, 'assign', office(), { mode: 'split', units: ['u1', 'u2'] }, T.assigned).map((d) => d.key)).toEqual([
      'reply',
      'adjustmentWindow',
      'extensionCeiling',
    ]);
  });

  it('sole: one unit, one track, clocks from the dues, stage handling', () => {
    const { state, record } = actFull(filedState(), 'assign', office(), { mode: 'sole', units: ['u1'] }, T.assigned, ASSIGN_DUES);
    expect(state.stage).toBe('handling');
    expect(state.mode).toBe('sole');
    expect(state.units).toEqual([
      { unitId: 'u1', role: 'sole', assignedAt: T.assigned, adjustmentWindowEndsAt: DUES.adjustmentWindow.dueAt, adjustment: null, coOpinion: null },
    ]);
    expect(state.tracks.map((t) => [t.unitId, t.status, t.dueAt])).toEqual([['u1', 'drafting', DUES.reply.dueAt]]);
    expect(record.summary).toMatchObject({ mode: 'sole', units: ['u1'], replyDue: '2026-05-20' });
    expect(record.notifications).toEqual([
      {
        kind: 'assigned',
        to: { unitLiaisons: ['u1'] },
        cc: { unitLeaders: ['u1'] },
        params: { title: state.title, proposalNo: '第224号', role: 'sole', dueAt: DUES.reply.dueAt },
      },
    ]);
  });

  it('lead: the first unit leads and answers; the others co-handle with a co-opinion due', () => {
    const { state, record } = actFull(filedState(), 'assign', office(), { mode: 'lead', units: ['u1', 'u2', 'u3'] }, T.assigned, ASSIGN_DUES);
    expect(state.units.map((u) => [u.unitId, u.role])).toEqual([
      ['u1', 'lead'],
      ['u2', 'co'],
      ['u3', 'co'],
    ]);
    expect(state.units[0]!.coOpinion).toBeNull();
    expect(state.units[1]!.coOpinion).toEqual({ status: 'due', dueAt: DUES.coOpinion.dueAt });
    expect(state.tracks.map((t) => t.unitId)).toEqual(['u1']);
    expect(record.notifications.map((n) => [n.kind, n.params.dueAt])).toEqual([
      ['assigned', DUES.reply.dueAt],
      ['assigned_co', DUES.coOpinion.dueAt],
      ['assigned_co', DUES.coOpinion.dueAt],
    ]);
  });

  it('lead without a coOpinion due falls back to the reply due', () => {
    const state = act(filedState(), 'assign', office(), { mode: 'lead', units: ['u1', 'u2'] }, T.assigned, [DUES.reply, DUES.adjustmentWindow]);
    expect(state.units[1]!.coOpinion).toEqual({ status: 'due', dueAt: DUES.reply.dueAt });
  });

  it('split: every unit answers on its own track', () => {
    const state = act(filedState(), 'assign', office(), { mode: 'split', units: ['u1', 'u2'] }, T.assigned, ASSIGN_DUES);
    expect(state.units.map((u) => u.role)).toEqual(['split', 'split']);
    expect(state.tracks.map((t) => t.unitId)).toEqual(['u1', 'u2']);
  });

  it('malformed unit lists are INVALID_INPUT', () => {
    const s = filedState();
    const o = office();
    expectFailure(() => checkRaw(s, 'assign', o, { mode: 'solo', units: ['u1'] }), FailureType.INVALID_INPUT, 'mode');
    expectFailure(() => check(s, 'assign', o, { mode: 'sole', units: [] }), FailureType.INVALID_INPUT, 'units');
    expectFailure(() => checkRaw(s, 'assign', o, { mode: 'sole' }), FailureType.INVALID_INPUT, 'units');
    expectFailure(() => check(s, 'assign', o, { mode: 'sole', units: ['u1', 'u2'] }), FailureType.INVALID_INPUT, 'units');
    expectFailure(() => check(s, 'assign', o, { mode: 'lead', units: ['u1'] }), FailureType.INVALID_INPUT, 'units');
    expectFailure(() => check(s, 'assign', o, { mode: 'split', units: ['u1'] }), FailureType.INVALID_INPUT, 'units');
    expectFailure(() => check(s, 'assign', o, { mode: 'split', units: ['u1', 'u1'] }), FailureType.INVALID_INPUT, 'units');
    expectFailure(() => check(s, 'assign', o, { mode: 'lead', units: ['u1', ' '] }), FailureType.INVALID_INPUT, 'units[1]');
  });

  it('assign before filing or twice is WRONG_STAGE; the committee may not assign', () => {
    expectFailure(() => check(receivedState(), 'assign', office(), { mode: 'sole', units: ['u1'] }), FailureType.WRONG_STAGE);
    expectFailure(() => check(assignedState(), 'assign', office(), { mode: 'sole', units: ['u2'] }), FailureType.WRONG_STAGE);
    expectFailure(() => check(filedState(), 'assign', committee(), { mode: 'sole', units: ['u1'] }), FailureType.FORBIDDEN_ROLE);
  });
});

describe('requestAdjustment → decideAdjustment (申请调整)', () => {
  const reason = '该事项属于住建部门职责';

  it('a unit may ask within the window; the office is told', () => {
    const s = assignedState('lead', ['u1', 'u2']);
    const { state, record } = actFull(s, 'requestAdjustment', liaison('u2'), { reason: ` ${reason} ` }, T.withinWindow);
    expect(state.units[1]!.adjustment).toEqual({ status: 'requested', reason, requestedAt: T.withinWindow });
    expect(state.units[0]!.adjustment).toBeNull();
    expect(record.unitId).toBe('u2');
    expect(record.notifications).toEqual([
      { kind: 'adjustment_requested', to: { office: true }, params: { title: s.title, proposalNo: '第224号', unitId: 'u2', reason, decideBy: null } },
    ]);
  });

  it('exactly at the end of the window is still in time; a millisecond later is DEADLINE_PASSED', () => {
    const s = assignedState();
    expect(() => check(s, 'requestAdjustment', liaison('u1'), { reason }, DUES.adjustmentWindow.dueAt)).not.toThrow();
    const f = expectFailure(() => check(s, 'requestAdjustment', liaison('u1'), { reason }, '2026-02-27T16:00:00.000Z'), FailureType.DEADLINE_PASSED);
    expect(f.message).toContain('2026-02-27');
  });

  it('a liaison of a unit not assigned is NOT_YOUR_UNIT; a leader is FORBIDDEN_ROLE', () => {
    const s = assignedState();
    expectFailure(() => check(s, 'requestAdjustment', liaison('u9'), { reason }, T.withinWindow), FailureType.NOT_YOUR_UNIT);
    expectFailure(() => check(s, 'requestAdjustment', leader('u1'), { reason }, T.withinWindow), FailureType.FORBIDDEN_ROLE);
  });

  it('needs a reason; asking twice while pending is ALREADY_DONE', () => {
    const s = assignedState();
    expectFailure(() => check(s, 'requestAdjustment', liaison('u1'), { reason: '  ' }, T.withinWindow), FailureType.INVALID_INPUT, 'reason');
    const pending = act(s, 'requestAdjustment', liaison('u1'), { reason }, T.withinWindow);
    expectFailure(() => check(pending, 'requestAdjustment', liaison('u1'), { reason }, T.withinWindow), FailureType.ALREADY_DONE);
  });

  it('refuse: the unit keeps the proposal and is told the answer', () => {
    const s = act(assignedState(), 'requestAdjustment', liaison('u1'), { reason }, T.withinWindow);
    expect(duesFor(s, 'decideAdjustment', office(), { unitId: 'u1', decision: 'refuse', answer: '请继续办理' }, T.withinWindow)).toEqual([]);
    const { state, record } = actFull(s, 'decideAdjustment', office(), { unitId: 'u1', decision: 'refuse', answer: ' 请继续办理 ' }, T.withinWindow, []);
    expect(state.units[0]!.adjustment).toEqual({ status: 'refused', reason, requestedAt: T.withinWindow, answer: '请继续办理' });
    expect(state.units.map((u) => u.unitId)).toEqual(['u1']);
    expect(state.tracks).toEqual(s.tracks);
    expect(record.notifications).toEqual([
      { kind: 'adjustment_refused', to: { unitLiaisons: ['u1'] }, params: { title: s.title, proposalNo: '第224号', answer: '请继续办理' } },
    ]);
  });

  it('accept: the replacement takes the same role with fresh clocks, the old unit is removed', () => {
    const s = act(assignedState('lead', ['u1', 'u2']), 'requestAdjustment', liaison('u2'), { reason }, T.withinWindow);
    const input = { unitId: 'u2', decision: 'accept' as const, replacementUnitId: 'u3', answer: '同意调整' };
    expect(duesFor(s, 'decideAdjustment', office(), input, T.withinWindow).map((d) => d.key)).toEqual(['reply', 'adjustmentWindow', 'coOpinion', 'extensionCeiling']);
    const { state, record } = actFull(s, 'decideAdjustment', office(), input, T.withinWindow, FRESH_DUES);
    expect(state.units.map((u) => [u.unitId, u.role])).toEqual([
      ['u1', 'lead'],
      ['u3', 'co'],
    ]);
    expect(state.units[1]).toEqual({
      unitId: 'u3',
      role: 'co',
      assignedAt: T.withinWindow,
      adjustmentWindowEndsAt: DUES.freshWindow.dueAt,
      adjustment: null,
      coOpinion: { status: 'due', dueAt: DUES.freshCoOpinion.dueAt },
    });
    expect(state.removedUnits).toEqual(['u2']);
    expect(state.tracks).toEqual(s.tracks); // the lead's track is untouched
    expect(record.notifications.map((n) => [n.kind, n.to])).toEqual([
      ['adjustment_accepted', { unitLiaisons: ['u2'] }],
      ['assigned_co', { unitLiaisons: ['u3'] }],
    ]);
  });

  it("accepting a sole unit's request gives the replacement a fresh track", () => {
    let s = act(
      assignedState(),
      'recordConsultation',
      liaison('u1'),
      { date: '2026-02-24', way: 'phone', participants: '张委员', summaryHash: 'd'.repeat(64) },
      T.withinWindow,
    );
    s = act(s, 'requestAdjustment', liaison('u1'), { reason }, T.withinWindow);
    const state = act(s, 'decideAdjustment', office(), { unitId: 'u1', decision: 'accept', replacementUnitId: 'u5', answer: '同意' }, T.withinWindow, FRESH_DUES);
    expect(state.units.map((u) => [u.unitId, u.role])).toEqual([['u5', 'sole']]);
    expect(state.tracks).toHaveLength(1);
    expect(state.tracks[0]).toMatchObject({ unitId: 'u5', status: 'drafting', consultations: 0, dueAt: DUES.freshReply.dueAt });
    expect(state.removedUnits).toEqual(['u1']);
    // The old unit can no longer act.
    expectFailure(() => check(state, 'saveDraft', liaison('u1'), { bodyHash: '1'.repeat(64), replyClass: 'A' }, T.drafted), FailureType.NOT_YOUR_UNIT);
  });

  it('decide refusals: nothing pending, bad decision, no answer, no or existing replacement', () => {
    const s = assignedState('lead', ['u1', 'u2']);
    expectFailure(() => check(s, 'decideAdjustment', office(), { unitId: 'u2', decision: 'refuse', answer: 'x' }), FailureType.PRECONDITION_FAILED);
    expectFailure(() => check(s, 'decideAdjustment', office(), { unitId: 'u9', decision: 'refuse', answer: 'x' }), FailureType.PRECONDITION_FAILED);
    const p = act(s, 'requestAdjustment', liaison('u2'), { reason }, T.withinWindow);
    expectFailure(() => checkRaw(p, 'decideAdjustment', office(), { unitId: 'u2', decision: 'maybe', answer: 'x' }), FailureType.INVALID_INPUT, 'decision');
    expectFailure(() => check(p, 'decideAdjustment', office(), { unitId: 'u2', decision: 'refuse', answer: '' }), FailureType.INVALID_INPUT, 'answer');
    expectFailure(() => check(p, 'decideAdjustment', office(), { unitId: 'u2', decision: 'accept', answer: '同意' }), FailureType.INVALID_INPUT, 'replacementUnitId');
    expectFailure(
      () => check(p, 'decideAdjustment', office(), { unitId: 'u2', decision: 'accept', replacementUnitId: 'u1', answer: '同意' }),
      FailureType.INVALID_INPUT,
      'replacementUnitId',
    );
    expectFailure(() => check(p, 'decideAdjustment', committee(), { unitId: 'u2', decision: 'refuse', answer: 'x' }), FailureType.FORBIDDEN_ROLE);
  });

  it('after a refusal nothing is pending any more', () => {
    let s = act(assignedState(), 'requestAdjustment', liaison('u1'), { reason }, T.withinWindow);
    s = act(s, 'decideAdjustment', office(), { unitId: 'u1', decision: 'refuse', answer: '继续办理' }, T.withinWindow, []);
    expectFailure(() => check(s, 'decideAdjustment', office(), { unitId: 'u1', decision: 'refuse', answer: 'x' }), FailureType.PRECONDITION_FAILED);
  });
});

describe('reassign (调整承办单位)', () => {
  const input = { removeUnitId: 'u1', addUnitId: 'u7', reason: '职能调整' };

  it('replaces the unit in its role with fresh clocks and removes the old one', () => {
    const s = drafted(assignedState('lead', ['u1', 'u2']), 'u1');
    expect(duesFor(s, 'reassign', office(), input, T.drafted).map((d) => d.key)).toEqual(['reply', 'adjustmentWindow', 'coOpinion', 'extensionCeiling']);
    const { state, record } = actFull(s, 'reassign', office(), input, T.drafted, FRESH_DUES);
    expect(state.units.map((u) => [u.unitId, u.role])).toEqual([
      ['u7', 'lead'],
      ['u2', 'co'],
    ]);
    expect(state.units[0]).toMatchObject({ assignedAt: T.drafted, adjustmentWindowEndsAt: DUES.freshWindow.dueAt, adjustment: null, coOpinion: null });
    expect(state.units[1]).toEqual(s.units[1]); // the co-unit keeps its clock
    expect(state.tracks).toHaveLength(1);
    expect(state.tracks[0]).toMatchObject({ unitId: 'u7', status: 'drafting', drafts: [], consultations: 0, dueAt: DUES.freshReply.dueAt });
    expect(state.removedUnits).toEqual(['u1']);
    expect(record.unitId).toBe('u1');
    expect(record.summary).toMatchObject({ removed: 'u1', added: 'u7', reason: '职能调整' });
    expect(record.notifications.map((n) => [n.kind, n.to])).toEqual([
      ['unit_removed', { unitLiaisons: ['u1'] }],
      ['assigned', { unitLiaisons: ['u7'] }],
    ]);
    expect(record.notifications[1]!.params.dueAt).toBe(DUES.freshReply.dueAt);
  });

  it('removed units accumulate', () => {
    let s = act(assignedState(), 'reassign', office(), input, T.drafted, FRESH_DUES);
    s = act(s, 'reassign', office(), { removeUnitId: 'u7', addUnitId: 'u8', reason: '再次调整' }, T.drafted, FRESH_DUES);
    expect(s.removedUnits).toEqual(['u1', 'u7']);
    expect(s.units.map((u) => u.unitId)).toEqual(['u8']);
  });

  it('refusals: unknown unit, unit already assigned, no reason, a unit that has answered', () => {
    const s = assignedState('split', ['u1', 'u2']);
    expectFailure(() => check(s, 'reassign', office(), { ...input, removeUnitId: 'u9' }), FailureType.INVALID_INPUT, 'removeUnitId');
    expectFailure(() => check(s, 'reassign', office(), { ...input, addUnitId: 'u2' }), FailureType.INVALID_INPUT, 'addUnitId');
    expectFailure(() => check(s, 'reassign', office(), { ...input, addUnitId: '' }), FailureType.INVALID_INPUT, 'addUnitId');
    expectFailure(() => check(s, 'reassign', office(), { ...input, reason: ' ' }), FailureType.INVALID_INPUT, 'reason');
    const oneDispatched = dispatchAll(approved(s, 'u1'));
    expect(oneDispatched.stage).toBe('handling');
    expectFailure(() => check(oneDispatched, 'reassign', office(), input), FailureType.WRONG_STAGE);
    expect(() => check(oneDispatched, 'reassign', office(), { ...input, removeUnitId: 'u2' })).not.toThrow();
    expectFailure(() => check(s, 'reassign', committee(), input), FailureType.FORBIDDEN_ROLE);
    expectFailure(() => check(filedState(), 'reassign', office(), input), FailureType.WRONG_STAGE);
  });
});

describe('withdraw (撤案)', () => {
  it('before assignment: only the proposers are told', () => {
    const s = filedState({ proposerIds: [11, 12] });
    const { state, record } = actFull(s, 'withdraw', committee(), { reason: ' 提案者申请撤回 ' }, T.assigned);
    expect(state.stage).toBe('withdrawn');
    expect(record.summary).toMatchObject({ reason: '提案者申请撤回', cancelledUnits: [] });
    expect(record.notifications).toEqual([
      { kind: 'withdrawn', to: { proposers: [11, 12] }, params: { title: s.title, proposalNo: '第224号', reason: '提案者申请撤回' } },
    ]);
  });

  it('from received, by the office', () => {
    expect(act(receivedState(), 'withdraw', office(), { reason: '重复提交' }, T.filed).stage).toBe('withdrawn');
  });

  it('during handling: units and their leaders are told their task is cancelled', () => {
    const s = drafted(assignedState('lead', ['u1', 'u2']), 'u1');
    const { state, record } = actFull(s, 'withdraw', office(), { reason: '提案者申请撤回' }, T.drafted);
    expect(state.stage).toBe('withdrawn');
    expect(record.summary).toMatchObject({ cancelledUnits: ['u1', 'u2'] });
    expect(record.notifications[0]).toEqual({
      kind: 'withdrawn_unit',
      to: { unitLiaisons: ['u1', 'u2'] },
      cc: { unitLeaders: ['u1', 'u2'] },
      params: { title: s.title, proposalNo: '第224号', reason: '提案者申请撤回' },
    });
    expect(record.notifications[1]!.kind).toBe('withdrawn');
    // Nothing can be done to a withdrawn proposal.
    expectFailure(() => check(state, 'saveDraft', liaison('u1'), { bodyHash: '1'.repeat(64), replyClass: 'A' }, T.drafted), FailureType.WRONG_STAGE);
  });

  it('an approved but not yet dispatched reply does not prevent it', () => {
    const s = approved(assignedState(), 'u1');
    expect(() => check(s, 'withdraw', office(), { reason: 'x' })).not.toThrow();
  });

  it('refused once any unit has dispatched its reply, and after dispatch', () => {
    const s = dispatchAll(approved(assignedState('split', ['u1', 'u2']), 'u1'));
    expect(s.stage).toBe('handling');
    expectFailure(() => check(s, 'withdraw', office(), { reason: '撤回' }), FailureType.WRONG_STAGE);
    expectFailure(() => check(dispatchAll(approved(assignedState(), 'u1')), 'withdraw', office(), { reason: '撤回' }), FailureType.WRONG_STAGE);
  });

  it('needs a reason; a liaison may not withdraw', () => {
    expectFailure(() => check(filedState(), 'withdraw', office(), { reason: '' }), FailureType.INVALID_INPUT, 'reason');
    expectFailure(() => check(assignedState(), 'withdraw', liaison('u1'), { reason: 'x' }), FailureType.FORBIDDEN_ROLE);
  });
});

describe('markKey (重点提案)', () => {
  it('before assignment: no unit to tell', () => {
    const { state, record } = actFull(filedState(), 'markKey', committee(), { supervisingLeader: ' 王副主席 ' }, T.assigned);
    expect(state.keyProposal).toBe(true);
    expect(state.supervisingLeader).toBe('王副主席');
    expect(record.notifications).toEqual([]);
  });

  it('during handling: units and their principals are told', () => {
    const s = assignedState('lead', ['u1', 'u2']);
    const { record } = actFull(s, 'markKey', committee(), { supervisingLeader: '王副主席' });
    expect(record.notifications).toEqual([
      {
        kind: 'key_proposal',
        to: { unitLiaisons: ['u1', 'u2'] },
        cc: { unitPrincipals: ['u1', 'u2'] },
        params: { title: s.title, proposalNo: '第224号', leader: '王副主席' },
      },
    ]);
  });

  it('with the leader’s address: the leader is told, the committee copied', () => {
    const s = assignedState('lead', ['u1', 'u2']);
    const { state, record } = actFull(s, 'markKey', committee(), { supervisingLeader: '王副主席', supervisingLeaderEmail: 'wang@gov.test' });
    expect(state.supervisingLeaderEmail).toBe('wang@gov.test');
    expect(record.notifications.map((n) => n.kind)).toEqual(['key_proposal', 'supervision_assigned']);
    expect(record.notifications[1]).toMatchObject({ to: { addresses: ['wang@gov.test'] }, cc: { committee: true }, params: { leader: '王副主席' } });
  });

  it('twice is ALREADY_DONE; needs a leader; only the committee; not after dispatch', () => {
    const k = act(filedState(), 'markKey', committee(), { supervisingLeader: '王副主席' });
    expectFailure(() => check(k, 'markKey', committee(), { supervisingLeader: '李副主席' }), FailureType.ALREADY_DONE);
    expectFailure(() => check(filedState(), 'markKey', committee(), { supervisingLeader: '' }), FailureType.INVALID_INPUT, 'supervisingLeader');
    expectFailure(() => check(filedState(), 'markKey', office(), { supervisingLeader: '王' }), FailureType.FORBIDDEN_ROLE);
    expectFailure(() => check(dispatchAll(approved(assignedState(), 'u1')), 'markKey', committee(), { supervisingLeader: '王' }), FailureType.WRONG_STAGE);
  });

  it('a key proposal needs the principal to sign off (a plain leader gets FORBIDDEN_ROLE)', () => {
    let s = act(assignedState(), 'markKey', committee(), { supervisingLeader: '王副主席' });
    s = drafted(s, 'u1');
    const { record } = actFull(s, 'submitForSignOff', liaison('u1'), {}, T.signOff);
    expect(record.summary).toMatchObject({ needsPrincipal: true });
    expect(record.notifications[0]!.to).toEqual({ unitPrincipals: ['u1'] });
    s = act(s, 'submitForSignOff', liaison('u1'), {}, T.signOff);
    const f = expectFailure(() => check(s, 'signOff', leader('u1'), { decision: 'approve' }), FailureType.FORBIDDEN_ROLE);
    expect(f.message).toContain('主要负责人');
    expect(act(s, 'signOff', principal('u1'), { decision: 'approve' }).tracks[0]!.status).toBe('approved');
  });

  it('a key proposal under a policy without that rule may be signed by the leader', () => {
    let s = assignedState('sole', ['u1'], { policy: { principalSignOffForKey: false } });
    s = act(s, 'markKey', committee(), { supervisingLeader: '王副主席' });
    s = act(drafted(s, 'u1'), 'submitForSignOff', liaison('u1'), {}, T.signOff);
    expect(act(s, 'signOff', leader('u1'), { decision: 'approve' }).tracks[0]!.status).toBe('approved');
  });
});

function objectsIn(value: unknown, into = new Set<object>()): Set<object> {
  if (value !== null && typeof value === 'object' && !into.has(value)) {
    into.add(value);
    for (const v of Object.values(value)) objectsIn(v, into);
  }
  return into;
}

type Scenario = () => { state: ProposalState; name: ActionName; who: Actor; input: unknown; now: string; dues?: DueDate[] };

const HAPPY_PATHS: Record<ActionName, Scenario> = {
  file: () => ({ state: receivedState(), name: 'file', who: committee(), input: { outcome: 'filed', proposalNo: '第1号' }, now: T.filed }),
  assign: () => ({ state: filedState(), name: 'assign', who: office(), input: { mode: 'lead', units: ['u1', 'u2'] }, now: T.assigned, dues: ASSIGN_DUES }),
  requestAdjustment: () => ({ state: assignedState(), name: 'requestAdjustment', who: liaison('u1'), input: { reason: '不属本单位' }, now: T.withinWindow }),
  decideAdjustment: () => ({
    state: act(assignedState(), 'requestAdjustment', liaison('u1'), { reason: '不属本单位' }, T.withinWindow),
    name: 'decideAdjustment',
    who: office(),
    input: { unitId: 'u1', decision: 'accept', replacementUnitId: 'u3', answer: '同意' },
    now: T.withinWindow,
    dues: FRESH_DUES,
  }),
  recordConsultation: () => ({ state: assignedState(), name: 'recordConsultation', who: liaison('u1'), input: consultation(), now: T.consulted }),
  recordNoConsultation: () => ({ state: assignedState(), name: 'recordNoConsultation', who: liaison('u1'), input: { reason: '联系不上' }, now: T.consulted }),
  submitCoOpinion: () => ({
    state: assignedState('lead', ['u1', 'u2']),
    name: 'submitCoOpinion',
    who: liaison('u2'),
    input: { kind: 'opinion', bodyHash: HASH.opinion },
    now: T.coOpinion,
  }),
  waiveCoOpinion: () => ({
    state: assignedState('lead', ['u1', 'u2']),
    name: 'waiveCoOpinion',
    who: office(),
    input: { unitId: 'u2', reason: '逾期' },
    now: T.coOpinion,
  }),
  saveDraft: () => ({ state: drafted(assignedState(), 'u1'), name: 'saveDraft', who: liaison('u1'), input: draftB({ bodyHash: HASH.draft2 }), now: T.drafted }),
  overrideClass: () => ({
    state: drafted(assignedState(), 'u1'),
    name: 'overrideClass',
    who: office(),
    input: { unitId: 'u1', replyClass: 'C', reason: '未采纳' },
    now: T.drafted,
  }),
  submitForSignOff: () => ({ state: drafted(assignedState(), 'u1'), name: 'submitForSignOff', who: liaison('u1'), input: {}, now: T.signOff }),
  signOff: () => ({
    state: act(drafted(assignedState(), 'u1'), 'submitForSignOff', liaison('u1'), {}, T.signOff),
    name: 'signOff',
    who: leader('u1'),
    input: { decision: 'return', reason: '重写' },
    now: T.signOff,
  }),
  rate: () => ({ state: dispatchedLeadState(), name: 'rate', who: proposer(11), input: { attitude: 'satisfied', result: 'unsatisfied' }, now: T.rated }),
  proposePublication: () => ({
    state: dispatchAll(approved(assignedState(), 'u1')),
    name: 'proposePublication',
    who: liaison('u1'),
    input: { mode: 'summary', reason: '复杂' },
    now: T.rated,
  }),
  approvePublication: () => ({
    state: act(dispatchAll(approved(assignedState(), 'u1')), 'proposePublication', liaison('u1'), { mode: 'full' }, T.rated),
    name: 'approvePublication',
    who: office(),
    input: {},
    now: T.rated,
  }),
  close: () => ({ state: dispatchAll(approved(assignedState(), 'u1', draftB())), name: 'close', who: office(), input: {}, now: T.afterFeedback }),
  reportFollowUp: () => ({
    state: act(dispatchAll(approved(assignedState(), 'u1', draftB())), 'close', office(), {}, T.afterFeedback),
    name: 'reportFollowUp',
    who: liaison('u1'),
    input: { bodyHash: HASH.followUp },
    now: T.closed,
  }),
  withdraw: () => ({ state: assignedState('lead', ['u1', 'u2']), name: 'withdraw', who: office(), input: { reason: '撤回' }, now: T.drafted }),
  markKey: () => ({ state: assignedState(), name: 'markKey', who: committee(), input: { supervisingLeader: '王副主席' }, now: T.drafted }),
  orderRehandling: () => ({ state: dispatchedLeadState(), name: 'orderRehandling', who: committee(), input: { reason: '再办' }, now: T.rated }),
  reassign: () => ({
    state: assignedState('lead', ['u1', 'u2']),
    name: 'reassign',
    who: office(),
    input: { removeUnitId: 'u2', addUnitId: 'u5', reason: '调整' },
    now: T.drafted,
    dues: FRESH_DUES,
  }),
  requestExtension: () => ({
    state: assignedState(),
    name: 'requestExtension',
    who: liaison('u1'),
    input: { newDate: '2026-06-30', reason: '需补充调研' },
    now: T.signOff,
  }),
  decideExtension: () => ({
    state: act(assignedState(), 'requestExtension', liaison('u1'), { newDate: '2026-06-30', reason: '需补充调研' }, T.signOff),
    name: 'decideExtension',
    who: office(),
    input: { unitId: 'u1', decision: 'approve', answer: '同意延期' },
    now: T.signOff,
  }),
  recordOfficeConsultation: () => ({
    state: { ...assignedState(), officeChairedConsultation: true },
    name: 'recordOfficeConsultation',
    who: office(),
    input: { date: '2026-02-10', participants: '办公厅、委员、承办单位', summaryHash: 'a'.repeat(64) },
    now: T.signOff,
  }),
};

describe('every action is pure', () => {
  it.each(ACTION_NAMES)('%s: check and apply leave a deep-frozen state untouched and share nothing with it', (name) => {
    const { state, who, input, now, dues } = HAPPY_PATHS[name]();
    deepFreeze(state);
    const before = JSON.stringify(state);
    const spec = ACTIONS[name] as unknown as ActionSpec<unknown>;
    spec.check(state, who, input, now);
    spec.check(state, who, input, now); // a guard is repeatable: it runs as validator and again under the lock
    const ctx = { now, dues: dues ?? answerDues(spec.dues?.(state, who, input, now) ?? [], now) };
    const outcome = spec.apply(state, who, input, ctx);
    expect(JSON.stringify(state)).toBe(before);
    expect(outcome.state).not.toBe(state);
    expect(JSON.stringify(outcome.state)).not.toBe(before);
    const shared = [...objectsIn(outcome.state)].filter((o) => objectsIn(state).has(o));
    expect(shared).toEqual([]);
    expect(outcome.record.step).toBe(name);
    // The table says where each action leads; the implementation must agree.
    const leadsTo: readonly string[] = actionRule(name).to;
    expect([...leadsTo, state.stage], `${name} led to ${outcome.state.stage}`).toContain(outcome.state.stage);
    // apply is deterministic: same inputs, same result
    expect(spec.apply(state, who, input, ctx)).toEqual(outcome);
  });
});

describe('purity', () => {
  it('check and apply never write into a deep-frozen state; apply returns fresh objects', () => {
    const s = deepFreeze(assignedState('lead', ['u1', 'u2']));
    const { state } = actFull(s, 'requestAdjustment', liaison('u2'), { reason: '不属于本单位职责' }, T.withinWindow);
    expect(state).not.toBe(s);
    expect(state.units).not.toBe(s.units);
    expect(state.units[1]).not.toBe(s.units[1]);
    expect(s.units[1]!.adjustment).toBeNull();
    expect(Object.isFrozen(state)).toBe(false);
  });

  it('the default policy object is never modified by a run', () => {
    const before = JSON.stringify(DEFAULT_POLICY);
    dispatchAll(approved(assignedState(), 'u1'));
    expect(JSON.stringify(DEFAULT_POLICY)).toBe(before);
  });

  it('proposer actors can do nothing but rate', () => {
    expectFailure(() => check(assignedState(), 'withdraw', proposer(11), { reason: 'x' }), FailureType.FORBIDDEN_ROLE);
  });
});
