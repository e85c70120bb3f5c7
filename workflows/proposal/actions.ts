import { businessFailure, FailureType, invalidField } from '../shared/failures.js';
import type { ActionName, DueRequest, ProposalState, ReplyTrack, UnitAssignment } from './state.js';
import {
  activeUnit,
  answeringUnits,
  assertActionAllowed,
  coOpinionsOutstanding,
  CONSULTATION_WAYS,
  dueByKey,
  newTrack,
  raters,
  replyRecipients,
  requireTrack,
  requireUnit,
  SATISFACTION_LABELS,
  signOffNeedsPrincipal,
} from './state.js';
import type { Actor, ConsultationWay, DueDate, HandlingMode, PublicationMode, Satisfaction } from '../shared/types.js';

// Pure guards and transitions, one pair per human action. `check` throws a typed failure and
// is used both as the Update validator and again under the workflow lock; `apply` returns the
// next state and what the step must record, without touching anything.

export interface RecipientSpec {
  proposers?: number[];
  unitLiaisons?: string[];
  unitLeaders?: string[];
  unitPrincipals?: string[];
  office?: boolean;
  committee?: boolean;
  /** Routine reminders: people who take the daily digest get them there instead. */
  digestAware?: boolean;
}

export interface NotificationIntent {
  kind: string;
  to: RecipientSpec;
  cc?: RecipientSpec;
  params: Record<string, string | number | null>;
}

export interface StepRecord {
  step: string;
  unitId: string | null;
  summary: Record<string, unknown>;
  replyVersion?: { unitId: string; version: number; round: number; bodyHash: string; replyClass: string; changeNote: string | null };
  consultation?: { unitId: string; round: number; date: string; way: ConsultationWay; participants: string; summaryHash: string };
  rating?: { proposerId: number; round: number; attitude: Satisfaction; result: Satisfaction; comment: string | null; onBehalf: boolean };
  publication?: { mode: PublicationMode; reason: string | null; status: 'proposed' | 'approved' };
  notifications: NotificationIntent[];
}

export interface ActionContext {
  now: string;
  dues: DueDate[];
  /** A proposal number the system took for this step (立案 without a typed number). */
  allocatedProposalNo?: string;
}

export interface ActionOutcome {
  state: ProposalState;
  record: StepRecord;
  /** Merge target to tell about this proposal's proposers (并案). */
  mergeInto?: string;
}

export interface ActionSpec<I> {
  check(state: ProposalState, actor: Actor, input: I, now: string): void;
  /** True when the step needs the session's next proposal number from the system. */
  needsProposalNumber?(state: ProposalState, input: I): boolean;
  dues?(state: ProposalState, actor: Actor, input: I, now: string): DueRequest[];
  apply(state: ProposalState, actor: Actor, input: I, ctx: ActionContext): ActionOutcome;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function text(value: unknown, field: string, label: string, max = 2000): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalidField(field, `请填写${label}`);
  if (value.length > max) throw invalidField(field, `${label}不能超过${max}字`);
  return value.trim();
}

function isoDate(value: unknown, field: string, label: string): string {
  const valid =
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
    // Date.parse rolls 2026-02-30 over to March: a real date survives the round trip unchanged.
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
  if (!valid) throw invalidField(field, `${label}必须是 YYYY-MM-DD 格式的有效日期`);
  return value;
}

/** Business dates are Beijing dates, whatever the instant's UTC day. */
export function beijingToday(nowIso: string): string {
  return new Date(Date.parse(nowIso) + 8 * 3600_000).toISOString().slice(0, 10);
}

function hash(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) throw invalidField(field, '正文引用无效，请重新提交正文');
  return value;
}

const UNIT_WORDS: Record<string, string> = { working_days: '个工作日', calendar_days: '天', calendar_months: '个月', seconds: '秒' };

function unitLabel(unitId: string): string {
  return unitId;
}

// ---------------------------------------------------------------- 审查立案
export interface FileInput {
  outcome: 'filed' | 'merged' | 'converted' | 'not_filed';
  proposalNo?: string | null;
  mergedInto?: string;
  reasonCode?: string;
  reasonText?: string;
}

const file: ActionSpec<FileInput> = {
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
      record: { step: 'file', unitId: null, summary: { outcome: input.outcome, proposalNo: next.proposalNo, reasonCode: input.reasonCode ?? null, mergedInto: input.mergedInto ?? null, by: actor.name }, notifications },
    };
    if (mergeInto) outcome.mergeInto = mergeInto;
    return outcome;
  },
};

