import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { replyTaskClosedSignal, replyTaskDeadlineSignal, replyTaskQuery, type ReplyTaskInput, type ReplyTaskView } from './definitions.js';
import { WorkflowLock } from '../common/lock.js';
import { runUnitClock } from '../common/unit-clock.js';

/**
 * 答复任务: an answering unit's own clock on one proposal and round — reminders before its reply
 * deadline, the escalation ladder after it — until the unit has answered, is taken off, or the
 * proposal ends. The unit's actions themselves stay Updates on the proposal, which owns the reply.
 */
export async function unitReplyTask(input: ReplyTaskInput): Promise<ReplyTaskView> {
  let view: ReplyTaskView = {
    parentWorkflowId: input.parentWorkflowId,
    unitId: input.unitId,
    round: input.round,
    status: 'open',
    deadline: input.deadline,
    keyProposal: input.keyProposal,
    supervisingLeaderEmail: input.supervisingLeaderEmail ?? null,
    firedClock: [],
  };
  const lock = new WorkflowLock();
  const outbox: string[] = [];

  setHandler(replyTaskQuery, () => view);
  setHandler(replyTaskClosedSignal, ({ status }) => {
    if (view.status === 'open') view = { ...view, status };
  });
  setHandler(replyTaskDeadlineSignal, ({ deadline, keyProposal, supervisingLeaderEmail }) => {
    view = { ...view, deadline, keyProposal, supervisingLeaderEmail: supervisingLeaderEmail ?? view.supervisingLeaderEmail ?? null };
  });

  await runUnitClock(
    input,
    { view: () => view, open: () => view.status === 'open', fired: (key) => (view = { ...view, firedClock: [...view.firedClock, key] }) },
    lock,
    outbox,
  );
  await condition(allHandlersFinished);
  return view;
}
