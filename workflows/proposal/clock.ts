import type { NotificationIntent, RecipientSpec } from '../shared/notifications.js';
import { currentSigner, signerRecipients, stepWords } from './signoff-chain.js';
import { openFollowUps, type ProposalState } from './state.js';
import type { ClockOffset, ClockPolicy, Deadline, DueDate, LadderRung } from '../shared/types.js';
import { DECISION_WHAT, decisionKindOf, isDecisionKey, openDecisionDeadlines } from './office-decisions.js';

// The proposal's clocks as pure data: which deadlines are open, and which reminders and
// escalations fall due when. The workflow sleeps until the next one and fires it exactly once
// (each has a key that also keys its event row and outbox mail).

export interface OpenDeadline {
  deadline: Deadline;
  unitId: string | null;
  kind: 'reply' | 'coOpinion' | 'feedback' | 'publication' | 'decision' | 'followUp' | 'signOff';
}

export interface ClockEvent {
  key: string;
  at: number; // epoch ms
  kind: 'reminder' | 'escalation';
  deadlineKey: string;
  rung: LadderRung | 'reminder';
  unitId: string | null;
}

const OFFICE_DECISION_LADDER: ClockPolicy['escalation'] = [{ after: { amount: 0, unit: 'calendar_days' }, notify: 'office_committee' }];

export function offsetMs(offset: ClockOffset): number {
  return offset.unit === 'seconds' ? offset.amount * 1000 : offset.amount * 86_400_000;
}

/** Stores the computed due dates of this step on the deadlines they belong to. */
export function syncDeadlines(state: ProposalState, dues: DueDate[]): ProposalState {
  if (dues.length === 0) return state;
  const deadlines = { ...state.deadlines };
  const ceiling = dues.find((d) => d.key === 'extensionCeiling')?.dueDate ?? null;
  const record = (key: string, due: DueDate | undefined) => {
    if (!due) return;
    deadlines[key] = {
      key,
      ruleKey: due.ruleKey,
      start: due.start,
      dueAt: due.dueAt,
      dueDate: due.dueDate,
      explanation: due.explanation,
      calendarConfirmed: due.calendarConfirmed,
      extensions: [],
      ceilingDate: key.startsWith('reply:') ? ceiling : null,
      pendingExtension: null,
    };
  };
  // The office's decision on a request made in this step (adjustment, extension).
  for (const due of dues) if (isDecisionKey(due.key)) record(due.key, due);
  // A due date computed in this step starts a new clock (a new record), even when it happens
  // to equal an older, extended date of an earlier round.
  for (const track of state.tracks) {
    const current = deadlines[`reply:${track.unitId}`];
    const fresh = track.dueAt ? dues.find((d) => d.key === 'reply' && d.dueAt === track.dueAt) : undefined;
    if (fresh && (!current || current.start !== fresh.start || current.dueAt !== track.dueAt)) record(`reply:${track.unitId}`, fresh);
  }
  for (const unit of state.units) {
    const dueAt = unit.coOpinion?.status === 'due' ? unit.coOpinion.dueAt : null;
    const current = deadlines[`coOpinion:${unit.unitId}`];
    const fresh = dueAt ? dues.find((d) => (d.key === 'coOpinion' || d.key === 'reply') && d.dueAt === dueAt) : undefined;
    if (fresh && (!current || current.start !== fresh.start || current.dueAt !== dueAt)) record(`coOpinion:${unit.unitId}`, fresh);
  }
  if (state.feedbackDueAt && deadlines.feedback?.dueAt !== state.feedbackDueAt) {
    record(
      'feedback',
      dues.find((d) => d.key === 'feedback'),
    );
  }
  record(
    'publication',
    dues.find((d) => d.key === 'publication'),
  );
  return { ...state, deadlines };
}

