import { z } from 'zod';
import type { Role, Stage } from '../shared/types.js';
import {
  CONSULTATION_WAY_VALUES,
  HANDLING_MODES,
  isoDay,
  optionalEmail,
  optionalText,
  PUBLICATION_MODES,
  SATISFACTION_VALUES,
  text,
  textHash,
  unitId,
} from './inputs.js';

// The proposal's whole process in one table. Read this file to know it: every human action
// (an Update) with the stages it is allowed in, the stage it leads to, the roles that may take
// it and its input; below it, the steps the workflow takes by itself. A test walks the table.
//
// `to` lists the stages an action can lead to ([] = the stage stays). `texts` names the long
// texts the HTTP door stores in PostgreSQL before the Update; the workflow sees their hashes.

export type ActionFamily = 'filing' | 'assignment' | 'consultation' | 'coOpinion' | 'reply' | 'extension' | 'feedback' | 'publication' | 'closing';

export interface ActionRow {
  label: string;
  family: ActionFamily;
  from: readonly Stage[];
  to: readonly Stage[];
  roles: readonly Role[];
  input: z.ZodObject;
  texts?: Readonly<Record<string, string>>;
}

const enumOf = <const T extends readonly [string, ...string[]]>(values: T, message: string) => z.enum(values, { error: message });
const reason = (label: string) => text(label, 1000);
const BODY = { body: 'bodyHash' } as const;
const SUMMARY = { summary: 'summaryHash' } as const;

