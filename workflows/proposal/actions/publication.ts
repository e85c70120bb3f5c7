import { businessFailure, FailureType, invalidField } from '../../shared/failures.js';
import type { ActionInput } from '../machine.js';
import { assertActionAllowed, requireUnit } from '../state.js';
import { clone, text, type ActionSpec } from './support.js';

// ---------------------------------------------------------------- 公开
export type ProposePublicationInput = ActionInput<'proposePublication'>;

export const proposePublication: ActionSpec<ProposePublicationInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'proposePublication', actor);
    const unit = requireUnit(state, actor);
    if (unit.role !== 'lead' && unit.role !== 'sole' && unit.role !== 'split') throw businessFailure(FailureType.NOT_YOUR_UNIT, '公开意见由主办单位提出');
    if (!['full', 'summary', 'none'].includes(input.mode)) throw invalidField('mode', '公开方式必须是 full（全文）、summary（摘要）或 none（不公开）');
    if (input.mode !== 'full') text(input.reason, 'reason', input.mode === 'none' ? '不公开的理由' : '摘要公开的理由', 1000);
    if (state.publication?.status === 'approved') throw businessFailure(FailureType.ALREADY_DONE, '公开方式已经审定');
  },
  admit(_state, _actor, input) {
    if (input.mode === 'summary' && !input.summaryHash) throw invalidField('summary', '摘要公开时请填写公开的摘要');
  },
  apply(state, actor, input) {
    const next = clone(state);
    next.publication = {
      mode: input.mode,
      reason: input.reason?.trim() || null,
      status: 'proposed',
      ...(input.summaryHash ? { summaryHash: input.summaryHash } : {}),
    };
    return {
      state: next,
      record: {
        step: 'proposePublication',
        unitId: actor.unitId,
        summary: { mode: input.mode, reason: input.reason ?? null },
        publication: { mode: input.mode, reason: input.reason?.trim() || null, status: 'proposed' },
        notifications: [{ kind: 'publication_proposed', to: { office: true }, params: { title: state.title, proposalNo: state.proposalNo, mode: input.mode } }],
      },
    };
  },
};

export type ApprovePublicationInput = ActionInput<'approvePublication'>;

export const approvePublication: ActionSpec<ApprovePublicationInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'approvePublication', actor);
    if (!state.publication) throw businessFailure(FailureType.PRECONDITION_FAILED, '主办单位尚未提出公开意见');
    if (state.publication.status === 'approved') throw businessFailure(FailureType.ALREADY_DONE, '公开方式已经审定');
    const mode = input.mode ?? state.publication.mode;
    if (!['full', 'summary', 'none'].includes(mode)) throw invalidField('mode', '公开方式必须是 full、summary 或 none');
    if (mode !== 'full' && !(input.reason?.trim() || state.publication.reason?.trim())) throw invalidField('reason', '不全文公开时必须说明理由');
  },
  apply(state, actor, input) {
    const next = clone(state);
    const mode = input.mode ?? state.publication!.mode;
    const reason = input.reason?.trim() || state.publication!.reason;
    next.publication = { ...state.publication!, mode, reason, status: 'approved' };
    return {
      state: next,
      record: {
        step: 'approvePublication',
        unitId: null,
        summary: { mode, reason, by: actor.name },
        publication: { mode, reason, status: 'approved' },
        notifications: [],
      },
    };
  },
};
