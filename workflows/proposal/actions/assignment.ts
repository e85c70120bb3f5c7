import { businessFailure, FailureType, invalidField } from '../../shared/failures.js';
import type { NotificationIntent } from '../../shared/notifications.js';
import type { DueDate, HandlingMode } from '../../shared/types.js';
import type { ActionInput } from '../machine.js';
import type { DueRequest, ProposalState, ReplyTrack, UnitAssignment } from '../state.js';
import { activeUnit, assertActionAllowed, dueByKey, newTrack, requireUnit } from '../state.js';
import { clone, decisionDueDate, text, type ActionContext, type ActionSpec } from './support.js';

// ---------------------------------------------------------------- 交办
export type AssignInput = ActionInput<'assign'>;

function checkUnits(units: unknown, mode: HandlingMode): string[] {
  if (!Array.isArray(units) || units.length === 0) throw invalidField('units', '请至少指定一个承办单位');
  const ids = units.map((u, i) => text(u, `units[${i}]`, '承办单位', 100));
  if (new Set(ids).size !== ids.length) throw invalidField('units', '承办单位不能重复');
  if (mode === 'sole' && ids.length !== 1) throw invalidField('units', '单独办理只能指定一个承办单位');
  if (mode === 'lead' && ids.length < 2) throw invalidField('units', '主办加会办至少需要一个主办单位和一个会办单位');
  if (mode === 'split' && ids.length < 2) throw invalidField('units', '分办至少需要两个承办单位');
  return ids;
}

function checkMode(mode: unknown): HandlingMode {
  if (mode !== 'sole' && mode !== 'lead' && mode !== 'split') throw invalidField('mode', '办理方式必须是 sole（单独）、lead（主办+会办）或 split（分办）');
  return mode;
}

function assignmentsFor(mode: HandlingMode, unitIds: string[], now: string, dues: DueDate[], round: number): { units: UnitAssignment[]; tracks: ReplyTrack[] } {
  const reply = dueByKey(dues, 'reply');
  const window = dueByKey(dues, 'adjustmentWindow');
  const co = dues.find((d) => d.key === 'coOpinion');
  const units: UnitAssignment[] = unitIds.map((unitId, i) => {
    const role = mode === 'sole' ? 'sole' : mode === 'split' ? 'split' : i === 0 ? 'lead' : 'co';
    return {
      unitId,
      role,
      assignedAt: now,
      adjustmentWindowEndsAt: round === 0 ? window.dueAt : null,
      adjustment: null,
      coOpinion: role === 'co' ? { status: 'due', dueAt: co?.dueAt ?? reply.dueAt } : null,
    };
  });
  const tracks = units.filter((u) => u.role !== 'co').map((u) => newTrack(u.unitId, reply.dueAt));
  return { units, tracks };
}

function assignmentNotices(state: ProposalState, units: UnitAssignment[]): NotificationIntent[] {
  return units.map((u) => ({
    kind: u.role === 'co' ? 'assigned_co' : 'assigned',
    to: { unitLiaisons: [u.unitId] },
    cc: { unitLeaders: [u.unitId] },
    params: {
      title: state.title,
      proposalNo: state.proposalNo,
      role: u.role,
      dueAt: u.coOpinion?.dueAt ?? state.tracks.find((t) => t.unitId === u.unitId)?.dueAt ?? null,
    },
  }));
}

export const assign: ActionSpec<AssignInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'assign', actor);
    checkUnits(input.units, checkMode(input.mode));
  },
  dues(_state, _actor, input, now) {
    const requests: DueRequest[] = [
      { key: 'reply', ruleKey: 'reply', start: now },
      { key: 'adjustmentWindow', ruleKey: 'adjustmentWindow', start: now },
      { key: 'extensionCeiling', ruleKey: 'extensionCeiling', start: now },
    ];
    if (input.mode === 'lead') requests.push({ key: 'coOpinion', ruleKey: 'coOpinion', start: now });
    return requests;
  },
  apply(state, actor, input, ctx) {
    const next = clone(state);
    const unitIds = input.units.map((u) => u.trim());
    const { units, tracks } = assignmentsFor(input.mode, unitIds, ctx.now, ctx.dues, state.round);
    next.stage = 'handling';
    next.mode = input.mode;
    next.units = units;
    next.tracks = tracks;
    return {
      state: next,
      record: {
        step: 'assign',
        unitId: null,
        summary: { mode: input.mode, units: unitIds, replyDue: dueByKey(ctx.dues, 'reply').dueDate, by: actor.name },
        notifications: assignmentNotices(next, units),
      },
    };
  },
};

