import { businessFailure, FailureType } from '../../shared/failures.js';
import type { NotificationIntent } from '../../shared/notifications.js';
import type { ActionInput } from '../machine.js';
import type { ProposalState } from '../state.js';
import type { Deadline } from '../../shared/types.js';
import { endOfShanghaiDayInstant } from '../../shared/dates.js';
import { assertActionAllowed, raters, requireTrack } from '../state.js';
import { clone, hash, text, type ActionOutcome, type ActionSpec } from './support.js';

// ---------------------------------------------------------------- 办结 / 回头看
export type CloseInput = ActionInput<'close'>;

export const FOLLOW_UP_PER_PROMISE = 'follow-up-per-promise-v1';

export const close: ActionSpec<CloseInput> = {
  patches: [FOLLOW_UP_PER_PROMISE],
  check(state, actor, _input, now) {
    assertActionAllowed(state, 'close', actor);
    const pending = raters(state).filter((p) => !state.ratings.some((r) => r.proposerId === p));
    if (pending.length > 0 && state.feedbackDueAt && now <= state.feedbackDueAt) {
      throw businessFailure(FailureType.PRECONDITION_FAILED, `还在征询提案者意见（截止${state.feedbackDueAt.slice(0, 10)}），期满或全部评价后方可办结`);
    }
  },
  apply(state, actor, input, ctx) {
    return closeProposal(state, { by: actor.name, note: input.note ?? null }, ctx.patches?.[FOLLOW_UP_PER_PROMISE] === true ? ctx.now : null);
  },
};

/**
 * 办结. With `checkpointsFrom` (the close's instant; runs from before pass null) every B/C reply's
 * promise becomes its own checkpoint with its own deadline; before, one date stood for them all.
 */
export function closeProposal(state: ProposalState, summary: Record<string, unknown>, checkpointsFrom: string | null = null): ActionOutcome {
  const next = clone(state);
  next.stage = 'closed';
  const promised = next.tracks.filter((t) => t.followUpDate && state.policy.body.classesNeedingFollowUp.includes(t.replyClass ?? ''));
  if (checkpointsFrom !== null) {
    next.followUp = null;
    next.followUps = Object.fromEntries(
      promised.map((t) => [
        t.unitId,
        { unitId: t.unitId, replyClass: t.replyClass!, promised: t.promisedActions, dueDate: t.followUpDate!, status: 'pending' as const },
      ]),
    );
    for (const t of promised) next.deadlines[`followUp:${t.unitId}`] = followUpDeadline(t.unitId, t.followUpDate!, t.promisedActions, checkpointsFrom);
  } else {
    next.followUp = promised[0]?.followUpDate ? { dueDate: promised[0].followUpDate, status: 'pending' } : null;
  }
  const dates = promised.map((t) => t.followUpDate!).sort();
  const noFeedback = raters(state).filter((p) => !state.ratings.some((r) => r.proposerId === p));
  return {
    state: next,
    record: {
      step: 'close',
      unitId: null,
      summary: {
        ...summary,
        noFeedbackFrom: noFeedback,
        followUpDate: checkpointsFrom !== null ? (dates[0] ?? null) : (next.followUp?.dueDate ?? null),
        ...(checkpointsFrom !== null ? { followUps: promised.map((t) => ({ unitId: t.unitId, dueDate: t.followUpDate, replyClass: t.replyClass })) } : {}),
      },
      notifications: [],
    },
  };
}

/** The promised date as a deadline: a fixed date the unit chose, never recomputed by the calendar. */
function followUpDeadline(unitId: string, date: string, promised: string | null, start: string): Deadline {
  return {
    key: `followUp:${unitId}`,
    ruleKey: 'followUp',
    start,
    dueAt: endOfShanghaiDayInstant(date),
    dueDate: date,
    explanation: `回头看：答复承诺于${date}前落实${promised ? `（${promised}）` : ''}，届时报告落实情况`,
    calendarConfirmed: true,
    extensions: [],
    ceilingDate: null,
    pendingExtension: null,
  };
}

export type FollowUpReportInput = ActionInput<'reportFollowUp'>;