// ---------------------------------------------------------------- 交办
export interface AssignInput {
  mode: HandlingMode;
  /** For `lead`, the first unit leads (主办) and the rest co-handle (会办). */
  units: string[];
}

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
    params: { title: state.title, proposalNo: state.proposalNo, role: u.role, dueAt: u.coOpinion?.dueAt ?? state.tracks.find((t) => t.unitId === u.unitId)?.dueAt ?? null },
  }));
}

const assign: ActionSpec<AssignInput> = {
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
export interface RequestAdjustmentInput {
  reason: string;
}

const requestAdjustment: ActionSpec<RequestAdjustmentInput> = {
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
        notifications: [{ kind: 'adjustment_requested', to: { office: true }, params: { title: state.title, proposalNo: state.proposalNo, unitId: unit.unitId, reason: input.reason.trim() } }],
      },
    };
  },
};

export interface DecideAdjustmentInput {
  unitId: string;
  decision: 'accept' | 'refuse';
  /** Required when accepting: the unit that takes over. */
  replacementUnitId?: string;
  answer: string;
}

const decideAdjustment: ActionSpec<DecideAdjustmentInput> = {
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
          notifications: [{ kind: 'adjustment_refused', to: { unitLiaisons: [input.unitId] }, params: { title: state.title, proposalNo: state.proposalNo, answer: input.answer.trim() } }],
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
          { kind: 'adjustment_accepted', to: { unitLiaisons: [input.unitId] }, params: { title: state.title, proposalNo: state.proposalNo, answer: input.answer.trim() } },
          ...assignmentNotices(next, next.units.filter((u) => u.unitId === input.replacementUnitId)),
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

// ---------------------------------------------------------------- 沟通协商
export interface ConsultationInput {
  date: string;
  way: ConsultationWay;
  participants: string;
  summaryHash: string;
}

const recordConsultation: ActionSpec<ConsultationInput> = {
  check(state, actor, input, now) {
    assertActionAllowed(state, 'recordConsultation', actor);
    const track = requireTrack(state, actor);
    if (track.status !== 'drafting') throw businessFailure(FailureType.WRONG_STAGE, '答复已送审签，不能再补记协商；如需补记请先由领导退回');
    const date = isoDate(input.date, 'date', '协商日期');
    if (date > beijingToday(now)) throw invalidField('date', '协商日期不能晚于今天');
    if (typeof input.way !== 'string' || !Object.hasOwn(CONSULTATION_WAYS, input.way)) throw invalidField('way', `协商方式必须是：${Object.entries(CONSULTATION_WAYS).map(([k, v]) => `${k}（${v}）`).join('、')}`);
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
        consultation: { unitId: track.unitId, round: state.round, date: input.date, way: input.way, participants: input.participants.trim(), summaryHash: input.summaryHash },
        notifications: [],
      },
    };
  },
};

export interface NoConsultationInput {
  reason: string;
}

const recordNoConsultation: ActionSpec<NoConsultationInput> = {
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

// ---------------------------------------------------------------- 会办意见
export interface CoOpinionInput {
  kind: 'opinion' | 'no_opinion';
  bodyHash?: string;
}

const submitCoOpinion: ActionSpec<CoOpinionInput> = {
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
        notifications: lead ? [{ kind: 'co_opinion_received', to: { unitLiaisons: [lead.unitId] }, params: { title: state.title, proposalNo: state.proposalNo, coUnit: unit.unitId, kind: input.kind } }] : [],
      },
    };
  },
};

export interface WaiveCoOpinionInput {
  unitId: string;
  reason: string;
}

