import { describe, expect, it } from 'vitest';
import {
  applyDeadline,
  clockEvents,
  clockNotification,
  nextClockInstant,
  offsetMs,
  openDeadlines,
  pendingClockEvents,
  syncDeadlines,
} from '../../../../workflows/proposal/clock.js';
import { FailureType } from '../../../../workflows/shared/failures.js';
import { projectionOf, unitTasksOf } from '../../../../workflows/proposal/projection.js';
import type { ProposalState } from '../../../../workflows/proposal/state.js';
import type { ClockPolicy, DueDate } from '../../../../workflows/shared/types.js';
import {
  act,
  actFull,
  approved,
  ASSIGN_DUES,
  assignedState,
  check,
  checkRaw,
  closedState,
  coOpinionsIn,
  committee,
  deepFreeze,
  dispatchAll,
  dispatchedLeadState,
  dispatchedState,
  draftB,
  DUES,
  duesFor,
  endOfDay,
  expectFailure,
  filedState,
  FRESH_DUES,
  leader,
  liaison,
  office,
  proposer,
  T,
} from './fixtures.js';

// 期限、提醒与督办: the pure clock logic (deadlines.ts) and the extension actions (延期).

const DAY = 86_400_000;
const ms = (iso: string) => Date.parse(iso);
const REPLY_DUE = ms(DUES.reply.dueAt); // 2026-05-20 end of day, Beijing
const CO_DUE = ms(DUES.coOpinion.dueAt); // 2026-03-20 end of day, Beijing

const extensionInput = { newDate: '2026-06-30', reason: ' 需补充实地调研 ' };
const approve = { unitId: 'u1', decision: 'approve' as const, answer: ' 同意延期 ' };

function withClock(state: ProposalState, clock: Partial<ClockPolicy>): ProposalState {
  return { ...state, policy: { ...state.policy, body: { ...state.policy.body, clock: { ...state.policy.body.clock, ...clock } } } };
}

function requested(state: ProposalState = assignedState(), input = extensionInput): ProposalState {
  return act(state, 'requestExtension', liaison('u1'), input, T.signOff);
}

function extended(state: ProposalState = assignedState(), input = extensionInput): ProposalState {
  return act(requested(state, input), 'decideExtension', office(), approve, T.signOff);
}

describe('syncDeadlines', () => {
  it('assignment: a reply deadline per answering unit with rule, start, explanation and the 6-month ceiling', () => {
    const s = assignedState('split', ['u1', 'u2']);
    for (const unit of ['u1', 'u2']) {
      expect(s.deadlines[`reply:${unit}`]).toEqual({
        key: `reply:${unit}`,
        ruleKey: 'reply',
        start: T.assigned,
        dueAt: DUES.reply.dueAt,
        dueDate: '2026-05-20',
        explanation: DUES.reply.explanation,
        calendarConfirmed: true,
        extensions: [],
        ceilingDate: DUES.extensionCeiling.dueDate,
        pendingExtension: null,
      });
    }
    expect(Object.keys(s.deadlines).sort()).toEqual(['reply:u1', 'reply:u2']);
  });

  it('lead mode: co-units get a co-opinion deadline, without a ceiling (they cannot ask for extensions)', () => {
    const s = assignedState('lead', ['u1', 'u2', 'u3']);
    expect(Object.keys(s.deadlines).sort()).toEqual(['coOpinion:u2', 'coOpinion:u3', 'reply:u1']);
    expect(s.deadlines['coOpinion:u2']).toEqual({
      key: 'coOpinion:u2',
      ruleKey: 'coOpinion',
      start: T.assigned,
      dueAt: DUES.coOpinion.dueAt,
      dueDate: '2026-03-20',
      explanation: DUES.coOpinion.explanation,
      calendarConfirmed: true,
      extensions: [],
      ceilingDate: null,
      pendingExtension: null,
    });
    expect(s.deadlines['reply:u1']!.ceilingDate).toBe(DUES.extensionCeiling.dueDate);
  });

  it('a co-opinion clock that fell back to the reply due is recorded with the reply rule', () => {
    const s = act(filedState(), 'assign', office(), { mode: 'lead', units: ['u1', 'u2'] }, T.assigned, [DUES.reply, DUES.adjustmentWindow, DUES.extensionCeiling]);
    expect(s.deadlines['coOpinion:u2']).toMatchObject({ ruleKey: 'reply', dueAt: DUES.reply.dueAt, ceilingDate: null });
  });

  it('without an extensionCeiling due the reply deadline has no ceiling', () => {
    const s = act(filedState(), 'assign', office(), { mode: 'sole', units: ['u1'] }, T.assigned, [DUES.reply, DUES.adjustmentWindow]);
    expect(s.deadlines['reply:u1']!.ceilingDate).toBeNull();
  });

  it('dispatch records the feedback deadline (no ceiling)', () => {
    const s = dispatchedState();
    expect(s.deadlines.feedback).toMatchObject({
      key: 'feedback',
      ruleKey: 'feedbackWindow',
      start: T.dispatched,
      dueAt: DUES.feedback.dueAt,
      dueDate: '2026-04-22',
      explanation: DUES.feedback.explanation,
      ceilingDate: null,
      extensions: [],
    });
  });

  it('a replacement unit gets its own fresh deadlines; the others keep theirs', () => {
    const s = assignedState('lead', ['u1', 'u2']);
    const r = act(s, 'reassign', office(), { removeUnitId: 'u1', addUnitId: 'u7', reason: '职能调整' }, T.drafted, FRESH_DUES);
    expect(r.deadlines['reply:u7']).toMatchObject({
      ruleKey: 'reply',
      start: DUES.freshReply.start,
      dueAt: DUES.freshReply.dueAt,
      ceilingDate: DUES.freshCeiling.dueDate,
    });
    expect(r.deadlines['coOpinion:u2']).toEqual(s.deadlines['coOpinion:u2']);
    const c = act(s, 'reassign', office(), { removeUnitId: 'u2', addUnitId: 'u8', reason: '职能调整' }, T.drafted, FRESH_DUES);
    expect(c.deadlines['coOpinion:u8']).toMatchObject({ ruleKey: 'coOpinion', dueAt: DUES.freshCoOpinion.dueAt });
    expect(c.deadlines['reply:u1']).toEqual(s.deadlines['reply:u1']);
  });

  it('re-handling starts a new reply deadline with the rehandling rule, a new start and a new ceiling', () => {
    const s = act(dispatchedState(), 'rate', proposer(11), { attitude: 'satisfied', result: 'unsatisfied' }, T.rated);
    expect(s.deadlines['reply:u1']).toEqual({
      key: 'reply:u1',
      ruleKey: 'rehandling',
      start: T.rated,
      dueAt: DUES.rehandlingReply.dueAt,
      dueDate: DUES.rehandlingReply.dueDate,
      explanation: DUES.rehandlingReply.explanation,
      calendarConfirmed: true,
      extensions: [],
      ceilingDate: DUES.rehandlingCeiling.dueDate,
      pendingExtension: null,
    });
  });

  it('no dues: the very same state; an unchanged deadline is not overwritten (its extensions survive)', () => {
    const s = extended();
    expect(syncDeadlines(s, [])).toBe(s);
    const again = syncDeadlines(s, ASSIGN_DUES);
    expect(again.deadlines['reply:u1']).toEqual(s.deadlines['reply:u1']);
    expect(again.deadlines['reply:u1']!.extensions).toHaveLength(1);
  });

  it('is pure', () => {
    const s = deepFreeze(assignedState('lead', ['u1', 'u2']));
    const before = JSON.stringify(s);
    const next = syncDeadlines(s, FRESH_DUES);
    expect(JSON.stringify(s)).toBe(before);
    expect(next).not.toBe(s);
  });
});

