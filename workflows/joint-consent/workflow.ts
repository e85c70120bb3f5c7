import { allHandlersFinished, condition, currentUpdateInfo, log, setHandler, workflowInfo } from '@temporalio/workflow';
import { background, steps } from './activities.js';
import { WorkflowLock } from '../common/lock.js';
import { drainOutbox } from '../common/outbox.js';
import { businessFailure, FailureType } from '../shared/failures.js';
import {
  answerByLinkUpdate,
  jointDraftQuery,
  openJointDraftUpdate,
  recordPaperAnswerUpdate,
  recordRegistrationUpdate,
  submitJointUpdate,
  withdrawJointUpdate,
  type JointDraftView,
  type JointDraftWorkflowInput,
  type LinkAnswerInput,
  type OpenJointDraftInput,
  type PaperAnswerInput,
  type RecordRegistrationInput,
  type SubmitJointInput,
  type WithdrawJointInput,
} from './definitions.js';
import {
  answerStatus,
  applyAnswer,
  applySubmit,
  applyWithdraw,
  checkLinkAnswer,
  checkOpen,
  checkPaperAnswer,
  checkRecordRegistration,
  checkSubmit,
  checkWithdraw,
  closeConsent,
  pendingSigners,
  refuseDifferentOpen,
} from './rules.js';

// The wiring of 联名征集: rules.ts decides, the activities write (one transaction per step, keyed
// by workflow id + update id), this file holds the state, the lock and the one timer.

const UNOPENED_GRACE = '10 minutes';

function nowIso(): string {
  return new Date(Date.now()).toISOString();
}

/** The step key: the Update id survives a retried request, so the step is written once. */
function stepKey(workflowId: string, fallback: string): string {
  return `${workflowId}:${currentUpdateInfo()?.id ?? fallback}`;
}

export async function jointConsentWorkflow(input: JointDraftWorkflowInput): Promise<JointDraftView | null> {
  const workflowId = workflowInfo().workflowId;
  let view: JointDraftView | null = null;
  const lock = new WorkflowLock();
  const outbox: string[] = [];
  const opened = (): JointDraftView => {
    if (!view) throw businessFailure(FailureType.NOT_FOUND, '联名草案尚未建立');
    return view;
  };

  setHandler(jointDraftQuery, () => view);

  setHandler(
    openJointDraftUpdate,
    (req) =>
      lock.runExclusive(async () => {
        if (view) return view;
        checkOpen(req, input);
        const now = nowIso();
        const result = await steps.openJointDraft({ key: `${workflowId}:open`, workflowId, ...req, now });
        view = result.view;
        outbox.push(...result.notificationKeys);
        return view;
      }),
    { validator: (req: OpenJointDraftInput) => (view ? refuseDifferentOpen(view, req) : checkOpen(req, input)) },
  );

  // An answer by link or entered from paper: the same step, told apart by its key and status.
  const recordAnswer = async (req: LinkAnswerInput | PaperAnswerInput, paper: boolean): Promise<JointDraftView> => {
    const current = opened();
    if (paper) checkPaperAnswer(current, req, Date.now());
    else checkLinkAnswer(current, req, Date.now());
    const now = nowIso();
    const status = answerStatus(req.answer, paper);
    const comment = req.comment?.trim() || null;
    await steps.recordJointAnswer({
      key: stepKey(workflowId, `${paper ? 'paper' : 'answer'}:${req.position}`),
      workflowId,
      actor: req.actor,
      position: req.position,
      status,
      comment,
      now,
    });
    view = applyAnswer(current, req.position, status, comment, now);
    return view;
  };

  setHandler(answerByLinkUpdate, (req) => lock.runExclusive(() => recordAnswer(req, false)), {
    validator: (req: LinkAnswerInput) => void checkLinkAnswer(opened(), req, Date.now()),
  });

  setHandler(recordPaperAnswerUpdate, (req) => lock.runExclusive(() => recordAnswer(req, true)), {
    validator: (req: PaperAnswerInput) => void checkPaperAnswer(opened(), req, Date.now()),
  });

  setHandler(
    submitJointUpdate,
    (req) =>
      lock.runExclusive(async () => {
        const current = opened();
        const outcome = checkSubmit(current, req, Date.now());
        // A registration that did not finish is completed by the client with the frozen signers.
        if (current.status === 'registering') return current;
        const now = nowIso();
        const next = applySubmit(current, outcome, now);
        await steps.recordJointSubmission({
          key: stepKey(workflowId, `submit:${current.status}`),
          workflowId,
          actor: req.actor,
          status: next.status,
          force: req.force === true,
          expiredPositions: pendingSigners(current).map((s) => s.position),
          now,
        });
        view = next;
        return view;
      }),
    { validator: (req: SubmitJointInput) => void checkSubmit(opened(), req, Date.now()) },
  );

  setHandler(
    recordRegistrationUpdate,
    (req) =>
      lock.runExclusive(async () => {
        const current = opened();
        checkRecordRegistration(current, req);
        if (current.status === 'registered') return current;
        const now = nowIso();
        await steps.recordJointRegistration({ key: `${workflowId}:registered`, workflowId, actor: req.actor, proposalWorkflowId: req.proposalWorkflowId, now });
        view = { ...current, status: 'registered', proposalWorkflowId: req.proposalWorkflowId };
        return view;
      }),
    { validator: (req: RecordRegistrationInput) => checkRecordRegistration(opened(), req) },
  );

  setHandler(
    withdrawJointUpdate,
    (req) =>
      lock.runExclusive(async () => {
        const current = opened();
        checkWithdraw(current, req);
        const result = await steps.recordJointWithdrawal({ key: `${workflowId}:withdrawn`, workflowId, actor: req.actor, reason: req.reason.trim(), now: nowIso() });
        view = applyWithdraw(current);
        outbox.push(...result.notificationKeys);
        return view;
      }),
    { validator: (req: WithdrawJointInput) => checkWithdraw(opened(), req) },
  );

  if (!(await condition(() => view !== null, UNOPENED_GRACE))) {
    log.warn('joint draft workflow started without a draft; ending', { workflowId });
    return null;
  }

  // The invitation window: mail goes out as it is queued; it ends at the expiry, when everyone
  // has answered, or when the draft is submitted.
  const windowOpen = () => opened().status === 'open' && !opened().consentClosed && pendingSigners(opened()).length > 0;
  while (windowOpen()) {
    await drainOutbox(outbox);
    const msLeft = Date.parse(opened().expiresAt) - Date.now();
    if (msLeft <= 0) break;
    const woke = await condition(() => outbox.length > 0 || !windowOpen(), msLeft);
    if (!woke && windowOpen()) break;
  }
  await lock.runExclusive(async () => {
    const current = opened();
    if (current.consentClosed) return;
    const reason = current.status !== 'open' ? null : pendingSigners(current).length > 0 ? 'expired' : 'all_answered';
    if (!reason) return;
    const result = await background.closeJointConsent({ key: `${workflowId}:close`, workflowId, reason, now: nowIso() });
    view = closeConsent(current);
    outbox.push(...result.notificationKeys);
  });

  // Until the office registers it (a draft handed in by its first signer waits for them) or it is withdrawn.
  const ended = () => opened().status === 'registered' || opened().status === 'withdrawn';
  while (!ended()) {
    await drainOutbox(outbox);
    await condition(() => outbox.length > 0 || ended());
  }
  await drainOutbox(outbox);
  await condition(allHandlersFinished);
  return view;
}