export const reportFollowUp: ActionSpec<FollowUpReportInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'reportFollowUp', actor);
    const track = requireTrack(state, actor);
    if (state.followUps) {
      const checkpoint = state.followUps[track.unitId];
      if (!checkpoint) throw businessFailure(FailureType.PRECONDITION_FAILED, '你单位的答复没有需要回头看的承诺事项');
      if (checkpoint.status === 'reported') throw businessFailure(FailureType.ALREADY_DONE, '你单位已报告落实情况');
    } else {
      if (!state.followUp) throw businessFailure(FailureType.PRECONDITION_FAILED, '本提案没有需要回头看的承诺事项');
      if (state.followUp.status === 'reported') throw businessFailure(FailureType.ALREADY_DONE, '落实情况已经报告');
    }
    hash(input.bodyHash, 'body');
  },
  apply(state, actor, input, ctx) {
    const next = clone(state);
    const checkpoint = next.followUps?.[actor.unitId!];
    if (checkpoint) next.followUps![actor.unitId!] = { ...checkpoint, status: 'reported', reportHash: input.bodyHash, reportedAt: ctx.now };
    else next.followUp = { ...next.followUp!, status: 'reported', reportHash: input.bodyHash };
    return {
      state: next,
      record: {
        step: 'reportFollowUp',
        unitId: actor.unitId,
        summary: { bodyHash: input.bodyHash },
        notifications: [{ kind: 'follow_up_reported', to: { office: true }, params: { title: state.title, proposalNo: state.proposalNo } }],
      },
    };
  },
};

// ---------------------------------------------------------------- 办公厅的权力
export type WithdrawInput = ActionInput<'withdraw'>;

export const withdraw: ActionSpec<WithdrawInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'withdraw', actor);
    if (state.tracks.some((t) => t.status === 'dispatched')) throw businessFailure(FailureType.WRONG_STAGE, '已有单位答复，不能撤案');
    text(input.reason, 'reason', '撤案理由', 1000);
  },
  apply(state, actor, input) {
    const next = clone(state);
    next.stage = 'withdrawn';
    const unitIds = state.units.map((u) => u.unitId);
    const notifications: NotificationIntent[] = [];
    if (unitIds.length > 0) {
      notifications.push({
        kind: 'withdrawn_unit',
        to: { unitLiaisons: unitIds },
        cc: { unitLeaders: unitIds },
        params: { title: state.title, proposalNo: state.proposalNo, reason: input.reason.trim() },
      });
    }
    notifications.push({
      kind: 'withdrawn',
      to: { proposers: state.proposerIds },
      params: { title: state.title, proposalNo: state.proposalNo, reason: input.reason.trim() },
    });
    return {
      state: next,
      record: {
        step: 'withdraw',
        unitId: null,
        summary: { reason: input.reason.trim(), cancelledUnits: unitIds, by: actor.name },
        notifications,
      },
    };
  },
};

export type MarkKeyInput = ActionInput<'markKey'>;

export const markKey: ActionSpec<MarkKeyInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'markKey', actor);
    if (state.keyProposal) throw businessFailure(FailureType.ALREADY_DONE, '已是重点提案');
    text(input.supervisingLeader, 'supervisingLeader', '督办领导', 100);
  },
  apply(state, actor, input) {
    const next = clone(state);
    next.keyProposal = true;
    next.supervisingLeader = input.supervisingLeader.trim();
    next.supervisingLeaderEmail = input.supervisingLeaderEmail ?? null;
    const params = { title: state.title, proposalNo: state.proposalNo, leader: next.supervisingLeader };
    return {
      state: next,
      record: {
        step: 'markKey',
        unitId: null,
        summary: {
          supervisingLeader: next.supervisingLeader,
          ...(next.supervisingLeaderEmail ? { supervisingLeaderEmail: next.supervisingLeaderEmail } : {}),
          by: actor.name,
        },
        notifications: [
          ...(state.units.length
            ? [
                {
                  kind: 'key_proposal' as const,
                  to: { unitLiaisons: state.units.map((u) => u.unitId) },
                  cc: { unitPrincipals: state.units.map((u) => u.unitId) },
                  params,
                },
              ]
            : []),
          // 督办 reaches the leader: told at once, then copied on each escalation and the reply.
          ...(next.supervisingLeaderEmail
            ? [{ kind: 'supervision_assigned' as const, to: { addresses: [next.supervisingLeaderEmail] }, cc: { committee: true }, params }]
            : []),
        ],
      },
    };
  },
};