describe('openDeadlines', () => {
  const keys = (s: ProposalState) => openDeadlines(s).map((o) => [o.deadline.key, o.unitId, o.kind]);

  it('nothing before assignment', () => {
    expect(openDeadlines(filedState())).toEqual([]);
  });

  it('handling: every undispatched track and every co-opinion still due', () => {
    const s = assignedState('lead', ['u1', 'u2', 'u3']);
    expect(keys(s)).toEqual([
      ['reply:u1', 'u1', 'reply'],
      ['coOpinion:u2', 'u2', 'coOpinion'],
      ['coOpinion:u3', 'u3', 'coOpinion'],
    ]);
    const t = act(s, 'submitCoOpinion', liaison('u2'), { kind: 'no_opinion' }, T.coOpinion);
    expect(keys(t)).toEqual([
      ['reply:u1', 'u1', 'reply'],
      ['coOpinion:u3', 'u3', 'coOpinion'],
    ]);
    const w = act(t, 'waiveCoOpinion', office(), { unitId: 'u3', reason: '逾期' }, T.coOpinion);
    expect(keys(w)).toEqual([['reply:u1', 'u1', 'reply']]);
  });

  it('split: a dispatched track is no longer open, the other still is', () => {
    const s = dispatchAll(approved(assignedState('split', ['u1', 'u2']), 'u1'));
    expect(s.stage).toBe('handling');
    expect(keys(s)).toEqual([['reply:u2', 'u2', 'reply']]);
  });

  it('an approved (not yet dispatched) track is still open', () => {
    expect(keys(approved(assignedState(), 'u1'))).toEqual([['reply:u1', 'u1', 'reply']]);
  });

  it('dispatched: only the feedback window', () => {
    expect(keys(dispatchedLeadState())).toEqual([['feedback', null, 'feedback']]);
  });

  it('closed and withdrawn: nothing', () => {
    expect(openDeadlines(closedState())).toEqual([]);
    expect(openDeadlines(act(assignedState(), 'withdraw', office(), { reason: '撤回' }))).toEqual([]);
  });

  it('a deadline record that no longer matches its track is not open', () => {
    const s = assignedState();
    const stale: ProposalState = { ...s, tracks: s.tracks.map((t) => ({ ...t, dueAt: '2026-07-01T15:59:59.999Z' })) };
    expect(openDeadlines(stale)).toEqual([]);
    expect(openDeadlines({ ...s, deadlines: {} })).toEqual([]);
  });
});

