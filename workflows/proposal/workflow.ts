import { allHandlersFinished, condition, continueAsNew, log, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { drainOutbox } from '../common/outbox.js';
import { coOpinionReportedSignal } from '../co-opinion/definitions.js';
import { deadlinesChangedSignal, mergedProposalSignal, stateQuery, type ProposalView, type ProposalWorkflowInput } from './definitions.js';
import { handleActions, handleRegistration } from './handlers.js';
import { childWorkPending, CO_TASKS, reconcileUnitTasks, REPLY_TASKS } from './reconcile-children.js';
import { reissueDue, reissueLetters } from './reissue.js';
import { ProposalRun } from './run.js';
import { isTerminal, openFollowUps } from './state.js';
import {
  clockDue,
  dispatch,
  dispatchable,
  feedbackExpired,
  fireClock,
  followUpDue,
  msUntilNextClock,
  noteFeedbackExpiry,
  publicationDue,
  publish,
  recalculateDeadlines,
  requestFollowUp,
  sendPendingMerges,
} from './system-steps.js';

const UNREGISTERED_GRACE = '10 minutes';

/**
 * 提案办理: one proposal from registration to closure. Human actions arrive as Updates
 * (handlers.ts, one per row of machine.ts); this function wires them and the signals, then runs
 * the main loop: whenever a step of the workflow's own falls due (system-steps.ts, and the unit
 * tasks in reconcile-children.ts), it runs it under the same lock as the actions.
 */
export async function proposalHandling(input: ProposalWorkflowInput): Promise<ProposalView | null> {
  const run = new ProposalRun(input.carried);

  setHandler(stateQuery, () => run.state);
  handleRegistration(run, input);
  handleActions(run);

  setHandler(deadlinesChangedSignal, (request) => {
    run.recalculation = { reason: request.reason, reloadPolicy: run.recalculation?.reloadPolicy || request.reloadPolicy };
  });

  // A co-unit's answer changes state at once, so the lead's next action sees it; the read
  // model follows in the main loop.
  setHandler(coOpinionReportedSignal, (report) => {
    if (!run.state || report.round !== run.state.round) return;
    run.noteSignalled({ kind: 'coReport', report });
    run.coProjectionStale = true;
  });

  setHandler(mergedProposalSignal, ({ workflowId, proposerIds }) => run.noteSignalled({ kind: 'merged', proposerIds, workflowId }));

  const registered = await condition(() => run.state !== null, UNREGISTERED_GRACE);
  if (!registered) {
    log.warn('proposal workflow started without registration; ending', { workflowId: run.workflowId });
    return null;
  }

  // Co-units work in child workflows (会办任务) from this version on; older runs keep them inline.
  run.coChildren = patched('co-unit-children-v1');
  // Answering units' clocks moved into their own child workflows (答复任务) in a later version.
  run.replyChildren = patched('reply-task-children-v1');
  run.reissueLetters = patched('reissue-after-override-v1');

  const coWork = () => run.coChildren === true && (run.coProjectionStale || childWorkPending(CO_TASKS, run));
  const replyWork = () => run.replyChildren === true && childWorkPending(REPLY_TASKS, run);
  const hasWork = () =>
    dispatchable(run).length > 0 ||
    reissueDue(run) ||
    run.outbox.length > 0 ||
    run.pendingMerges.length > 0 ||
    feedbackExpired(run) ||
    followUpDue(run) ||
    publicationDue(run) ||
    clockDue(run) ||
    run.recalculation !== null ||
    coWork() ||
    replyWork();
  const finished = () => {
    const s = run.current;
    if (isTerminal(s.stage)) return true;
    // A closed proposal stays open for its follow-up (回头看) and until its publication is decided.
    return s.stage === 'closed' && (s.followUp === null || s.followUp.status === 'reported') && openFollowUps(s).length === 0 && s.publication?.status === 'approved';
  };
  // Long-lived proposals (many re-handling rounds, months of clocks) keep their history short.
  const shouldContinueAsNew = () => {
    const info = workflowInfo();
    const limit = run.current.policy.body.continueAsNewAfterEvents;
    return info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit);
  };

  for (;;) {
    if (!finished() && shouldContinueAsNew()) {
      // Handlers in flight finish first; the next run takes over with everything carried.
      // Updates the server admitted meanwhile are retried by the client on the new run.
      await condition(() => allHandlersFinished() && !run.lock.isHeld);
      await continueAsNew<typeof proposalHandling>({ sessionCode: input.sessionCode, receiptNo: input.receiptNo, carried: run.carry() });
    }
    const wait = msUntilNextClock(run);
    if (wait === undefined) await condition(() => hasWork() || finished());
    else await condition(() => hasWork() || finished(), wait);
    if (!hasWork() && finished()) break;
    // Mail changes no state: sent outside the lock, a slow relay (or a mail step lost with a
    // crashed worker, retried only after its timeout) never keeps a person's action waiting.
    const mailOutsideLock = patched('outbox-outside-lock-v1');
    await run.lock.runExclusive(async () => {
      for (const track of dispatchable(run)) await dispatch(run, track.unitId);
      if (reissueDue(run)) await reissueLetters(run);
      await sendPendingMerges(run);
      await reconcileUnitTasks(run);
      if (run.recalculation) await recalculateDeadlines(run);
      if (clockDue(run)) await fireClock(run);
      if (feedbackExpired(run)) await noteFeedbackExpiry(run);
      if (followUpDue(run)) await requestFollowUp(run);
      if (publicationDue(run)) await publish(run);
      if (!mailOutsideLock) await drainOutbox(run.outbox);
    });
    // Only what was queued when the drain began: actions keep queueing mail meanwhile, and the
    // loop must come round to its other duties (dispatch, clocks, continue-as-new) between drains.
    if (mailOutsideLock) await drainOutbox(run.outbox, run.outbox.length);
  }

  await condition(allHandlersFinished);
  return run.state;
}
