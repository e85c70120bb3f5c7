import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../../workflows/proposal/actions/index.js';
import { FOLLOW_UP_PER_PROMISE } from '../../../../workflows/proposal/actions/closing.js';
import { clockEvents, clockNotification, openDeadlines } from '../../../../workflows/proposal/clock.js';
import { nextDue, openFollowUps, type ProposalState } from '../../../../workflows/proposal/state.js';
import { FailureType } from '../../../../workflows/shared/failures.js';
import { act, approved, assignedState, dispatchAll, draftA, draftB, endOfDay, expectFailure, liaison, office, proposer, T } from './fixtures.js';

// 回头看 per promise, as pure rules: a close (from this version on) turns every B/C reply's
// promise into a checkpoint of its own unit, with the clock's reminders and ladder; each unit
// reports for itself.

const DAY = 86_400_000;
const HASH = 'a'.repeat(64);

/** A split proposal: u1 promised by 2026-12-31 (B), u2 by 2027-03-31 (C), closed under the patch. */
function closedSplit(patched = true): ProposalState {
  let s = assignedState('split', ['u1', 'u2']);
  s = approved(s, 'u1', draftB());
  s = approved(s, 'u2', draftB({ replyClass: 'C', promisedActions: '条件成熟时启动二期工程', followUpDate: '2027-03-31' }));
  s = dispatchAll(s);
  for (const p of s.proposerIds) s = act(s, 'rate', proposer(p), { attitude: 'satisfied', result: 'satisfied' }, T.rated);
  ACTIONS.close.check(s, office(), {}, T.closed);
  const outcome = ACTIONS.close.apply(s, office(), {}, { now: T.closed, dues: [], patches: { [FOLLOW_UP_PER_PROMISE]: patched } });
  return outcome.state;
}

describe('回头看 per promise', () => {
  it('every B/C reply of a split proposal becomes its own checkpoint with its own deadline', () => {
    const s = closedSplit();
    expect(s.followUp).toBeNull();
    expect(Object.values(s.followUps!).map((c) => [c.unitId, c.replyClass, c.promised, c.dueDate, c.status])).toEqual([
      ['u1', 'B', '2026年底前出台县域养老服务设施建设方案', '2026-12-31', 'pending'],
      ['u2', 'C', '条件成熟时启动二期工程', '2027-03-31', 'pending'],
    ]);
    expect(
      openDeadlines(s)
        .filter((d) => d.kind === 'followUp')
        .map((d) => [d.unitId, d.deadline.dueAt]),
    ).toEqual([
      ['u1', endOfDay('2026-12-31')],
      ['u2', endOfDay('2027-03-31')],
    ]);
    expect(nextDue(s)).toEqual({ at: '2026-12-31T15:59:59.999Z', kind: 'follow_up:u1' });
  });

  it('each checkpoint is reminded before its date and climbs the ladder after it, addressed to its own unit', () => {
    const s = closedSplit();
    const u1 = clockEvents(s).filter((e) => e.deadlineKey === 'followUp:u1');
    const due = Date.parse(endOfDay('2026-12-31'));
    expect(u1.map((e) => [e.kind, e.rung, e.at - due])).toEqual([
      ['reminder', 'reminder', -7 * DAY],
      ['reminder', 'reminder', -DAY],
      ['escalation', 'liaison', 1],
      ['escalation', 'leader', 5 * DAY],
      ['escalation', 'office_committee', 10 * DAY],
    ]);
    const reminder = clockNotification(s, u1[0]!);
    expect(reminder).toMatchObject({
      kind: 'deadline_reminder',
      to: { unitLiaisons: ['u1'] },
      params: { what: '承诺事项落实情况报告（回头看）', dueDate: '2026-12-31' },
    });
  });

  it('a unit reports for its own checkpoint only; the other stays open until it reports', () => {
    let s = closedSplit();
    s = act(s, 'reportFollowUp', liaison('u1'), { bodyHash: HASH }, '2026-12-20T02:00:00.000Z');
    expect(s.followUps!.u1).toMatchObject({ status: 'reported', reportHash: HASH, reportedAt: '2026-12-20T02:00:00.000Z' });
    expect(openFollowUps(s).map((c) => c.unitId)).toEqual(['u2']);
    expect(clockEvents(s).some((e) => e.deadlineKey === 'followUp:u1')).toBe(false);
    expectFailure(() => ACTIONS.reportFollowUp.check(s, liaison('u1'), { bodyHash: HASH }, T.closed), FailureType.ALREADY_DONE);
    s = act(s, 'reportFollowUp', liaison('u2'), { bodyHash: HASH }, '2027-03-30T02:00:00.000Z');
    expect(openFollowUps(s)).toEqual([]);
    expect(clockEvents(s)).toEqual([]);
  });

  it('an A reply promises nothing: its unit has no checkpoint and cannot report', () => {
    let s = assignedState('split', ['u1', 'u2']);
    s = approved(s, 'u1', draftB());
    s = approved(s, 'u2', draftA());
    s = dispatchAll(s);
    for (const p of s.proposerIds) s = act(s, 'rate', proposer(p), { attitude: 'satisfied', result: 'satisfied' }, T.rated);
    const closed = ACTIONS.close.apply(s, office(), {}, { now: T.closed, dues: [], patches: { [FOLLOW_UP_PER_PROMISE]: true } }).state;
    expect(Object.keys(closed.followUps!)).toEqual(['u1']);
    expectFailure(() => ACTIONS.reportFollowUp.check(closed, liaison('u2'), { bodyHash: HASH }, T.closed), FailureType.PRECONDITION_FAILED);
  });

  it('runs closed before this version keep one date for the proposal and no per-unit clock', () => {
    const s = closedSplit(false);
    expect(s.followUp).toEqual({ dueDate: '2026-12-31', status: 'pending' });
    expect(s.followUps).toBeUndefined();
    expect(clockEvents(s).filter((e) => e.deadlineKey.startsWith('followUp:'))).toEqual([]);
  });
});
