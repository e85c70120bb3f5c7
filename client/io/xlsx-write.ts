import ExcelJS from 'exceljs';
import { EXCEL_CELL_MAX } from './xlsx-cells.js';

// Workbooks people open in Excel or WPS: Chinese headers in bold on a frozen first row with a
// filter, widths that fit the content, dates as real dates (sortable, filterable) and long
// texts wrapped. Excel has no time zones, so times are written as Beijing wall-clock time.

export type ColumnKind = 'text' | 'longText' | 'number' | 'date' | 'datetime';

export interface SheetColumn<T> {
  header: string;
  /** In characters (a Chinese character counts about two). */
  width: number;
  kind: ColumnKind;
  /** text/longText: a string; number: a number; date: YYYY-MM-DD; datetime: an ISO instant. */
  value: (row: T) => string | number | null | undefined;
}

export interface SheetSpec<T> {
  name: string;
  columns: SheetColumn<T>[];
  rows: readonly T[];
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const TRUNCATED = '…（超出 Excel 单元格长度上限，已截断；全文见系统）';

/** A calendar day as the Date exceljs writes as that day (it writes dates in UTC). */
export function excelDay(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

/** An instant as the Date exceljs writes as its Beijing wall-clock time. */
export function excelBeijingTime(iso: string): Date {
  return new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS);
}

function cellValue(kind: ColumnKind, value: string | number | null | undefined): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  switch (kind) {
    case 'date':
      return excelDay(String(value));
    case 'datetime':
      return excelBeijingTime(String(value));
    case 'number':
      return Number(value);
    default: {
      const text = String(value);
      return text.length > EXCEL_CELL_MAX ? text.slice(0, EXCEL_CELL_MAX - TRUNCATED.length) + TRUNCATED : text;
    }
  }
}

const NUM_FMT: Partial<Record<ColumnKind, string>> = { date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm' };

export function addSheet<T>(workbook: ExcelJS.Workbook, spec: SheetSpec<T>): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  sheet.columns = spec.columns.map((c, i) => ({
    key: `c${i}`,
    header: c.header,
    width: c.width,
    style: {
      ...(NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind] } : {}),
      ...(c.kind === 'longText' ? { alignment: { wrapText: true, vertical: 'top' as const } } : { alignment: { vertical: 'top' as const } }),
    },
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center' };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7ECF3' } };
  for (const row of spec.rows) sheet.addRow(spec.columns.map((c) => cellValue(c.kind, c.value(row))));
  if (spec.columns.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: spec.columns.length } };
  return sheet;
}

/** A sheet ready to be added, whatever its row type (a workbook may hold sheets of several). */
export type PreparedSheet = (workbook: ExcelJS.Workbook) => void;

export function prepareSheet<T>(spec: SheetSpec<T>): PreparedSheet {
  return (workbook) => void addSheet(workbook, spec);
}

export interface WorkbookMeta {
  title: string;
  /** Who asked for it, as the file's author. */
  creator: string;
}

export async function workbookBytes(sheets: PreparedSheet[], meta: WorkbookMeta): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = meta.creator;
  workbook.title = meta.title;
  workbook.created = new Date();
  for (const add of sheets) add(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