const waiveCoOpinion: ActionSpec<WaiveCoOpinionInput> = {
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

// ---------------------------------------------------------------- 答复起草
export interface DraftInput {
  bodyHash: string;
  replyClass: string;
  changeNote?: string | null;
  promisedActions?: string | null;
  followUpDate?: string | null;
}

const saveDraft: ActionSpec<DraftInput> = {
  check(state, actor, input, now) {
    assertActionAllowed(state, 'saveDraft', actor);
    const track = requireTrack(state, actor);
    if (track.status !== 'drafting') throw businessFailure(FailureType.WRONG_STAGE, '答复稿正在审签，不能修改；如需修改请由领导退回');
    hash(input.bodyHash, 'body');
    if (input.changeNote != null && (typeof input.changeNote !== 'string' || input.changeNote.length > 500)) throw invalidField('changeNote', '修改说明应为500字以内的文字');
    const classes = state.policy.body.replyClasses;
    if (!classes.includes(input.replyClass)) throw invalidField('replyClass', `答复分类必须是：${classes.join('、')}`);
    if (state.policy.body.classesNeedingFollowUp.includes(input.replyClass)) {
      text(input.promisedActions, 'promisedActions', `${input.replyClass}类答复承诺的措施`, 2000);
      const date = isoDate(input.followUpDate, 'followUpDate', '落实情况回访日期');
      if (date <= beijingToday(now)) throw invalidField('followUpDate', '回访日期应晚于今天');
    }
  },
  apply(state, actor, input, ctx) {
    const next = clone(state);
    const track = next.tracks.find((t) => t.unitId === actor.unitId)!;
    const version = track.drafts.length + 1;
    const changeNote = input.changeNote?.trim() || (version === 1 ? '初稿' : null);
    track.drafts.push({ version, bodyHash: input.bodyHash, replyClass: input.replyClass, authorUserId: actor.userId, at: ctx.now, changeNote });
    track.replyClass = track.classOverride?.replyClass ?? input.replyClass;
    const needsFollowUp = state.policy.body.classesNeedingFollowUp.includes(input.replyClass);
    track.promisedActions = needsFollowUp ? input.promisedActions!.trim() : null;
    track.followUpDate = needsFollowUp ? input.followUpDate! : null;
    return {
      state: next,
      record: {
        step: 'saveDraft',
        unitId: track.unitId,
        summary: { version, replyClass: input.replyClass, changeNote, followUpDate: track.followUpDate },
        replyVersion: { unitId: track.unitId, version, round: state.round, bodyHash: input.bodyHash, replyClass: input.replyClass, changeNote },
        notifications: [],
      },
    };
  },
};

export interface OverrideClassInput {
  unitId: string;
  replyClass: string;
  reason: string;
}

const overrideClass: ActionSpec<OverrideClassInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'overrideClass', actor);
    if (!state.tracks.some((t) => t.unitId === input.unitId)) throw invalidField('unitId', '该单位不负责答复本提案');
    if (!state.policy.body.replyClasses.includes(input.replyClass)) throw invalidField('replyClass', `答复分类必须是：${state.policy.body.replyClasses.join('、')}`);
    text(input.reason, 'reason', '调整分类的理由', 1000);
  },
  apply(state, actor, input) {
    const next = clone(state);
    const track = next.tracks.find((t) => t.unitId === input.unitId)!;
    const from = track.replyClass;
    track.classOverride = { replyClass: input.replyClass, reason: input.reason.trim() };
    track.replyClass = input.replyClass;
    return {
      state: next,
      record: { step: 'overrideClass', unitId: input.unitId, summary: { from, to: input.replyClass, reason: input.reason.trim(), by: actor.name }, notifications: [] },
    };
  },
};

// ---------------------------------------------------------------- 审签
export type SubmitForSignOffInput = Record<string, never>;

const submitForSignOff: ActionSpec<SubmitForSignOffInput> = {
  check(state, actor) {
    assertActionAllowed(state, 'submitForSignOff', actor);
    const track = requireTrack(state, actor);
    if (track.status !== 'drafting') throw businessFailure(FailureType.ALREADY_DONE, '答复稿已在审签中');
    if (track.drafts.length === 0) throw businessFailure(FailureType.PRECONDITION_FAILED, '请先保存答复稿');
    if (track.consultations === 0 && !track.noConsultationReason) {
      throw businessFailure(FailureType.PRECONDITION_FAILED, '先协商后答复：请先记录与提案者的沟通协商，或说明未能协商的原因');
    }
    if (state.officeChairedConsultation && !state.officeConsultationHeld) {
      throw businessFailure(FailureType.PRECONDITION_FAILED, '提案者再次表示不满意：须先由交办单位主持与提案者面商，再送审签');
    }
    const waiting = state.mode === 'lead' && track.unitId === state.units.find((u) => u.role === 'lead')?.unitId ? coOpinionsOutstanding(state) : [];
    if (waiting.length > 0) {
      throw businessFailure(
        FailureType.PRECONDITION_FAILED,
        `还在等待会办单位的意见：${waiting.map((u) => unitLabel(u.unitId)).join('、')}；请待其提交，或请交办单位批准免于等待`,
      );
    }
  },
  apply(state, actor) {
    const next = clone(state);
    const track = next.tracks.find((t) => t.unitId === actor.unitId)!;
    track.status = 'signoff';
    const needsPrincipal = signOffNeedsPrincipal(state);
    return {
      state: next,
      record: {
        step: 'submitForSignOff',
        unitId: track.unitId,
        summary: { version: track.drafts.length, needsPrincipal },
        notifications: [
          {
            kind: 'signoff_requested',
            to: needsPrincipal ? { unitPrincipals: [track.unitId] } : { unitLeaders: [track.unitId] },
            params: { title: state.title, proposalNo: state.proposalNo, version: track.drafts.length },
          },
        ],
      },
    };
  },
};