// ---------------------------------------------------------------- 申请调整 / 审批
export type RequestAdjustmentInput = ActionInput<'requestAdjustment'>;

export const requestAdjustment: ActionSpec<RequestAdjustmentInput> = {
  officeDecision: 'adjustment',
  check(state, actor, input, now) {
    assertActionAllowed(state, 'requestAdjustment', actor);
    const unit = requireUnit(state, actor);
    text(input.reason, 'reason', '申请调整的理由', 1000);
    if (unit.adjustment?.status === 'requested') throw businessFailure(FailureType.ALREADY_DONE, '你单位已提出调整申请，正在等待交办单位审批');
    if (!unit.adjustmentWindowEndsAt || now > unit.adjustmentWindowEndsAt) {
      throw businessFailure(
        FailureType.DEADLINE_PASSED,
        unit.adjustmentWindowEndsAt
          ? `申请调整的期限已于${unit.adjustmentWindowEndsAt.slice(0, 10)}截止，交办视为确定；如确有困难请与交办单位联系`
          : '本次交办不接受调整申请',
      );
    }
  },
  apply(state, actor, input, ctx) {
    const next = clone(state);
    const unit = next.units.find((u) => u.unitId === actor.unitId)!;
    unit.adjustment = { status: 'requested', reason: input.reason.trim(), requestedAt: ctx.now };
    return {
      state: next,
      record: {
        step: 'requestAdjustment',
        unitId: unit.unitId,
        summary: { reason: input.reason.trim() },
        notifications: [
          {
            kind: 'adjustment_requested',
            to: { office: true },
            params: { title: state.title, proposalNo: state.proposalNo, unitId: unit.unitId, reason: input.reason.trim(), decideBy: decisionDueDate(ctx.dues) },
          },
        ],
      },
    };
  },
};

export type DecideAdjustmentInput = ActionInput<'decideAdjustment'>;

export const decideAdjustment: ActionSpec<DecideAdjustmentInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'decideAdjustment', actor);
    const unit = activeUnit(state, input.unitId);
    if (!unit || unit.adjustment?.status !== 'requested') throw businessFailure(FailureType.PRECONDITION_FAILED, '该单位没有待审批的调整申请');
    if (input.decision !== 'accept' && input.decision !== 'refuse') throw invalidField('decision', '审批结果必须是 accept 或 refuse');
    text(input.answer, 'answer', '审批意见', 1000);
    if (input.decision === 'accept') {
      const replacement = text(input.replacementUnitId, 'replacementUnitId', '接替的承办单位', 100);
      if (activeUnit(state, replacement)) throw invalidField('replacementUnitId', '接替单位已在承办单位之中');
    }
  },
  dues(_state, _actor, input, now) {
    return input.decision === 'accept'
      ? [
          { key: 'reply', ruleKey: 'reply', start: now },
          { key: 'adjustmentWindow', ruleKey: 'adjustmentWindow', start: now },
          { key: 'coOpinion', ruleKey: 'coOpinion', start: now },
          { key: 'extensionCeiling', ruleKey: 'extensionCeiling', start: now },
        ]
      : [];
  },
  apply(state, actor, input, ctx) {
    if (input.decision === 'refuse') {
      const next = clone(state);
      const unit = next.units.find((u) => u.unitId === input.unitId)!;
      unit.adjustment = { ...unit.adjustment!, status: 'refused', answer: input.answer.trim() };
      return {
        state: next,
        record: {
          step: 'decideAdjustment',
          unitId: input.unitId,
          summary: { decision: 'refuse', answer: input.answer.trim(), by: actor.name },
          notifications: [
            {
              kind: 'adjustment_refused',
              to: { unitLiaisons: [input.unitId] },
              params: { title: state.title, proposalNo: state.proposalNo, answer: input.answer.trim() },
            },
          ],
        },
      };
    }
    const next = replaceUnit(state, input.unitId, input.replacementUnitId!, ctx);
    return {
      state: next,
      record: {
        step: 'decideAdjustment',
        unitId: input.unitId,
        summary: { decision: 'accept', replacement: input.replacementUnitId, answer: input.answer.trim(), by: actor.name },
        notifications: [
          {
            kind: 'adjustment_accepted',
            to: { unitLiaisons: [input.unitId] },
            params: { title: state.title, proposalNo: state.proposalNo, answer: input.answer.trim() },
          },
          ...assignmentNotices(
            next,
            next.units.filter((u) => u.unitId === input.replacementUnitId),
          ),
        ],
      },
    };
  },
};