describe('clockEvents', () => {
  it('offsetMs: days and seconds', () => {
    expect(offsetMs({ amount: 7, unit: 'calendar_days' })).toBe(7 * DAY);
    expect(offsetMs({ amount: 30, unit: 'seconds' })).toBe(30_000);
    expect(offsetMs({ amount: 0, unit: 'calendar_days' })).toBe(0);
  });

  it('reminders at due − offset, then the ladder after due (liaison at once, leader, office and committee)', () => {
    expect(clockEvents(assignedState())).toEqual([
      { key: 'reply:u1:round0:v0:remind0', at: REPLY_DUE - 7 * DAY, kind: 'reminder', deadlineKey: 'reply:u1', rung: 'reminder', unitId: 'u1' },
      { key: 'reply:u1:round0:v0:remind1', at: REPLY_DUE - 1 * DAY, kind: 'reminder', deadlineKey: 'reply:u1', rung: 'reminder', unitId: 'u1' },
      { key: 'reply:u1:round0:v0:esc0', at: REPLY_DUE + 1, kind: 'escalation', deadlineKey: 'reply:u1', rung: 'liaison', unitId: 'u1' },
      { key: 'reply:u1:round0:v0:esc1', at: REPLY_DUE + 5 * DAY, kind: 'escalation', deadlineKey: 'reply:u1', rung: 'leader', unitId: 'u1' },
      { key: 'reply:u1:round0:v0:esc2', at: REPLY_DUE + 10 * DAY, kind: 'escalation', deadlineKey: 'reply:u1', rung: 'office_committee', unitId: 'u1' },
    ]);
  });

  it('the first escalation comes strictly after the due instant (the due instant itself is still in time)', () => {
    const first = clockEvents(assignedState()).find((e) => e.kind === 'escalation')!;
    expect(first.at).toBeGreaterThan(REPLY_DUE);
    expect(new Date(first.at).toISOString()).toBe('2026-05-20T16:00:00.000Z');
  });

  it('co-opinions are chased too, in time order with the reply', () => {
    const events = clockEvents(assignedState('lead', ['u1', 'u2']));
    expect(events).toHaveLength(10);
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort((a, b) => a - b));
    expect(events.slice(0, 5).map((e) => [e.key, e.at, e.unitId])).toEqual([
      ['coOpinion:u2:round0:v0:remind0', CO_DUE - 7 * DAY, 'u2'],
      ['coOpinion:u2:round0:v0:remind1', CO_DUE - DAY, 'u2'],
      ['coOpinion:u2:round0:v0:esc0', CO_DUE + 1, 'u2'],
      ['coOpinion:u2:round0:v0:esc1', CO_DUE + 5 * DAY, 'u2'],
      ['coOpinion:u2:round0:v0:esc2', CO_DUE + 10 * DAY, 'u2'],
    ]);
    expect(events.slice(5).every((e) => e.deadlineKey === 'reply:u1')).toBe(true);
  });

  it('a reminder that would fall before the deadline started is skipped (the others keep their index)', () => {
    // 100 days before 2026-05-20 is before the assignment on 2026-02-20.
    const s = withClock(assignedState(), {
      reminderOffsets: [
        { amount: 100, unit: 'calendar_days' },
        { amount: 7, unit: 'calendar_days' },
      ],
    });
    const reminders = clockEvents(s).filter((e) => e.kind === 'reminder');
    expect(reminders.map((e) => [e.key, e.at])).toEqual([['reply:u1:round0:v0:remind1', REPLY_DUE - 7 * DAY]]);
  });

  it('a reminder exactly at the start is skipped as well', () => {
    const s = assignedState();
    const atStart = REPLY_DUE - ms(T.assigned);
    const t = withClock(s, {
      reminderOffsets: [
        { amount: atStart / 1000, unit: 'seconds' },
        { amount: atStart / 1000 - 1, unit: 'seconds' },
      ],
    });
    expect(
      clockEvents(t)
        .filter((e) => e.kind === 'reminder')
        .map((e) => [e.key, e.at]),
    ).toEqual([['reply:u1:round0:v0:remind1', ms(T.assigned) + 1000]]);
  });

  it('seconds offsets (a shortened test policy)', () => {
    const s = withClock(assignedState(), {
      reminderOffsets: [{ amount: 30, unit: 'seconds' }],
      escalation: [{ after: { amount: 10, unit: 'seconds' }, notify: 'leader' }],
    });
    expect(clockEvents(s).map((e) => [e.key, e.at - REPLY_DUE, e.rung])).toEqual([
      ['reply:u1:round0:v0:remind0', -30_000, 'reminder'],
      ['reply:u1:round0:v0:esc0', 10_000, 'leader'],
    ]);
  });

  it('key proposals climb the stricter ladder (leader at once, principal, office and committee), keyed apart', () => {
    const s = act(assignedState(), 'markKey', committee(), { supervisingLeader: '王副主席' }, T.drafted);
    const events = clockEvents(s);
    expect(events.filter((e) => e.kind === 'reminder').map((e) => e.key)).toEqual(['reply:u1:round0:v0:remind0', 'reply:u1:round0:v0:remind1']);
    expect(events.filter((e) => e.kind === 'escalation').map((e) => [e.key, e.at - REPLY_DUE, e.rung])).toEqual([
      ['reply:u1:round0:v0:keyesc0', 1, 'leader'],
      ['reply:u1:round0:v0:keyesc1', 2 * DAY, 'principal'],
      ['reply:u1:round0:v0:keyesc2', 5 * DAY, 'office_committee'],
    ]);
    // An ordinary escalation already sent does not stand in for a supervision notice.
    const plainKeys = clockEvents(assignedState()).map((e) => e.key);
    const keyEscalations = events.filter((e) => e.kind === 'escalation').map((e) => e.key);
    expect(keyEscalations.filter((k) => plainKeys.includes(k))).toEqual([]);
  });

  it('keys carry the handling round', () => {
    const s = act(dispatchedState(), 'rate', proposer(11), { attitude: 'satisfied', result: 'unsatisfied' }, T.rated);
    const due = ms(DUES.rehandlingReply.dueAt);
    expect(clockEvents(s).map((e) => [e.key, e.at - due])).toEqual([
      ['reply:u1:round1:v0:remind0', -7 * DAY],
      ['reply:u1:round1:v0:remind1', -DAY],
      ['reply:u1:round1:v0:esc0', 1],
      ['reply:u1:round1:v0:esc1', 5 * DAY],
      ['reply:u1:round1:v0:esc2', 10 * DAY],
    ]);
  });

  it('the feedback window is not chased; nothing before assignment or after closing', () => {
    expect(openDeadlines(dispatchedState())).toHaveLength(1);
    expect(clockEvents(dispatchedState())).toEqual([]);
    expect(clockEvents(filedState())).toEqual([]);
    expect(clockEvents(closedState())).toEqual([]);
  });

  it('a policy stored before clocks existed yields no events', () => {
    const s = assignedState();
    const old = { ...s, policy: { ...s.policy, body: { ...s.policy.body, clock: undefined as unknown as ClockPolicy } } };
    expect(clockEvents(old)).toEqual([]);
    expect(nextClockInstant(old)).toBeNull();
  });

  it('an empty ladder and no reminders: nothing to fire', () => {
    const s = withClock(assignedState(), { reminderOffsets: [], escalation: [] });
    expect(clockEvents(s)).toEqual([]);
  });
});

