import { patched, setHandler } from '@temporalio/workflow';
import { actionSteps } from '../common/activity-proxies.js';
import { businessFailure, FailureType, invalidField } from '../shared/failures.js';
import type { Actor } from '../shared/types.js';
import { ACTIONS } from './actions/index.js';
import { syncDeadlines } from './clock.js';
import { decisionKey } from './office-decisions.js';
import type { UpdateDefinition } from '@temporalio/common';
import { actionUpdates, registerUpdate, type ActionPayload, type ProposalView, type RegisterInput } from './definitions.js';
import { ACTION_NAMES, type ActionInput, type ActionName } from './machine.js';
import { setUpdateHandler } from '../common/update-handler.js';
import { requireActionInput } from './parse.js';
import { projectionOf } from './projection.js';
import { CO_TASKS, startChildrenTogether } from './reconcile-children.js';
import { nowIso, type ProposalRun } from './run.js';
import { initialState, validateProposers, type ProposalState } from './state.js';
import { sendPendingMerges } from './system-steps.js';

// The Updates: registration, then one handler per row of the action table. Each validator is
// pure (the action's schema, then its check against the state); each handler takes the lock,
// checks again (the state may have moved while it waited), and records one step.

function requireActor(input: { actor?: Actor } | undefined): Actor {
  const actor = input?.actor;
  if (!actor || typeof actor.userId !== 'number' || typeof actor.role !== 'string') {
    throw invalidField('actor', '缺少经过认证的操作人');
  }
  return actor;
}

function requireRegistrar(reg: RegisterInput): void {
  requireActor(reg);
  if (reg.actor.role !== 'office' && reg.actor.role !== 'committee') {
    throw businessFailure(FailureType.FORBIDDEN_ROLE, '只有交办单位或提案委员会可以登记提案');
  }
}

function validateRegistration(reg: RegisterInput): void {
  requireRegistrar(reg);
  if (!reg.title?.trim()) throw invalidField('title', '请填写提案标题');
  if (!/^[0-9a-f]{64}$/.test(reg.bodyHash ?? '')) throw invalidField('body', '请填写提案正文');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(reg.receivedDate ?? '')) throw invalidField('receivedDate', '收到日期必须是 YYYY-MM-DD');
  validateProposers(reg.proposerKind, reg.proposers ?? []);
}

/**
 * Registering the same receipt again answers with the proposal (a retried request); registering
 * it with other data is a mistake the office must see, not a silent success with the old data.
 */
function refuseDifferentRegistration(state: ProposalState, reg: RegisterInput): void {
  const differences: string[] = [];
  if (reg.title?.trim() !== state.title) differences.push(`标题（已登记为「${state.title}」）`);
  if (reg.bodyHash !== state.bodyHash) differences.push('正文');
  if (reg.proposerKind !== state.proposerKind) differences.push(`提案类型（已登记为 ${state.proposerKind}）`);
  if (differences.length > 0) {
    throw businessFailure(FailureType.CONFLICT, `登记号 ${state.receiptNo} 已登记过一件内容不同的提案：${differences.join('、')}不一致。请核对登记号`, {
      field: 'receiptNo',
    });
  }
}

export function handleRegistration(run: ProposalRun, expected: { sessionCode: string; receiptNo: string }): void {
  setHandler(
    registerUpdate,
    (reg) =>
      run.lock.runExclusive(async () => {
        if (run.state) return run.state;
        validateRegistration(reg);
        if (reg.sessionCode !== expected.sessionCode || reg.receiptNo !== expected.receiptNo) {
          throw invalidField('receiptNo', '登记信息与流程编号不符');
        }
        const policy = await actionSteps().loadPolicy({ sessionCode: reg.sessionCode });
        const draft = initialState({
          workflowId: run.workflowId,
          sessionCode: reg.sessionCode,
          receiptNo: reg.receiptNo,
          title: reg.title.trim(),
          bodyHash: reg.bodyHash,
          proposerKind: reg.proposerKind,
          policy,
        });
        const now = nowIso();
        const { proposerIds } = await actionSteps().recordReceipt({
          key: `${run.workflowId}:register`,
          workflowId: run.workflowId,
          actor: reg.actor,
          registration: { ...reg, title: reg.title.trim() },
          projection: projectionOf(draft, now),
          now,
        });
        run.state = { ...draft, proposerIds };
        run.publishSearchAttributes();
        return run.state;
      }),
    {
      validator: (reg: RegisterInput) => {
        // Registered already: a retry by someone who may register gets the proposal back, as it is.
        if (!run.state) validateRegistration(reg);
        else {
          requireRegistrar(reg);
          refuseDifferentRegistration(run.state, reg);
        }
      },
    },
  );
}

