import { allHandlersFinished, condition, currentUpdateInfo, getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import { store } from './activity-proxies.js';
import { drainOutbox } from './outbox.js';
import {
  coOpinionReportedSignal,
  coTaskClosedSignal,
  coTaskDeadlineSignal,
  coTaskQuery,
  submitCoOpinionUpdate,
  type CoTaskInput,
  type CoTaskView,
} from './co-handling-definitions.js';
import { clockNotificationFor, deadlineClockEvents } from './deadlines.js';
import { businessFailure, FailureType, invalidField } from './failures.js';
import { WorkflowLock } from './lock.js';
import type { CoOpinionInput } from './proposal-actions.js';
import type { Actor } from './types.js';

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
        const result = await store.recordCoOpinion({
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
  setHandler(coTaskDeadlineSignal, ({ deadline, keyProposal }) => {
    view = { ...view, deadline, keyProposal };
  });

  const events = () => deadlineClockEvents(view.deadline, input.unitId, { round: input.round, keyProposal: view.keyProposal, clock: input.clock });
  const pending = () => {
    const fired = new Set(view.firedClock);
    return events().filter((e) => !fired.has(e.key) && e.at <= Date.now());
  };
  const nextAt = () => {
    const fired = new Set(view.firedClock);
    return events().find((e) => !fired.has(e.key))?.at ?? null;
  };

  for (;;) {
    const at = view.status === 'due' ? nextAt() : null;
    const ready = () => outbox.length > 0 || view.status !== 'due' || pending().length > 0;
    if (at === null) await condition(ready);
    else await condition(ready, Math.max(1, at - Date.now()));
    await lock.runExclusive(async () => {
      if (view.status === 'due') {
        for (const event of pending()) {
          const now = nowIso();
          const result = await store.recordStep({
            key: `${input.parentWorkflowId}:clock:${event.key}`,
            workflowId: input.parentWorkflowId,
            actor: null,
            record: {
              step: event.kind === 'reminder' ? 'deadlineReminder' : 'deadlineEscalation',
              unitId: input.unitId,
              summary: { clockKey: event.key, deadline: event.deadlineKey, dueDate: view.deadline.dueDate, rung: event.rung, keyProposal: view.keyProposal },
              notifications: [clockNotificationFor({ title: input.title, proposalNo: input.proposalNo, keyProposal: view.keyProposal }, view.deadline, event)],
            },
            now,
          });
          view = { ...view, firedClock: [...view.firedClock, event.key] };
          outbox.push(...result.notificationKeys);
        }
      }
      await drainOutbox(outbox);
    });
    if (view.status !== 'due' && outbox.length === 0) break;
  }
  await condition(allHandlersFinished);
  return view;
}