export function openDeadlines(state: ProposalState): OpenDeadline[] {
  const open: OpenDeadline[] = [];
  if (state.stage === 'handling') {
    for (const track of state.tracks) {
      const d = state.deadlines[`reply:${track.unitId}`];
      if (d && track.status !== 'dispatched' && d.dueAt === track.dueAt) open.push({ deadline: d, unitId: track.unitId, kind: 'reply' });
    }
    for (const unit of state.units) {
      const d = state.deadlines[`coOpinion:${unit.unitId}`];
      if (d && unit.coOpinion?.status === 'due' && unit.coOpinion.dueAt === d.dueAt) open.push({ deadline: d, unitId: unit.unitId, kind: 'coOpinion' });
    }
  }
  if (state.stage === 'dispatched' && state.deadlines.feedback && state.deadlines.feedback.dueAt === state.feedbackDueAt) {
    open.push({ deadline: state.deadlines.feedback, unitId: null, kind: 'feedback' });
  }
  // 公开: the reply is to be published within the window after dispatch; the lead proposes how.
  const publication = state.deadlines.publication;
  if ((state.stage === 'dispatched' || state.stage === 'closed') && publication && state.publication?.status !== 'approved') {
    const lead = state.units.find((u) => u.role === 'lead' || u.role === 'sole') ?? state.units[0];
    open.push({ deadline: publication, unitId: lead?.unitId ?? null, kind: 'publication' });
  }
  for (const { deadline, unitId } of openDecisionDeadlines(state)) open.push({ deadline, unitId, kind: 'decision' });
  // 审签流程: the current step of a reply in sign-off, while a reminder is set for it.
  for (const track of state.tracks) {
    const deadline = state.deadlines[`signOff:${track.unitId}`];
    if (track.status === 'signoff' && track.signOff && deadline?.start === track.signOff.startedAt) open.push({ deadline, unitId: track.unitId, kind: 'signOff' });
  }
  // 回头看: each unit's promised date, until the unit reports.
  for (const checkpoint of openFollowUps(state)) {
    const deadline = state.deadlines[`followUp:${checkpoint.unitId}`];
    if (deadline) open.push({ deadline, unitId: checkpoint.unitId, kind: 'followUp' });
  }
  return open;
}

export interface ClockContext {
  round: number;
  keyProposal: boolean;
  clock: ClockPolicy | undefined;
}

/** One deadline's reminders (before it) and escalation rungs (after it). */
export function deadlineClockEvents(deadline: Deadline, unitId: string | null, ctx: ClockContext): ClockEvent[] {
  if (!ctx.clock) return [];
  const events: ClockEvent[] = [];
  const due = Date.parse(deadline.dueAt);
  const start = Date.parse(deadline.start);
  // A sign-off step has one reminder, when it has waited as long as the chain allows.
  if (deadline.key.startsWith('signOff:')) {
    return [{ key: `${deadline.key}:${deadline.start}:remind`, at: due, kind: 'reminder', deadlineKey: deadline.key, rung: 'reminder', unitId }];
  }
  const decision = isDecisionKey(deadline.key);
  // A new date (extension) is a new deadline to be reminded of; a recalculated one is not. Each
  // request the office decides is its own deadline, told apart by when it was made.
  const base = decision ? `${deadline.key}:${deadline.start}` : `${deadline.key}:round${ctx.round}:v${deadline.extensions.length}`;
  // The office's week to decide gets one reminder, the nearest one, not the units' whole series.
  const reminders = decision
    ? ctx.clock.reminderOffsets
        .slice()
        .sort((a, b) => offsetMs(a) - offsetMs(b))
        .slice(0, 1)
    : ctx.clock.reminderOffsets;
  reminders.forEach((offset, i) => {
    const at = due - offsetMs(offset);
    if (at > start) events.push({ key: `${base}:remind${i}`, at, kind: 'reminder', deadlineKey: deadline.key, rung: 'reminder', unitId });
  });
  // The office is reminded of its own decision and, once late, the committee is told; the
  // units' ladder (liaison, leader, principal) is not about the office.
  const ladder = decision ? OFFICE_DECISION_LADDER : ctx.keyProposal ? ctx.clock.keyEscalation : ctx.clock.escalation;
  ladder.forEach((step, i) => {
    events.push({
      key: `${base}:${ctx.keyProposal && !decision ? 'key' : ''}esc${i}`,
      at: due + Math.max(1, offsetMs(step.after)),
      kind: 'escalation',
      deadlineKey: deadline.key,
      rung: step.notify,
      unitId,
    });
  });
  return events;
}

/** Every reminder and escalation of the open deadlines, fired or not, in time order. */
export function clockEvents(state: ProposalState): ClockEvent[] {
  const ctx: ClockContext = { round: state.round, keyProposal: state.keyProposal, clock: state.policy.body.clock };
  const events: ClockEvent[] = [];
  for (const { deadline, unitId, kind } of openDeadlines(state)) {
    // The 'feedback' clock belongs to the proposer: they are not chased, the window simply closes.
    if (kind === 'feedback') continue;
    // A co-unit's own child workflow keeps its clock.
    if (kind === 'coOpinion' && unitId && state.coTasks?.[unitId]?.round === state.round) continue;
    if (kind === 'reply' && unitId && state.replyTasks?.[unitId]?.round === state.round) continue;
    events.push(...deadlineClockEvents(deadline, unitId, ctx));
  }
  return events.sort((a, b) => a.at - b.at);
}

export function pendingClockEvents(state: ProposalState, now: number): ClockEvent[] {
  const fired = new Set(state.firedClock);
  return clockEvents(state).filter((e) => !fired.has(e.key) && e.at <= now);
}