export interface SignOffInput {
  decision: 'approve' | 'return';
  reason?: string;
}

const signOff: ActionSpec<SignOffInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'signOff', actor);
    const track = requireTrack(state, actor);
    if (track.status !== 'signoff') throw businessFailure(FailureType.WRONG_STAGE, '没有待审签的答复稿');
    if (signOffNeedsPrincipal(state) && actor.role !== 'principal') {
      throw businessFailure(FailureType.FORBIDDEN_ROLE, '重点提案的答复须由单位主要负责人签发');
    }
    if (input.decision !== 'approve' && input.decision !== 'return') throw invalidField('decision', '审签结果必须是 approve（签发）或 return（退回）');
    if (input.decision === 'return') text(input.reason, 'reason', '退回理由', 1000);
  },
  apply(state, actor, input) {
    const next = clone(state);
    const track = next.tracks.find((t) => t.unitId === actor.unitId)!;
    track.signOffRounds += 1;
    if (input.decision === 'approve') {
      track.status = 'approved';
      track.lastReturnReason = null;
    } else {
      track.status = 'drafting';
      track.lastReturnReason = input.reason!.trim();
    }
    return {
      state: next,
      record: {
        step: 'signOff',
        unitId: track.unitId,
        summary: { decision: input.decision, reason: input.reason?.trim() ?? null, round: track.signOffRounds, version: track.drafts.length, signedBy: actor.name },
        notifications:
          input.decision === 'return'
            ? [{ kind: 'signoff_returned', to: { unitLiaisons: [track.unitId] }, params: { title: state.title, proposalNo: state.proposalNo, reason: input.reason!.trim() } }]
            : [],
      },
    };
  },
};

// ---------------------------------------------------------------- 征询意见
export interface RateInput {
  attitude: Satisfaction;
  result: Satisfaction;
  comment?: string | null;
  /** Only for the office entering a paper form: the member it speaks for. */
  proposerId?: number;
}

const SATISFACTIONS = Object.keys(SATISFACTION_LABELS);

export function raterOf(actor: Actor, input: RateInput): number {
  return actor.role === 'office' ? (input.proposerId ?? -1) : (actor.proposerId ?? -1);
}

const rate: ActionSpec<RateInput> = {
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
        rating: { proposerId: rater, round: state.round, attitude: input.attitude, result: input.result, comment: input.comment?.trim() || null, onBehalf: actor.role === 'office' },
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
  next.units = next.units.map((u) => ({ ...u, adjustmentWindowEndsAt: null, adjustment: null, coOpinion: u.role === 'co' ? { status: 'waived', dueAt: null, waivedReason: '重新办理由主办单位负责' } : null }));
  next.followUp = null;
  // The new reply gets its own publication decision.
  next.publication = null;
  return next;
}

export interface OrderRehandlingInput {
  reason: string;
}

const orderRehandling: ActionSpec<OrderRehandlingInput> = {
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
          { kind: 'rehandling', to: { unitLiaisons: next.tracks.map((t) => t.unitId) }, cc: { office: true, committee: true }, params: { title: state.title, proposalNo: state.proposalNo, cause: input.reason.trim(), officeChaired: next.officeChairedConsultation ? '是' : '否' } },
        ],
      },
    };
  },
};

// ---------------------------------------------------------------- 公开
export interface ProposePublicationInput {
  mode: PublicationMode;
  reason?: string | null;
}

