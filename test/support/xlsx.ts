import ExcelJS from 'exceljs';

// Workbooks built in memory the way an office would fill one in, for the import tests; and a
// reader that gives an exported sheet back as header → cell values, for the export tests.

export const REGISTER_HEADERS = ['登记号', '标题', '正文', '提案类型', '提案者', '界别', '邮箱', '收到日期', '类别'] as const;

export type SheetRows = Record<string, ExcelJS.CellValue>[];

/** A workbook with one sheet: the headers in the given order, then one row per record (missing keys stay empty). */
export async function workbookOf(rows: SheetRows, options: { headers?: readonly string[]; sheetName?: string; dateColumns?: string[] } = {}): Promise<Buffer> {
  const headers = options.headers ?? REGISTER_HEADERS;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(options.sheetName ?? '提案');
  sheet.addRow([...headers]);
  for (const record of rows) sheet.addRow(headers.map((h) => record[h] ?? null));
  for (const h of options.dateColumns ?? ['收到日期']) {
    const index = headers.indexOf(h);
    if (index >= 0) sheet.getColumn(index + 1).numFmt = 'yyyy"年"m"月"d"日"';
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface ReadBack {
  workbook: ExcelJS.Workbook;
  sheet: ExcelJS.Worksheet;
  headers: string[];
  /** Data rows as header → raw cell value. */
  rows: Record<string, ExcelJS.CellValue>[];
}

export async function readBack(bytes: Uint8Array): Promise<ReadBack> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0]!;
  const headers = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
  const rows: Record<string, ExcelJS.CellValue>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    rows.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1).value])));
  });
  return { workbook, sheet, headers, rows };
}
