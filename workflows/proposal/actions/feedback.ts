import { businessFailure, FailureType, invalidField } from '../../shared/failures.js';
import type { NotificationIntent } from '../../shared/notifications.js';
import type { Actor } from '../../shared/types.js';
import type { ActionInput } from '../machine.js';
import type { ProposalState } from '../state.js';
import { answeringUnits, assertActionAllowed, dueByKey, newTrack, raters, SATISFACTION_LABELS } from '../state.js';
import { clone, text, type ActionContext, type ActionSpec } from './support.js';

// ---------------------------------------------------------------- 征询意见
export type RateInput = ActionInput<'rate'>;

const SATISFACTIONS = Object.keys(SATISFACTION_LABELS);

export function raterOf(actor: Actor, input: RateInput): number {
  return actor.role === 'office' ? (input.proposerId ?? -1) : (actor.proposerId ?? -1);
}

export const rate: ActionSpec<RateInput> = {
  check(state, actor, input, now) {
    assertActionAllowed(state, 'rate', actor);
    if (actor.role === 'office' && typeof input.proposerId !== 'number') throw invalidField('proposerId', '代录纸质征询意见表时请指明提案者');
    const rater = raterOf(actor, input);
    if (!raters(state).includes(rater)) {
      throw businessFailure(FailureType.NOT_THE_RATER, state.policy.body.ratingBy === 'first_proposer' ? '按规定由第一提案人评价' : '只有本提案的提案者可以评价');
    }
    if (state.ratings.some((r) => r.proposerId === rater)) throw businessFailure(FailureType.ALREADY_DONE, '本轮办理已经评价过');
    if (state.feedbackDueAt && now > state.feedbackDueAt) throw businessFailure(FailureType.DEADLINE_PASSED, `评价期限已于${state.feedbackDueAt.slice(0, 10)}截止`);
    if (!SATISFACTIONS.includes(input.attitude)) throw invalidField('attitude', '办理态度评价必须是 satisfied、basically_satisfied 或 unsatisfied');
    if (!SATISFACTIONS.includes(input.result)) throw invalidField('result', '办理结果评价必须是 satisfied、basically_satisfied 或 unsatisfied');
    if (input.comment != null && (typeof input.comment !== 'string' || input.comment.length > 2000)) throw invalidField('comment', '意见不能超过2000字');
  },
  dues(state, actor, input, now) {
    return willRehandle(state, actor, input)
      ? [
          { key: 'reply', ruleKey: 'rehandling', start: now },
          { key: 'extensionCeiling', ruleKey: 'extensionCeiling', start: now },
        ]
      : [];
  },
  apply(state, actor, input, ctx) {
    let next = clone(state);
    const rater = raterOf(actor, input);
    next.ratings.push({ proposerId: rater, attitude: input.attitude, result: input.result, onBehalf: actor.role === 'office' });
    const notifications: NotificationIntent[] = [];
    const rehandle = willRehandle(state, actor, input);
    if (rehandle) {
      next.unsatisfiedRounds += 1;
      next = startRehandling(next, ctx, next.unsatisfiedRounds >= 2);
      notifications.push({
        kind: 'rehandling',
        to: { unitLiaisons: next.tracks.map((t) => t.unitId) },
        cc: { office: true, committee: true },
        params: { title: state.title, proposalNo: state.proposalNo, cause: '提案者对办理结果不满意', officeChaired: next.officeChairedConsultation ? '是' : '否' },
      });
    }
    return {
      state: next,
      record: {
        step: 'rate',
        unitId: null,
        summary: { proposerId: rater, attitude: input.attitude, result: input.result, onBehalf: actor.role === 'office', rehandling: rehandle },
        rating: {
          proposerId: rater,
          round: state.round,
          attitude: input.attitude,
          result: input.result,
          comment: input.comment?.trim() || null,
          onBehalf: actor.role === 'office',
        },
        notifications,
      },
    };
  },
};

function willRehandle(_state: ProposalState, _actor: Actor, input: RateInput): boolean {
  return input.result === 'unsatisfied';
}

/** 重新办理: answering units start a new round with a new consultation, reply and clock. */
function startRehandling(state: ProposalState, ctx: ActionContext, officeChaired: boolean): ProposalState {
  const next = clone(state);
  const reply = dueByKey(ctx.dues, 'reply');
  next.round += 1;
  next.stage = 'handling';
  next.ratings = [];
  next.feedbackDueAt = null;
  next.officeChairedConsultation = officeChaired;
  next.officeConsultationHeld = false;
  next.tracks = answeringUnits(next).map((u) => newTrack(u.unitId, reply.dueAt));
  next.units = next.units.map((u) => ({
    ...u,
    adjustmentWindowEndsAt: null,
    adjustment: null,
    coOpinion: u.role === 'co' ? { status: 'waived', dueAt: null, waivedReason: '重新办理由主办单位负责' } : null,
  }));
  next.followUp = null;
  // The new reply gets its own publication decision.
  next.publication = null;
  if (next.published !== undefined) next.published = null;
  return next;
}

export type OrderRehandlingInput = ActionInput<'orderRehandling'>;

export const orderRehandling: ActionSpec<OrderRehandlingInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'orderRehandling', actor);
    text(input.reason, 'reason', '重新办理的理由', 1000);
  },
  dues(_s, _a, _i, now) {
    return [
      { key: 'reply', ruleKey: 'rehandling', start: now },
      { key: 'extensionCeiling', ruleKey: 'extensionCeiling', start: now },
    ];
  },
  apply(state, actor, input, ctx) {
    const next = startRehandling(state, ctx, state.unsatisfiedRounds >= 2);
    return {
      state: next,
      record: {
        step: 'orderRehandling',
        unitId: null,
        summary: { reason: input.reason.trim(), round: next.round, by: actor.name },
        notifications: [
          {
            kind: 'rehandling',
            to: { unitLiaisons: next.tracks.map((t) => t.unitId) },
            cc: { office: true, committee: true },
            params: { title: state.title, proposalNo: state.proposalNo, cause: input.reason.trim(), officeChaired: next.officeChairedConsultation ? '是' : '否' },
          },
        ],
      },
    };
  },
};