const proposePublication: ActionSpec<ProposePublicationInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'proposePublication', actor);
    const unit = requireUnit(state, actor);
    if (unit.role !== 'lead' && unit.role !== 'sole' && unit.role !== 'split') throw businessFailure(FailureType.NOT_YOUR_UNIT, '公开意见由主办单位提出');
    if (!['full', 'summary', 'none'].includes(input.mode)) throw invalidField('mode', '公开方式必须是 full（全文）、summary（摘要）或 none（不公开）');
    if (input.mode !== 'full') text(input.reason, 'reason', input.mode === 'none' ? '不公开的理由' : '摘要公开的理由', 1000);
    if (state.publication?.status === 'approved') throw businessFailure(FailureType.ALREADY_DONE, '公开方式已经审定');
  },
  apply(state, actor, input) {
    const next = clone(state);
    next.publication = { mode: input.mode, reason: input.reason?.trim() || null, status: 'proposed' };
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

export interface ApprovePublicationInput {
  mode?: PublicationMode;
  reason?: string | null;
}

const approvePublication: ActionSpec<ApprovePublicationInput> = {
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
    next.publication = { mode, reason, status: 'approved' };
    return {
      state: next,
      record: { step: 'approvePublication', unitId: null, summary: { mode, reason, by: actor.name }, publication: { mode, reason, status: 'approved' }, notifications: [] },
    };
  },
};

// ---------------------------------------------------------------- 办结 / 回头看
export interface CloseInput {
  note?: string | null;
}

const close: ActionSpec<CloseInput> = {
  check(state, actor, _input, now) {
    assertActionAllowed(state, 'close', actor);
    const pending = raters(state).filter((p) => !state.ratings.some((r) => r.proposerId === p));
    if (pending.length > 0 && state.feedbackDueAt && now <= state.feedbackDueAt) {
      throw businessFailure(FailureType.PRECONDITION_FAILED, `还在征询提案者意见（截止${state.feedbackDueAt.slice(0, 10)}），期满或全部评价后方可办结`);
    }
  },
  apply(state, actor, input) {
    return closeProposal(state, { by: actor.name, note: input.note ?? null });
  },
};

export function closeProposal(state: ProposalState, summary: Record<string, unknown>): ActionOutcome {
  const next = clone(state);
  next.stage = 'closed';
  const withFollowUp = next.tracks.find((t) => t.followUpDate && state.policy.body.classesNeedingFollowUp.includes(t.replyClass ?? ''));
  next.followUp = withFollowUp?.followUpDate ? { dueDate: withFollowUp.followUpDate, status: 'pending' } : null;
  const noFeedback = raters(state).filter((p) => !state.ratings.some((r) => r.proposerId === p));
  return {
    state: next,
    record: {
      step: 'close',
      unitId: null,
      summary: { ...summary, noFeedbackFrom: noFeedback, followUpDate: next.followUp?.dueDate ?? null },
      notifications: [],
    },
  };
}

export interface FollowUpReportInput {
  bodyHash: string;
}

const reportFollowUp: ActionSpec<FollowUpReportInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'reportFollowUp', actor);
    requireTrack(state, actor);
    if (!state.followUp) throw businessFailure(FailureType.PRECONDITION_FAILED, '本提案没有需要回头看的承诺事项');
    if (state.followUp.status === 'reported') throw businessFailure(FailureType.ALREADY_DONE, '落实情况已经报告');
    hash(input.bodyHash, 'body');
  },
  apply(state, actor, input) {
    const next = clone(state);
    next.followUp = { ...next.followUp!, status: 'reported', reportHash: input.bodyHash };
    return {
      state: next,
      record: { step: 'reportFollowUp', unitId: actor.unitId, summary: { bodyHash: input.bodyHash }, notifications: [{ kind: 'follow_up_reported', to: { office: true }, params: { title: state.title, proposalNo: state.proposalNo } }] },
    };
  },
};

// ---------------------------------------------------------------- 办公厅的权力
export interface WithdrawInput {
  reason: string;
}

const withdraw: ActionSpec<WithdrawInput> = {
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
      notifications.push({ kind: 'withdrawn_unit', to: { unitLiaisons: unitIds }, cc: { unitLeaders: unitIds }, params: { title: state.title, proposalNo: state.proposalNo, reason: input.reason.trim() } });
    }
    notifications.push({ kind: 'withdrawn', to: { proposers: state.proposerIds }, params: { title: state.title, proposalNo: state.proposalNo, reason: input.reason.trim() } });
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

export interface MarkKeyInput {
  supervisingLeader: string;
}

