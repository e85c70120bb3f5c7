import { ActivityFailure, ApplicationFailure, getExternalWorkflowHandle, patched } from '@temporalio/workflow';
import { background, localBackground } from '../common/activity-proxies.js';
import type { StepRecord } from '../shared/step-record.js';
import type { DueDate } from '../shared/types.js';
import { applyDeadline, clockNotification, nextClockInstant, openDeadlines, pendingClockEvents, syncDeadlines } from './clock.js';
import { mergedProposalSignal } from './definitions.js';
import { projectionOf, unitTasksOf } from './projection.js';
import { nowIso, type ProposalRun } from './run.js';
import { letterAddressees, raters, type DueRequest, type ProposalState } from './state.js';

// The steps the workflow takes by itself (SYSTEM_STEPS in machine.ts): each has a "is it due?"
// question the main loop asks and a step it runs under the lock.

const followUpInstant = (s: ProposalState) => Date.parse(`${s.followUp!.dueDate}T00:00:00+08:00`);

export const dispatchable = (run: ProposalRun) => run.current.tracks.filter((t) => t.status === 'approved');

export function feedbackExpired(run: ProposalRun): boolean {
  const s = run.current;
  return s.stage === 'dispatched' && run.feedbackNotedRound !== s.round && s.feedbackDueAt !== null && Date.now() >= Date.parse(s.feedbackDueAt);
}

export function followUpDue(run: ProposalRun): boolean {
  const s = run.current;
  return s.stage === 'closed' && s.followUp?.status === 'pending' && Date.now() >= followUpInstant(s);
}

// Reminders and escalations were added after the first histories were recorded: gate them.
export const clockEnabled = () => patched('deadline-clock-v1');

export const clockDue = (run: ProposalRun) => clockEnabled() && pendingClockEvents(run.current, Date.now()).length > 0;

/** How long the main loop may sleep before some clock of the proposal's own falls due. */
export function msUntilNextClock(run: ProposalRun): number | undefined {
  const s = run.current;
  const instants: number[] = [];
  if (s.stage === 'dispatched' && run.feedbackNotedRound !== s.round && s.feedbackDueAt) instants.push(Date.parse(s.feedbackDueAt));
  if (s.stage === 'closed' && s.followUp?.status === 'pending') instants.push(followUpInstant(s));
  if (clockEnabled()) {
    const next = nextClockInstant(s);
    if (next !== null) instants.push(next);
  }
  if (instants.length === 0) return undefined;
  return Math.max(1, Math.min(...instants) - Date.now());
}

/**
 * 公开 is due once the office approved how the reply is published and nothing came of it yet.
 * Runs from before the step existed had no such step (the patch is asked only when it matters).
 */
export function publicationDue(run: ProposalRun): boolean {
  const s = run.current;
  return s.publication?.status === 'approved' && !s.published && patched('publish-step-v1');
}

/** 公开: the public version gets its 索引号 and date against the window; the proposers are told. */
export async function publish(run: ProposalRun): Promise<void> {
  const current = run.current;
  const now = nowIso();
  try {
    const result = await background.publishReply({
      key: `${run.workflowId}:publish:round${current.round}`,
      workflowId: run.workflowId,
      summaryHash: current.publication?.summaryHash ?? null,
      dueDate: current.deadlines.publication?.dueDate ?? null,
      now,
    });
    run.state = { ...run.current, published: { status: result.status, indexNo: result.indexNo } };
    run.outbox.push(...result.notificationKeys);
  } catch (err) {
    // A refusal (no publication profile for the unit, no summary) must not fail the proposal:
    // it is recorded for the office, who can put it right and approve again.
    const message = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause.message : String(err);
    const record: StepRecord = { step: 'publishRefused', unitId: null, summary: { message }, notifications: [] };
    await run.commit(
      `${run.workflowId}:publish-refused:round${current.round}`,
      null,
      { state: { ...current, published: { status: 'refused', indexNo: null, message } }, record },
      now,
      background,
    );
  }
}