describe('pendingClockEvents and nextClockInstant', () => {
  const s = deepFreeze(assignedState());
  const keysAt = (state: ProposalState, iso: string) => pendingClockEvents(state, ms(iso)).map((e) => e.key);

  it('only what has fallen due by now', () => {
    expect(keysAt(s, '2026-05-13T15:59:59.998Z')).toEqual([]);
    expect(keysAt(s, '2026-05-13T15:59:59.999Z')).toEqual(['reply:u1:round0:v0:remind0']);
    expect(keysAt(s, '2026-05-20T15:59:59.999Z')).toEqual(['reply:u1:round0:v0:remind0', 'reply:u1:round0:v0:remind1']);
    expect(keysAt(s, '2026-05-20T16:00:00.000Z')).toEqual(['reply:u1:round0:v0:remind0', 'reply:u1:round0:v0:remind1', 'reply:u1:round0:v0:esc0']);
    expect(keysAt(s, '2026-12-31T00:00:00.000Z')).toHaveLength(5);
  });

  it('what has been fired is not pending again', () => {
    const fired: ProposalState = { ...s, firedClock: ['reply:u1:round0:v0:remind0'] };
    expect(keysAt(fired, '2026-05-20T16:00:00.000Z')).toEqual(['reply:u1:round0:v0:remind1', 'reply:u1:round0:v0:esc0']);
    const all: ProposalState = { ...s, firedClock: clockEvents(s).map((e) => e.key) };
    expect(keysAt(all, '2026-12-31T00:00:00.000Z')).toEqual([]);
  });

  it('nextClockInstant: the earliest event not yet fired, past or future; null when none is left', () => {
    expect(nextClockInstant(s)).toBe(REPLY_DUE - 7 * DAY);
    expect(nextClockInstant({ ...s, firedClock: ['reply:u1:round0:v0:remind0'] })).toBe(REPLY_DUE - DAY);
    expect(nextClockInstant({ ...s, firedClock: ['reply:u1:round0:v0:remind0', 'reply:u1:round0:v0:remind1'] })).toBe(REPLY_DUE + 1);
    expect(nextClockInstant({ ...s, firedClock: clockEvents(s).map((e) => e.key) })).toBeNull();
    expect(nextClockInstant(filedState())).toBeNull();
    expect(nextClockInstant(dispatchedState())).toBeNull();
  });

  it('lead handling: the co-opinion clock comes first; once the opinion is in it no longer counts', () => {
    const lead = assignedState('lead', ['u1', 'u2']);
    expect(nextClockInstant(lead)).toBe(CO_DUE - 7 * DAY);
    expect(nextClockInstant(coOpinionsIn(lead))).toBe(REPLY_DUE - 7 * DAY);
    expect(pendingClockEvents(coOpinionsIn(lead), ms('2026-04-30T00:00:00.000Z'))).toEqual([]);
  });
});

describe('clockNotification', () => {
  const allRungs = withClock(assignedState('lead', ['u1', 'u2']), {
    escalation: [
      { after: { amount: 0, unit: 'calendar_days' }, notify: 'liaison' },
      { after: { amount: 1, unit: 'calendar_days' }, notify: 'leader' },
      { after: { amount: 2, unit: 'calendar_days' }, notify: 'principal' },
      { after: { amount: 3, unit: 'calendar_days' }, notify: 'office_committee' },
    ],
  });
  const replyEvents = (s: ProposalState) => clockEvents(s).filter((e) => e.deadlineKey === 'reply:u1');

  it('recipients per rung', () => {
    const notices = replyEvents(allRungs).map((e) => [e.rung, clockNotification(allRungs, e).to, clockNotification(allRungs, e).cc]);
    expect(notices).toEqual([
      // (reminders may carry delivery flags, e.g. digest handling, beside the recipients)
      ['reminder', expect.objectContaining({ unitLiaisons: ['u1'] }), undefined],
      ['reminder', expect.objectContaining({ unitLiaisons: ['u1'] }), undefined],
      ['liaison', { unitLiaisons: ['u1'] }, undefined],
      ['leader', { unitLeaders: ['u1'] }, { unitLiaisons: ['u1'] }],
      ['principal', { unitPrincipals: ['u1'] }, { unitLeaders: ['u1'], unitLiaisons: ['u1'] }],
      ['office_committee', { office: true, committee: true }, { unitLeaders: ['u1'], unitLiaisons: ['u1'] }],
    ]);
  });

  it('kinds: deadline_reminder before, deadline_escalation after; params explain the deadline', () => {
    const events = replyEvents(assignedState());
    const s = assignedState();
    expect(events.map((e) => clockNotification(s, e).kind)).toEqual([
      'deadline_reminder',
      'deadline_reminder',
      'deadline_escalation',
      'deadline_escalation',
      'deadline_escalation',
    ]);
    expect(clockNotification(s, events[0]!).params).toEqual({
      title: s.title,
      proposalNo: '第224号',
      what: '答复',
      unitId: 'u1',
      dueDate: '2026-05-20',
      explanation: DUES.reply.explanation,
      rung: 'reminder',
      calendarConfirmed: '是',
    });
  });

  it('a co-opinion deadline speaks of 会办意见 and goes to the co-unit', () => {
    const s = assignedState('lead', ['u1', 'u2']);
    const event = clockEvents(s).find((e) => e.deadlineKey === 'coOpinion:u2' && e.rung === 'leader')!;
    const n = clockNotification(s, event);
    expect(n).toMatchObject({ kind: 'deadline_escalation', to: { unitLeaders: ['u2'] }, cc: { unitLiaisons: ['u2'] } });
    expect(n.params).toMatchObject({ what: '会办意见', unitId: 'u2', dueDate: '2026-03-20' });
  });

  it('an unconfirmed calendar is said so', () => {
    const unconfirmed: DueDate[] = ASSIGN_DUES.map((d) => ({ ...d, calendarConfirmed: false }));
    const s = act(filedState(), 'assign', office(), { mode: 'sole', units: ['u1'] }, T.assigned, unconfirmed);
    expect(clockNotification(s, clockEvents(s)[0]!).params.calendarConfirmed).toBe('否');
  });

  it('key proposals: supervision notices with the committee in copy; reminders stay plain', () => {
    const s = act(assignedState(), 'markKey', committee(), { supervisingLeader: '王副主席' }, T.drafted);
    const events = clockEvents(s);
    const notices = events.map((e) => clockNotification(s, e));
    expect(notices.map((n) => n.kind)).toEqual(['deadline_reminder', 'deadline_reminder', 'supervision_notice', 'supervision_notice', 'supervision_notice']);
    expect(notices[0]!.cc).toBeUndefined();
    expect(notices.slice(2).map((n) => [n.to, n.cc])).toEqual([
      [{ unitLeaders: ['u1'] }, { unitLiaisons: ['u1'], committee: true }],
      [{ unitPrincipals: ['u1'] }, { unitLeaders: ['u1'], unitLiaisons: ['u1'], committee: true }],
      [
        { office: true, committee: true },
        { unitLeaders: ['u1'], unitLiaisons: ['u1'], committee: true },
      ],
    ]);
  });

  it('a key proposal whose ladder starts at the liaison still copies the committee', () => {
    let s = act(assignedState(), 'markKey', committee(), { supervisingLeader: '王副主席' }, T.drafted);
    s = withClock(s, { keyEscalation: [{ after: { amount: 0, unit: 'calendar_days' }, notify: 'liaison' }] });
    const event = clockEvents(s).find((e) => e.kind === 'escalation')!;
    expect(event.key).toBe('reply:u1:round0:v0:keyesc0');
    expect(clockNotification(s, event)).toMatchObject({ kind: 'supervision_notice', to: { unitLiaisons: ['u1'] }, cc: { committee: true } });
  });

  it('a key proposal’s notices are copied to its supervising leader, when an address is known', () => {
    let s = act(assignedState(), 'markKey', committee(), { supervisingLeader: '王副主席', supervisingLeaderEmail: 'wang@gov.test' }, T.drafted);
    s = withClock(s, { keyEscalation: [{ after: { amount: 0, unit: 'calendar_days' }, notify: 'leader' }] });
    const event = clockEvents(s).find((e) => e.kind === 'escalation')!;
    expect(clockNotification(s, event).cc).toMatchObject({ committee: true, addresses: ['wang@gov.test'] });
    const reminder = clockEvents(s).find((e) => e.kind === 'reminder');
    if (reminder) expect(clockNotification(s, reminder).cc?.addresses).toBeUndefined();
  });
});

