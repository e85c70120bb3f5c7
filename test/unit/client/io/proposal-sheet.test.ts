import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readProposalSheet } from '../../../../client/io/proposal-sheet.js';
import { archiveProblem, cellDay, cellText } from '../../../../client/io/xlsx-cells.js';
import { SheetError } from '../../../../client/io/xlsx-read.js';
import { workbookOf } from '../../../support/xlsx.js';

// The 登记表 layout read back into registration bodies: Chinese headers in any order, the
// cell shapes Excel and WPS produce, and every bad row named by Excel row and column.

const SESSION = '十四届三次会议';
const BODY = '一、基本情况：……\n二、存在问题：……\n三、具体建议：加大研发投入。';

const good = {
  登记号: 'R0001',
  标题: '关于加快推进数字经济高质量发展的建议',
  正文: BODY,
  提案类型: '个人',
  提案者: '张永庆',
  界别: '经济界',
  邮箱: { text: 'zhang@members.test', hyperlink: 'mailto:zhang@members.test' },
  收到日期: new Date(Date.UTC(2026, 0, 20)),
  类别: '经济',
};

describe('reading a session’s proposals from .xlsx', () => {
  it('reads good rows into the registration body, whatever the column order and cell shapes', async () => {
    const headers = ['类别', '收到日期', '提案者', '提案类型', '邮箱', '界别', '正文', '标题', '登记号', '备注'];
    const bytes = await workbookOf(
      [
        good,
        {
          登记号: 'R0002',
          标题: { richText: [{ text: '关于完善' }, { text: '科技人才评价机制的建议', font: { bold: true } }] },
          正文: BODY,
          提案类型: '联名',
          提案者: '李明、王芳，赵六',
          界别: '科技界',
          邮箱: 'li@members.test、、zhao@members.test',
          收到日期: '2026年1月5日',
          备注: '会上提交',
        },
        {},
        { 登记号: 3, 标题: '关于发挥民主党派作用的建议', 正文: BODY, 提案类型: 'party', 提案者: '民革浙江省委会', 收到日期: 46040 },
        {
          登记号: 'R0004',
          标题: '关于职业教育产教融合的建议',
          正文: BODY,
          提案类型: '界别',
          提案者: '教育界',
          收到日期: '2026/3/8',
          类别: { formula: '"教育"', result: '教育' },
        },
      ],
      { headers },
    );
    const sheet = await readProposalSheet(bytes, SESSION);
    expect(sheet.errors).toEqual([]);
    expect(sheet.total).toBe(4);
    expect(sheet.ignoredColumns).toEqual(['备注']);
    expect(sheet.rows.map((r) => r.row)).toEqual([2, 3, 5, 6]);
    const [zhang, joint, party, sector] = sheet.rows.map((r) => r.value);
    expect(zhang).toEqual({
      sessionCode: SESSION,
      receiptNo: 'R0001',
      title: good.标题,
      body: BODY,
      topic: '经济',
      proposerKind: 'individual',
      proposers: [{ kind: 'member', name: '张永庆', email: 'zhang@members.test', sector: '经济界' }],
      receivedDate: '2026-01-20',
    });
    expect(joint!.title).toBe('关于完善科技人才评价机制的建议');
    expect(joint!.proposerKind).toBe('joint');
    expect(joint!.receivedDate).toBe('2026-01-05');
    expect(joint!.proposers).toEqual([
      { kind: 'member', name: '李明', email: 'li@members.test', sector: '科技界' },
      { kind: 'member', name: '王芳', sector: '科技界' },
      { kind: 'member', name: '赵六', email: 'zhao@members.test', sector: '科技界' },
    ]);
    expect(party).toMatchObject({
      receiptNo: '3',
      proposerKind: 'party',
      proposers: [{ kind: 'party', name: '民革浙江省委会' }],
      receivedDate: '2026-01-18',
      topic: null,
    });
    expect(sector).toMatchObject({ proposerKind: 'sector_group', proposers: [{ kind: 'sector_group', name: '教育界' }], receivedDate: '2026-03-08', topic: '教育' });
  });

  it('names every bad row by Excel row, Chinese column and field, with the schema’s own words', async () => {
    const bytes = await workbookOf([
      { ...good, 登记号: 'R1', 标题: '' },
      { ...good, 登记号: 'R2', 提案类型: '联名', 提案者: '李明、王芳', 邮箱: 'li@members.test、not-an-email' },
      { ...good, 登记号: 'R3', 提案类型: '随便' },
      { ...good, 登记号: 'R4', 提案者: '李明、王芳' },
      { ...good, 登记号: 'R5', 收到日期: '2026-02-30' },
      { ...good, 登记号: 'R1' },
      { ...good, 登记号: 'R7', 提案类型: '联名', 提案者: '李明、王芳、赵六', 邮箱: 'a@x.test、b@x.test' },
      { ...good, 登记号: 'R 8' },
      good,
    ]);
    const sheet = await readProposalSheet(bytes, SESSION);
    expect(sheet.rows.map((r) => r.value.receiptNo)).toEqual(['R0001']);
    const by = (row: number) => sheet.errors.filter((e) => e.row === row);
    expect(by(2)).toEqual([{ row: 2, column: '标题', field: 'title', message: '提案标题太短' }]);
    expect(by(3)).toEqual([{ row: 3, column: '邮箱', field: 'proposers[1].email', message: '第2位提案者：邮箱格式不正确' }]);
    expect(by(4)[0]).toMatchObject({ column: '提案类型', field: 'proposerKind' });
    expect(by(5)).toEqual([{ row: 5, column: '提案者', field: 'proposers', message: '个人提案只能有一名提案者；联名提案请选择“联名”' }]);
    expect(by(6)[0]).toMatchObject({ column: '收到日期', field: 'receivedDate' });
    expect(by(6)[0]!.message).toContain('YYYY-MM-DD');
    // R1 again: a repeat even though row 2 is bad, so that fixing row 2 reveals nothing new.
    expect(by(7)).toEqual([{ row: 7, column: '登记号', field: 'receiptNo', message: '登记号 R1 与第2行重复' }]);
    expect(by(8)).toEqual([{ row: 8, column: '邮箱', field: 'proposers', message: expect.stringContaining('邮箱有2个，提案者有3位') }]);
    expect(by(9)[0]).toMatchObject({ column: '登记号', field: 'receiptNo' });
    expect(sheet.total).toBe(9);
  });

  it('refuses a receipt number used twice in the file, at the later row', async () => {
    const sheet = await readProposalSheet(await workbookOf([good, { ...good, 标题: '关于另一件事情的建议' }]), SESSION);
    expect(sheet.rows).toHaveLength(1);
    expect(sheet.errors).toEqual([{ row: 3, column: '登记号', field: 'receiptNo', message: '登记号 R0001 与第2行重复' }]);
  });

  it('refuses a 届次 column that names another session', async () => {
    const bytes = await workbookOf([{ ...good, 届次: '十四届二次会议' }], { headers: ['届次', '登记号', '标题', '正文', '提案类型', '提案者'] });
    const sheet = await readProposalSheet(bytes, SESSION);
    expect(sheet.errors).toEqual([{ row: 2, column: '届次', field: 'sessionCode', message: '届次“十四届二次会议”与导入的届次“十四届三次会议”不一致' }]);
  });

  it('refuses the file as a whole: missing headers, a repeated header, an empty sheet, bytes that are not .xlsx', async () => {
    await expect(readProposalSheet(await workbookOf([good], { headers: ['登记号', '标题', '提案者'] }), SESSION)).rejects.toThrow('表头缺少：正文、提案类型');
    await expect(readProposalSheet(await workbookOf([], { headers: ['登记号', '标题', '正文', '提案类型', '提案者', '提案人'] }), SESSION)).rejects.toThrow(
      '表头“提案人”重复',
    );
    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('提案');
    await expect(readProposalSheet(Buffer.from(await empty.xlsx.writeBuffer()), SESSION)).rejects.toThrow(SheetError);
    await expect(readProposalSheet(Buffer.from('登记号,标题\nR1,x'), SESSION)).rejects.toThrow('不是有效的 .xlsx');
  });

  it('takes the sheet named 提案 when there are several, else the first', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明').addRow(['本表为登记表']);
    const sheet = workbook.addWorksheet('提案');
    sheet.addRow(['登记号', '标题', '正文', '提案类型', '提案者']);
    sheet.addRow(['R9', good.标题, BODY, '个人', '张永庆']);
    const read = await readProposalSheet(Buffer.from(await workbook.xlsx.writeBuffer()), SESSION);
    expect(read.sheet).toBe('提案');
    expect(read.rows[0]!.value.receiptNo).toBe('R9');
  });
});

