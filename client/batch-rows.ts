import type { UserRow } from '../db/schema.js';
import type { RegisterInput } from '../workflows/proposal/definitions.js';
import { text } from '../workflows/proposal/inputs.js';
import { ACTION_TABLE } from '../workflows/proposal/machine.js';
import { shanghaiDate } from '../workflows/shared/dates.js';
import { actorOf } from './http/auth.js';
import { payloadHash } from './http/idempotency.js';
import type { RegistrationBody } from './http/schemas.js';

// The rows of session-wide work (登记, 交办会), shared by every door that sends them: the HTTP
// routes, the xlsx import and the CLI. One definition each, so the same row means the same
// Update wherever it comes from, and a retry from any door finds the first one's result.

/** In flight at once per batch: enough to keep a session's import moving, few enough for the dev server. */
export const BATCH_CONCURRENCY = 8;

export function registrationInput(user: UserRow, body: RegistrationBody, bodyHash: string): RegisterInput {
  return {
    actor: actorOf(user),
    sessionCode: body.sessionCode,
    receiptNo: body.receiptNo,
    title: body.title,
    bodyHash,
    topic: body.topic ?? null,
    proposerKind: body.proposerKind,
    proposers: body.proposers,
    receivedDate: body.receivedDate ?? shanghaiDate(new Date().toISOString()),
  };
}

/**
 * The Update id of a registration sent without a client's key (a batch row, an imported row, the
 * CLI): the receipt and what it says. Sending the same again (a retried batch, an import run
 * twice) attaches to the first registration; the same receipt with other content is a new
 * Update, which the workflow's validator refuses as CONFLICT instead of Temporal answering it
 * silently with the first registration's result.
 */
export function registrationUpdateId(row: RegistrationBody): string {
  return `register:${row.sessionCode}:${row.receiptNo}:${payloadHash(row)}`;
}

/** One row of a 交办会 batch: the table's own assign input plus the proposal it is for. */
export const assignmentRow = ACTION_TABLE.assign.input.extend({ workflowId: text('提案', 300).min(1, '请指明提案') });