/** 答复寄发: numbers, stores and mails one unit's approved reply; the last one moves the proposal to dispatched. */
export async function dispatch(run: ProposalRun, unitId: string): Promise<void> {
  const current = run.current;
  const now = nowIso();
  const tracks = current.tracks.map((t) => (t.unitId === unitId ? { ...t, status: 'dispatched' as const, dispatchedAt: now } : t));
  const allDone = tracks.every((t) => t.status === 'dispatched');
  let feedbackDueAt = current.feedbackDueAt;
  let dues: DueDate[] = [];
  if (allDone) {
    // The publication window (公开期限) became a tracked deadline after the first release.
    const requests: DueRequest[] = [{ key: 'feedback', ruleKey: 'feedbackWindow', start: now }];
    if (patched('publication-deadline-v1')) requests.push({ key: 'publication', ruleKey: 'publication', start: now });
    dues = await background.computeDueDates({ policy: current.policy, requests });
    feedbackDueAt = dues[0]!.dueAt;
  }
  const next: ProposalState = syncDeadlines({ ...current, tracks, stage: allDone ? 'dispatched' : current.stage, feedbackDueAt }, dues);
  const track = current.tracks.find((t) => t.unitId === unitId)!;
  const draft = track.drafts[track.drafts.length - 1]!;
  const result = await background.dispatchReply({
    key: `${run.workflowId}:dispatch:${unitId}:round${current.round}`,
    workflowId: run.workflowId,
    unitId,
    round: current.round,
    version: draft.version,
    replyClass: track.replyClass ?? draft.replyClass,
    bodyHash: draft.bodyHash,
    proposalNo: current.proposalNo,
    title: current.title,
    recipients: letterAddressees(current).own,
    mergedLetters: letterAddressees(current).merged,
    supervisingLeaderEmail: current.keyProposal ? (current.supervisingLeaderEmail ?? null) : null,
    raters: raters(current),
    coUnits: current.units.filter((u) => u.role === 'co').map((u) => u.unitId),
    feedbackDueAt,
    projection: projectionOf(next, now),
    tasks: unitTasksOf(next),
    now,
  });
  run.state = { ...next, tracks: next.tracks.map((t) => (t.unitId === unitId ? { ...t, docNo: result.docNo } : t)) };
  run.outbox.push(...result.notificationKeys);
  run.publishSearchAttributes();
}

/** 并案: tells each proposal this one was merged into, so its reply reaches these proposers too. */
export async function sendPendingMerges(run: ProposalRun): Promise<void> {
  while (run.pendingMerges.length > 0) {
    const merge = run.pendingMerges[0]!;
    await getExternalWorkflowHandle(merge.target).signal(mergedProposalSignal, { workflowId: run.workflowId, proposerIds: merge.proposerIds });
    run.pendingMerges.shift();
  }
}

/** Sends every reminder or escalation that has fallen due, each once (keyed). */
export async function fireClock(run: ProposalRun): Promise<void> {
  for (const event of pendingClockEvents(run.current, Date.now())) {
    const current = run.current;
    const now = nowIso();
    const deadline = current.deadlines[event.deadlineKey]!;
    const record: StepRecord = {
      step: event.kind === 'reminder' ? 'deadlineReminder' : 'deadlineEscalation',
      unitId: event.unitId,
      summary: { clockKey: event.key, deadline: event.deadlineKey, dueDate: deadline.dueDate, rung: event.rung, keyProposal: current.keyProposal },
      notifications: [clockNotification(current, event)],
    };
    await run.commit(`${run.workflowId}:clock:${event.key}`, null, { state: { ...current, firedClock: [...current.firedClock, event.key] }, record }, now, background);
  }
}