const markKey: ActionSpec<MarkKeyInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'markKey', actor);
    if (state.keyProposal) throw businessFailure(FailureType.ALREADY_DONE, '已是重点提案');
    text(input.supervisingLeader, 'supervisingLeader', '督办领导', 100);
  },
  apply(state, actor, input) {
    const next = clone(state);
    next.keyProposal = true;
    next.supervisingLeader = input.supervisingLeader.trim();
    return {
      state: next,
      record: {
        step: 'markKey',
        unitId: null,
        summary: { supervisingLeader: next.supervisingLeader, by: actor.name },
        notifications: state.units.length
          ? [{ kind: 'key_proposal', to: { unitLiaisons: state.units.map((u) => u.unitId) }, cc: { unitPrincipals: state.units.map((u) => u.unitId) }, params: { title: state.title, proposalNo: state.proposalNo, leader: next.supervisingLeader } }]
          : [],
      },
    };
  },
};

export interface ReassignInput {
  removeUnitId: string;
  addUnitId: string;
  reason: string;
}

const reassign: ActionSpec<ReassignInput> = {
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
          { kind: 'unit_removed', to: { unitLiaisons: [input.removeUnitId] }, params: { title: state.title, proposalNo: state.proposalNo, reason: input.reason.trim() } },
          ...assignmentNotices(next, next.units.filter((u) => u.unitId === input.addUnitId)),
        ],
      },
    };
  },
};

// ---------------------------------------------------------------- 延期
export interface RequestExtensionInput {
  newDate: string;
  reason: string;
}

const requestExtension: ActionSpec<RequestExtensionInput> = {
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
      throw invalidField('newDate', `延期后的截止日期${date}超过${ceiling.label}（自交办起${ceiling.amount}${UNIT_WORDS[ceiling.unit]}，即${deadline.ceilingDate}），不能批准`);
    }
  },
  apply(state, actor, input, ctx) {
    const next = clone(state);
    const key = `reply:${actor.unitId}`;
    next.deadlines[key] = { ...next.deadlines[key]!, pendingExtension: { to: input.newDate, reason: input.reason.trim(), requestedAt: ctx.now, unitId: actor.unitId! } };
    return {
      state: next,
      record: {
        step: 'requestExtension',
        unitId: actor.unitId,
        summary: { from: state.deadlines[key]!.dueDate, to: input.newDate, reason: input.reason.trim() },
        notifications: [{ kind: 'extension_requested', to: { office: true }, params: { title: state.title, proposalNo: state.proposalNo, unitId: actor.unitId, to: input.newDate, reason: input.reason.trim() } }],
      },
    };
  },
};

export interface DecideExtensionInput {
  unitId: string;
  decision: 'approve' | 'refuse';
  answer: string;
}

const decideExtension: ActionSpec<DecideExtensionInput> = {
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
        { kind: 'extension_approved', to: { unitLiaisons: [input.unitId] }, params: { title: state.title, proposalNo: state.proposalNo, to: due.dueDate, answer: input.answer.trim() } },
        { kind: 'extension_proposer', to: { proposers: replyRecipients(state) }, params: { title: state.title, proposalNo: state.proposalNo, to: due.dueDate } },
      );
    } else {
      next.deadlines[key] = { ...deadline, pendingExtension: null };
      notifications.push({ kind: 'extension_refused', to: { unitLiaisons: [input.unitId] }, params: { title: state.title, proposalNo: state.proposalNo, answer: input.answer.trim() } });
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

// ---------------------------------------------------------------- 交办单位主持面商（第二次不满意）
export interface OfficeConsultationInput {
  date: string;
  participants: string;
  summaryHash: string;
}

const recordOfficeConsultation: ActionSpec<OfficeConsultationInput> = {
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
        consultation: { unitId: lead.unitId, round: state.round, date: input.date, way: 'face_to_face', participants: input.participants.trim(), summaryHash: input.summaryHash },
        notifications: [],
      },
    };
  },
};

function trackOfStatus(state: ProposalState, unitId: string): string | undefined {
  return state.tracks.find((t) => t.unitId === unitId)?.status;
}

export const ACTIONS: { [K in ActionName]: ActionSpec<never> } = {
  file,
  assign,
  requestAdjustment,
  decideAdjustment,
  recordConsultation,
  recordNoConsultation,
  submitCoOpinion,
  waiveCoOpinion,
  saveDraft,
  overrideClass,
  submitForSignOff,
  signOff,
  rate,
  proposePublication,
  approvePublication,
  close,
  reportFollowUp,
  withdraw,
  markKey,
  orderRehandling,
  reassign,
  requestExtension,
  decideExtension,
  recordOfficeConsultation,
} as unknown as { [K in ActionName]: ActionSpec<never> };

