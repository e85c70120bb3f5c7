import { condition } from '@temporalio/workflow';
import { background } from './activity-proxies.js';
import { clockNotificationFor, deadlineClockEvents, type ClockEvent } from '../proposal/clock.js';
import type { WorkflowLock } from './lock.js';
import { drainOutbox } from './outbox.js';
import type { ClockPolicy, Deadline } from '../shared/types.js';

// A unit's own clock, run by its child workflow (会办任务, 答复任务): reminders before its
// deadline and escalation after it, each recorded once under the proposal's id.

export interface UnitClockTask {
  parentWorkflowId: string;
  unitId: string;
  round: number;
  title: string;
  proposalNo: string | null;
  clock: ClockPolicy | undefined;
}

export interface UnitClockView {
  deadline: Deadline;
  keyProposal: boolean;
  /** The supervising leader's address (督办领导), copied on a key proposal's escalations. */
  supervisingLeaderEmail?: string | null;
  firedClock: string[];
}

export interface UnitClockHooks {
  view(): UnitClockView;
  /** True while the task is open; the clock stops when it closes. */
  open(): boolean;
  fired(key: string): void;
}

/** Runs until the task closes and its mail is out. Call from the child's main function. */
export async function runUnitClock(task: UnitClockTask, hooks: UnitClockHooks, lock: WorkflowLock, outbox: string[]): Promise<void> {
  const events = (): ClockEvent[] => {
    const v = hooks.view();
    return deadlineClockEvents(v.deadline, task.unitId, { round: task.round, keyProposal: v.keyProposal, clock: task.clock }).sort((a, b) => a.at - b.at);
  };
  const unfired = () => {
    const fired = new Set(hooks.view().firedClock);
    return events().filter((e) => !fired.has(e.key));
  };
  const pending = () => unfired().filter((e) => e.at <= Date.now());

  for (;;) {
    const at = hooks.open() ? (unfired()[0]?.at ?? null) : null;
    const ready = () => outbox.length > 0 || !hooks.open() || pending().length > 0;
    if (at === null) await condition(ready);
    else await condition(ready, Math.max(1, at - Date.now()));
    await lock.runExclusive(async () => {
      if (hooks.open()) {
        for (const event of pending()) {
          const v = hooks.view();
          const result = await background.recordStep({
            key: `${task.parentWorkflowId}:clock:${event.key}`,
            workflowId: task.parentWorkflowId,
            actor: null,
            record: {
              step: event.kind === 'reminder' ? 'deadlineReminder' : 'deadlineEscalation',
              unitId: task.unitId,
              summary: { clockKey: event.key, deadline: event.deadlineKey, dueDate: v.deadline.dueDate, rung: event.rung, keyProposal: v.keyProposal },
              notifications: [
                clockNotificationFor(
                  { title: task.title, proposalNo: task.proposalNo, keyProposal: v.keyProposal, supervisingLeaderEmail: v.supervisingLeaderEmail },
                  v.deadline,
                  event,
                ),
              ],
            },
            now: new Date(Date.now()).toISOString(),
          });
          hooks.fired(event.key);
          outbox.push(...result.notificationKeys);
        }
      }
      await drainOutbox(outbox);
    });
    if (!hooks.open() && outbox.length === 0) return;
  }
}