/** 日历或规则调整后重新计算：每个未到期的期限按原起算点重算，变化的记一笔事件。 */
export async function recalculateDeadlines(run: ProposalRun): Promise<void> {
  const request = run.recalculation!;
  run.recalculation = null;
  let current = run.current;
  // Runs before local steps recalculated through ordinary activities and replay that way.
  const steps = patched('recalc-local-steps-v1') ? localBackground : background;
  if (request.reloadPolicy) {
    const policy = await steps.loadPolicy({ sessionCode: current.sessionCode });
    current = { ...current, policy };
  }
  // A promised date (回头看) is the unit's own choice and a sign-off reminder a fixed wait: not durations the calendar could move.
  const open = openDeadlines(current).filter((d) => d.kind !== 'followUp' && d.kind !== 'signOff');
  if (open.length === 0) {
    run.state = current;
    return;
  }
  const dues = await steps.computeDueDates({
    policy: current.policy,
    requests: open.map(({ deadline }) => ({
      key: deadline.key,
      ruleKey: deadline.ruleKey as keyof typeof current.policy.body.durations,
      start: deadline.start,
      extensions: deadline.extensions,
    })),
  });
  const changes: { key: string; from: string; to: string }[] = [];
  let next = current;
  for (const due of dues) {
    const before = next.deadlines[due.key]!;
    if (before.dueAt === due.dueAt && before.explanation === due.explanation) continue;
    if (before.dueAt !== due.dueAt) changes.push({ key: due.key, from: before.dueDate, to: due.dueDate });
    // Asked only where it matters, so histories without a moved publication deadline stay as they were.
    const ownKeysOnly = due.key !== 'publication' || patched('recalc-publication-keeps-feedback-v1');
    next = applyDeadline(
      next,
      { ...before, dueAt: due.dueAt, dueDate: due.dueDate, explanation: due.explanation, calendarConfirmed: due.calendarConfirmed },
      ownKeysOnly,
    );
  }
  if (changes.length === 0 && next === current) {
    run.state = current;
    return;
  }
  const now = nowIso();
  const record: StepRecord = {
    step: 'deadlinesRecalculated',
    unitId: null,
    summary: { reason: request.reason, changes, policyVersion: next.policy.version },
    notifications: [],
  };
  // Workflow time is replay-safe and tells one recalculation from the next.
  await run.commit(`${run.workflowId}:recalc:${now}`, null, { state: next, record }, now, steps);
}

/** 征询期满: records who did not answer; policy decides how that counts. */
export async function noteFeedbackExpiry(run: ProposalRun): Promise<void> {
  const current = run.current;
  const now = nowIso();
  const missing = raters(current).filter((p) => !current.ratings.some((r) => r.proposerId === p));
  const record: StepRecord = {
    step: 'feedbackWindowClosed',
    unitId: null,
    summary: { noFeedbackFrom: missing, countsAs: current.policy.body.noFeedbackCountsAs },
    notifications: [],
  };
  await run.commit(`${run.workflowId}:feedback-closed:round${current.round}`, null, { state: current, record }, now, background);
  run.feedbackNotedRound = current.round;
}

/** 回头看: on the promised date of a B/C reply, the answering units are asked what was done. */
export async function requestFollowUp(run: ProposalRun): Promise<void> {
  const current = run.current;
  const now = nowIso();
  const next: ProposalState = { ...current, followUp: { ...current.followUp!, status: 'requested' } };
  const record: StepRecord = {
    step: 'followUpRequested',
    unitId: null,
    summary: { dueDate: current.followUp!.dueDate },
    notifications: [
      {
        kind: 'follow_up_due',
        to: { unitLiaisons: current.tracks.map((t) => t.unitId) },
        cc: { office: true },
        params: {
          title: current.title,
          proposalNo: current.proposalNo,
          promised: current.tracks
            .map((t) => t.promisedActions)
            .filter(Boolean)
            .join('；'),
        },
      },
    ],
  };
  await run.commit(`${run.workflowId}:follow-up:round${current.round}`, null, { state: next, record }, now, background);
}
