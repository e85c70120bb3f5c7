import { businessFailure, FailureType, invalidField } from '../../shared/failures.js';
import type { ActionInput } from '../machine.js';
import { activeUnit, assertActionAllowed, requireUnit } from '../state.js';
import { clone, hash, text, type ActionSpec } from './support.js';

// ---------------------------------------------------------------- 会办意见
export type CoOpinionInput = ActionInput<'submitCoOpinion'>;

export const submitCoOpinion: ActionSpec<CoOpinionInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'submitCoOpinion', actor);
    const unit = requireUnit(state, actor);
    if (unit.role !== 'co') throw businessFailure(FailureType.NOT_YOUR_UNIT, '只有会办单位提交会办意见');
    if (unit.coOpinion?.status !== 'due') throw businessFailure(FailureType.ALREADY_DONE, '你单位的会办意见已经提交或已免于提交');
    if (state.coTasks?.[unit.unitId]?.round === state.round) throw businessFailure(FailureType.WRONG_STAGE, '会办意见请在你单位的会办任务中提交');
    if (input.kind !== 'opinion' && input.kind !== 'no_opinion') throw invalidField('kind', '请选择提交会办意见（opinion）或无意见（no_opinion）');
    if (input.kind === 'opinion') hash(input.bodyHash, 'body');
    else if (input.bodyHash !== undefined) throw invalidField('body', '选择“无意见”时不需要填写意见正文');
  },
  apply(state, actor, input) {
    const next = clone(state);
    const unit = next.units.find((u) => u.unitId === actor.unitId)!;
    unit.coOpinion = { status: input.kind === 'opinion' ? 'submitted' : 'no_opinion', dueAt: unit.coOpinion!.dueAt };
    if (input.bodyHash) unit.coOpinion.hash = input.bodyHash;
    const lead = state.units.find((u) => u.role === 'lead');
    return {
      state: next,
      record: {
        step: 'submitCoOpinion',
        unitId: unit.unitId,
        summary: { kind: input.kind, bodyHash: input.bodyHash ?? null, signedBy: actor.name },
        notifications: lead
          ? [
              {
                kind: 'co_opinion_received',
                to: { unitLiaisons: [lead.unitId] },
                params: { title: state.title, proposalNo: state.proposalNo, coUnit: unit.unitId, kind: input.kind },
              },
            ]
          : [],
      },
    };
  },
};

export type WaiveCoOpinionInput = ActionInput<'waiveCoOpinion'>;

export const waiveCoOpinion: ActionSpec<WaiveCoOpinionInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'waiveCoOpinion', actor);
    const unit = activeUnit(state, input.unitId);
    if (!unit || unit.role !== 'co') throw invalidField('unitId', '该单位不是本提案的会办单位');
    if (unit.coOpinion?.status !== 'due') throw businessFailure(FailureType.ALREADY_DONE, '该单位的会办意见已提交或已免于提交');
    text(input.reason, 'reason', '免于等待的理由', 1000);
  },
  apply(state, actor, input) {
    const next = clone(state);
    const unit = next.units.find((u) => u.unitId === input.unitId)!;
    unit.coOpinion = { status: 'waived', dueAt: unit.coOpinion!.dueAt, waivedReason: input.reason.trim() };
    return {
      state: next,
      record: { step: 'waiveCoOpinion', unitId: input.unitId, summary: { reason: input.reason.trim(), by: actor.name }, notifications: [] },
    };
  },
};
