import { describe, expect, it } from 'vitest';
import { applyDeadline, clockEvents, clockNotification, openDeadlines, syncDeadlines } from '../../../../workflows/proposal/clock.js';
import { decisionKey, openDecisionDeadlines } from '../../../../workflows/proposal/office-decisions.js';
import { unitTasksOf } from '../../../../workflows/proposal/projection.js';
import type { ProposalState } from '../../../../workflows/proposal/state.js';
import type { DueDate } from '../../../../workflows/shared/types.js';
import { act, actFull, assignedState, dispatchedState, endOfDay, liaison, office, T } from './fixtures.js';

// 交办单位审批期限 as pure clock data: the handler adds the decision's due date to the request's
// step (behind a patch); here the step's dues carry it as the handler would.

const DAY = 86_400_000;

function decisionDue(kind: 'adjustment' | 'extension', unitId: string, start: string, dueDate = '2026-03-12'): DueDate {
  return {
    key: decisionKey(kind, unitId),
    ruleKey: 'officeDecision',
    start,
    dueAt: endOfDay(dueDate),
    dueDate,
    explanation: `交办单位审批期限：自${start.slice(0, 10)}起7天`,
    calendarConfirmed: true,
  };
}

function extensionRequested(state: ProposalState = assignedState(), at: string = T.drafted, dueDate = '2026-03-12'): ProposalState {
  return act(state, 'requestExtension', liaison('u1'), { newDate: '2026-06-30', reason: '需补充调研' }, at, [decisionDue('extension', 'u1', at, dueDate)]);
}

describe('the office decision deadline of a request', () => {
  it("a unit's extension request opens the office's decision deadline, shown on the unit's task and named in the request's mail", () => {
    const { state, record } = actFull(assignedState(), 'requestExtension', liaison('u1'), { newDate: '2026-06-30', reason: '需补充调研' }, T.drafted, [
      decisionDue('extension', 'u1', T.drafted),
    ]);
    expect(openDecisionDeadlines(state).map((d) => [d.unitId, d.deadline.dueDate])).toEqual([['u1', '2026-03-12']]);
    expect(openDeadlines(state).filter((d) => d.kind === 'decision')).toHaveLength(1);
    expect(unitTasksOf(state)[0]).toMatchObject({ extensionPendingTo: '2026-06-30', decisionDueAt: endOfDay('2026-03-12') });
    expect(record.notifications[0]).toMatchObject({ kind: 'extension_requested', to: { office: true }, params: { decideBy: '2026-03-12' } });
  });

  it('the office is reminded once before its decision deadline and the committee is told after it; the unit is not chased', () => {
    const s = extensionRequested();
    const due = Date.parse(endOfDay('2026-03-12'));
    const decision = clockEvents(s).filter((e) => e.deadlineKey === decisionKey('extension', 'u1'));
    // The nearest of the policy's reminders (1 day before), then one notice at the deadline.
    expect(decision.map((e) => [e.kind, e.at - due])).toEqual([
      ['reminder', -DAY],
      ['escalation', 1],
    ]);
    expect(decision.map((e) => e.key)).toEqual([`decision:extension:u1:${T.drafted}:remind0`, `decision:extension:u1:${T.drafted}:esc0`]);
    const [reminder, late] = decision.map((e) => clockNotification(s, e));
    expect(reminder).toMatchObject({ kind: 'deadline_reminder', to: { office: true }, params: { what: '延期申请的审批', dueDate: '2026-03-12' } });
    expect(late).toMatchObject({ kind: 'deadline_escalation', to: { office: true, committee: true } });
    expect(late!.cc).toBeUndefined();
  });

  it('a key proposal does not turn the office decision notice into a 督办 notice for the unit', () => {
    const s = extensionRequested({ ...assignedState(), keyProposal: true });
    const late = clockEvents(s).find((e) => e.deadlineKey.startsWith('decision:') && e.kind === 'escalation')!;
    expect(late.key.endsWith(':esc0')).toBe(true);
    expect(clockNotification(s, late)).toMatchObject({ kind: 'deadline_escalation', to: { office: true, committee: true } });
  });

  it('a decision ends the clock: approved or refused, nothing of it is due any more and the task shows nothing pending', () => {
    const s = extensionRequested();
    for (const decision of ['approve', 'refuse'] as const) {
      const next = act(s, 'decideExtension', office(), { unitId: 'u1', decision, answer: '已审' }, T.signOff);
      expect(openDecisionDeadlines(next)).toEqual([]);
      expect(clockEvents(next).filter((e) => e.deadlineKey.startsWith('decision:'))).toEqual([]);
      expect(unitTasksOf(next)[0]!.decisionDueAt).toBeNull();
    }
  });

  it("a second request after a refusal is a new deadline with new keys, even after the first one's reminder went", () => {
    const first = extensionRequested();
    const fired = { ...first, firedClock: clockEvents(first).map((e) => e.key) };
    const refused = act(fired, 'decideExtension', office(), { unitId: 'u1', decision: 'refuse', answer: '请按期答复' }, T.signOff);
    const again = extensionRequested(refused, T.rated, '2026-04-15');
    const keys = clockEvents(again)
      .filter((e) => e.deadlineKey.startsWith('decision:'))
      .map((e) => e.key);
    expect(keys).toHaveLength(2);
    expect(keys.some((k) => again.firedClock.includes(k))).toBe(false);
  });

  it("an adjustment request opens the office's decision deadline; its refusal closes it", () => {
    const at = T.withinWindow;
    const s = act(assignedState(), 'requestAdjustment', liaison('u1'), { reason: '不属于本单位职责' }, at, [decisionDue('adjustment', 'u1', at, '2026-03-04')]);
    expect(unitTasksOf(s)[0]).toMatchObject({ status: 'adjustment_requested', decisionDueAt: endOfDay('2026-03-04') });
    const reminder = clockEvents(s).find((e) => e.deadlineKey === decisionKey('adjustment', 'u1') && e.kind === 'reminder')!;
    expect(clockNotification(s, reminder).params).toMatchObject({ what: '调整申请的审批' });
    const refused = act(s, 'decideAdjustment', office(), { unitId: 'u1', decision: 'refuse', answer: '以你单位为主' }, T.drafted);
    expect(openDecisionDeadlines(refused)).toEqual([]);
  });

  it('a request made before the deadline existed (older histories) has no office clock', () => {
    const s = act(assignedState(), 'requestExtension', liaison('u1'), { newDate: '2026-06-30', reason: '需补充调研' }, T.drafted, []);
    expect(openDecisionDeadlines(s)).toEqual([]);
    expect(unitTasksOf(s)[0]!.decisionDueAt).toBeNull();
  });

  it('recalculating a decision or publication deadline leaves the feedback window where it is', () => {
    const s = dispatchedState();
    const feedbackDueAt = s.feedbackDueAt;
    const withPublication = syncDeadlines(s, [{ ...decisionDue('extension', 'u1', T.signOff), key: 'publication', ruleKey: 'publication' }]);
    const moved = { ...withPublication.deadlines.publication!, dueAt: endOfDay('2026-09-01'), dueDate: '2026-09-01' };
    expect(applyDeadline(withPublication, moved).feedbackDueAt).toBe(feedbackDueAt);
    // Histories recorded before the fix replay as they ran.
    expect(applyDeadline(withPublication, moved, false).feedbackDueAt).toBe(moved.dueAt);
  });
});
