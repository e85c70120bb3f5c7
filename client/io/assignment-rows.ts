import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ActionInput } from '../../workflows/proposal/machine.js';
import { proposalWorkflowId } from '../../workflows/shared/ids.js';
import type { Actor } from '../../workflows/shared/types.js';
import { assignmentRow } from '../batch-rows.js';
import { doorIssues } from '../http/problem.js';
import { findVisibleProposal, NOT_VISIBLE_MESSAGE } from '../read/visibility.js';
import { cellText, splitList } from './xlsx-cells.js';
import { openWorkbook, pickSheet, readTable, type ColumnSpec } from './xlsx-read.js';

// A 交办会 batch from a file (`banli assign --batch`): JSON in the shape POST
// /api/assignments/batch takes, or a sheet with 流程编号 (or 届次 + 登记号), 办理方式 and
// 承办单位 ("省发展改革委、省科技厅": the first leads), so that the proposals export, with two
// columns filled in, can be sent back as the assignment list. Every row is checked before
// anything is sent: the table's assign schema, known units, a proposal the sender can see.

export interface RawAssignment {
  /** Where the row came from, as a person finds it: 第5行 or items[3]. */
  where: string;
  workflowId?: string | undefined;
  sessionCode?: string | undefined;
  receiptNo?: string | undefined;
  mode?: unknown;
  units?: unknown;
}

export interface CheckedAssignment {
  where: string;
  workflowId: string;
  input: ActionInput<'assign'>;
}

export interface AssignmentError {
  where: string;
  field: string;
  message: string;
}

type Column = 'workflowId' | 'sessionCode' | 'receiptNo' | 'mode' | 'units';
export const ASSIGNMENT_COLUMNS: readonly ColumnSpec<Column>[] = [
  { key: 'workflowId', header: '流程编号', aliases: ['提案', 'workflowId'] },
  { key: 'sessionCode', header: '届次' },
  { key: 'receiptNo', header: '登记号' },
  { key: 'mode', header: '办理方式', required: true },
  { key: 'units', header: '承办单位', required: true },
];

const MODE_LABELS: Record<string, string> = {
  单独办理: 'sole',
  单独: 'sole',
  单办: 'sole',
  主办: 'lead',
  '主办+会办': 'lead',
  '主办＋会办': 'lead',
  主办会办: 'lead',
  分办: 'split',
  分别办理: 'split',
};

export async function readAssignmentSheet(bytes: Uint8Array, maxRows: number): Promise<RawAssignment[]> {
  const table = readTable(pickSheet(await openWorkbook(bytes), '交办'), ASSIGNMENT_COLUMNS, maxRows);
  return table.rows.map(({ row, cells }) => ({
    where: `第${row}行`,
    workflowId: cellText(cells.workflowId) || undefined,
    sessionCode: cellText(cells.sessionCode) || undefined,
    receiptNo: cellText(cells.receiptNo) || undefined,
    mode: cellText(cells.mode),
    units: splitList(cellText(cells.units)).filter(Boolean),
  }));
}

/** JSON as the HTTP batch takes it ({ items, batchId? }) or a bare array of items. */
export function readAssignmentJson(value: unknown): { items: RawAssignment[]; batchId?: string } | string {
  const body = Array.isArray(value) ? { items: value } : value;
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { items?: unknown }).items)) return 'JSON 应为 { "items": [...] } 或一个数组';
  const { items, batchId } = body as { items: unknown[]; batchId?: unknown };
  const rows = items.map((item, i): RawAssignment => {
    const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return { where: `items[${i}]`, workflowId: str(o.workflowId), sessionCode: str(o.sessionCode), receiptNo: str(o.receiptNo), mode: o.mode, units: o.units };
  });
  return { items: rows, ...(typeof batchId === 'string' ? { batchId } : {}) };
}

/** Checks every row; the rows come back ready to send only when none has a problem. */
export async function checkAssignments(
  db: Kysely<Database>,
  viewer: Actor,
  raws: RawAssignment[],
  defaultSession: string | undefined,
): Promise<{ rows: CheckedAssignment[]; errors: AssignmentError[] }> {
  const units = await db.selectFrom('units').select(['id', 'name', 'short_name']).execute();
  const unitId = new Map<string, string>();
  for (const u of units) for (const key of [u.id, u.name, u.short_name]) unitId.set(key, u.id);
  const rows: CheckedAssignment[] = [];
  const errors: AssignmentError[] = [];
  const seen = new Map<string, string>();
  for (const raw of raws) {
    const fail = (field: string, message: string) => errors.push({ where: raw.where, field, message });
    const session = raw.sessionCode ?? defaultSession;
    const workflowId = raw.workflowId ?? (session && raw.receiptNo ? proposalWorkflowId(session, raw.receiptNo) : undefined);
    if (!workflowId) {
      fail('workflowId', '请填写流程编号，或届次（也可用 --session）和登记号');
      continue;
    }
    const listed: unknown[] = Array.isArray(raw.units) ? (raw.units as unknown[]) : [];
    const unknown = listed.filter((u) => typeof u !== 'string' || !unitId.has(u));
    if (unknown.length > 0) fail('units', `没有这些承办单位：${unknown.map(String).join('、')}`);
    const mode = typeof raw.mode === 'string' ? (MODE_LABELS[raw.mode.trim()] ?? raw.mode.trim()) : raw.mode;
    const units: unknown = Array.isArray(raw.units) ? listed.map((u: unknown) => (typeof u === 'string' ? (unitId.get(u) ?? u) : u)) : raw.units;
    const parsed = assignmentRow.safeParse({ workflowId, mode, units });
    if (!parsed.success) {
      for (const issue of doorIssues(parsed.error)) fail(issue.field, issue.message);
      continue;
    }
    if (unknown.length > 0) continue;
    const earlier = seen.get(workflowId);
    if (earlier) {
      fail('workflowId', `与${earlier}是同一件提案`);
      continue;
    }
    seen.set(workflowId, raw.where);
    if (!(await findVisibleProposal(db, viewer, workflowId))) {
      fail('workflowId', `${NOT_VISIBLE_MESSAGE}：${workflowId}`);
      continue;
    }
    const { workflowId: _id, ...input } = parsed.data;
    rows.push({ where: raw.where, workflowId, input });
  }
  return { rows, errors };
}