// One row per action, kept as a table: read it across.
// prettier-ignore
export const ACTION_TABLE = {
  // ---------------------------------------------------------------- 审查立案
  file: {
    label: '审查立案', family: 'filing', from: ['received'], to: ['filed', 'merged', 'converted', 'not_filed'], roles: ['committee', 'office'],
    input: z.strictObject({
      outcome: enumOf(['filed', 'merged', 'converted', 'not_filed'], '审查结果必须是 filed、merged、converted 或 not_filed'),
      proposalNo: optionalText('提案编号', 40),
      mergedInto: text('并入的提案', 200).optional(),
      reasonCode: text('不予立案的理由', 60).optional(),
      reasonText: text('说明', 1000).optional(),
    }),
  },
  withdraw: {
    label: '撤案', family: 'closing', from: ['received', 'filed', 'handling'], to: ['withdrawn'], roles: ['office', 'committee'],
    input: z.strictObject({ reason: reason('撤案理由') }),
  },
  markKey: {
    label: '确定重点提案', family: 'closing', from: ['received', 'filed', 'handling'], to: [], roles: ['committee'],
    input: z.strictObject({ supervisingLeader: text('督办领导', 100), supervisingLeaderEmail: optionalEmail('督办领导的邮箱') }),
  },
  // ---------------------------------------------------------------- 交办
  assign: {
    label: '交办', family: 'assignment', from: ['filed'], to: ['handling'], roles: ['office'],
    input: z.strictObject({
      mode: enumOf(HANDLING_MODES, '办理方式必须是 sole（单独）、lead（主办+会办）或 split（分办）'),
      units: z.array(unitId('承办单位'), { error: '请至少指定一个承办单位' }).max(50, '一件提案最多交由50个单位办理'),
    }),
  },
  requestAdjustment: {
    label: '申请调整', family: 'assignment', from: ['handling'], to: [], roles: ['liaison'],
    input: z.strictObject({ reason: reason('申请调整的理由') }),
  },
  decideAdjustment: {
    label: '审批调整申请', family: 'assignment', from: ['handling'], to: [], roles: ['office'],
    input: z.strictObject({
      unitId: unitId('申请调整的单位'),
      decision: enumOf(['accept', 'refuse'], '审批结果必须是 accept 或 refuse'),
      replacementUnitId: unitId('接替的承办单位').optional(),
      answer: reason('审批意见'),
    }),
  },
  reassign: {
    label: '调整承办单位', family: 'assignment', from: ['handling'], to: [], roles: ['office'],
    input: z.strictObject({ removeUnitId: unitId('调出的承办单位'), addUnitId: unitId('新的承办单位'), reason: reason('调整理由') }),
  },
  // ---------------------------------------------------------------- 沟通协商
  recordConsultation: {
    label: '记录沟通协商', family: 'consultation', from: ['handling'], to: [], roles: ['liaison'], texts: SUMMARY,
    input: z.strictObject({
      date: isoDay('协商日期'),
      way: enumOf(CONSULTATION_WAY_VALUES, '协商方式必须是：face_to_face（面商）、phone（电话）、letter（信函）、site_visit（走访调研）、forum（座谈会）'),
      participants: text('参加人员', 500),
      summaryHash: textHash,
    }),
  },
  recordNoConsultation: {
    label: '说明未能协商原因', family: 'consultation', from: ['handling'], to: [], roles: ['liaison'],
    input: z.strictObject({ reason: reason('未能协商的原因') }),
  },
  recordOfficeConsultation: {
    label: '主持面商', family: 'consultation', from: ['handling'], to: [], roles: ['office'], texts: SUMMARY,
    input: z.strictObject({ date: isoDay('面商日期'), participants: text('参加人员', 500), summaryHash: textHash }),
  },
  // ---------------------------------------------------------------- 会办意见
  submitCoOpinion: {
    label: '提交会办意见', family: 'coOpinion', from: ['handling'], to: [], roles: ['liaison', 'leader', 'principal'], texts: BODY,
    input: z.strictObject({
      kind: enumOf(['opinion', 'no_opinion'], '请选择提交会办意见（opinion）或无意见（no_opinion）'),
      bodyHash: textHash.optional(),
    }),
  },
  waiveCoOpinion: {
    label: '免于等待会办意见', family: 'coOpinion', from: ['handling'], to: [], roles: ['office'],
    input: z.strictObject({ unitId: unitId('会办单位'), reason: reason('免于等待的理由') }),
  },
  // ---------------------------------------------------------------- 答复与审签
  saveDraft: {
    label: '保存答复稿', family: 'reply', from: ['handling'], to: [], roles: ['liaison'], texts: BODY,
    input: z.strictObject({
      bodyHash: textHash,
      replyClass: text('答复分类', 10),
      changeNote: optionalText('修改说明', 500),
      promisedActions: optionalText('承诺的措施', 2000),
      followUpDate: isoDay('落实情况回访日期').nullish(),
      commitsFunds: enumOf(['yes', 'no'], '是否承诺资金必须是 yes 或 no').optional(),
    }),
  },
  overrideClass: {
    label: '调整答复分类', family: 'reply', from: ['handling', 'dispatched'], to: [], roles: ['office'],
    input: z.strictObject({ unitId: unitId('答复单位'), replyClass: text('答复分类', 10), reason: reason('调整分类的理由') }),
  },
  submitForSignOff: {
    label: '提交审签', family: 'reply', from: ['handling'], to: [], roles: ['liaison'],
    input: z.strictObject({}),
  },
  signOff: {
    label: '审签', family: 'reply', from: ['handling'], to: [], roles: ['liaison', 'leader', 'principal'],
    input: z.strictObject({
      decision: enumOf(['approve', 'return'], '审签结果必须是 approve（签发）或 return（退回）'),
      reason: reason('退回理由').optional(),
    }),
  },
  // ---------------------------------------------------------------- 延期
  requestExtension: {
    label: '申请延期', family: 'extension', from: ['handling'], to: [], roles: ['liaison'],
    input: z.strictObject({ newDate: isoDay('申请延至的日期'), reason: reason('延期理由') }),
  },
  decideExtension: {
    label: '审批延期申请', family: 'extension', from: ['handling'], to: [], roles: ['office'],
    input: z.strictObject({
      unitId: unitId('申请延期的单位'),
      decision: enumOf(['approve', 'refuse'], '审批结果必须是 approve 或 refuse'),
      answer: reason('审批意见'),
    }),
  },
  // ---------------------------------------------------------------- 征询意见与重新办理
  rate: {
    label: '评价办理结果', family: 'feedback', from: ['dispatched'], to: ['handling'], roles: ['proposer', 'office'],
    input: z.strictObject({
      attitude: enumOf(SATISFACTION_VALUES, '办理态度评价必须是 satisfied、basically_satisfied 或 unsatisfied'),
      result: enumOf(SATISFACTION_VALUES, '办理结果评价必须是 satisfied、basically_satisfied 或 unsatisfied'),
      comment: optionalText('意见', 2000),
      proposerId: z.int({ error: '提案者编号必须是整数' }).positive().max(2_147_483_647).optional(),
    }),
  },
  orderRehandling: {
    label: '责成重新办理', family: 'feedback', from: ['dispatched', 'closed'], to: ['handling'], roles: ['committee', 'office'],
    input: z.strictObject({ reason: reason('重新办理的理由') }),
  },
  // ---------------------------------------------------------------- 公开
  proposePublication: {
    label: '提出公开意见', family: 'publication', from: ['dispatched', 'closed'], to: [], roles: ['liaison'], texts: SUMMARY,
    input: z.strictObject({
      mode: enumOf(PUBLICATION_MODES, '公开方式必须是 full（全文）、summary（摘要）或 none（不公开）'),
      reason: optionalText('理由', 1000),
      summaryHash: textHash.optional(),
    }),
  },
  approvePublication: {
    label: '审定公开方式', family: 'publication', from: ['dispatched', 'closed'], to: [], roles: ['office'],
    input: z.strictObject({
      mode: enumOf(PUBLICATION_MODES, '公开方式必须是 full、summary 或 none').optional(),
      reason: optionalText('理由', 1000),
    }),
  },
  // ---------------------------------------------------------------- 办结与回头看
  close: {
    label: '办结', family: 'closing', from: ['dispatched'], to: ['closed'], roles: ['office'],
    input: z.strictObject({ note: optionalText('办结说明', 1000) }),
  },
  reportFollowUp: {
    label: '报告落实情况（回头看）', family: 'closing', from: ['closed'], to: [], roles: ['liaison'], texts: BODY,
    input: z.strictObject({ bodyHash: textHash }),
  },
} as const satisfies Record<string, ActionRow>;