function requireState(run: ProposalRun): ProposalState {
  if (!run.state) throw businessFailure(FailureType.NOT_FOUND, '提案尚未登记');
  return run.state;
}

/** An action's fields as they reached the Update: the payload without the actor the door added. */
function fieldsOf<K extends ActionName>(payload: ActionPayload<K>): ActionInput<K> {
  const { actor: _actor, ...fields } = payload;
  return fields as ActionInput<K>;
}

function handleAction<K extends ActionName>(run: ProposalRun, name: K): void {
  const spec = ACTIONS[name];
  const check = (payload: ActionPayload<K>) => {
    if (run.updateAppliedEarlier()) return;
    const actor = requireActor(payload);
    const input = requireActionInput(name, fieldsOf(payload));
    const now = nowIso();
    spec.check(requireState(run), actor, input, now);
    spec.admit?.(requireState(run), actor, input, now);
  };
  const update: UpdateDefinition<ProposalView, [ActionPayload<K>], K> = actionUpdates[name];
  setUpdateHandler(
    update,
    (payload) =>
      run.lock.runExclusive(async () => {
        // A retry of an Update the previous run applied: answer with the proposal as it stands.
        if (run.updateAppliedEarlier()) return run.current;
        const actor = requireActor(payload);
        // The payload was parsed by the validator; a replayed Update is not validated again, so
        // the handler takes its fields as they were accepted then.
        const input = fieldsOf(payload);
        const current = requireState(run);
        spec.check(current, actor, input, nowIso());
        const now = nowIso();
        const requests = [...(spec.dues?.(current, actor, input, now) ?? [])];
        // 申请调整 / 申请延期 start the office's own deadline to decide (about 7 days by policy).
        if (spec.officeDecision && actor.unitId && patched('office-decision-deadline-v1')) {
          requests.push({ key: decisionKey(spec.officeDecision, actor.unitId), ruleKey: 'officeDecision', start: now });
        }
        const steps = actionSteps();
        // 并案: the proposal merged into must exist, be of this session and still be handled.
        const mergeTarget = spec.mergeTarget?.(current, input);
        if (mergeTarget && patched('merge-target-checked-v1'))
          await steps.checkMergeTarget({ workflowId: run.workflowId, sessionCode: current.sessionCode, target: mergeTarget });
        const dues = requests.length > 0 ? await steps.computeDueDates({ policy: current.policy, requests }) : [];
        const key = run.stepKey(`${name}:${now}`);
        const allocatedProposalNo = spec.needsProposalNumber?.(current, input)
          ? (await steps.allocateProposalNumber({ key, sessionCode: current.sessionCode, format: current.policy.body.proposalNumberFormat, now })).proposalNo
          : undefined;
        const patches = Object.fromEntries((spec.patches ?? []).map((id) => [id, patched(id)]));
        // 审签流程: the unit's chain as it stands when the reply is submitted (runs from before read none).
        const signOffChain =
          spec.needsSignOffChain && actor.unitId && patched('signoff-chains-v1') ? await steps.loadSignOffChain({ unitId: actor.unitId }) : undefined;
        const applied = spec.apply(current, actor, input, {
          now,
          dues,
          patches,
          ...(signOffChain !== undefined ? { signOffChain } : {}),
          ...(allocatedProposalNo ? { allocatedProposalNo } : {}),
        });
        const outcome = { ...applied, state: syncDeadlines(applied.state, dues) };
        await run.commit(key, actor, outcome, now, steps);
        run.noteUpdateApplied();
        // 并案: the proposal merged into learns of it before the office gets its answer, so a
        // reply dispatched right after always includes this proposal's proposers.
        if (outcome.mergeInto && patched('merge-signal-in-step-v1')) await sendPendingMerges(run);
        await startImpliedCoTasks(run);
        return run.current;
      }),
    { validator: check },
  );
}

/**
 * A step that gives a co-unit its task (assign, reassign, an accepted adjustment) answers only
 * once the task's workflow (会办任务) runs, so the unit can send its opinion the moment it is
 * told; before, the main loop started it after the answer and a co-unit acting at once was
 * refused. All of a step's tasks start together: one round trip however many co-units. The
 * answering units' clocks (答复任务) take no action of their own and still start in the main loop.
 */
async function startImpliedCoTasks(run: ProposalRun): Promise<void> {
  if (!run.coChildren || CO_TASKS.toStart(run.current).length === 0) return;
  if (patched('co-tasks-start-in-step-v1')) await startChildrenTogether(CO_TASKS, run);
}

export function handleActions(run: ProposalRun): void {
  for (const name of ACTION_NAMES) handleAction(run, name);
}
