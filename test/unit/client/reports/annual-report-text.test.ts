import { describe, expect, it } from 'vitest';
import { annualReport, chineseDate } from '../../../../client/reports/annual-report-text.js';
import { emptyFigures, type FigureRow } from '../../../../client/read/statistics/figures.js';
import { FIGURE_KEYS, type FigureKey } from '../../../../client/read/statistics/definitions.js';
import type { StatisticsBundle } from '../../../../client/reports/statistics-data.js';

function row(unitId: string | null, counts: Partial<Record<FigureKey, [number, number]>>): FigureRow {
  const figures = emptyFigures();
  for (const key of FIGURE_KEYS) {
    const [num, den] = counts[key] ?? [0, 0];
    figures[key] = { num, den, rate: den ? Math.round((num / den) * 1000) / 10 : null };
  }
  return { sessionCode: '十四届三次会议', unitId, figures };
}

function bundle(total: FigureRow | null, units: FigureRow[]): StatisticsBundle {
  return {
    scope: { sessionCode: '十四届三次会议', asOf: new Date('2026-12-02T00:00:00Z') },
    unitRows: units,
    total,
    report: { asOf: '', unsatisfiedAB: [], overdueFollowUps: [], paperSatisfaction: [] },
    keyProposals: [],
    unitName: (id) => (id === null ? '合计' : id === 'fgw' ? '省发展改革委' : id),
    sessionName: '十四届三次会议',
    sessionYear: 2026,
  };
}

describe('the annual handling report (办理情况报告) in words', () => {
  it('says each figure with its count and rate, and how no feedback was counted under the policy', () => {
    const total = row(null, { replied: [5, 6], onTime: [4, 6], merged: [1, 1], noFeedback: [1, 5], attitudeSatisfied: [4, 4], resultSatisfied: [3, 4] });
    const r = annualReport(bundle(total, [row('fgw', { replied: [2, 3] })]), '2026-12-02', 'excluded');
    expect(r.title).toBe('关于十四届三次会议提案办理情况的报告');
    const text = r.sections.flatMap((s) => s.paragraphs).join('\n');
    expect(text).toContain('共有立案并交办的提案6件（另有1件并案办理，不单独统计），由1家承办单位办理');
    expect(text).toContain('截至2026年12月2日，已办复5件，办复率83.3%；按期办复4件（应按期办复6件），按期办复率66.7%');
    expect(text).toContain('对办理结果满意和基本满意的3份，满意率75.0%');
    expect(text).toContain('征询期满无反馈的1份，按规定不计入满意率');
    expect(annualReport(bundle(total, []), '2026-12-02', 'satisfied').sections[1]!.paragraphs.join('')).toContain('按规定视为满意');
    expect(r.sections.map((s) => s.heading)).toEqual([
      '一、总体情况',
      '二、办理质量',
      '三、答复公开',
      '四、重点提案督办',
      '五、需要关注的问题',
      '六、各承办单位办理情况',
    ]);
    expect(r.table[1]).toEqual(['省发展改革委', '66.7%（2/3）', '—（0/0）', '—（0/0）', '—（0/0）', '—（0/0）', '0（0/0）']);
  });

  it('a session with nothing assigned yet says so instead of printing empty rates', () => {
    const r = annualReport(bundle(null, []), '2026-03-01', 'excluded');
    expect(r.sections[0]!.paragraphs).toEqual(['截至2026年3月1日，十四届三次会议尚无已立案交办的提案。']);
    expect(r.table).toHaveLength(1);
  });

  it('dates are written the Chinese way without leading zeros', () => {
    expect(chineseDate('2026-01-05')).toBe('2026年1月5日');
  });
});
