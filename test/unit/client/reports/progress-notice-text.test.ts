import { describe, expect, it } from 'vitest';
import type { FigureRow } from '../../../../client/read/statistics/index.js';
import { emptyFigures } from '../../../../client/read/statistics/figures.js';
import type { WorklistItem } from '../../../../client/read/worklists.js';
import { progressNotice } from '../../../../client/reports/progress-notice-text.js';
import type { StatisticsBundle } from '../../../../client/reports/statistics-data.js';

function row(unitId: string | null, replied: [number, number], onTime: [number, number]): FigureRow {
  const figures = emptyFigures();
  figures.replied = { num: replied[0], den: replied[1], rate: null };
  figures.onTime = { num: onTime[0], den: onTime[1], rate: null };
  return { sessionCode: 'S', unitId, figures };
}

const NAMES: Record<string, string> = { u1: '省发展改革委', u2: '省科技厅' };

function bundle(rows: FigureRow[]): StatisticsBundle {
  return {
    scope: { sessionCode: 'S', asOf: new Date('2026-12-02T00:00:00Z') },
    unitRows: rows.filter((r) => r.unitId !== null),
    total: rows.find((r) => r.unitId === null) ?? null,
    report: { asOf: '2026-12-02T00:00:00.000Z', unsatisfiedAB: [], overdueFollowUps: [], paperSatisfaction: [] },
    keyProposals: [],
    unitName: (id) => (id === null ? '合计' : (NAMES[id] ?? id)),
    sessionName: '十三届二次会议',
    sessionYear: 2026,
  };
}

const late = (unitId: string, title: string, daysLate: number, keyProposal = false): WorklistItem => ({
  workflowId: `w-${title}`,
  unitId,
  role: 'lead',
  status: 'drafting',
  sessionCode: 'S',
  proposalNo: '第1号',
  title,
  keyProposal,
  dueAt: '2026-11-20T15:59:59.999Z',
  dueDate: '2026-11-20',
  dueExplanation: null,
  calendarConfirmed: true,
  extensionCount: 0,
  extended: false,
  daysLate,
  daysLeft: 0,
});

describe('the progress notice (通报)', () => {
  it('states the progress from the figures, names each late unit with its proposals, and the units that are done', () => {
    const b = bundle([row(null, [3, 5], [2, 4]), row('u1', [1, 3], [1, 3]), row('u2', [2, 2], [1, 1])]);
    const notice = progressNotice(b, [late('u1', '关于A的建议', 4, true), late('u1', '关于B的建议', 1)], '2026-12-02');
    expect(notice.title).toBe('关于十三届二次会议提案办理进展情况的通报');
    const text = notice.sections.flatMap((s) => [s.heading, ...s.paragraphs]).join('\n');
    expect(text).toContain('已办复3件，未办复2件；已到期或已答复的4件中按期办复2件');
    expect(text).toContain('目前逾期未办复的提案2件次，涉及1家承办单位');
    expect(text).toContain('1. 省发展改革委2件：《关于A的建议》（第1号）逾期4个工作日（重点提案）；《关于B的建议》（第1号）逾期1个工作日。');
    expect(text).toContain('三、已全部办复的单位\n省科技厅。');
    expect(notice.table).toEqual([]);
    // Past its due time the same working day: late, but not yet by a whole working day.
    const sameDay = progressNotice(b, [late('u1', '关于C的建议', 0)], '2026-12-02');
    expect(sameDay.sections.flatMap((s) => s.paragraphs).join('\n')).toContain('《关于C的建议》（第1号）已过期限（不足1个工作日）');
  });

  it('says so when nothing is late and nothing was assigned', () => {
    const text = progressNotice(bundle([]), [], '2026-12-02')
      .sections.flatMap((s) => s.paragraphs)
      .join('\n');
    expect(text).toContain('尚无已立案交办的提案');
    expect(text).toContain('目前没有逾期未办复的提案');
    expect(text).toContain('尚无全部办复的承办单位');
  });
});