describe('requestExtension (申请延期)', () => {
  it("the answering unit's liaison asks; the request waits on the deadline; the office is told", () => {
    const s = assignedState();
    expect(duesFor(s, 'requestExtension', liaison('u1'), extensionInput, T.signOff)).toEqual([]);
    const { state, record } = actFull(s, 'requestExtension', liaison('u1'), extensionInput, T.signOff);
    expect(state.deadlines['reply:u1']).toEqual({
      ...s.deadlines['reply:u1'],
      pendingExtension: { to: '2026-06-30', reason: '需补充实地调研', requestedAt: T.signOff, unitId: 'u1' },
    });
    // Nothing moves until the office decides.
    expect(state.tracks).toEqual(s.tracks);
    expect(clockEvents(state)).toEqual(clockEvents(s));
    expect(record).toEqual({
      step: 'requestExtension',
      unitId: 'u1',
      summary: { from: '2026-05-20', to: '2026-06-30', reason: '需补充实地调研' },
      notifications: [
        {
          kind: 'extension_requested',
          to: { office: true },
          params: { title: s.title, proposalNo: '第224号', unitId: 'u1', to: '2026-06-30', reason: '需补充实地调研', decideBy: null },
        },
      ],
    });
  });

  it('up to the ceiling itself is allowed; a day beyond is INVALID_INPUT on newDate citing the 6-month limit', () => {
    const s = assignedState();
    expect(() => check(s, 'requestExtension', liaison('u1'), { ...extensionInput, newDate: DUES.extensionCeiling.dueDate }, T.signOff)).not.toThrow();
    const f = expectFailure(
      () => check(s, 'requestExtension', liaison('u1'), { ...extensionInput, newDate: '2026-08-21' }, T.signOff),
      FailureType.INVALID_INPUT,
      'newDate',
    );
    expect(f.message).toContain('6个月');
    expect(f.message).toContain('上限');
    expect(f.message).toContain(DUES.extensionCeiling.dueDate);
  });

  it('must be later than the current due date', () => {
    const s = assignedState();
    const f = expectFailure(
      () => check(s, 'requestExtension', liaison('u1'), { ...extensionInput, newDate: '2026-05-20' }, T.signOff),
      FailureType.INVALID_INPUT,
      'newDate',
    );
    expect(f.message).toContain('2026-05-20');
    expectFailure(() => check(s, 'requestExtension', liaison('u1'), { ...extensionInput, newDate: '2026-04-01' }, T.signOff), FailureType.INVALID_INPUT, 'newDate');
    expect(() => check(s, 'requestExtension', liaison('u1'), { ...extensionInput, newDate: '2026-05-21' }, T.signOff)).not.toThrow();
  });

  it('after one approval, the next request must go beyond the extended date', () => {
    const s = extended();
    expectFailure(() => check(s, 'requestExtension', liaison('u1'), { ...extensionInput, newDate: '2026-06-15' }, T.signOff), FailureType.INVALID_INPUT, 'newDate');
    expect(() => check(s, 'requestExtension', liaison('u1'), { ...extensionInput, newDate: '2026-07-31' }, T.signOff)).not.toThrow();
  });

  it('malformed dates and a missing reason are INVALID_INPUT', () => {
    const s = assignedState();
    for (const newDate of ['2026-02-30', '2026/06/30', '', '30.06.2026']) {
      expectFailure(() => check(s, 'requestExtension', liaison('u1'), { ...extensionInput, newDate }, T.signOff), FailureType.INVALID_INPUT, 'newDate');
    }
    expectFailure(() => checkRaw(s, 'requestExtension', liaison('u1'), { reason: '调研' }, T.signOff), FailureType.INVALID_INPUT, 'newDate');
    expectFailure(() => check(s, 'requestExtension', liaison('u1'), { ...extensionInput, reason: '  ' }, T.signOff), FailureType.INVALID_INPUT, 'reason');
  });

  it('asking again while one is pending is ALREADY_DONE', () => {
    const f = expectFailure(
      () => check(requested(), 'requestExtension', liaison('u1'), { ...extensionInput, newDate: '2026-07-01' }, T.signOff),
      FailureType.ALREADY_DONE,
    );
    expect(f.message).toContain('2026-06-30');
  });

  it('a co-unit or a stranger is NOT_YOUR_UNIT; a leader or the office is FORBIDDEN_ROLE', () => {
    const s = assignedState('lead', ['u1', 'u2']);
    expectFailure(() => check(s, 'requestExtension', liaison('u2'), extensionInput, T.signOff), FailureType.NOT_YOUR_UNIT);
    expectFailure(() => check(s, 'requestExtension', liaison('u9'), extensionInput, T.signOff), FailureType.NOT_YOUR_UNIT);
    expectFailure(() => check(s, 'requestExtension', leader('u1'), extensionInput, T.signOff), FailureType.FORBIDDEN_ROLE);
    expectFailure(() => check(s, 'requestExtension', office(), extensionInput, T.signOff), FailureType.FORBIDDEN_ROLE);
  });

  it("after dispatch: WRONG_STAGE (the proposal is answered, or this unit's track is)", () => {
    expectFailure(() => check(dispatchedState(), 'requestExtension', liaison('u1'), extensionInput, T.rated), FailureType.WRONG_STAGE);
    const split = dispatchAll(approved(assignedState('split', ['u1', 'u2']), 'u1'));
    expect(split.stage).toBe('handling');
    const f = expectFailure(() => check(split, 'requestExtension', liaison('u1'), extensionInput, T.rated), FailureType.WRONG_STAGE);
    expect(f.message).toContain('已经答复');
    expect(() => check(split, 'requestExtension', liaison('u2'), extensionInput, T.rated)).not.toThrow();
  });

  it('before assignment: WRONG_STAGE', () => {
    expectFailure(() => check(filedState(), 'requestExtension', liaison('u1'), extensionInput, T.assigned), FailureType.WRONG_STAGE);
  });

  it('without a deadline record to extend: PRECONDITION_FAILED', () => {
    const s = assignedState();
    expectFailure(() => check({ ...s, deadlines: {} }, 'requestExtension', liaison('u1'), extensionInput, T.signOff), FailureType.PRECONDITION_FAILED);
  });

  it('split: each unit extends its own deadline', () => {
    const s = act(assignedState('split', ['u1', 'u2']), 'requestExtension', liaison('u2'), extensionInput, T.signOff);
    expect(s.deadlines['reply:u2']!.pendingExtension).toMatchObject({ unitId: 'u2', to: '2026-06-30' });
    expect(s.deadlines['reply:u1']!.pendingExtension).toBeNull();
  });
});

