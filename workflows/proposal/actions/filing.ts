import { invalidField } from '../../shared/failures.js';
import type { NotificationIntent } from '../../shared/notifications.js';
import type { ActionInput } from '../machine.js';
import { assertActionAllowed } from '../state.js';
import { clone, text, type ActionOutcome, type ActionSpec } from './support.js';

// ---------------------------------------------------------------- 审查立案
export type FileInput = ActionInput<'file'>;

export const file: ActionSpec<FileInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'file', actor);
    switch (input.outcome) {
      case 'filed':
        // Left out, the system takes the session's next number in the policy's format.
        if (input.proposalNo !== undefined && input.proposalNo !== null) text(input.proposalNo, 'proposalNo', '提案编号', 40);
        break;
      case 'merged':
        if (text(input.mergedInto, 'mergedInto', '并入的提案', 200) === state.workflowId) throw invalidField('mergedInto', '提案不能并入自身');
        break;
      case 'converted':
        text(input.reasonText, 'reasonText', '转为意见建议的说明', 1000);
        break;
      case 'not_filed': {
        const codes = state.policy.body.notFiledReasons.map((r) => r.code);
        if (!input.reasonCode || !codes.includes(input.reasonCode)) {
          throw invalidField('reasonCode', `请选择不予立案的理由：${state.policy.body.notFiledReasons.map((r) => `${r.code}（${r.label}）`).join('、')}`);
        }
        break;
      }
      default:
        throw invalidField('outcome', '审查结果必须是 filed、merged、converted 或 not_filed');
    }
  },
  mergeTarget: (_state, input) => (input.outcome === 'merged' ? input.mergedInto?.trim() : undefined),
  needsProposalNumber: (_state, input) => input.outcome === 'filed' && (input.proposalNo === undefined || input.proposalNo === null),
  apply(state, actor, input, ctx) {
    const next = clone(state);
    const notifications: NotificationIntent[] = [];
    next.filing = { outcome: input.outcome };
    if (input.reasonCode) next.filing.reasonCode = input.reasonCode;
    if (input.reasonText) next.filing.reasonText = input.reasonText.trim();
    let mergeInto: string | undefined;
    if (input.outcome === 'filed') {
      next.stage = 'filed';
      next.proposalNo = input.proposalNo?.trim() ?? ctx.allocatedProposalNo ?? null;
      if (!next.proposalNo) throw invalidField('proposalNo', '请填写提案编号');
    } else if (input.outcome === 'merged') {
      next.stage = 'merged';
      next.filing.mergedInto = input.mergedInto!.trim();
      mergeInto = input.mergedInto!.trim();
      notifications.push({ kind: 'merged', to: { proposers: state.proposerIds }, params: { title: state.title, mergedInto: input.mergedInto! } });
    } else if (input.outcome === 'converted') {
      next.stage = 'converted';
      notifications.push({ kind: 'converted', to: { proposers: state.proposerIds }, params: { title: state.title, reason: input.reasonText ?? '' } });
    } else {
      next.stage = 'not_filed';
      const reason = state.policy.body.notFiledReasons.find((r) => r.code === input.reasonCode)!;
      notifications.push({
        kind: 'not_filed',
        to: { proposers: state.proposerIds },
        params: { title: state.title, reason: reason.label, detail: input.reasonText ?? '' },
      });
    }
    const outcome: ActionOutcome = {
      state: next,
      record: {
        step: 'file',
        unitId: null,
        summary: { outcome: input.outcome, proposalNo: next.proposalNo, reasonCode: input.reasonCode ?? null, mergedInto: input.mergedInto ?? null, by: actor.name },
        notifications,
      },
    };
    if (mergeInto) outcome.mergeInto = mergeInto;
    return outcome;
  },
};
