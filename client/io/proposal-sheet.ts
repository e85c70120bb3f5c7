import type { CellValue } from 'exceljs';
import { validateProposers } from '../../workflows/proposal/state.js';
import { registrationSchema, type RegistrationBody } from '../http/schemas.js';
import { doorIssues } from '../http/problem.js';
import { proposerKindOf, proposersFrom, type ProposerLists } from './proposers.js';
import { cellDay, cellText, splitList } from './xlsx-cells.js';
import { openWorkbook, pickSheet, readTable, type ColumnSpec, type TableRow } from './xlsx-read.js';

// The layout of a session's proposals in a workbook (登记表), and each row read into exactly
// the body POST /api/proposals takes, checked by the same registrationSchema and the same rule
// on proposers as the workflow's. Every problem is reported by Excel row and Chinese column.

export type ProposalColumn = 'session' | 'receiptNo' | 'title' | 'body' | 'proposerKind' | 'proposers' | 'sector' | 'email' | 'phone' | 'receivedDate' | 'topic';

/** The documented layout (README, "CLI and spreadsheets"); the order of the columns is free. */
export const PROPOSAL_COLUMNS: readonly ColumnSpec<ProposalColumn>[] = [
  { key: 'receiptNo', header: '登记号', aliases: ['登记编号', '收文号'], required: true },
  { key: 'title', header: '标题', aliases: ['提案标题', '案由'], required: true },
  { key: 'body', header: '正文', aliases: ['提案正文', '提案内容', '内容'], required: true },
  { key: 'proposerKind', header: '提案类型', aliases: ['提案者类型'], required: true },
  { key: 'proposers', header: '提案者', aliases: ['提案人', '提案者姓名'], required: true },
  { key: 'sector', header: '界别' },
  { key: 'email', header: '邮箱', aliases: ['电子邮箱', '电子邮件', 'email', 'e-mail'] },
  { key: 'phone', header: '电话', aliases: ['联系电话', '手机'] },
  { key: 'receivedDate', header: '收到日期', aliases: ['收文日期', '提交日期', '日期'] },
  { key: 'topic', header: '类别', aliases: ['分类', '提案类别'] },
  { key: 'session', header: '届次' },
];

export const PROPOSAL_SHEET_NAME = '提案';
/** A national plenary session brings about 5,900 proposals. */
export const MAX_IMPORT_ROWS = 10_000;

const HEADER = Object.fromEntries(PROPOSAL_COLUMNS.map((c) => [c.key, c.header])) as Record<ProposalColumn, string>;

export interface RowError {
  /** Excel's row number. */
  row: number;
  /** The Chinese header of the column at fault ('' for the row as a whole). */
  column: string;
  /** The registration field, as the API names it. */
  field: string;
  message: string;
}

export interface SheetRow {
  row: number;
  value: RegistrationBody;
}

export interface ProposalSheet {
  sheet: string;
  /** Non-empty rows read, good or bad. */
  total: number;
  rows: SheetRow[];
  errors: RowError[];
  ignoredColumns: string[];
}

/** Which column a registration field comes from. */
function columnOf(field: string): string {
  const top = field.replace(/\[\d+\].*$/, '').split('.')[0]!;
  const leaf = field.split('.').pop()!;
  if (top === 'proposers' && field !== 'proposers') {
    return ({ email: HEADER.email, phone: HEADER.phone, sector: HEADER.sector, kind: HEADER.proposerKind } as Record<string, string>)[leaf] ?? HEADER.proposers;
  }
  const map: Record<string, string> = {
    sessionCode: HEADER.session,
    receiptNo: HEADER.receiptNo,
    title: HEADER.title,
    body: HEADER.body,
    topic: HEADER.topic,
    proposerKind: HEADER.proposerKind,
    proposers: HEADER.proposers,
    receivedDate: HEADER.receivedDate,
  };
  return map[top] ?? '';
}

/** "第2位提案者：" before a message about one proposer of a joint proposal. */
function messageFor(field: string, message: string): string {
  const m = /^proposers\[(\d+)\]/.exec(field);
  return m ? `第${Number(m[1]) + 1}位提案者：${message}` : message;
}