export type ActionName = keyof typeof ACTION_TABLE;
export const ACTION_NAMES = Object.keys(ACTION_TABLE) as ActionName[];
export type ActionInput<K extends ActionName> = z.infer<(typeof ACTION_TABLE)[K]['input']>;

/** A row with its types widened, for code that asks "may this role, in this stage?". */
export function actionRule(name: ActionName): ActionRow {
  return ACTION_TABLE[name];
}

export function isActionName(value: string): value is ActionName {
  return Object.hasOwn(ACTION_TABLE, value);
}

/**
 * What the workflow does by itself, with the stages each step runs in and may lead to. They
 * are not Updates: timers, child tasks and other workflows set them off.
 */
export const SYSTEM_STEPS = {
  register: { label: '登记', from: [], to: ['received'], by: 'an Update-with-start from the office or committee (see definitions.ts)' },
  dispatch: {
    label: '答复寄发',
    from: ['handling'],
    to: ['handling', 'dispatched'],
    by: 'a unit reply signed off (approved): numbered, letter stored, mailed; the last one moves the proposal on',
  },
  deadlineReminder: { label: '期限提醒', from: ['handling', 'dispatched', 'closed'], to: [], by: 'the clock, before a deadline' },
  deadlineEscalation: { label: '逾期督办', from: ['handling', 'dispatched', 'closed'], to: [], by: 'the clock, after a deadline, one rung of the ladder at a time' },
  deadlinesRecalculated: { label: '期限重算', from: ['handling', 'dispatched', 'closed'], to: [], by: 'a calendar or policy edit (deadlinesChanged signal)' },
  coOpinionReported: { label: '会办意见到达', from: ['handling'], to: [], by: 'the co-unit’s own task workflow (会办任务), by signal' },
  feedbackWindowClosed: { label: '征询期满', from: ['dispatched'], to: [], by: 'the clock, when the feedback window ends without every rating' },
  publish: { label: '公开', from: ['dispatched', 'closed'], to: [], by: 'the office approving how a reply is published: the public version gets its 索引号 and date' },
  followUpRequested: { label: '回头看', from: ['closed'], to: [], by: 'the clock, on the promised date of a B/C reply' },
  reissueLetter: {
    label: '答复函更正重发',
    from: ['dispatched', 'closed'],
    to: [],
    by: 'the office changing a sent reply’s A/B/C class: the letter is issued again (number suffix or correction note, by policy) and mailed; both are kept',
  },
  // Written into a merged proposal's log by the dispatch of the proposal it was merged into; the
  // merged proposal's own workflow has ended and takes no step.
  mergedReply: {
    label: '并案答复',
    from: [],
    to: [],
    by: 'the dispatch of the proposal this one was merged into: a letter of its own to this proposal’s proposers (policy mergedReplies)',
  },
  merged: { label: '并案到达', from: ['received', 'filed', 'handling', 'dispatched'], to: [], by: 'a proposal filed as merged into this one, by signal' },
} as const satisfies Record<string, { label: string; from: readonly Stage[]; to: readonly Stage[]; by: string }>;

export const STAGE_LABELS: Record<Stage, string> = {
  received: '已登记',
  filed: '已立案',
  handling: '办理中',
  dispatched: '已答复',
  closed: '已办结',
  merged: '已并案',
  converted: '转为意见建议',
  not_filed: '不予立案',
  withdrawn: '已撤案',
};

/** The stages no action leaves; `closed` still takes its follow-up report and publication. */
export const FINAL_STAGES: readonly Stage[] = ['merged', 'converted', 'not_filed', 'withdrawn'];