describe('decideExtension (审批延期申请)', () => {
  it('approve asks for the deadline recomputed from its own rule and start, with the extensions', () => {
    const s = requested();
    expect(duesFor(s, 'decideExtension', office(), approve, T.signOff)).toEqual([
      {
        key: 'extended',
        ruleKey: 'reply',
        start: T.assigned,
        extensions: [{ from: '2026-05-20', to: '2026-06-30', reason: '需补充实地调研', approvedAt: T.signOff }],
      },
    ]);
    expect(duesFor(s, 'decideExtension', office(), { ...approve, decision: 'refuse' }, T.signOff)).toEqual([]);
  });

  it('approve: the deadline and the track move to the new date; the unit and every proposer are told', () => {
    const s = requested(assignedState('sole', ['u1'], { proposerIds: [11, 12], mergedProposerIds: [21] }));
    const { state, record } = actFull(s, 'decideExtension', office(), approve, T.signOff);
    const deadline = state.deadlines['reply:u1']!;
    expect(deadline).toEqual({
      key: 'reply:u1',
      ruleKey: 'reply',
      start: T.assigned,
      dueAt: endOfDay('2026-06-30'),
      dueDate: '2026-06-30',
      explanation: `${DUES.reply.explanation}；经批准延期至2026-06-30`,
      calendarConfirmed: true,
      extensions: [{ from: '2026-05-20', to: '2026-06-30', reason: '需补充实地调研', approvedAt: T.signOff }],
      ceilingDate: DUES.extensionCeiling.dueDate,
      pendingExtension: null,
    });
    expect(state.tracks[0]!.dueAt).toBe(deadline.dueAt);
    expect(record).toEqual({
      step: 'decideExtension',
      unitId: 'u1',
      summary: { decision: 'approve', from: '2026-05-20', to: '2026-06-30', answer: '同意延期', by: '办公厅张科长' },
      notifications: [
        { kind: 'extension_approved', to: { unitLiaisons: ['u1'] }, params: { title: s.title, proposalNo: '第224号', to: '2026-06-30', answer: '同意延期' } },
        { kind: 'extension_proposer', to: { proposers: [11, 12, 21] }, params: { title: s.title, proposalNo: '第224号', to: '2026-06-30' } },
      ],
    });
  });

  it('approve: the task shows one extension and nothing pending; the next due and its explanation follow', () => {
    const pending = requested();
    expect(unitTasksOf(pending)[0]).toMatchObject({ extensionCount: 0, extensionPendingTo: '2026-06-30', dueAt: DUES.reply.dueAt });
    const s = extended();
    expect(unitTasksOf(s)[0]).toMatchObject({
      unitId: 'u1',
      dueAt: endOfDay('2026-06-30'),
      extensionCount: 1,
      extensionPendingTo: null,
      dueExplanation: `${DUES.reply.explanation}；经批准延期至2026-06-30`,
    });
    expect(projectionOf(s, T.signOff)).toMatchObject({
      nextDueAt: endOfDay('2026-06-30'),
      nextDueKind: 'reply:u1',
      nextDueExplanation: `${DUES.reply.explanation}；经批准延期至2026-06-30`,
      nextDueConfirmed: true,
    });
  });

  it("approve: fresh reminders for the new date, even where the old date's were already sent", () => {
    const before = requested();
    const firedOld: ProposalState = {
      ...before,
      firedClock: clockEvents(before)
        .filter((e) => e.kind === 'reminder')
        .map((e) => e.key),
    };
    const s = act(firedOld, 'decideExtension', office(), approve, T.signOff);
    const due = ms(endOfDay('2026-06-30'));
    expect(clockEvents(s).map((e) => [e.key, e.at - due])).toEqual([
      ['reply:u1:round0:v1:remind0', -7 * DAY],
      ['reply:u1:round0:v1:remind1', -DAY],
      ['reply:u1:round0:v1:esc0', 1],
      ['reply:u1:round0:v1:esc1', 5 * DAY],
      ['reply:u1:round0:v1:esc2', 10 * DAY],
    ]);
    expect(pendingClockEvents(s, due - DAY).map((e) => e.key)).toEqual(['reply:u1:round0:v1:remind0', 'reply:u1:round0:v1:remind1']);
    // Nothing is due on the old date any more.
    expect(pendingClockEvents(s, REPLY_DUE + 2 * DAY)).toEqual([]);
    expect(nextClockInstant(s)).toBe(due - 7 * DAY);
  });

  it('a second extension counts on: keys v2, two extensions recorded', () => {
    let s = extended();
    s = act(s, 'requestExtension', liaison('u1'), { newDate: '2026-07-31', reason: '再次延期' }, T.signOff);
    s = act(s, 'decideExtension', office(), approve, T.signOff);
    expect(s.deadlines['reply:u1']!.extensions.map((e) => [e.from, e.to])).toEqual([
      ['2026-05-20', '2026-06-30'],
      ['2026-06-30', '2026-07-31'],
    ]);
    expect(s.tracks[0]!.dueAt).toBe(endOfDay('2026-07-31'));
    expect(unitTasksOf(s)[0]!.extensionCount).toBe(2);
    expect(clockEvents(s)[0]!.key).toBe('reply:u1:round0:v2:remind0');
  });

  it('refuse: nothing moves, the request is cleared, only the unit is told; it may ask again', () => {
    const s = requested();
    const { state, record } = actFull(s, 'decideExtension', office(), { unitId: 'u1', decision: 'refuse', answer: ' 请按期答复 ' }, T.signOff, []);
    expect(state.deadlines['reply:u1']).toEqual({ ...s.deadlines['reply:u1'], pendingExtension: null });
    expect(state.tracks).toEqual(s.tracks);
    expect(clockEvents(state)).toEqual(clockEvents(assignedState()));
    expect(record.notifications).toEqual([
      { kind: 'extension_refused', to: { unitLiaisons: ['u1'] }, params: { title: s.title, proposalNo: '第224号', answer: '请按期答复' } },
    ]);
    expect(record.summary).toMatchObject({ decision: 'refuse', from: '2026-05-20', to: '2026-06-30' });
    expect(unitTasksOf(state)[0]).toMatchObject({ extensionCount: 0, extensionPendingTo: null });
    expect(() => check(state, 'requestExtension', liaison('u1'), extensionInput, T.signOff)).not.toThrow();
  });

  it('refusals: nothing pending, bad decision, no answer, a non-office role', () => {
    const s = requested();
    expectFailure(() => check(assignedState(), 'decideExtension', office(), approve, T.signOff), FailureType.PRECONDITION_FAILED);
    expectFailure(() => check(s, 'decideExtension', office(), { ...approve, unitId: 'u9' }, T.signOff), FailureType.PRECONDITION_FAILED);
    expectFailure(() => checkRaw(s, 'decideExtension', office(), { ...approve, decision: 'accept' }, T.signOff), FailureType.INVALID_INPUT, 'decision');
    expectFailure(() => check(s, 'decideExtension', office(), { ...approve, answer: ' ' }, T.signOff), FailureType.INVALID_INPUT, 'answer');
    expectFailure(() => check(s, 'decideExtension', committee(), approve, T.signOff), FailureType.FORBIDDEN_ROLE);
    expectFailure(() => check(s, 'decideExtension', liaison('u1'), approve, T.signOff), FailureType.FORBIDDEN_ROLE);
    expectFailure(() => check(s, 'decideExtension', leader('u1'), approve, T.signOff), FailureType.FORBIDDEN_ROLE);
  });

  it('deciding twice: the second finds nothing pending', () => {
    const s = extended();
    expectFailure(() => check(s, 'decideExtension', office(), approve, T.signOff), FailureType.PRECONDITION_FAILED);
  });

  it('once the proposal is dispatched the office can no longer decide (WRONG_STAGE)', () => {
    const s = dispatchAll(approved(requested(), 'u1'));
    expect(s.stage).toBe('dispatched');
    expectFailure(() => check(s, 'decideExtension', office(), approve, T.rated), FailureType.WRONG_STAGE);
  });

  it('re-handling starts a fresh reply deadline: no extensions carried over, a new ceiling', () => {
    let s = dispatchAll(approved(extended(), 'u1'));
    s = act(s, 'rate', proposer(11), { attitude: 'satisfied', result: 'unsatisfied' }, T.rated);
    expect(s.deadlines['reply:u1']).toMatchObject({ extensions: [], pendingExtension: null, ceilingDate: DUES.rehandlingCeiling.dueDate });
    expect(unitTasksOf(s)[0]!.extensionCount).toBe(0);
    expect(() => check(s, 'requestExtension', liaison('u1'), { newDate: '2026-10-08', reason: '调研' }, T.rated)).not.toThrow();
    expectFailure(() => check(s, 'requestExtension', liaison('u1'), { newDate: '2026-10-09', reason: '调研' }, T.rated), FailureType.INVALID_INPUT, 'newDate');
  });
});