function rowErrors(row: number, issues: { field: string; message: string }[]): RowError[] {
  return issues.map((i) => ({ row, column: columnOf(i.field), field: i.field, message: messageFor(i.field, i.message) }));
}

const text = (cells: Partial<Record<ProposalColumn, CellValue>>, key: ProposalColumn) => cellText(cells[key]);

/** One row as the registration body, or every problem with it. */
export function readProposalRow(sessionCode: string, { row, cells }: TableRow<ProposalColumn>): { value: RegistrationBody } | { errors: RowError[] } {
  const errors: RowError[] = [];
  const session = text(cells, 'session');
  if (session && session !== sessionCode) {
    errors.push({ row, column: HEADER.session, field: 'sessionCode', message: `届次“${session}”与导入的届次“${sessionCode}”不一致` });
  }
  const kind = proposerKindOf(text(cells, 'proposerKind'));
  const lists: ProposerLists = {
    names: splitList(text(cells, 'proposers')),
    emails: splitList(text(cells, 'email')),
    phones: splitList(text(cells, 'phone')),
    sectors: splitList(text(cells, 'sector')),
  };
  const { proposers, problems } = proposersFrom(kind, lists);
  for (const p of problems) {
    const column = { emails: HEADER.email, phones: HEADER.phone, sectors: HEADER.sector }[p.list];
    errors.push({ row, column, field: `proposers`, message: p.message });
  }
  const received = cellDay(cells.receivedDate);
  const raw = {
    sessionCode,
    receiptNo: text(cells, 'receiptNo'),
    title: text(cells, 'title'),
    body: text(cells, 'body'),
    topic: text(cells, 'topic') || null,
    proposerKind: kind,
    proposers,
    ...(received ? { receivedDate: received } : {}),
  };
  const parsed = registrationSchema.safeParse(raw);
  if (!parsed.success) return { errors: [...errors, ...rowErrors(row, doorIssues(parsed.error))] };
  // The workflow's own rule (个人 has one proposer, 联名 at least two …), asked before anything is sent.
  try {
    validateProposers(parsed.data.proposerKind, parsed.data.proposers);
  } catch (err) {
    const details = (err as { details?: { field?: string }[] }).details?.[0];
    const field = details?.field ?? 'proposers';
    errors.push(...rowErrors(row, [{ field, message: (err as Error).message }]));
  }
  return errors.length > 0 ? { errors } : { value: parsed.data };
}

/**
 * Reads a session's proposals from .xlsx bytes: the sheet named 提案 (or the first), every
 * non-empty row checked on its own, receipt numbers checked for repeats within the file.
 * Throws SheetError when the file as a whole cannot be read.
 */
export async function readProposalSheet(bytes: Uint8Array, sessionCode: string): Promise<ProposalSheet> {
  const workbook = await openWorkbook(bytes);
  const table = readTable(pickSheet(workbook, PROPOSAL_SHEET_NAME), PROPOSAL_COLUMNS, MAX_IMPORT_ROWS);
  const rows: SheetRow[] = [];
  const errors: RowError[] = [];
  const firstRowOf = new Map<string, number>();
  for (const tableRow of table.rows) {
    // Repeats are looked for among all rows, bad ones too: fixing one must not reveal another.
    const receipt = text(tableRow.cells, 'receiptNo');
    const earlier = receipt ? firstRowOf.get(receipt) : undefined;
    if (receipt && earlier === undefined) firstRowOf.set(receipt, tableRow.row);
    const read = readProposalRow(sessionCode, tableRow);
    if (earlier !== undefined) {
      const others = 'errors' in read ? read.errors.filter((e) => e.field !== 'receiptNo') : [];
      errors.push({ row: tableRow.row, column: HEADER.receiptNo, field: 'receiptNo', message: `登记号 ${receipt} 与第${earlier}行重复` }, ...others);
    } else if ('errors' in read) errors.push(...read.errors);
    else rows.push({ row: tableRow.row, value: read.value });
  }
  return { sheet: table.sheet, total: table.rows.length, rows, errors, ignoredColumns: table.ignoredColumns };
}
