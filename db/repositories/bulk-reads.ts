import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

// Reads over many proposals at once, for a session's import (what is registered already) and
// the .xlsx exports (tasks, reply versions and proposers of the proposals a viewer may see).
// Which proposals those are is decided by the caller through the visibility rule; these take
// the resulting workflow ids and never widen them.

/** PostgreSQL takes at most 65,535 parameters per statement: ask in slices. */
const SLICE = 1_000;

async function inSlices<T>(ids: readonly string[], read: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += SLICE) out.push(...(await read(ids.slice(i, i + SLICE))));
  return out;
}

export async function sessionExists(db: Kysely<Database>, code: string): Promise<boolean> {
  return (await db.selectFrom('sessions').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
}

export interface RegisteredReceipt {
  receiptNo: string;
  workflowId: string;
  title: string;
  bodyHash: string;
  proposerKind: string;
}

/** The receipts of a session that are registered already, with what a re-registration must match. */
export async function registeredReceipts(db: Kysely<Database>, sessionCode: string, receiptNos: readonly string[]): Promise<RegisteredReceipt[]> {
  const rows = await inSlices(receiptNos, (slice) =>
    db
      .selectFrom('proposals')
      .select(['receipt_no', 'workflow_id', 'title', 'body_hash', 'proposer_kind'])
      .where('session_code', '=', sessionCode)
      .where('receipt_no', 'in', slice)
      .execute(),
  );
  return rows.map((r) => ({ receiptNo: r.receipt_no, workflowId: r.workflow_id, title: r.title, bodyHash: r.body_hash, proposerKind: r.proposer_kind }));
}

/** Every unit task of these proposals, by proposal, round and assignment order (as listTaskRows). */
export async function listTaskRowsFor(db: Kysely<Database>, workflowIds: readonly string[]) {
  return inSlices(workflowIds, (slice) =>
    db.selectFrom('unit_tasks').selectAll().where('workflow_id', 'in', slice).orderBy('workflow_id').orderBy('round').orderBy('id').execute(),
  );
}

/** Every saved reply version of these proposals with its text, oldest first per unit. */
export async function listReplyVersionsFor(db: Kysely<Database>, workflowIds: readonly string[]) {
  return inSlices(workflowIds, (slice) =>
    db
      .selectFrom('reply_versions as v')
      .leftJoin('text_blobs as t', 't.hash', 'v.body_hash')
      .select(['v.workflow_id', 'v.unit_id', 'v.version', 'v.round', 'v.reply_class', 'v.change_note', 'v.created_at', 't.content as body'])
      .where('v.workflow_id', 'in', slice)
      .orderBy('v.workflow_id')
      .orderBy('v.unit_id')
      .orderBy('v.version')
      .execute(),
  );
}

export type ReplyVersionRow = Awaited<ReturnType<typeof listReplyVersionsFor>>[number];

/** The proposers' names of each proposal in signing order (the first is 第一提案人). */
export async function proposerNamesFor(db: Kysely<Database>, workflowIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await inSlices(workflowIds, (slice) =>
    db
      .selectFrom('proposal_proposers as pp')
      .innerJoin('proposers as p', 'p.id', 'pp.proposer_id')
      .select(['pp.workflow_id', 'p.name'])
      .where('pp.workflow_id', 'in', slice)
      .orderBy('pp.workflow_id')
      .orderBy('pp.position')
      .execute(),
  );
  const names = new Map<string, string[]>();
  for (const r of rows) names.set(r.workflow_id, [...(names.get(r.workflow_id) ?? []), r.name]);
  return names;
}

/** Every unit's id and names (a deployment has tens to a few hundred). */
export async function unitNames(db: Kysely<Database>): Promise<Map<string, { name: string; shortName: string }>> {
  const rows = await db.selectFrom('units').select(['id', 'name', 'short_name']).execute();
  return new Map(rows.map((u) => [u.id, { name: u.name, shortName: u.short_name }]));
}
