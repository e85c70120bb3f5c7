// What the committee watches (DOMAIN.md), defined once: every figure's name, what it counts and
// how its numerator and denominator are chosen. The SQL in facts.ts implements exactly these
// sentences; the README section "Statistics" repeats them for people.

export const FIGURE_KEYS = [
  'replied',
  'onTime',
  'attitudeSatisfied',
  'resultSatisfied',
  'noFeedback',
  'faceToFace',
  'classA',
  'classB',
  'classC',
  'rehandled',
  'publishedInWindow',
  'paperRatings',
  'merged',
] as const;

export type FigureKey = (typeof FIGURE_KEYS)[number];

export interface FigureDefinition {
  key: FigureKey;
  /** The Chinese name used on the dashboard, the exports and the report. */
  label: string;
  /** A rate shows num/den as a percentage; a count shows num (den is its context). */
  kind: 'rate' | 'count';
  numerator: string;
  denominator: string;
}

export const REPLY_CLASSES = ['A', 'B', 'C'] as const;

/** 面商, 走访 and 座谈 all meet the proposer in person; phone calls and letters do not. */
export const FACE_TO_FACE_WAYS = ['face_to_face', 'site_visit', 'forum'] as const;

/** 满意 and 基本满意 both count as satisfied (DOMAIN.md: 满意 + 基本满意). */
export const SATISFIED_VALUES = ['satisfied', 'basically_satisfied'] as const;

const ANSWERING = '承办任务（单独办理、主办或分办单位在首轮办理中的任务，不含被调整掉或撤案的）';

export const FIGURES: Record<FigureKey, FigureDefinition> = {
  replied: {
    key: 'replied',
    label: '办复率',
    kind: 'rate',
    numerator: '首轮答复已寄发的承办任务',
    denominator: `${ANSWERING}；全届合计按提案计，一件提案的所有承办任务都已答复才算办复`,
  },
  onTime: {
    key: 'onTime',
    label: '按期办复率',
    kind: 'rate',
    numerator: '在截止时间（读模型所存的截止时间，批准延期后即为延期后的日期）当日结束前寄发答复的承办任务',
    denominator: '已答复的承办任务，加上已过截止时间仍未答复的承办任务',
  },
  attitudeSatisfied: {
    key: 'attitudeSatisfied',
    label: '办理态度满意率',
    kind: 'rate',
    numerator: '办理态度评为满意或基本满意的征询意见表；无反馈按规则 noFeedbackCountsAs=satisfied 时计为满意',
    denominator: '每件提案最近一轮已有结果的征询意见表（已评价的，加上征询期满无反馈且规则计为满意的）',
  },
  resultSatisfied: {
    key: 'resultSatisfied',
    label: '办理结果满意率',
    kind: 'rate',
    numerator: '办理结果评为满意或基本满意的征询意见表；无反馈按规则计为满意时计入',
    denominator: '同办理态度满意率',
  },
  noFeedback: {
    key: 'noFeedback',
    label: '无反馈',
    kind: 'count',
    numerator: '最近一轮征询期满仍未评价的提案者（征询期满事件所记）',
    denominator: '最近一轮应评价的全部提案者',
  },
  faceToFace: {
    key: 'faceToFace',
    label: '见面率',
    kind: 'rate',
    numerator: '首轮办理中本单位记录过面商、走访或座谈（当面沟通）的已答复承办任务',
    denominator: '首轮已答复的承办任务',
  },
  classA: { key: 'classA', label: 'A类占比', kind: 'rate', numerator: '首轮答复寄发时为A类（已解决或采纳）的', denominator: '首轮已答复的承办任务' },
  classB: { key: 'classB', label: 'B类占比', kind: 'rate', numerator: '首轮答复寄发时为B类（正在解决或列入计划）的', denominator: '首轮已答复的承办任务' },
  classC: { key: 'classC', label: 'C类占比', kind: 'rate', numerator: '首轮答复寄发时为C类（留作参考）的', denominator: '首轮已答复的承办任务' },
  rehandled: {
    key: 'rehandled',
    label: '重新办理',
    kind: 'count',
    numerator: '进入过重新办理（因不满意或委员会要求）的提案，每件计一次，轮次见清单',
    denominator: '首轮已答复的提案',
  },
  publishedInWindow: {
    key: 'publishedInWindow',
    label: '按期公开率',
    kind: 'rate',
    numerator: '在公开期限最后一天（含）之前公开的答复',
    denominator: '已批准公开（全文或摘要）且已公开或公开期限已过的答复；不公开的不计',
  },
  paperRatings: {
    key: 'paperRatings',
    label: '纸质代录评价占比',
    kind: 'rate',
    numerator: '由办公室代录纸质征询意见表的评价',
    denominator: '最近一轮已评价的征询意见表',
  },
  merged: { key: 'merged', label: '并案', kind: 'count', numerator: '并入其他提案办理的提案（不单独计入办复等指标）', denominator: '—' },
};

/** A rate as a percentage with one decimal; null when nothing is counted (shown as —). */
export function percent(num: number, den: number): number | null {
  if (den <= 0) return null;
  return Math.round((num / den) * 1000) / 10;
}

export function formatFigure(kind: FigureDefinition['kind'], num: number, den: number): string {
  if (kind === 'count') return String(num);
  const p = percent(num, den);
  return p === null ? '—' : `${p.toFixed(1)}%`;
}

export function isFigureKey(value: string): value is FigureKey {
  return (FIGURE_KEYS as readonly string[]).includes(value);
}
