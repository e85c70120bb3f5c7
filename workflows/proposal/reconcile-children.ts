import { getExternalWorkflowHandle, startChild } from '@temporalio/workflow';
import { background } from '../common/activity-proxies.js';
import { coTaskClosedSignal, coTaskDeadlineSignal } from '../co-opinion/definitions.js';
import { coHandlingOpinion } from '../co-opinion/workflow.js';
import { replyTaskClosedSignal, replyTaskDeadlineSignal } from '../reply-task/definitions.js';
import { unitReplyTask } from '../reply-task/workflow.js';
import { coTaskWorkflowId, replyTaskWorkflowId } from '../shared/ids.js';
import type { Deadline } from '../shared/types.js';
import type { ChildTaskSent } from './definitions.js';
import { projectionOf, unitTasksOf } from './projection.js';
import { nowIso, type ProposalRun } from './run.js';
import type { ProposalState } from './state.js';

// Unit tasks (会办任务 for co-units, 答复任务 for answering units) are child workflows that keep
// each unit's own clock. One reconciler makes them follow the proposal: it starts the tasks a
// step implies, ends the ones a step made moot, and sends moved deadlines. The two kinds differ
// only in the facts below.

type TaskRef = { workflowId: string; round: number };

interface ChildTaskKind {
  deadlineKind: 'coOpinion' | 'reply';
  workflowIdFor(parentWorkflowId: string, unitId: string, round: number): string;
  sent(run: ProposalRun): Record<string, ChildTaskSent>;
  tasks(state: ProposalState): Record<string, TaskRef> | undefined;
  withTasks(state: ProposalState, tasks: Record<string, TaskRef>): ProposalState;
  /** Units whose task for this round should be running and is not. */
  toStart(state: ProposalState): string[];
  /** True when a task no longer has work (its unit answered, was taken off, or the round moved on). */
  moot(state: ProposalState, unitId: string, task: TaskRef): boolean;
  start(state: ProposalState, unitId: string, childId: string, deadline: Deadline): Promise<unknown>;
  /** Tells a moot task to end; undefined when it ended by itself. */
  close(state: ProposalState, unitId: string, task: TaskRef): Promise<void> | undefined;
  moveDeadline(task: TaskRef, deadline: Deadline, keyProposal: boolean, supervisingLeaderEmail: string | null): Promise<void>;
}

// The task outlives a run that continues as new; the proposal ends it by signal.
const ABANDON = 'ABANDON' as const;

export const CO_TASKS: ChildTaskKind = {
  deadlineKind: 'coOpinion',
  workflowIdFor: coTaskWorkflowId,
  sent: (run) => run.coSent,
  tasks: (s) => s.coTasks,
  withTasks: (s, coTasks) => ({ ...s, coTasks }),
  toStart: (s) =>
    s.stage !== 'handling'
      ? []
      : s.units
          .filter((u) => u.role === 'co' && u.coOpinion?.status === 'due' && s.deadlines[`coOpinion:${u.unitId}`] && s.coTasks?.[u.unitId]?.round !== s.round)
          .map((u) => u.unitId),
  moot: (s, unitId, task) => {
    const unit = s.units.find((u) => u.unitId === unitId && u.role === 'co');
    return s.stage !== 'handling' || task.round !== s.round || !unit || unit.coOpinion?.status !== 'due';
  },
  start: (s, unitId, childId, deadline) =>
    startChild(coHandlingOpinion, {
      workflowId: childId,
      args: [
        {
          parentWorkflowId: s.workflowId,
          unitId,
          round: s.round,
          leadUnitId: s.units.find((u) => u.role === 'lead')?.unitId ?? null,
          title: s.title,
          proposalNo: s.proposalNo,
          keyProposal: s.keyProposal,
          supervisingLeaderEmail: s.supervisingLeaderEmail ?? null,
          clock: s.policy.body.clock,
          deadline,
        },
      ],
      parentClosePolicy: ABANDON,
    }),
  close: (s, unitId, task) => {
    const unit = s.units.find((u) => u.unitId === unitId && u.role === 'co');
    const answered = unit?.coOpinion?.status === 'submitted' || unit?.coOpinion?.status === 'no_opinion';
    if (answered) return undefined;
    const status = unit?.coOpinion?.status === 'waived' && s.stage === 'handling' && task.round === s.round ? 'waived' : 'removed';
    const reason = s.stage === 'withdrawn' ? '提案已撤案' : status === 'waived' ? '交办单位免于等待' : '会办单位已调整';
    return getExternalWorkflowHandle(task.workflowId)
      .signal(coTaskClosedSignal, { status, reason })
      .catch(() => undefined); // the child may already have ended
  },
  moveDeadline: (task, deadline, keyProposal, supervisingLeaderEmail) =>
    getExternalWorkflowHandle(task.workflowId).signal(coTaskDeadlineSignal, { deadline, keyProposal, supervisingLeaderEmail }),
};

