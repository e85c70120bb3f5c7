import { FIGURE_KEYS, FIGURES, formatFigure } from '../read/statistics/index.js';
import type { FigureRow } from '../read/statistics/index.js';
import type { OverdueFollowUp, PaperSatisfaction, UnsatisfiedAB } from '../read/statistics/index.js';
import { prepareSheet, workbookBytes, type SheetColumn } from '../io/xlsx-write.js';
import type { StatisticsBundle } from './statistics-data.js';

// 办理统计与差异报告 as one .xlsx: the figures per unit and the total (numerator, denominator and
// rate in columns of their own, so the office can recount), the definitions, and one sheet per
// kind of discrepancy. The columns follow the exports' habits (client/io/xlsx-write.ts).

type Col<T> = SheetColumn<T>;

function figureColumns(): Col<FigureRow>[] {
  return FIGURE_KEYS.flatMap((key): Col<FigureRow>[] => {
    const def = FIGURES[key];
    const cols: Col<FigureRow>[] = [
      { header: `${def.label}·分子`, width: 10, kind: 'number', value: (r) => r.figures[key].num },
      { header: `${def.label}·分母`, width: 10, kind: 'number', value: (r) => r.figures[key].den },
    ];
    if (def.kind === 'rate') cols.push({ header: def.label, width: 12, kind: 'text', value: (r) => formatFigure('rate', r.figures[key].num, r.figures[key].den) });
    return cols;
  });
}

export async function statisticsWorkbook(b: StatisticsBundle, creator: string): Promise<Buffer> {
  const rows = b.total ? [...b.unitRows, b.total] : b.unitRows;
  const definitions = FIGURE_KEYS.map((k) => FIGURES[k]);
  return workbookBytes(
    [
      prepareSheet<FigureRow>({
        name: '办理统计',
        rows,
        columns: [
          { header: '届次', width: 18, kind: 'text', value: (r) => r.sessionCode },
          { header: '承办单位', width: 28, kind: 'text', value: (r) => b.unitName(r.unitId) },
          ...figureColumns(),
        ],
      }),
      prepareSheet({
        name: '指标口径',
        rows: definitions,
        columns: [
          { header: '指标', width: 18, kind: 'text', value: (d) => d.label },
          { header: '分子', width: 60, kind: 'longText', value: (d) => d.numerator },
          { header: '分母', width: 60, kind: 'longText', value: (d) => d.denominator },
        ],
      }),
      prepareSheet<UnsatisfiedAB>({
        name: 'AB类不满意',
        rows: b.report.unsatisfiedAB,
        columns: [
          { header: '届次', width: 18, kind: 'text', value: (r) => r.sessionCode },
          { header: '提案编号', width: 12, kind: 'text', value: (r) => r.proposalNo },
          { header: '标题', width: 44, kind: 'longText', value: (r) => r.title },
          { header: '承办单位', width: 28, kind: 'text', value: (r) => b.unitName(r.unitId) },
          { header: '轮次', width: 6, kind: 'number', value: (r) => r.round + 1 },
          { header: '答复分类', width: 8, kind: 'text', value: (r) => r.replyClass },
          { header: '答复文号', width: 24, kind: 'text', value: (r) => r.docNo },
          { header: '纸质代录', width: 8, kind: 'text', value: (r) => (r.onBehalf ? '是' : '否') },
          { header: '流程编号', width: 36, kind: 'text', value: (r) => r.workflowId },
        ],
      }),
      prepareSheet<OverdueFollowUp>({
        name: '回头看逾期',
        rows: b.report.overdueFollowUps,
        columns: [
          { header: '届次', width: 18, kind: 'text', value: (r) => r.sessionCode },
          { header: '提案编号', width: 12, kind: 'text', value: (r) => r.proposalNo },
          { header: '标题', width: 44, kind: 'longText', value: (r) => r.title },
          { header: '承办单位', width: 36, kind: 'text', value: (r) => r.unitIds.map(b.unitName).join('、') },
          { header: '答复分类', width: 8, kind: 'text', value: (r) => r.replyClass },
          { header: '回访日期', width: 12, kind: 'date', value: (r) => r.followUpDate },
          { header: '已发出回头看通知', width: 10, kind: 'text', value: (r) => (r.requested ? '是' : '否') },
          { header: '流程编号', width: 36, kind: 'text', value: (r) => r.workflowId },
        ],
      }),
      prepareSheet<PaperSatisfaction>({
        name: '纸质代录为主',
        rows: b.report.paperSatisfaction,
        columns: [
          { header: '届次', width: 18, kind: 'text', value: (r) => r.sessionCode },
          { header: '承办单位', width: 28, kind: 'text', value: (r) => b.unitName(r.unitId) },
          { header: '结果满意（含基本满意）份数', width: 14, kind: 'number', value: (r) => r.satisfied },
          { header: '其中纸质代录', width: 12, kind: 'number', value: (r) => r.onPaper },
          { header: '纸质代录占比（%）', width: 12, kind: 'number', value: (r) => r.share },
        ],
      }),
    ],
    { title: `办理统计与差异报告${b.sessionName ? `（${b.sessionName}）` : ''}`, creator },
  );
}