describe('cells', () => {
  it('reads dates as Excel dates, serial numbers and Chinese or ISO text', () => {
    expect(cellDay(new Date(Date.UTC(2026, 11, 31)))).toBe('2026-12-31');
    expect(cellDay(46042)).toBe('2026-01-20');
    expect(cellDay('2026年1月5日')).toBe('2026-01-05');
    expect(cellDay('2026/1/5')).toBe('2026-01-05');
    expect(cellDay('2026.01.05')).toBe('2026-01-05');
    expect(cellDay('20260105')).toBe('2026-01-05');
    expect(cellDay('下周一')).toBe('下周一');
    expect(cellDay(null)).toBe('');
    expect(cellDay({ formula: 'TODAY()', result: new Date(Date.UTC(2026, 4, 1)) })).toBe('2026-05-01');
  });

  it('reads text from rich text, links and formulas', () => {
    expect(cellText({ richText: [{ text: ' 关于' }, { text: '建议 ' }] })).toBe('关于建议');
    expect(cellText({ text: 'a@b.test', hyperlink: 'mailto:a@b.test' })).toBe('a@b.test');
    expect(cellText({ formula: 'A1', result: 12 })).toBe('12');
    expect(cellText(undefined)).toBe('');
  });

  it('refuses an archive that unpacks past its budget before exceljs inflates it', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('提案');
    for (let i = 0; i < 200; i++) sheet.addRow([`${'x'.repeat(1000)}${i}`]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(archiveProblem(bytes)).toBeNull();
    expect(archiveProblem(bytes, { maxUnpackedBytes: 50_000, maxEntries: 100 })).toContain('解压后超过');
    expect(archiveProblem(bytes, { maxUnpackedBytes: 10_000_000, maxEntries: 3 })).toContain('部件过多');
    expect(archiveProblem(bytes.subarray(0, bytes.length - 30))).toContain('不是有效的 .xlsx');
  });
});
