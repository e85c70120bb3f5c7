import { businessFailure, FailureType, invalidField } from '../../shared/failures.js';
import type { NotificationIntent } from '../../shared/notifications.js';
import type { ActionInput } from '../machine.js';
import type { DueRequest } from '../state.js';
import { activeUnit, assertActionAllowed, dueByKey, replyRecipients, requireTrack } from '../state.js';
import { clone, decisionDueDate, isoDate, text, UNIT_WORDS, type ActionSpec } from './support.js';

// ---------------------------------------------------------------- 延期
export type RequestExtensionInput = ActionInput<'requestExtension'>;

export const requestExtension: ActionSpec<RequestExtensionInput> = {
  officeDecision: 'extension',
  check(state, actor, input) {
    assertActionAllowed(state, 'requestExtension', actor);
    const track = requireTrack(state, actor);
    if (track.status === 'dispatched') throw businessFailure(FailureType.WRONG_STAGE, '你单位已经答复，无需延期');
    const deadline = state.deadlines[`reply:${track.unitId}`];
    if (!deadline) throw businessFailure(FailureType.PRECONDITION_FAILED, '本答复没有可延期的期限');
    if (deadline.pendingExtension) throw businessFailure(FailureType.ALREADY_DONE, `已申请延期至${deadline.pendingExtension.to}，正在等待交办单位审批`);
    const date = isoDate(input.newDate, 'newDate', '申请延至的日期');
    text(input.reason, 'reason', '延期理由', 1000);
    if (date <= deadline.dueDate) throw invalidField('newDate', `申请延至的日期应晚于现截止日期${deadline.dueDate}`);
    if (deadline.ceilingDate && date > deadline.ceilingDate) {
      const ceiling = state.policy.body.durations.extensionCeiling;
      throw invalidField(
        'newDate',
        `延期后的截止日期${date}超过${ceiling.label}（自交办起${ceiling.amount}${UNIT_WORDS[ceiling.unit]}，即${deadline.ceilingDate}），不能批准`,
      );
    }
  },
  apply(state, actor, input, ctx) {
    const next = clone(state);
    const key = `reply:${actor.unitId}`;
    next.deadlines[key] = {
      ...next.deadlines[key]!,
      pendingExtension: { to: input.newDate, reason: input.reason.trim(), requestedAt: ctx.now, unitId: actor.unitId! },
    };
    return {
      state: next,
      record: {
        step: 'requestExtension',
        unitId: actor.unitId,
        summary: { from: state.deadlines[key]!.dueDate, to: input.newDate, reason: input.reason.trim() },
        notifications: [
          {
            kind: 'extension_requested',
            to: { office: true },
            params: {
              title: state.title,
              proposalNo: state.proposalNo,
              unitId: actor.unitId,
              to: input.newDate,
              reason: input.reason.trim(),
              decideBy: decisionDueDate(ctx.dues),
            },
          },
        ],
      },
    };
  },
};

export type DecideExtensionInput = ActionInput<'decideExtension'>;

export const decideExtension: ActionSpec<DecideExtensionInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'decideExtension', actor);
    const deadline = state.deadlines[`reply:${input.unitId}`];
    const track = state.tracks.find((t) => t.unitId === input.unitId);
    if (!deadline?.pendingExtension || !track || track.status === 'dispatched' || !activeUnit(state, input.unitId)) {
      throw businessFailure(FailureType.PRECONDITION_FAILED, '该单位没有待审批的延期申请');
    }
    if (input.decision !== 'approve' && input.decision !== 'refuse') throw invalidField('decision', '审批结果必须是 approve 或 refuse');
    text(input.answer, 'answer', '审批意见', 1000);
    if (input.decision === 'approve') {
      const to = deadline.pendingExtension.to;
      // The deadline may have moved since the request (calendar edit): the new date must still help and fit.
      if (to <= deadline.dueDate) throw businessFailure(FailureType.CONFLICT, `申请延至的${to}已不晚于现截止日期${deadline.dueDate}，无需延期`);
      if (deadline.ceilingDate && to > deadline.ceilingDate) throw businessFailure(FailureType.CONFLICT, `申请延至的${to}超过延期上限${deadline.ceilingDate}`);
    }
  },
  dues(state, _actor, input, now) {
    if (input.decision !== 'approve') return [];
    const deadline = state.deadlines[`reply:${input.unitId}`]!;
    const pending = deadline.pendingExtension!;
    return [
      {
        key: 'extended',
        ruleKey: deadline.ruleKey as DueRequest['ruleKey'],
        start: deadline.start,
        extensions: [...deadline.extensions, { from: deadline.dueDate, to: pending.to, reason: pending.reason, approvedAt: now }],
      },
    ];
  },
  apply(state, actor, input, ctx) {
    const next = clone(state);
    const key = `reply:${input.unitId}`;
    const deadline = next.deadlines[key]!;
    const pending = deadline.pendingExtension!;
    const notifications: NotificationIntent[] = [];
    if (input.decision === 'approve') {
      const due = dueByKey(ctx.dues, 'extended');
      next.deadlines[key] = {
        ...deadline,
        dueAt: due.dueAt,
        dueDate: due.dueDate,
        explanation: due.explanation,
        calendarConfirmed: due.calendarConfirmed,
        extensions: [...deadline.extensions, { from: deadline.dueDate, to: pending.to, reason: pending.reason, approvedAt: ctx.now }],
        pendingExtension: null,
      };
      next.tracks = next.tracks.map((t) => (t.unitId === input.unitId ? { ...t, dueAt: due.dueAt } : t));
      notifications.push(
        {
          kind: 'extension_approved',
          to: { unitLiaisons: [input.unitId] },
          params: { title: state.title, proposalNo: state.proposalNo, to: due.dueDate, answer: input.answer.trim() },
        },
        { kind: 'extension_proposer', to: { proposers: replyRecipients(state) }, params: { title: state.title, proposalNo: state.proposalNo, to: due.dueDate } },
      );
    } else {
      next.deadlines[key] = { ...deadline, pendingExtension: null };
      notifications.push({
        kind: 'extension_refused',
        to: { unitLiaisons: [input.unitId] },
        params: { title: state.title, proposalNo: state.proposalNo, answer: input.answer.trim() },
      });
    }
    return {
      state: next,
      record: {
        step: 'decideExtension',
        unitId: input.unitId,
        summary: { decision: input.decision, from: deadline.dueDate, to: pending.to, answer: input.answer.trim(), by: actor.name },
        notifications,
      },
    };
  },
};