describe('applyDeadline (recalculation)', () => {
  const later = { dueAt: endOfDay('2026-05-22'), dueDate: '2026-05-22', explanation: '日历调整后重算', calendarConfirmed: false };

  it('moves the track with its deadline and keeps the reminder keys: nothing already sent goes out again', () => {
    const s0 = assignedState();
    const sent = clockEvents(s0)
      .filter((e) => e.kind === 'reminder')
      .map((e) => e.key);
    const s: ProposalState = { ...s0, firedClock: sent };
    const r = applyDeadline(s, { ...s.deadlines['reply:u1']!, ...later });
    expect(r.tracks[0]!.dueAt).toBe(later.dueAt);
    expect(r.deadlines['reply:u1']).toMatchObject({ ...later, extensions: [], start: T.assigned });
    expect(openDeadlines(r).map((o) => o.deadline.key)).toEqual(['reply:u1']);
    expect(clockEvents(r).map((e) => e.key)).toEqual(clockEvents(s0).map((e) => e.key));
    // The reminders would now fall later, but they were sent: nothing pending until the ladder.
    expect(pendingClockEvents(r, ms(later.dueAt))).toEqual([]);
    expect(pendingClockEvents(r, ms(later.dueAt) + 1).map((e) => e.key)).toEqual(['reply:u1:round0:v0:esc0']);
    expect(nextClockInstant(r)).toBe(ms(later.dueAt) + 1);
  });

  it('an extended deadline recalculated keeps its extension count in the keys', () => {
    const s = extended();
    const r = applyDeadline(s, { ...s.deadlines['reply:u1']!, dueAt: endOfDay('2026-07-01'), dueDate: '2026-07-01' });
    expect(clockEvents(r).map((e) => e.key)).toEqual(clockEvents(s).map((e) => e.key));
    expect(clockEvents(r)[0]!.key).toBe('reply:u1:round0:v1:remind0');
  });

  it("a co-opinion deadline moves the co-unit's clock; the reply is untouched", () => {
    const s = assignedState('lead', ['u1', 'u2']);
    const r = applyDeadline(s, { ...s.deadlines['coOpinion:u2']!, ...later });
    expect(r.units[1]!.coOpinion).toEqual({ status: 'due', dueAt: later.dueAt });
    expect(r.tracks).toEqual(s.tracks);
    expect(openDeadlines(r).map((o) => o.deadline.key)).toEqual(['reply:u1', 'coOpinion:u2']);
  });

  it('the feedback deadline moves feedbackDueAt', () => {
    const s = dispatchedState();
    const r = applyDeadline(s, { ...s.deadlines.feedback!, ...later });
    expect(r.feedbackDueAt).toBe(later.dueAt);
    expect(openDeadlines(r).map((o) => o.deadline.dueAt)).toEqual([later.dueAt]);
  });

  it('the explanation and confirmation reach the projection and the unit task', () => {
    const s = assignedState();
    const r = applyDeadline(s, { ...s.deadlines['reply:u1']!, ...later });
    expect(projectionOf(r, T.signOff)).toMatchObject({ nextDueAt: later.dueAt, nextDueExplanation: '日历调整后重算', nextDueConfirmed: false });
    expect(unitTasksOf(r)[0]).toMatchObject({ dueAt: later.dueAt, dueExplanation: '日历调整后重算', calendarConfirmed: false });
  });

  it('is pure', () => {
    const s = deepFreeze(assignedState());
    const before = JSON.stringify(s);
    applyDeadline(s, { ...s.deadlines['reply:u1']!, ...later });
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe('projection: nextDueExplanation and nextDueConfirmed', () => {
  it('follow the earliest open deadline', () => {
    expect(projectionOf(assignedState(), T.signOff)).toMatchObject({ nextDueKind: 'reply:u1', nextDueExplanation: DUES.reply.explanation, nextDueConfirmed: true });
    const lead = assignedState('lead', ['u1', 'u2']);
    expect(projectionOf(lead, T.signOff)).toMatchObject({ nextDueKind: 'co_opinion:u2', nextDueExplanation: DUES.coOpinion.explanation });
    expect(projectionOf(coOpinionsIn(lead), T.signOff)).toMatchObject({ nextDueKind: 'reply:u1', nextDueExplanation: DUES.reply.explanation });
    expect(projectionOf(dispatchedState(), T.rated)).toMatchObject({ nextDueKind: 'feedback', nextDueExplanation: DUES.feedback.explanation, nextDueConfirmed: true });
  });

  it('an unconfirmed calendar year shows as not confirmed', () => {
    const unconfirmed: DueDate[] = ASSIGN_DUES.map((d) => ({ ...d, calendarConfirmed: false }));
    const s = act(filedState(), 'assign', office(), { mode: 'lead', units: ['u1', 'u2'] }, T.assigned, unconfirmed);
    expect(projectionOf(s, T.signOff)).toMatchObject({ nextDueKind: 'co_opinion:u2', nextDueConfirmed: false });
    expect(unitTasksOf(s).map((t) => t.calendarConfirmed)).toEqual([false, false]);
  });

  it('nothing due, or a due without a deadline record (follow-up): no explanation, confirmed', () => {
    expect(projectionOf(filedState(), T.signOff)).toMatchObject({ nextDueAt: null, nextDueExplanation: null, nextDueConfirmed: true });
    const c = closedState({ draft: draftB({ followUpDate: '2026-11-30' }) });
    expect(projectionOf(c, T.closed)).toMatchObject({ nextDueKind: 'follow_up', nextDueExplanation: null, nextDueConfirmed: true });
  });

  it('split: the explanation of the unit whose deadline is next', () => {
    let s = assignedState('split', ['u1', 'u2']);
    s = act(s, 'reassign', office(), { removeUnitId: 'u2', addUnitId: 'u3', reason: '职能调整' }, T.drafted, FRESH_DUES);
    s = dispatchAll(approved(s, 'u1'));
    expect(projectionOf(s, T.dispatched)).toMatchObject({ nextDueKind: 'reply:u3', nextDueExplanation: DUES.freshReply.explanation });
  });
});

describe("clock events in a proposal's life", () => {
  it('every event names an open deadline and a unit of this proposal', () => {
    const states = [
      assignedState(),
      assignedState('lead', ['u1', 'u2', 'u3']),
      assignedState('split', ['u1', 'u2']),
      extended(),
      act(dispatchedLeadState(), 'orderRehandling', committee(), { reason: '再办' }, T.rated),
    ];
    for (const s of states) {
      const open = new Set(openDeadlines(s).map((o) => o.deadline.key));
      const units = new Set(s.units.map((u) => u.unitId));
      const keys = new Set<string>();
      for (const e of clockEvents(s)) {
        expect(open.has(e.deadlineKey)).toBe(true);
        expect(units.has(e.unitId!)).toBe(true);
        expect(e.key.startsWith(`${e.deadlineKey}:round${s.round}:`)).toBe(true);
        keys.add(e.key);
        const n = clockNotification(s, e);
        expect(n.params.dueDate).toBe(s.deadlines[e.deadlineKey]!.dueDate);
      }
      expect(keys.size).toBe(clockEvents(s).length); // keys are unique
    }
  });
});
