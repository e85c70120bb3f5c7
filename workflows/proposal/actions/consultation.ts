import { businessFailure, FailureType, invalidField } from '../../shared/failures.js';
import type { ActionInput } from '../machine.js';
import { answeringUnits, assertActionAllowed, CONSULTATION_WAYS, requireTrack } from '../state.js';
import { beijingToday, clone, hash, isoDate, text, type ActionSpec } from './support.js';

// ---------------------------------------------------------------- 沟通协商
export type ConsultationInput = ActionInput<'recordConsultation'>;

export const recordConsultation: ActionSpec<ConsultationInput> = {
  check(state, actor, input, now) {
    assertActionAllowed(state, 'recordConsultation', actor);
    const track = requireTrack(state, actor);
    if (track.status !== 'drafting') throw businessFailure(FailureType.WRONG_STAGE, '答复已送审签，不能再补记协商；如需补记请先由领导退回');
    const date = isoDate(input.date, 'date', '协商日期');
    if (date > beijingToday(now)) throw invalidField('date', '协商日期不能晚于今天');
    if (typeof input.way !== 'string' || !Object.hasOwn(CONSULTATION_WAYS, input.way))
      throw invalidField(
        'way',
        `协商方式必须是：${Object.entries(CONSULTATION_WAYS)
          .map(([k, v]) => `${k}（${v}）`)
          .join('、')}`,
      );
    text(input.participants, 'participants', '参加人员', 500);
    hash(input.summaryHash, 'summary');
  },
  apply(state, actor, input) {
    const next = clone(state);
    const track = next.tracks.find((t) => t.unitId === actor.unitId)!;
    track.consultations += 1;
    if (input.way === 'face_to_face' || input.way === 'site_visit' || input.way === 'forum') track.faceToFace += 1;
    return {
      state: next,
      record: {
        step: 'recordConsultation',
        unitId: track.unitId,
        summary: { date: input.date, way: input.way, participants: input.participants.trim() },
        consultation: {
          unitId: track.unitId,
          round: state.round,
          date: input.date,
          way: input.way,
          participants: input.participants.trim(),
          summaryHash: input.summaryHash,
        },
        notifications: [],
      },
    };
  },
};

export type NoConsultationInput = ActionInput<'recordNoConsultation'>;

export const recordNoConsultation: ActionSpec<NoConsultationInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'recordNoConsultation', actor);
    const track = requireTrack(state, actor);
    if (track.status !== 'drafting') throw businessFailure(FailureType.WRONG_STAGE, '答复已送审签');
    text(input.reason, 'reason', '未能协商的原因', 1000);
  },
  apply(state, actor, input) {
    const next = clone(state);
    const track = next.tracks.find((t) => t.unitId === actor.unitId)!;
    track.noConsultationReason = input.reason.trim();
    return { state: next, record: { step: 'recordNoConsultation', unitId: track.unitId, summary: { reason: input.reason.trim() }, notifications: [] } };
  },
};

// ---------------------------------------------------------------- 交办单位主持面商（第二次不满意）
export type OfficeConsultationInput = ActionInput<'recordOfficeConsultation'>;

export const recordOfficeConsultation: ActionSpec<OfficeConsultationInput> = {
  check(state, actor, input, now) {
    assertActionAllowed(state, 'recordOfficeConsultation', actor);
    if (!state.officeChairedConsultation) throw businessFailure(FailureType.PRECONDITION_FAILED, '只有提案者第二次表示不满意后，才由交办单位主持面商');
    if (state.officeConsultationHeld) throw businessFailure(FailureType.ALREADY_DONE, '本轮已由交办单位主持面商');
    const date = isoDate(input.date, 'date', '面商日期');
    if (date > beijingToday(now)) throw invalidField('date', '面商日期不能晚于今天');
    text(input.participants, 'participants', '参加人员', 500);
    hash(input.summaryHash, 'summary');
  },
  apply(state, actor, input) {
    const next = clone(state);
    next.officeConsultationHeld = true;
    const lead = answeringUnits(state)[0]!;
    next.tracks = next.tracks.map((t) => ({ ...t, consultations: t.consultations + 1, faceToFace: t.faceToFace + 1 }));
    return {
      state: next,
      record: {
        step: 'recordOfficeConsultation',
        unitId: null,
        summary: { date: input.date, participants: input.participants.trim(), chairedBy: actor.name },
        consultation: {
          unitId: lead.unitId,
          round: state.round,
          date: input.date,
          way: 'face_to_face',
          participants: input.participants.trim(),
          summaryHash: input.summaryHash,
        },
        notifications: [],
      },
    };
  },
};
