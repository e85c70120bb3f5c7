import { describe, expect, it } from 'vitest';
import { EXCEL_CELL_MAX } from '../../../../client/io/xlsx-cells.js';
import { prepareSheet, workbookBytes, type SheetSpec } from '../../../../client/io/xlsx-write.js';
import { readBack } from '../../../support/xlsx.js';

// What an exported workbook looks like when opened: Chinese headers on a frozen, filtered
// first row, widths as declared, dates and times as real Excel dates in Beijing time.

interface Line {
  title: string;
  day: string | null;
  at: string | null;
  n: number;
  long: string;
}

const spec = (rows: Line[]): SheetSpec<Line> => ({
  name: '提案',
  rows,
  columns: [
    { header: '标题', width: 40, kind: 'text', value: (r) => r.title },
    { header: '收到日期', width: 12, kind: 'date', value: (r) => r.day },
    { header: '答复时间', width: 17, kind: 'datetime', value: (r) => r.at },
    { header: '轮次', width: 6, kind: 'number', value: (r) => r.n },
    { header: '答复正文', width: 80, kind: 'longText', value: (r) => r.long },
  ],
});

describe('exported workbooks', () => {
  it('writes headers, widths, a frozen filtered header row and dates as dates', async () => {
    const bytes = await workbookBytes(
      [
        prepareSheet(
          spec([
            { title: '关于数字经济的建议', day: '2026-01-20', at: '2026-03-01T16:30:00.000Z', n: 1, long: '一、已开展工作\n二、下一步' },
            { title: '第二件', day: null, at: null, n: 2, long: '长'.repeat(EXCEL_CELL_MAX + 10) },
          ]),
        ),
      ],
      { title: '提案 十四届三次会议', creator: '办公室' },
    );
    const { sheet, headers, rows, workbook } = await readBack(bytes);
    expect(sheet.name).toBe('提案');
    expect(workbook.creator).toBe('办公室');
    expect(headers).toEqual(['标题', '收到日期', '答复时间', '轮次', '答复正文']);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    expect([1, 2, 3, 4, 5].map((i) => sheet.getColumn(i).width)).toEqual([40, 12, 17, 6, 80]);

    expect(rows[0]!['收到日期']).toEqual(new Date(Date.UTC(2026, 0, 20)));
    expect(sheet.getCell('B2').numFmt).toBe('yyyy-mm-dd');
    // 16:30 UTC is 00:30 the next day in Beijing: Excel shows the Beijing wall-clock time.
    expect(rows[0]!['答复时间']).toEqual(new Date(Date.UTC(2026, 2, 2, 0, 30)));
    expect(sheet.getCell('C2').numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(rows[0]!['轮次']).toBe(1);
    expect(sheet.getCell('E2').alignment?.wrapText).toBe(true);

    expect(rows[1]!['收到日期']).toBeNull();
    const long = rows[1]!['答复正文'] as string;
    expect(long.length).toBeLessThanOrEqual(EXCEL_CELL_MAX);
    expect(long.endsWith('已截断；全文见系统）')).toBe(true);
  });
});
