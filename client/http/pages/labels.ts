import type { ActionName } from '../../../workflows/proposal/machine.js';

// The words a person reads on the pages for the table's fields and values. The table
// (machine.ts) names fields in English for code; these are their Chinese names. An action's
// own label beats the field's general one; a field with no entry shows its code name, which a
// test would notice.

const FIELD: Record<string, string> = {
  reason: '理由',
  unitId: '承办单位',
  decision: '决定',
  answer: '审批意见',
  participants: '参加人员',
  date: '日期',
  summary: '情况摘要',
  body: '正文',
  mode: '方式',
};

const ACTION_FIELD: Partial<Record<ActionName, Record<string, string>>> = {
  file: {
    outcome: '审查结果',
    proposalNo: '提案编号（立案时填写，如 第224号）',
    mergedInto: '并入的提案（并案时填写）',
    reasonCode: '不予立案的理由',
    reasonText: '说明',
  },
  withdraw: { reason: '撤案理由' },
  markKey: { supervisingLeader: '督办领导', supervisingLeaderEmail: '督办领导的邮箱（督办通知和答复将抄送）' },
  assign: { mode: '办理方式', units: '承办单位' },
  requestAdjustment: { reason: '申请调整的理由' },
  decideAdjustment: { unitId: '申请调整的单位', decision: '审批结果', replacementUnitId: '接替的承办单位（同意时选择）', answer: '审批意见' },
  reassign: { removeUnitId: '调出的承办单位', addUnitId: '新的承办单位', reason: '调整理由' },
  recordConsultation: { date: '协商日期', way: '协商方式', participants: '参加人员', summary: '协商情况' },
  recordNoConsultation: { reason: '未能协商的原因' },
  recordOfficeConsultation: { date: '面商日期', participants: '参加人员', summary: '面商情况' },
  submitCoOpinion: { kind: '意见', body: '会办意见正文（提交意见时填写）' },
  waiveCoOpinion: { unitId: '会办单位', reason: '免于等待的理由' },
  saveDraft: {
    body: '答复正文',
    replyClass: '答复分类',
    changeNote: '修改说明',
    promisedActions: '承诺的措施（B、C类答复必填）',
    followUpDate: '落实情况回访日期（B、C类答复必填）',
    commitsFunds: '答复是否承诺资金（承诺资金的须由主要负责人签发）',
  },
  overrideClass: { unitId: '答复单位', replyClass: '调整后的分类', reason: '调整分类的理由' },
  signOff: { decision: '审签意见', reason: '退回理由（退回时必填）' },
  requestExtension: { newDate: '申请延至的日期', reason: '延期理由' },
  decideExtension: { unitId: '申请延期的单位', decision: '审批结果', answer: '审批意见' },
  rate: { attitude: '对办理态度的评价', result: '对办理结果的评价', comment: '意见和建议', proposerId: '代录：提案者编号' },
  orderRehandling: { reason: '重新办理的理由' },
  proposePublication: { mode: '公开方式', reason: '理由（不公开或摘要公开时填写）' },
  approvePublication: { mode: '公开方式（不选则同意承办单位意见）', reason: '理由' },
  close: { note: '办结说明' },
  reportFollowUp: { body: '落实情况报告' },
};

export function fieldLabel(action: string, field: string): string {
  return ACTION_FIELD[action as ActionName]?.[field] ?? FIELD[field] ?? field;
}

const VALUE: Record<string, Record<string, string>> = {
  outcome: { filed: '立案', merged: '并案', converted: '转为意见建议', not_filed: '不予立案' },
  mode: { sole: '单独办理', lead: '主办＋会办', split: '分别办理（分办）', full: '全文公开', summary: '摘要公开', none: '不公开' },
  way: { face_to_face: '当面协商（面商）', phone: '电话', letter: '信函', site_visit: '走访调研', forum: '座谈会' },
  kind: { opinion: '提交会办意见', no_opinion: '无意见' },
  attitude: { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' },
  result: { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' },
  replyClass: { A: 'A类：已解决或采纳', B: 'B类：正在解决或列入计划', C: 'C类：留作参考或暂不具备条件' },
};

const ACTION_VALUE: Partial<Record<ActionName, Record<string, Record<string, string>>>> = {
  signOff: { decision: { approve: '同意签发', return: '退回修改' } },
  saveDraft: { commitsFunds: { yes: '是，承诺资金', no: '否' } },
  decideAdjustment: { decision: { accept: '同意调整', refuse: '不同意调整' } },
  decideExtension: { decision: { approve: '批准延期', refuse: '不批准' } },
};

export function valueLabel(action: string, field: string, value: string): string {
  return ACTION_VALUE[action as ActionName]?.[field]?.[value] ?? VALUE[field]?.[value] ?? value;
}

/** What an event's summary keys mean, for the timeline. */
export const SUMMARY_LABELS: Record<string, string> = {
  outcome: '结果',
  proposalNo: '编号',
  mode: '方式',
  units: '承办单位',
  lead: '主办单位',
  decision: '决定',
  reason: '理由',
  version: '稿次',
  replyClass: '分类',
  changeNote: '修改说明',
  followUpDate: '回访日期',
  way: '方式',
  date: '日期',
  participants: '参加人员',
  docNo: '文号',
  attitude: '办理态度',
  result: '办理结果',
  comment: '意见',
  kind: '类型',
  signedBy: '签发人',
  round: '轮次',
  needsPrincipal: '须主要负责人签发',
  supervisingLeader: '督办领导',
  newDate: '延至',
  answer: '意见',
  receiptNo: '登记号',
  title: '标题',
  by: '经办人',
  replyDue: '答复期限',
  replacement: '接替单位',
  removed: '调出单位',
  added: '调入单位',
  from: '原',
  to: '改为',
  mergedInto: '并入',
  dueDate: '期限',
  rung: '督办对象',
  onBehalf: '代录',
  chairedBy: '主持人',
  noFeedbackFrom: '未反馈的提案者',
};

/** Summary values that are codes: shown in words. */
export function summaryValue(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.map((v) => summaryValue(key, v)).join('、');
  if (typeof value !== 'string' && typeof value !== 'number') return JSON.stringify(value);
  const text = String(value);
  return (
    VALUE[key]?.[text] ??
    VALUE.mode?.[text] ??
    (key === 'decision' ? (({ approve: '同意', return: '退回', accept: '同意', refuse: '不同意' } as Record<string, string>)[text] ?? text) : text)
  );
}

export const HANDLING_MODE_LABELS: Record<string, string> = { sole: '单独办理', lead: '主办＋会办', split: '分办' };
export const UNIT_ROLE_LABELS: Record<string, string> = { sole: '单独办理', lead: '主办', co: '会办', split: '分办' };
export const PROPOSER_KIND_LABELS: Record<string, string> = {
  individual: '个人提案',
  joint: '联名提案',
  party: '党派提案',
  organisation: '人民团体提案',
  sector_group: '界别（小组）提案',
  special_committee: '专委会提案',
};
export const PROPOSER_ENTITY_LABELS: Record<string, string> = {
  member: '委员',
  party: '党派',
  organisation: '人民团体',
  sector_group: '界别（小组）',
  special_committee: '专委会',
};
export const TASK_STATUS_LABELS: Record<string, string> = {
  drafting: '起草答复',
  signoff: '待审签',
  approved: '已签发',
  dispatched: '已答复',
  due: '待提交会办意见',
  submitted: '已提交会办意见',
  no_opinion: '无意见',
  waived: '免于等待',
  adjustment_requested: '已申请调整',
  removed: '已调出',
  cancelled: '已撤销',
};
