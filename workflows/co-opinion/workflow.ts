import { allHandlersFinished, condition, currentUpdateInfo, getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import { actionSteps } from '../common/activity-proxies.js';
import {
  coOpinionReportedSignal,
  coTaskClosedSignal,
  coTaskDeadlineSignal,
  coTaskQuery,
  submitCoOpinionUpdate,
  type CoTaskInput,
  type CoTaskView,
} from './definitions.js';
import { businessFailure, FailureType, invalidField } from '../shared/failures.js';
import { WorkflowLock } from '../common/lock.js';
import type { CoOpinionInput } from '../proposal/actions/co-opinion.js';
import type { Actor } from '../shared/types.js';
import { runUnitClock } from '../common/unit-clock.js';

const UNIT_ROLES = ['liaison', 'leader', 'principal'];

function nowIso(): string {
  return new Date(Date.now()).toISOString();
}

/** 会办: one co-unit's task on one proposal, from assignment to its opinion (or its end). */
export async function coHandlingOpinion(input: CoTaskInput): Promise<CoTaskView> {
  let view: CoTaskView = {
    parentWorkflowId: input.parentWorkflowId,
    unitId: input.unitId,
    round: input.round,
    status: 'due',
    deadline: input.deadline,
    keyProposal: input.keyProposal,
    supervisingLeaderEmail: input.supervisingLeaderEmail ?? null,
    firedClock: [],
  };
  const lock = new WorkflowLock();
  const outbox: string[] = [];

  const check = (payload: CoOpinionInput & { actor: Actor }) => {
    const actor = payload?.actor;
    if (!actor || typeof actor.userId !== 'number') throw invalidField('actor', '缺少经过认证的操作人');
    if (!UNIT_ROLES.includes(actor.role)) throw businessFailure(FailureType.FORBIDDEN_ROLE, '「提交会办意见」只能由会办单位办理');
    if (actor.unitId !== input.unitId) throw businessFailure(FailureType.NOT_YOUR_UNIT, '这是其他单位的会办任务');
    if (view.status !== 'due') throw businessFailure(FailureType.ALREADY_DONE, '你单位的会办意见已经提交或已免于提交');
    if (payload.kind !== 'opinion' && payload.kind !== 'no_opinion') throw invalidField('kind', '请选择提交会办意见（opinion）或无意见（no_opinion）');
    if (payload.kind === 'opinion' && !/^[0-9a-f]{64}$/.test(payload.bodyHash ?? '')) throw invalidField('body', '请填写会办意见正文');
    if (payload.kind === 'no_opinion' && payload.bodyHash !== undefined) throw invalidField('body', '选择“无意见”时不需要填写意见正文');
  };

  setHandler(coTaskQuery, () => view);

  setHandler(
    submitCoOpinionUpdate,
    (payload) =>
      lock.runExclusive(async () => {
        check(payload);
        const now = nowIso();
        const result = await actionSteps().recordCoOpinion({
          key: `${input.parentWorkflowId}:${currentUpdateInfo()?.id ?? `co:${input.unitId}:${now}`}`,
          parentWorkflowId: input.parentWorkflowId,
          unitId: input.unitId,
          round: input.round,
          leadUnitId: input.leadUnitId,
          title: input.title,
          proposalNo: input.proposalNo,
          kind: payload.kind,
          bodyHash: payload.bodyHash ?? null,
          actor: payload.actor,
          now,
        });
        view = { ...view, status: payload.kind === 'opinion' ? 'submitted' : 'no_opinion', docNo: result.docNo };
        outbox.push(...result.notificationKeys);
        await getExternalWorkflowHandle(input.parentWorkflowId).signal(coOpinionReportedSignal, {
          unitId: input.unitId,
          round: input.round,
          kind: payload.kind,
          bodyHash: payload.bodyHash ?? null,
        });
        return view;
      }),
    { validator: check },
  );

  setHandler(coTaskClosedSignal, ({ status }) => {
    if (view.status === 'due') view = { ...view, status };
  });
  setHandler(coTaskDeadlineSignal, ({ deadline, keyProposal, supervisingLeaderEmail }) => {
    view = { ...view, deadline, keyProposal, supervisingLeaderEmail: supervisingLeaderEmail ?? view.supervisingLeaderEmail ?? null };
  });

  await runUnitClock(
    input,
    { view: () => view, open: () => view.status === 'due', fired: (key) => (view = { ...view, firedClock: [...view.firedClock, key] }) },
    lock,
    outbox,
  );
  await condition(allHandlersFinished);
  return view;
}
