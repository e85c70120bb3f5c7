import ExcelJS, { type CellValue, type Worksheet } from 'exceljs';
import { archiveProblem, cellText } from './xlsx-cells.js';

// A worksheet read as a table: the first non-empty row holds the headers (Chinese, in any
// order, with a few accepted variants), every later non-empty row is a record keyed by column.
// Row numbers are Excel's own, so a message can say 第5行 and the office finds that row.

export interface ColumnSpec<K extends string> {
  key: K;
  /** The header this layout documents. */
  header: string;
  /** Other headers taken to mean the same column. */
  aliases?: readonly string[];
  required?: boolean;
}

export interface TableRow<K extends string> {
  /** Excel's row number (the header row is usually 1). */
  row: number;
  cells: Partial<Record<K, CellValue>>;
}

export interface Table<K extends string> {
  sheet: string;
  headerRow: number;
  rows: TableRow<K>[];
  /** Headers this layout does not know; their cells are not read. */
  ignoredColumns: string[];
}

export class SheetError extends Error {}

/** The workbook in these bytes, or a SheetError saying in Chinese why it cannot be read. */
export async function openWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const problem = archiveProblem(bytes);
  if (problem) throw new SheetError(problem);
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's types want its own Buffer; a Node Buffer over the same bytes is that.
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    throw new SheetError('无法读取该 .xlsx 工作簿（文件可能已损坏或加了密码）');
  }
  return workbook;
}

/** The sheet named `preferred` when there is one, else the first sheet. */
export function pickSheet(workbook: ExcelJS.Workbook, preferred: string): Worksheet {
  const sheet = workbook.worksheets.find((ws) => ws.name.trim() === preferred) ?? workbook.worksheets[0];
  if (!sheet) throw new SheetError('工作簿中没有工作表');
  return sheet;
}

const normalise = (header: string) =>
  header
    .replace(/\s+/g, '')
    .replace(/[（(].*?[）)]/g, '')
    .replace(/\*$/, '')
    .toLowerCase();

export function readTable<K extends string>(sheet: Worksheet, columns: readonly ColumnSpec<K>[], maxRows: number): Table<K> {
  let headerRow = 0;
  const byColumn = new Map<number, K>();
  const ignoredColumns: string[] = [];
  const rows: TableRow<K>[] = [];
  const known = new Map<string, K>();
  for (const c of columns) for (const h of [c.header, ...(c.aliases ?? [])]) known.set(normalise(h), c.key);

  sheet.eachRow((row, rowNumber) => {
    if (headerRow === 0) {
      headerRow = rowNumber;
      row.eachCell((cell, col) => {
        const header = cellText(cell.value);
        if (!header) return;
        const key = known.get(normalise(header));
        if (key === undefined) ignoredColumns.push(header);
        else if ([...byColumn.values()].includes(key))
          throw new SheetError(`表头“${header}”重复：第${headerRow}行中“${columns.find((c) => c.key === key)!.header}”出现了两次`);
        else byColumn.set(col, key);
      });
      return;
    }
    const cells: Partial<Record<K, CellValue>> = {};
    let empty = true;
    for (const [col, key] of byColumn) {
      const value = row.getCell(col).value;
      if (cellText(value) !== '') empty = false;
      cells[key] = value;
    }
    if (empty) return;
    if (rows.length >= maxRows) throw new SheetError(`一次最多导入${maxRows}行，请拆分后分批导入`);
    rows.push({ row: rowNumber, cells });
  });

  if (headerRow === 0) throw new SheetError(`工作表“${sheet.name}”是空的：第一行应是表头（${columns.map((c) => c.header).join('、')}）`);
  const present = new Set(byColumn.values());
  const missing = columns.filter((c) => c.required && !present.has(c.key)).map((c) => c.header);
  if (missing.length > 0) throw new SheetError(`工作表“${sheet.name}”第${headerRow}行的表头缺少：${missing.join('、')}`);
  return { sheet: sheet.name, headerRow, rows, ignoredColumns };
}
