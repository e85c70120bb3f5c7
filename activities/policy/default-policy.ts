import type { DurationRule, PolicyBody } from '../../workflows/shared/types.js';

/** The office answers an adjustment or extension request within about 7 days (DOMAIN.md, 申请调整). */
export const OFFICE_DECISION_RULE: DurationRule = { key: 'officeDecision', label: '交办单位审批期限', amount: 7, unit: 'calendar_days' };

/** Co-signers of a joint proposal (联名) answer the invitation within this window. */
export const JOINT_CONSENT_RULE: DurationRule = { key: 'jointConsent', label: '联名确认期限', amount: 5, unit: 'working_days' };

/** A policy's rule for `key`; policies stored before a rule existed get its default. */
export function durationOf(durations: PolicyBody['durations'], key: keyof PolicyBody['durations']): DurationRule {
  return durations[key] ?? (key === 'jointConsent' ? JOINT_CONSENT_RULE : OFFICE_DECISION_RULE);
}

/** The defaults of DOMAIN.md as a deployment policy; every number here is editable as data. */
export const DEFAULT_POLICY: PolicyBody = {
  name: '默认办理规则（省级）',
  proposalNumberFormat: '第{n}号',
  replyClasses: ['A', 'B', 'C'],
  classesNeedingFollowUp: ['B', 'C'],
  ratingBy: 'all_proposers',
  noFeedbackCountsAs: 'excluded',
  principalSignOffForKey: true,
  durations: {
    adjustmentWindow: { key: 'adjustmentWindow', label: '申请调整期限', amount: 5, unit: 'working_days' },
    coOpinion: { key: 'coOpinion', label: '会办意见期限', amount: 1, unit: 'calendar_months' },
    reply: { key: 'reply', label: '答复期限', amount: 3, unit: 'calendar_months' },
    extensionCeiling: { key: 'extensionCeiling', label: '延期上限', amount: 6, unit: 'calendar_months' },
    feedbackWindow: { key: 'feedbackWindow', label: '征询意见期限', amount: 15, unit: 'working_days' },
    publication: { key: 'publication', label: '公开期限', amount: 20, unit: 'working_days' },
    rehandling: { key: 'rehandling', label: '重新办理期限', amount: 3, unit: 'calendar_months' },
    officeDecision: OFFICE_DECISION_RULE,
    jointConsent: JOINT_CONSENT_RULE,
  },
  clock: {
    // Two reminders before a deadline, then the ladder: liaison at once, the unit leader after
    // 5 days, the office and committee after 10; key proposals climb twice as fast.
    reminderOffsets: [
      { amount: 7, unit: 'calendar_days' },
      { amount: 1, unit: 'calendar_days' },
    ],
    escalation: [
      { after: { amount: 0, unit: 'calendar_days' }, notify: 'liaison' },
      { after: { amount: 5, unit: 'calendar_days' }, notify: 'leader' },
      { after: { amount: 10, unit: 'calendar_days' }, notify: 'office_committee' },
    ],
    keyEscalation: [
      { after: { amount: 0, unit: 'calendar_days' }, notify: 'leader' },
      { after: { amount: 2, unit: 'calendar_days' }, notify: 'principal' },
      { after: { amount: 5, unit: 'calendar_days' }, notify: 'office_committee' },
    ],
  },
  notFiledReasons: [
    { code: 'state_secret', label: '涉及国家秘密' },
    { code: 'litigation', label: '涉及正在审理的诉讼案件' },
    { code: 'personal', label: '属于个人事务' },
    { code: 'promotion', label: '推介宣传产品' },
    { code: 'vague', label: '内容空泛，没有具体建议' },
    { code: 'outside_remit', label: '不属于政府职责范围' },
    { code: 'not_one_matter', label: '一案多事' },
  ],
};