export const REPLY_TASKS: ChildTaskKind = {
  deadlineKind: 'reply',
  workflowIdFor: replyTaskWorkflowId,
  sent: (run) => run.replySent,
  tasks: (s) => s.replyTasks,
  withTasks: (s, replyTasks) => ({ ...s, replyTasks }),
  toStart: (s) =>
    s.stage !== 'handling'
      ? []
      : s.tracks.filter((t) => t.status !== 'dispatched' && s.deadlines[`reply:${t.unitId}`] && s.replyTasks?.[t.unitId]?.round !== s.round).map((t) => t.unitId),
  moot: (s, unitId, task) => {
    const track = s.tracks.find((t) => t.unitId === unitId);
    return s.stage !== 'handling' || task.round !== s.round || !track || track.status === 'dispatched';
  },
  start: (s, unitId, childId, deadline) =>
    startChild(unitReplyTask, {
      workflowId: childId,
      args: [
        {
          parentWorkflowId: s.workflowId,
          unitId,
          round: s.round,
          title: s.title,
          proposalNo: s.proposalNo,
          keyProposal: s.keyProposal,
          supervisingLeaderEmail: s.supervisingLeaderEmail ?? null,
          clock: s.policy.body.clock,
          deadline,
        },
      ],
      parentClosePolicy: ABANDON,
    }),
  close: (s, unitId, task) => {
    const track = s.tracks.find((t) => t.unitId === unitId);
    const answered = task.round === s.round && track?.status === 'dispatched';
    return getExternalWorkflowHandle(task.workflowId)
      .signal(replyTaskClosedSignal, { status: answered ? 'answered' : 'removed' })
      .catch(() => undefined); // the child may already have ended
  },
  moveDeadline: (task, deadline, keyProposal, supervisingLeaderEmail) =>
    getExternalWorkflowHandle(task.workflowId).signal(replyTaskDeadlineSignal, { deadline, keyProposal, supervisingLeaderEmail }),
};

function toClose(kind: ChildTaskKind, run: ProposalRun): [string, TaskRef][] {
  const s = run.current;
  return Object.entries(kind.tasks(s) ?? {}).filter(([unitId, task]) => !kind.sent(run)[task.workflowId]?.closed && kind.moot(s, unitId, task));
}

/** Open tasks whose last-sent deadline or key flag no longer matches the proposal's. */
function toUpdate(kind: ChildTaskKind, run: ProposalRun): [string, TaskRef][] {
  const s = run.current;
  return Object.entries(kind.tasks(s) ?? {}).filter(([unitId, task]) => {
    const last = kind.sent(run)[task.workflowId];
    const deadline = s.deadlines[`${kind.deadlineKind}:${unitId}`];
    return last && !last.closed && deadline && (last.dueAt !== deadline.dueAt || last.keyProposal !== s.keyProposal);
  });
}

export function childWorkPending(kind: ChildTaskKind, run: ProposalRun): boolean {
  return kind.toStart(run.current).length > 0 || toClose(kind, run).length > 0 || toUpdate(kind, run).length > 0;
}

/** Starts, ends and updates one kind of unit task so that it follows the proposal. */
export async function reconcileChildren(kind: ChildTaskKind, run: ProposalRun): Promise<void> {
  const sent = kind.sent(run);
  for (const unitId of kind.toStart(run.current)) {
    const current = run.current;
    const id = kind.workflowIdFor(run.workflowId, unitId, current.round);
    const deadline = current.deadlines[`${kind.deadlineKind}:${unitId}`]!;
    await kind.start(current, unitId, id, deadline);
    sent[id] = { dueAt: deadline.dueAt, keyProposal: current.keyProposal, closed: false };
    run.state = kind.withTasks(current, { ...(kind.tasks(current) ?? {}), [unitId]: { workflowId: id, round: current.round } });
  }
  for (const [unitId, task] of toClose(kind, run)) {
    const closing = kind.close(run.current, unitId, task);
    if (closing) await closing;
    sent[task.workflowId] = { ...(sent[task.workflowId] ?? { dueAt: '', keyProposal: false }), closed: true };
  }
  for (const [unitId, task] of toUpdate(kind, run)) {
    const current = run.current;
    const deadline = current.deadlines[`${kind.deadlineKind}:${unitId}`]!;
    await kind.moveDeadline(task, deadline, current.keyProposal, current.supervisingLeaderEmail ?? null);
    sent[task.workflowId] = { dueAt: deadline.dueAt, keyProposal: current.keyProposal, closed: false };
  }
}

/**
 * Starts every task of one kind that should be running, all at once (one round trip to the
 * server for all of them, instead of one each), for a step that must not answer before its
 * tasks exist.
 */
export async function startChildrenTogether(kind: ChildTaskKind, run: ProposalRun): Promise<void> {
  const current = run.current;
  const starts = kind.toStart(current).map((unitId) => {
    const workflowId = kind.workflowIdFor(run.workflowId, unitId, current.round);
    const deadline = current.deadlines[`${kind.deadlineKind}:${unitId}`]!;
    return { unitId, workflowId, deadline, started: kind.start(current, unitId, workflowId, deadline) };
  });
  await Promise.all(starts.map((s) => s.started));
  const sent = kind.sent(run);
  const tasks = { ...(kind.tasks(run.current) ?? {}) };
  for (const s of starts) {
    sent[s.workflowId] = { dueAt: s.deadline.dueAt, keyProposal: current.keyProposal, closed: false };
    tasks[s.unitId] = { workflowId: s.workflowId, round: current.round };
  }
  run.state = kind.withTasks(run.current, tasks);
}

/** A co-unit's answer (by signal) changed state at once; the read model catches up here. */
export async function syncCoProjection(run: ProposalRun): Promise<void> {
  if (!run.coProjectionStale) return;
  run.coProjectionStale = false;
  const now = nowIso();
  await background.syncProjection({ workflowId: run.workflowId, projection: projectionOf(run.current, now), tasks: unitTasksOf(run.current), now });
  run.publishSearchAttributes();
}

/** Both kinds, in the order the main loop has always run them. */
export async function reconcileUnitTasks(run: ProposalRun): Promise<void> {
  if (run.coChildren) {
    await syncCoProjection(run);
    await reconcileChildren(CO_TASKS, run);
  }
  if (run.replyChildren) await reconcileChildren(REPLY_TASKS, run);
}
