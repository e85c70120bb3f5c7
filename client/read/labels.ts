// The words people read for the codes in views and rows (handling modes, unit roles, task
// statuses …), for every surface that shows them: the .xlsx exports now, the pages too (their
// client/http/pages/labels.ts carries the same maps, to be folded into this one).

export const FILING_OUTCOME_LABELS: Record<string, string> = { filed: '立案', merged: '并案', converted: '转为意见建议', not_filed: '不予立案' };
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