/** Puts `newUnitId` in the removed unit's role with fresh clocks; the removed unit's work ends. */
function replaceUnit(state: ProposalState, oldUnitId: string, rawNewUnitId: string, ctx: ActionContext): ProposalState {
  const next = clone(state);
  const newUnitId = rawNewUnitId.trim();
  const old = next.units.find((u) => u.unitId === oldUnitId)!;
  const reply = dueByKey(ctx.dues, 'reply');
  const replacement: UnitAssignment = {
    unitId: newUnitId,
    role: old.role,
    assignedAt: ctx.now,
    adjustmentWindowEndsAt: state.round === 0 ? dueByKey(ctx.dues, 'adjustmentWindow').dueAt : null,
    adjustment: null,
    // In a re-handling round the lead answers alone (co-opinions were waived); a replacement inherits that.
    coOpinion:
      old.role !== 'co' ? null : state.round === 0 ? { status: 'due', dueAt: ctx.dues.find((d) => d.key === 'coOpinion')?.dueAt ?? reply.dueAt } : old.coOpinion,
  };
  next.units = next.units.map((u) => (u.unitId === oldUnitId ? replacement : u));
  next.removedUnits.push(oldUnitId);
  next.tracks = next.tracks.map((t) => (t.unitId === oldUnitId ? newTrack(newUnitId, reply.dueAt) : t));
  return next;
}

export type ReassignInput = ActionInput<'reassign'>;

export const reassign: ActionSpec<ReassignInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'reassign', actor);
    const old = activeUnit(state, input.removeUnitId);
    if (!old) throw invalidField('removeUnitId', '该单位不在本提案的承办单位之中');
    const added = text(input.addUnitId, 'addUnitId', '新的承办单位', 100);
    if (activeUnit(state, added)) throw invalidField('addUnitId', '新单位已在承办单位之中');
    if (trackOfStatus(state, input.removeUnitId) === 'dispatched') throw businessFailure(FailureType.WRONG_STAGE, '该单位已经答复，不能调整');
    text(input.reason, 'reason', '调整理由', 1000);
  },
  dues(_s, _a, _i, now) {
    return [
      { key: 'reply', ruleKey: 'reply', start: now },
      { key: 'adjustmentWindow', ruleKey: 'adjustmentWindow', start: now },
      { key: 'coOpinion', ruleKey: 'coOpinion', start: now },
      { key: 'extensionCeiling', ruleKey: 'extensionCeiling', start: now },
    ];
  },
  apply(state, actor, input, ctx) {
    const next = replaceUnit(state, input.removeUnitId, input.addUnitId, ctx);
    return {
      state: next,
      record: {
        step: 'reassign',
        unitId: input.removeUnitId,
        summary: { removed: input.removeUnitId, added: input.addUnitId, reason: input.reason.trim(), by: actor.name },
        notifications: [
          {
            kind: 'unit_removed',
            to: { unitLiaisons: [input.removeUnitId] },
            params: { title: state.title, proposalNo: state.proposalNo, reason: input.reason.trim() },
          },
          ...assignmentNotices(
            next,
            next.units.filter((u) => u.unitId === input.addUnitId),
          ),
        ],
      },
    };
  },
};

function trackOfStatus(state: ProposalState, unitId: string): string | undefined {
  return state.tracks.find((t) => t.unitId === unitId)?.status;
}
