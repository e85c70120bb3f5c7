import {
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  getExternalWorkflowHandle,
  log,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { store } from '../common/activity-proxies.js';
import { drainOutbox } from '../common/outbox.js';
import {
  coOpinionReportedSignal,
  coTaskClosedSignal,
  coTaskDeadlineSignal,
  coTaskWorkflowId,
} from '../co-opinion/definitions.js';
import { coHandlingOpinion } from '../co-opinion/workflow.js';
import { replyTaskClosedSignal, replyTaskDeadlineSignal, replyTaskWorkflowId } from '../reply-task/definitions.js';
import { unitReplyTask } from '../reply-task/workflow.js';
import { applyDeadline, clockNotification, nextClockInstant, openDeadlines, pendingClockEvents, syncDeadlines } from './clock.js';
import {
  actionUpdates,
  deadlinesChangedSignal,
  mergedProposalSignal,
  registerUpdate,
  stateQuery,
  type ChildTaskSent,
  type ProposalView,
  type ProposalWorkflowInput,
  type RegisterInput,
} from './definitions.js';
import { businessFailure, FailureType, invalidField } from '../shared/failures.js';
import { WorkflowLock } from '../common/lock.js';
import { ACTIONS, type ActionOutcome, type StepRecord } from './actions.js';
import type { ActionName, DueRequest, ProposalState } from './state.js';
import { initialState, isTerminal, nextDue, raters, replyRecipients, validateProposers } from './state.js';
import { projectionOf, unitTasksOf } from './projection.js';
import { BanliKeyProposal, BanliNextDue, BanliProposalNo, BanliSession, BanliStage, BanliUnits } from '../shared/search-attributes.js';
import type { Actor, DueDate } from '../shared/types.js';

const UNREGISTERED_GRACE = '10 minutes';

function nowIso(): string {
  return new Date(Date.now()).toISOString();
}

function requireActor(input: { actor?: Actor } | undefined): Actor {
  const actor = input?.actor;
  if (!actor || typeof actor.userId !== 'number' || typeof actor.role !== 'string') {
    throw invalidField('actor', '缺少经过认证的操作人');
  }
  return actor;
}

function validateRegistration(reg: RegisterInput): void {
  requireActor(reg);
  if (reg.actor.role !== 'office' && reg.actor.role !== 'committee') {
    throw businessFailure(FailureType.FORBIDDEN_ROLE, '只有交办单位或提案委员会可以登记提案');
  }
  if (!reg.title?.trim()) throw invalidField('title', '请填写提案标题');
  if (!/^[0-9a-f]{64}$/.test(reg.bodyHash ?? '')) throw invalidField('body', '请填写提案正文');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(reg.receivedDate ?? '')) throw invalidField('receivedDate', '收到日期必须是 YYYY-MM-DD');
  validateProposers(reg.proposerKind, reg.proposers ?? []);
}

/** Open unit tasks whose last-sent deadline or key flag no longer matches the proposal's. */
function tasksBehind(
  state: ProposalState,
  tasks: Record<string, { workflowId: string; round: number }> | undefined,
  sent: Record<string, ChildTaskSent>,
  deadlineKind: 'coOpinion' | 'reply',
): [string, { workflowId: string; round: number }][] {
  return Object.entries(tasks ?? {}).filter(([unitId, task]) => {
    const last = sent[task.workflowId];
    const deadline = state.deadlines[`${deadlineKind}:${unitId}`];
    return last && !last.closed && deadline && (last.dueAt !== deadline.dueAt || last.keyProposal !== state.keyProposal);
  });
}

/**
 * 提案办理: one proposal from registration to closure. Every human action arrives as an
 * Update (see definitions.ts); this function wires them to the pure actions, records each
 * accepted step in PostgreSQL, dispatches approved replies, and delivers queued mail.
 */