export function nextClockInstant(state: ProposalState): number | null {
  const fired = new Set(state.firedClock);
  const next = clockEvents(state).find((e) => !fired.has(e.key));
  return next ? next.at : null;
}

function recipientsFor(rung: ClockEvent['rung'], unitId: string | null, deadlineKey: string): { to: RecipientSpec; cc?: RecipientSpec } {
  const units = unitId ? [unitId] : [];
  if (isDecisionKey(deadlineKey)) return rung === 'reminder' ? { to: { office: true } } : { to: { office: true, committee: true } };
  switch (rung) {
    case 'reminder':
      return { to: { unitLiaisons: units, digestAware: true } };
    case 'liaison':
      return { to: { unitLiaisons: units } };
    case 'leader':
      return { to: { unitLeaders: units }, cc: { unitLiaisons: units } };
    case 'principal':
      return { to: { unitPrincipals: units }, cc: { unitLeaders: units, unitLiaisons: units } };
    case 'office_committee':
      return { to: { office: true, committee: true }, cc: { unitLeaders: units, unitLiaisons: units } };
  }
}

export function clockNotification(state: ProposalState, event: ClockEvent): NotificationIntent {
  const track = event.deadlineKey.startsWith('signOff:') ? state.tracks.find((t) => t.unitId === event.unitId) : undefined;
  if (track?.signOff) {
    return {
      kind: 'signoff_reminder',
      to: signerRecipients(currentSigner(track.signOff), track.unitId),
      params: { title: state.title, proposalNo: state.proposalNo, version: track.drafts.length, step: stepWords(track.signOff), since: track.signOff.startedAt },
    };
  }
  return clockNotificationFor(state, state.deadlines[event.deadlineKey]!, event);
}

/** What a deadline's mail names, from its key. */
function whatIsDue(deadlineKey: string): string {
  const decision = decisionKindOf(deadlineKey);
  if (decision) return DECISION_WHAT[decision];
  if (deadlineKey.startsWith('followUp:')) return '承诺事项落实情况报告（回头看）';
  if (deadlineKey.startsWith('coOpinion:')) return '会办意见';
  return deadlineKey === 'publication' ? '答复公开' : '答复';
}

export function clockNotificationFor(
  proposal: { title: string; proposalNo: string | null; keyProposal: boolean; supervisingLeaderEmail?: string | null | undefined },
  deadline: Deadline,
  event: ClockEvent,
): NotificationIntent {
  const what = whatIsDue(event.deadlineKey);
  const supervised = proposal.keyProposal && !isDecisionKey(event.deadlineKey);
  const kind = event.kind === 'reminder' ? 'deadline_reminder' : supervised ? 'supervision_notice' : 'deadline_escalation';
  const leader = proposal.supervisingLeaderEmail ? { addresses: [proposal.supervisingLeaderEmail] } : {};
  const recipients = recipientsFor(event.rung, event.unitId, event.deadlineKey);
  const extra = supervised && event.kind === 'escalation' ? { cc: { ...recipients.cc, committee: true, ...leader } } : {};
  return {
    kind,
    ...recipients,
    ...extra,
    params: {
      title: proposal.title,
      proposalNo: proposal.proposalNo,
      what,
      unitId: event.unitId,
      dueDate: deadline.dueDate,
      explanation: deadline.explanation,
      rung: event.rung,
      calendarConfirmed: deadline.calendarConfirmed ? '是' : '否',
    },
  };
}

/**
 * Keeps the tracks' and co-opinions' due instants equal to their deadline records. Only the
 * feedback deadline moves the feedback window; `ownKeysOnly` is false for histories recorded
 * when a recalculated publication deadline moved it as well (a bug, replayed as it ran).
 */
export function applyDeadline(state: ProposalState, deadline: Deadline, ownKeysOnly = true): ProposalState {
  const deadlines = { ...state.deadlines, [deadline.key]: deadline };
  const [kind, unitId] = deadline.key.split(':') as [string, string | undefined];
  if (isDecisionKey(deadline.key) || (ownKeysOnly && kind === 'publication')) return { ...state, deadlines };
  if (kind === 'reply') {
    return { ...state, deadlines, tracks: state.tracks.map((t) => (t.unitId === unitId ? { ...t, dueAt: deadline.dueAt } : t)) };
  }
  if (kind === 'coOpinion') {
    return {
      ...state,
      deadlines,
      units: state.units.map((u) => (u.unitId === unitId && u.coOpinion ? { ...u, coOpinion: { ...u.coOpinion, dueAt: deadline.dueAt } } : u)),
    };
  }
  return { ...state, deadlines, feedbackDueAt: deadline.dueAt };
}
