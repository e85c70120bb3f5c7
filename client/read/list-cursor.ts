import type { ListedProposalRow } from '../../db/repositories/proposal-reads.js';

// The proposal list's keyset (翻页标记): the last row's place in the list's order, exact to the
// microsecond as PostgreSQL wrote it, opaque to the caller. A page after it reads from the
// index where the last one stopped, however deep, and rows registered meanwhile never shift it.

const STAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

export function listCursor(row: ListedProposalRow): string {
  return Buffer.from(JSON.stringify([row.list_key, row.workflow_id])).toString('base64url');
}

/** The keyset a cursor names, or null when it is not one this API made. */
export function readListCursor(cursor: string): { createdAt: string; workflowId: string } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const parts: unknown[] = value;
    const [createdAt, workflowId] = parts;
    if (typeof createdAt !== 'string' || !STAMP.test(createdAt) || typeof workflowId !== 'string' || workflowId.length === 0 || workflowId.length > 200) return null;
    return { createdAt, workflowId };
  } catch {
    return null;
  }
}
