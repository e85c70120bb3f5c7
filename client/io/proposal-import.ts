import type { Kysely } from 'kysely';
import { sha256, putText } from '../../db/repositories/blobs.js';
import { registeredReceipts, sessionExists } from '../../db/repositories/bulk-reads.js';
import type { Database, UserRow } from '../../db/schema.js';
import { proposalWorkflowId } from '../../workflows/shared/ids.js';
import { BATCH_CONCURRENCY, registrationInput, registrationUpdateId } from '../batch-rows.js';
import { mapBounded } from '../bounded.js';
import { problemFromError } from '../http/errors.js';
import type { ProblemBody } from '../http/problem.js';
import { mayRegister } from '../http/register-proposal.js';
import type { ProposalClient } from '../temporal.js';
import { readProposalSheet, type RowError, type SheetRow } from './proposal-sheet.js';
import { SheetError } from './xlsx-read.js';

// Importing a session's proposals from .xlsx (HTTP and CLI alike): a preview that reads and
// checks every row and says what would happen, then an import that registers nothing unless
// every row is good. Registration itself is update-with-start keyed by the receipt, so an
// import run twice (or resumed after a failure half-way) answers the rows already registered
// and creates none of them again.

export interface PreviewRow {
  row: number;
  receiptNo: string;
  workflowId: string;
  title: string;
  proposerKind: string;
  proposers: string[];
  receivedDate: string | null;
  /** Registered before with the same content: importing answers it, creates nothing. */
  existing: boolean;
}

export interface ImportPreview {
  sessionCode: string;
  sheet: string;
  /** Non-empty rows in the sheet. */
  total: number;
  /** Rows that passed every check. */
  valid: number;
  /** True when there is nothing wrong: the import would register every row. */
  ok: boolean;
  errors: RowError[];
  rows: PreviewRow[];
  ignoredColumns: string[];
}

export interface PreparedImport {
  preview: ImportPreview;
  rows: SheetRow[];
}

export interface ImportRowResult {
  row: number;
  receiptNo: string;
  workflowId: string;
  status: 'created' | 'existing' | 'failed';
  stage?: string;
  error?: ProblemBody;
}

export interface ImportResult extends ImportPreview {
  imported: boolean;
  created: number;
  existing: number;
  failed: number;
  results: ImportRowResult[];
}

/** A refusal of the import as a whole (the file, the session or the person), with its field. */
export class ImportRefusal extends Error {
  constructor(
    message: string,
    readonly field: string,
    readonly type: 'INVALID_INPUT' | 'FORBIDDEN_ROLE' = 'INVALID_INPUT',
  ) {
    super(message);
  }
}

/** Registering is the office's and the committee's (the workflow says so too); an admin may preview. */
export function importRefusal(user: Pick<UserRow, 'role'>, dryRun: boolean): ImportRefusal | null {
  if (mayRegister(user)) return null;
  if (dryRun && user.role === 'admin') return null;
  return new ImportRefusal(
    dryRun ? '只有交办单位、提案委员会或管理员可以预览导入' : '只有交办单位或提案委员会可以导入登记提案（管理员可以用 dryRun 预览）',
    '',
    'FORBIDDEN_ROLE',
  );
}

/** Reads and checks every row; nothing is stored. Throws ImportRefusal for the file or session as a whole. */
export async function prepareImport(db: Kysely<Database>, sessionCode: string, bytes: Uint8Array): Promise<PreparedImport> {
  if (!(await sessionExists(db, sessionCode))) throw new ImportRefusal(`届次「${sessionCode}」不存在，请先由管理员建立`, 'session');
  let sheet;
  try {
    sheet = await readProposalSheet(bytes, sessionCode);
  } catch (err) {
    if (err instanceof SheetError) throw new ImportRefusal(err.message, 'file');
    throw err;
  }
  const errors = [...sheet.errors];
  const before = new Map(
    (
      await registeredReceipts(
        db,
        sessionCode,
        sheet.rows.map((r) => r.value.receiptNo),
      )
    ).map((r) => [r.receiptNo, r]),
  );
  const rows: SheetRow[] = [];
  const previewRows: PreviewRow[] = [];
  for (const row of sheet.rows) {
    const v = row.value;
    const old = before.get(v.receiptNo);
    // What the workflow would refuse as CONFLICT, said here before anything is sent.
    const differences = old
      ? [
          old.title !== v.title ? `标题（已登记为「${old.title}」）` : '',
          old.bodyHash !== sha256(v.body) ? '正文' : '',
          old.proposerKind !== v.proposerKind ? '提案类型' : '',
        ].filter(Boolean)
      : [];
    if (differences.length > 0) {
      errors.push({
        row: row.row,
        column: '登记号',
        field: 'receiptNo',
        message: `登记号 ${v.receiptNo} 已登记过一件内容不同的提案：${differences.join('、')}不一致。请核对登记号`,
      });
      continue;
    }
    rows.push(row);
    previewRows.push({
      row: row.row,
      receiptNo: v.receiptNo,
      workflowId: proposalWorkflowId(sessionCode, v.receiptNo),
      title: v.title,
      proposerKind: v.proposerKind,
      proposers: v.proposers.map((p) => p.name),
      receivedDate: v.receivedDate ?? null,
      existing: old !== undefined,
    });
  }
  errors.sort((a, b) => a.row - b.row);
  if (sheet.total === 0) throw new ImportRefusal(`工作表“${sheet.sheet}”除表头外没有数据行`, 'file');
  return {
    preview: {
      sessionCode,
      sheet: sheet.sheet,
      total: sheet.total,
      valid: rows.length,
      ok: errors.length === 0,
      errors,
      rows: previewRows,
      ignoredColumns: sheet.ignoredColumns,
    },
    rows,
  };
}

/**
 * Registers every row of a prepared import, a few at a time, when (and only when) no row had a
 * problem; otherwise registers nothing and says so. A row the workflow refuses or that Temporal
 * could not answer in time is reported as failed; running the same import again completes it.
 */
export async function runImport(
  deps: { db: Kysely<Database>; proposals: ProposalClient },
  user: UserRow,
  prepared: PreparedImport,
  onProgress?: (done: number, total: number) => void,
): Promise<ImportResult> {
  const { preview, rows } = prepared;
  if (!preview.ok) return { ...preview, imported: false, created: 0, existing: 0, failed: 0, results: [] };
  const existing = new Set(preview.rows.filter((r) => r.existing).map((r) => r.receiptNo));
  let done = 0;
  const results = await mapBounded(rows, BATCH_CONCURRENCY, async ({ row, value }): Promise<ImportRowResult> => {
    const workflowId = proposalWorkflowId(value.sessionCode, value.receiptNo);
    try {
      const view = await deps.proposals.register(registrationInput(user, value, await putText(deps.db, value.body)), registrationUpdateId(value));
      return { row, receiptNo: value.receiptNo, workflowId, status: existing.has(value.receiptNo) ? 'existing' : 'created', stage: view.stage };
    } catch (err) {
      return { row, receiptNo: value.receiptNo, workflowId, status: 'failed', error: problemFromError(err).body };
    } finally {
      onProgress?.(++done, rows.length);
    }
  });
  const count = (status: ImportRowResult['status']) => results.filter((r) => r.status === status).length;
  return { ...preview, imported: true, created: count('created'), existing: count('existing'), failed: count('failed'), results };
}