export async function proposalHandling(input: ProposalWorkflowInput): Promise<ProposalView | null> {
  const { workflowId } = workflowInfo();
  const carried = input.carried;
  let state: ProposalState | null = carried?.state ?? null;
  const lock = new WorkflowLock();
  const outbox: string[] = [...(carried?.outbox ?? [])];
  const pendingMerges: { target: string; proposerIds: number[] }[] = [...(carried?.pendingMerges ?? [])];
  let feedbackNotedRound: number | null = carried?.feedbackNotedRound ?? null;

  const publishSearchAttributes = (s: ProposalState) => {
    const due = nextDue(s);
    upsertSearchAttributes([
      { key: BanliSession, value: s.sessionCode },
      { key: BanliStage, value: s.stage },
      { key: BanliUnits, value: s.units.map((u) => u.unitId) },
      { key: BanliKeyProposal, value: s.keyProposal },
      { key: BanliNextDue, value: due ? new Date(due.at) : null },
      { key: BanliProposalNo, value: s.proposalNo },
    ]);
  };

  const stepKey = (fallback: string) => `${workflowId}:${currentUpdateInfo()?.id ?? fallback}`;

  const commit = async (key: string, actor: Actor | null, outcome: ActionOutcome, now: string) => {
    const result = await store.recordStep({
      key,
      workflowId,
      actor,
      record: outcome.record,
      projection: projectionOf(outcome.state, now),
      tasks: unitTasksOf(outcome.state),
      now,
    });
    state = outcome.state;
    outbox.push(...result.notificationKeys);
    if (outcome.mergeInto) pendingMerges.push({ target: outcome.mergeInto, proposerIds: [...state.proposerIds, ...state.mergedProposerIds] });
    publishSearchAttributes(state);
  };

  setHandler(stateQuery, () => state);

  setHandler(
    registerUpdate,
    (reg) =>
      lock.runExclusive(async () => {
        if (state) return state;
        validateRegistration(reg);
        if (reg.sessionCode !== input.sessionCode || reg.receiptNo !== input.receiptNo) {
          throw invalidField('receiptNo', '登记信息与流程编号不符');
        }
        const policy = await store.loadPolicy({ sessionCode: reg.sessionCode });
        const draft = initialState({
          workflowId,
          sessionCode: reg.sessionCode,
          receiptNo: reg.receiptNo,
          title: reg.title.trim(),
          bodyHash: reg.bodyHash,
          proposerKind: reg.proposerKind,
          policy,
        });
        const now = nowIso();
        const { proposerIds } = await store.recordReceipt({
          key: `${workflowId}:register`,
          workflowId,
          actor: reg.actor,
          registration: { ...reg, title: reg.title.trim() },
          projection: projectionOf(draft, now),
          now,
        });
        state = { ...draft, proposerIds };
        publishSearchAttributes(state);
        return state;
      }),
    {
      validator: (reg) => {
        if (!state) validateRegistration(reg);
      },
    },
  );

  const requireState = (): ProposalState => {
    if (!state) throw businessFailure(FailureType.NOT_FOUND, '提案尚未登记');
    return state;
  };

  for (const name of Object.keys(actionUpdates) as ActionName[]) {
    const spec = ACTIONS[name] as unknown as (typeof ACTIONS)['file'];
    const check = (payload: { actor: Actor }) => {
      const actor = requireActor(payload);
      const { actor: _ignored, ...fields } = payload;
      spec.check(requireState(), actor, fields as never, nowIso());
    };
    setHandler(
      actionUpdates[name] as typeof actionUpdates.file,
      (payload) =>
        lock.runExclusive(async () => {
          // The state may have moved while this update waited for the lock: check again.
          check(payload);
          const current = requireState();
          const { actor, ...fields } = payload;
          const now = nowIso();
          const requests = spec.dues?.(current, actor, fields as never, now) ?? [];
          const dues = requests.length > 0 ? await store.computeDueDates({ policy: current.policy, requests }) : [];
          const key = stepKey(`${name}:${now}`);
          const allocatedProposalNo = spec.needsProposalNumber?.(current, fields as never)
            ? (await store.allocateProposalNumber({ key, sessionCode: current.sessionCode, format: current.policy.body.proposalNumberFormat, now })).proposalNo
            : undefined;
          const applied = spec.apply(current, actor, fields as never, { now, dues, ...(allocatedProposalNo ? { allocatedProposalNo } : {}) });
          const outcome = { ...applied, state: syncDeadlines(applied.state, dues) };
          await commit(key, actor, outcome, now);
          // 并案: the proposal merged into learns of it before the office gets its answer, so a
          // reply dispatched right after always includes this proposal's proposers.
          if (outcome.mergeInto && patched('merge-signal-in-step-v1')) await sendPendingMerges();
          return state!;
        }),
      { validator: check },
    );
  }

  let recalculation: { reason: string; reloadPolicy: boolean } | null = carried?.recalculation ?? null;
  setHandler(deadlinesChangedSignal, (request) => {
    recalculation = { reason: request.reason, reloadPolicy: recalculation?.reloadPolicy || request.reloadPolicy };
  });

  // A co-unit's answer changes state at once, so the lead's next action sees it; the read
  // model follows in the main loop.
  let coProjectionStale = carried?.coProjectionStale ?? false;
  setHandler(coOpinionReportedSignal, (report) => {
    if (!state || report.round !== state.round) return;
    state = {
      ...state,
      units: state.units.map((u) =>
        u.unitId === report.unitId && u.coOpinion?.status === 'due'
          ? { ...u, coOpinion: { ...u.coOpinion, status: report.kind === 'opinion' ? ('submitted' as const) : ('no_opinion' as const), ...(report.bodyHash ? { hash: report.bodyHash } : {}) } }
          : u,
      ),
    };
    coProjectionStale = true;
  });

  setHandler(mergedProposalSignal, ({ proposerIds }) => {
    if (!state) return;
    state = { ...state, mergedProposerIds: [...new Set([...state.mergedProposerIds, ...proposerIds])] };
  });

  const registered = await condition(() => state !== null, UNREGISTERED_GRACE);
  if (!registered) {
    log.warn('proposal workflow started without registration; ending', { workflowId });
    return null;
  }

  // Co-units work in child workflows (会办任务) from this version on; older runs keep them inline.
  const coChildren = patched('co-unit-children-v1');
  const coSent: Record<string, ChildTaskSent> = { ...(carried?.coSent ?? {}) };
  const coToStart = () =>
    !coChildren || state!.stage !== 'handling'
      ? []
      : state!.units.filter(
          (u) => u.role === 'co' && u.coOpinion?.status === 'due' && state!.deadlines[`coOpinion:${u.unitId}`] && state!.coTasks?.[u.unitId]?.round !== state!.round,
        );
  const coToClose = () =>
    Object.entries(state!.coTasks ?? {}).filter(([unitId, task]) => {
      if (coSent[task.workflowId]?.closed) return false;
      const unit = state!.units.find((u) => u.unitId === unitId && u.role === 'co');
      return state!.stage !== 'handling' || task.round !== state!.round || !unit || unit.coOpinion?.status !== 'due';
    });
  const coToUpdate = () => tasksBehind(state!, state!.coTasks, coSent, 'coOpinion');
  const coWork = () => coChildren && (coProjectionStale || coToStart().length > 0 || coToClose().length > 0 || coToUpdate().length > 0);

  // Answering units' clocks moved into their own child workflows (答复任务) in a later version.
  const replyChildren = patched('reply-task-children-v1');
  const replySent: Record<string, ChildTaskSent> = { ...(carried?.replySent ?? {}) };
  const replyToStart = () =>
    !replyChildren || state!.stage !== 'handling'
      ? []
      : state!.tracks.filter((t) => t.status !== 'dispatched' && state!.deadlines[`reply:${t.unitId}`] && state!.replyTasks?.[t.unitId]?.round !== state!.round);
  const replyToClose = () =>
    Object.entries(state!.replyTasks ?? {}).filter(([unitId, task]) => {
      if (replySent[task.workflowId]?.closed) return false;
      const track = state!.tracks.find((t) => t.unitId === unitId);
      return state!.stage !== 'handling' || task.round !== state!.round || !track || track.status === 'dispatched';
    });
  const replyToUpdate = () => tasksBehind(state!, state!.replyTasks, replySent, 'reply');
  const replyWork = () => replyChildren && (replyToStart().length > 0 || replyToClose().length > 0 || replyToUpdate().length > 0);

  const dispatchable = () => state!.tracks.filter((t) => t.status === 'approved');
  const feedbackExpired = () =>
    state!.stage === 'dispatched' && feedbackNotedRound !== state!.round && state!.feedbackDueAt !== null && Date.now() >= Date.parse(state!.feedbackDueAt);
  const followUpDue = () =>
    state!.stage === 'closed' && state!.followUp?.status === 'pending' && Date.now() >= Date.parse(`${state!.followUp.dueDate}T00:00:00+08:00`);
  // Reminders and escalations were added after the first histories were recorded: gate them.
  const clockEnabled = () => patched('deadline-clock-v1');
  const clockDue = () => clockEnabled() && pendingClockEvents(state!, Date.now()).length > 0;
  const hasWork = () =>
    dispatchable().length > 0 ||
    outbox.length > 0 ||
    pendingMerges.length > 0 ||
    feedbackExpired() ||
    followUpDue() ||
    clockDue() ||
    recalculation !== null ||
    coWork() ||
    replyWork();
  const finished = () => {
    const s = state!;
    if (isTerminal(s.stage)) return true;
    // A closed proposal stays open for its follow-up (回头看) and until its publication is decided.
    return s.stage === 'closed' && (s.followUp === null || s.followUp.status === 'reported') && s.publication?.status === 'approved';
  };
  const msUntilNextClock = (): number | undefined => {
    const s = state!;
    const instants: number[] = [];
    if (s.stage === 'dispatched' && feedbackNotedRound !== s.round && s.feedbackDueAt) instants.push(Date.parse(s.feedbackDueAt));
    if (s.stage === 'closed' && s.followUp?.status === 'pending') instants.push(Date.parse(`${s.followUp.dueDate}T00:00:00+08:00`));
    if (clockEnabled()) {
      const next = nextClockInstant(s);
      if (next !== null) instants.push(next);
    }
    if (instants.length === 0) return undefined;
    return Math.max(1, Math.min(...instants) - Date.now());
  };

  // Long-lived proposals (many re-handling rounds, months of clocks) keep their history short.
  const shouldContinueAsNew = () => {
    const info = workflowInfo();
    const limit = state!.policy.body.continueAsNewAfterEvents;
    return info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit);
  };

  for (;;) {
    if (!finished() && shouldContinueAsNew()) {
      // Handlers in flight finish first; the next run takes over with everything carried.
      // Updates the server admitted meanwhile are retried by the client on the new run.
      await condition(() => allHandlersFinished() && !lock.isHeld);
      await continueAsNew<typeof proposalHandling>({
        sessionCode: input.sessionCode,
        receiptNo: input.receiptNo,
        carried: { state: state!, outbox, pendingMerges, feedbackNotedRound, recalculation, coProjectionStale, coSent, replySent },
      });
    }
    const wait = msUntilNextClock();
    if (wait === undefined) await condition(() => hasWork() || finished());
    else await condition(() => hasWork() || finished(), wait);
    if (!hasWork() && finished()) break;
    await lock.runExclusive(async () => {
      for (const track of dispatchable()) await dispatch(track.unitId);
      await sendPendingMerges();
      if (coChildren) await reconcileCoTasks();
      if (replyChildren) await reconcileReplyTasks();
      if (recalculation) await recalculateDeadlines();
      if (clockDue()) await fireClock();
      if (feedbackExpired()) await noteFeedbackExpiry();
      if (followUpDue()) await requestFollowUp();
      await drainOutbox(outbox);
    });
  }

  async function dispatch(unitId: string): Promise<void> {
    const current = state!;
    const now = nowIso();
    const tracks = current.tracks.map((t) => (t.unitId === unitId ? { ...t, status: 'dispatched' as const, dispatchedAt: now } : t));
    const allDone = tracks.every((t) => t.status === 'dispatched');
    let feedbackDueAt = current.feedbackDueAt;
    let dues: DueDate[] = [];
    if (allDone) {
      // The publication window (公开期限) became a tracked deadline after the first release.
      const requests: DueRequest[] = [{ key: 'feedback', ruleKey: 'feedbackWindow', start: now }];
      if (patched('publication-deadline-v1')) requests.push({ key: 'publication', ruleKey: 'publication', start: now });
      dues = await store.computeDueDates({ policy: current.policy, requests });
      feedbackDueAt = dues[0]!.dueAt;
    }
    const next: ProposalState = syncDeadlines({ ...current, tracks, stage: allDone ? 'dispatched' : current.stage, feedbackDueAt }, dues);
    const track = current.tracks.find((t) => t.unitId === unitId)!;
    const draft = track.drafts[track.drafts.length - 1]!;
    const result = await store.dispatchReply({
      key: `${workflowId}:dispatch:${unitId}:round${current.round}`,
      workflowId,
      unitId,
      round: current.round,
      version: draft.version,
      replyClass: track.replyClass ?? draft.replyClass,
      bodyHash: draft.bodyHash,
      proposalNo: current.proposalNo,
      title: current.title,
      recipients: replyRecipients(current),
      raters: raters(current),
      coUnits: current.units.filter((u) => u.role === 'co').map((u) => u.unitId),
      feedbackDueAt,
      projection: projectionOf(next, now),
      tasks: unitTasksOf(next),
      now,
    });
    state = { ...next, tracks: next.tracks.map((t) => (t.unitId === unitId ? { ...t, docNo: result.docNo } : t)) };
    outbox.push(...result.notificationKeys);
    publishSearchAttributes(state);
  }

  /** Starts, updates and ends the co-units' child workflows so they follow the proposal. */
  async function reconcileCoTasks(): Promise<void> {
    if (coProjectionStale) {
      coProjectionStale = false;
      const now = nowIso();
      await store.syncProjection({ workflowId, projection: projectionOf(state!, now), tasks: unitTasksOf(state!), now });
      publishSearchAttributes(state!);
    }
    for (const unit of coToStart()) {
      const current = state!;
      const childId = coTaskWorkflowId(workflowId, unit.unitId, current.round);
      const deadline = current.deadlines[`coOpinion:${unit.unitId}`]!;
      await startChild(coHandlingOpinion, {
        workflowId: childId,
        args: [
          {
            parentWorkflowId: workflowId,
            unitId: unit.unitId,
            round: current.round,
            leadUnitId: current.units.find((u) => u.role === 'lead')?.unitId ?? null,
            title: current.title,
            proposalNo: current.proposalNo,
            keyProposal: current.keyProposal,
            clock: current.policy.body.clock,
            deadline,
          },
        ],
        // The task outlives a run that continues as new; the proposal ends it by signal.
        parentClosePolicy: 'ABANDON',
      });
      coSent[childId] = { dueAt: deadline.dueAt, keyProposal: current.keyProposal, closed: false };
      state = { ...current, coTasks: { ...(current.coTasks ?? {}), [unit.unitId]: { workflowId: childId, round: current.round } } };
    }
    for (const [unitId, task] of coToClose()) {
      const unit = state!.units.find((u) => u.unitId === unitId && u.role === 'co');
      const answered = unit?.coOpinion?.status === 'submitted' || unit?.coOpinion?.status === 'no_opinion';
      if (!answered) {
        const status = unit?.coOpinion?.status === 'waived' && state!.stage === 'handling' && task.round === state!.round ? 'waived' : 'removed';
        await getExternalWorkflowHandle(task.workflowId)
          .signal(coTaskClosedSignal, { status, reason: state!.stage === 'withdrawn' ? '提案已撤案' : status === 'waived' ? '交办单位免于等待' : '会办单位已调整' })
          .catch(() => undefined); // the child may already have ended
      }
      coSent[task.workflowId] = { ...(coSent[task.workflowId] ?? { dueAt: '', keyProposal: false }), closed: true };
    }
    for (const [unitId, task] of coToUpdate()) {
      const deadline = state!.deadlines[`coOpinion:${unitId}`]!;
      await getExternalWorkflowHandle(task.workflowId).signal(coTaskDeadlineSignal, { deadline, keyProposal: state!.keyProposal });
      coSent[task.workflowId] = { dueAt: deadline.dueAt, keyProposal: state!.keyProposal, closed: false };
    }
  }

  async function sendPendingMerges(): Promise<void> {
    while (pendingMerges.length > 0) {
      const merge = pendingMerges[0]!;
      await getExternalWorkflowHandle(merge.target).signal(mergedProposalSignal, { workflowId, proposerIds: merge.proposerIds });
      pendingMerges.shift();
    }
  }

  /** Starts, updates and ends the answering units' clock children so they follow the proposal. */
  async function reconcileReplyTasks(): Promise<void> {
    for (const track of replyToStart()) {
      const current = state!;
      const childId = replyTaskWorkflowId(workflowId, track.unitId, current.round);
      const deadline = current.deadlines[`reply:${track.unitId}`]!;
      await startChild(unitReplyTask, {
        workflowId: childId,
        args: [{ parentWorkflowId: workflowId, unitId: track.unitId, round: current.round, title: current.title, proposalNo: current.proposalNo, keyProposal: current.keyProposal, clock: current.policy.body.clock, deadline }],
        // The task outlives a run that continues as new; the proposal ends it by signal.
        parentClosePolicy: 'ABANDON',
      });
      replySent[childId] = { dueAt: deadline.dueAt, keyProposal: current.keyProposal, closed: false };
      state = { ...current, replyTasks: { ...(current.replyTasks ?? {}), [track.unitId]: { workflowId: childId, round: current.round } } };
    }
    for (const [unitId, task] of replyToClose()) {
      const track = state!.tracks.find((t) => t.unitId === unitId);
      const answered = task.round === state!.round && track?.status === 'dispatched';
      await getExternalWorkflowHandle(task.workflowId)
        .signal(replyTaskClosedSignal, { status: answered ? 'answered' : 'removed' })
        .catch(() => undefined); // the child may already have ended
      replySent[task.workflowId] = { ...(replySent[task.workflowId] ?? { dueAt: '', keyProposal: false }), closed: true };
    }
    for (const [unitId, task] of replyToUpdate()) {
      const deadline = state!.deadlines[`reply:${unitId}`]!;
      await getExternalWorkflowHandle(task.workflowId).signal(replyTaskDeadlineSignal, { deadline, keyProposal: state!.keyProposal });
      replySent[task.workflowId] = { dueAt: deadline.dueAt, keyProposal: state!.keyProposal, closed: false };
    }
  }

  /** Sends every reminder or escalation that has fallen due, each once (keyed). */
  async function fireClock(): Promise<void> {
    for (const event of pendingClockEvents(state!, Date.now())) {
      const current = state!;
      const now = nowIso();
      const deadline = current.deadlines[event.deadlineKey]!;
      const record: StepRecord = {
        step: event.kind === 'reminder' ? 'deadlineReminder' : 'deadlineEscalation',
        unitId: event.unitId,
        summary: { clockKey: event.key, deadline: event.deadlineKey, dueDate: deadline.dueDate, rung: event.rung, keyProposal: current.keyProposal },
        notifications: [clockNotification(current, event)],
      };
      await commit(`${workflowId}:clock:${event.key}`, null, { state: { ...current, firedClock: [...current.firedClock, event.key] }, record }, now);
    }
  }

  /** 日历或规则调整后重新计算：每个未到期的期限按原起算点重算，变化的记一笔事件。 */
  async function recalculateDeadlines(): Promise<void> {
    const request = recalculation!;
    recalculation = null;
    let current = state!;
    if (request.reloadPolicy) {
      const policy = await store.loadPolicy({ sessionCode: current.sessionCode });
      current = { ...current, policy };
    }
    const open = openDeadlines(current);
    if (open.length === 0) {
      state = current;
      return;
    }
    const dues = await store.computeDueDates({
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
      next = applyDeadline(next, { ...before, dueAt: due.dueAt, dueDate: due.dueDate, explanation: due.explanation, calendarConfirmed: due.calendarConfirmed });
    }
    if (changes.length === 0 && next === current) {
      state = current;
      return;
    }
    const now = nowIso();
    const record: StepRecord = { step: 'deadlinesRecalculated', unitId: null, summary: { reason: request.reason, changes, policyVersion: next.policy.version }, notifications: [] };
    // Workflow time is replay-safe and tells one recalculation from the next.
    const recalcKey = `${workflowId}:recalc:${now}`;
    await commit(recalcKey, null, { state: next, record }, now);
  }

  async function noteFeedbackExpiry(): Promise<void> {
    const current = state!;
    const now = nowIso();
    const missing = raters(current).filter((p) => !current.ratings.some((r) => r.proposerId === p));
    const record: StepRecord = {
      step: 'feedbackWindowClosed',
      unitId: null,
      summary: { noFeedbackFrom: missing, countsAs: current.policy.body.noFeedbackCountsAs },
      notifications: [],
    };
    await commit(`${workflowId}:feedback-closed:round${current.round}`, null, { state: current, record }, now);
    feedbackNotedRound = current.round;
  }

  async function requestFollowUp(): Promise<void> {
    const current = state!;
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
          params: { title: current.title, proposalNo: current.proposalNo, promised: current.tracks.map((t) => t.promisedActions).filter(Boolean).join('；') },
        },
      ],
    };
    await commit(`${workflowId}:follow-up:round${current.round}`, null, { state: next, record }, now);
  }

  await condition(allHandlersFinished);
  return state;
}
