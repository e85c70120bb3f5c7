import { FIGURES, formatFigure, type FigureKey, type FigureRow } from '../read/statistics/index.js';
import type { StatisticsBundle } from './statistics-data.js';

// 办理情况报告: the words of the annual handling report, built from the same figures as the
// dashboard (pure: the .docx renderer only lays them out). Every number in it is a figure of the
// statistics module with its numerator and denominator, so the report can be checked against
// the dashboard line by line. Nothing is said that the record does not hold.

export interface ReportSection {
  heading: string;
  paragraphs: string[];
}

export interface AnnualReport {
  title: string;
  sections: ReportSection[];
  /** 各承办单位办理情况: a header row, then one row per unit. */
  table: string[][];
  signature: string;
  date: string;
}

const CN_DIGITS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 2026年12月2日 from YYYY-MM-DD. */
export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

function figure(row: FigureRow, key: FigureKey): string {
  const v = row.figures[key];
  return formatFigure(FIGURES[key].kind, v.num, v.den);
}

export const TABLE_KEYS: FigureKey[] = ['replied', 'onTime', 'faceToFace', 'attitudeSatisfied', 'resultSatisfied', 'rehandled'];

export function annualReport(b: StatisticsBundle, today: string, noFeedbackCountsAs: 'satisfied' | 'excluded'): AnnualReport {
  const session = b.sessionName ?? '各届次';
  const t = b.total;
  const sections: ReportSection[] = [];
  if (!t) {
    sections.push({ heading: '总体情况', paragraphs: [`截至${chineseDate(today)}，${session}尚无已立案交办的提案。`] });
  } else {
    const f = t.figures;
    sections.push({
      heading: '总体情况',
      paragraphs: [
        `${session}共有立案并交办的提案${f.replied.den}件${f.merged.num > 0 ? `（另有${f.merged.num}件并案办理，不单独统计）` : ''}，由${b.unitRows.length}家承办单位办理。` +
          `截至${chineseDate(today)}，已办复${f.replied.num}件，办复率${figure(t, 'replied')}；按期办复${f.onTime.num}件（应按期办复${f.onTime.den}件），按期办复率${figure(t, 'onTime')}。`,
      ],
    });
    sections.push({
      heading: '办理质量',
      paragraphs: [
        `坚持先协商后答复。已答复的${f.faceToFace.den}件中，承办单位与提案者当面沟通（面商、走访或座谈）的${f.faceToFace.num}件，见面率${figure(t, 'faceToFace')}。`,
        `答复分类：A类（已解决或采纳）${f.classA.num}件，占${figure(t, 'classA')}；B类（正在解决或列入计划）${f.classB.num}件，占${figure(t, 'classB')}；C类（留作参考）${f.classC.num}件，占${figure(t, 'classC')}。`,
        `征询意见：按每件提案最近一轮的征询意见表统计，对办理态度满意和基本满意的${f.attitudeSatisfied.num}份，满意率${figure(t, 'attitudeSatisfied')}；` +
          `对办理结果满意和基本满意的${f.resultSatisfied.num}份，满意率${figure(t, 'resultSatisfied')}。征询期满无反馈的${f.noFeedback.num}份，` +
          (noFeedbackCountsAs === 'satisfied' ? '按规定视为满意。' : '按规定不计入满意率。') +
          `其中由办公室代录纸质征询意见表的${f.paperRatings.num}份。`,
        `因提案者不满意或委员会要求重新办理的提案${f.rehandled.num}件。`,
      ],
    });
    sections.push({
      heading: '答复公开',
      paragraphs: [
        f.publishedInWindow.den > 0
          ? `已到公开期限或已公开的答复${f.publishedInWindow.den}件，在公开期限内公开${f.publishedInWindow.num}件，按期公开率${figure(t, 'publishedInWindow')}。`
          : '尚无到期应公开的答复。',
      ],
    });
  }
  const keys = b.keyProposals;
  sections.push({
    heading: '重点提案督办',
    paragraphs:
      keys.length === 0
        ? ['本届次未确定重点提案。']
        : [
            `确定重点提案${keys.length}件，均明确督办领导。`,
            ...keys.map(
              (k, i) =>
                `${i + 1}.《${k.title}》${k.proposalNo ? `（${k.proposalNo}）` : ''}，督办领导${k.supervisingLeader ?? '未明确'}，` +
                `${k.unitIds.map((u) => b.unitName(u)).join('、') || '尚未交办'}办理；${k.overdue ? '已逾期，' : ''}${k.escalations > 0 ? `已发督办通知${k.escalations}次。` : '未发督办通知。'}`,
            ),
          ],
  });
  const r = b.report;
  sections.push({
    heading: '需要关注的问题',
    paragraphs: [
      `答复为A类或B类、提案者却对办理结果不满意的${r.unsatisfiedAB.length}件次；B类、C类答复承诺事项到回访日期仍未报告落实情况的${r.overdueFollowUps.length}件；` +
        `满意评价主要来自办公室代录纸质征询意见表的承办单位${r.paperSatisfaction.length}家${r.paperSatisfaction.length ? `（${r.paperSatisfaction.map((p) => b.unitName(p.unitId)).join('、')}）` : ''}。以上情况请有关承办单位核实说明。`,
    ],
  });
  const table = [
    ['承办单位', ...TABLE_KEYS.map((k) => FIGURES[k].label)],
    ...b.unitRows.map((row) => [b.unitName(row.unitId), ...TABLE_KEYS.map((k) => `${figure(row, k)}（${row.figures[k].num}/${row.figures[k].den}）`)]),
  ];
  sections.push({ heading: '各承办单位办理情况', paragraphs: [b.unitRows.length ? '各承办单位主要指标见下表（括号内为分子/分母）。' : '尚无承办单位的统计。'] });
  return {
    title: `关于${session}提案办理情况的报告`,
    sections: sections.map((s, i) => ({ heading: `${CN_DIGITS[i] ?? String(i + 1)}、${s.heading}`, paragraphs: s.paragraphs })),
    table,
    signature: '政协提案委员会办公室',
    date: chineseDate(today),
  };
}
