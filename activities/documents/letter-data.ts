import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { getUnits } from '../../db/repositories/directory.js';
import { getLetterOverride, getStylePatches } from '../../db/repositories/letter-settings.js';
import type { Database, UnitRow } from '../../db/schema.js';
import { FailureType } from '../../workflows/shared/failures.js';
import type { LetterFacts } from './letter-model.js';
import { LetterOverrideSchema, LetterStylePatchSchema, resolveStyle, type LetterOverride, type LetterStyle } from './letter-style.js';

// What a letter is made of, read from PostgreSQL: the style in force for the unit, the
// proposal's own overrides, its session, number and title, its proposers in signing order and
// the co-units in the order they were assigned.

function parsed<T>(what: string, result: { success: true; data: T } | { success: false; error: { message: string } }): T {
  if (result.success) return result.data;
  // Stored settings are validated when saved; one that no longer parses is fixed by a person.
  throw ApplicationFailure.create({ type: FailureType.DATA_REJECTED, message: `${what}不符合要求，请管理员修改后重试：${result.error.message}`, nonRetryable: true });
}

export async function loadStyle(db: Kysely<Database>, unitId: string | null): Promise<LetterStyle> {
  const patches = await getStylePatches(db, unitId);
  const deployment = patches.deployment ? parsed('公文格式（全局）', LetterStylePatchSchema.safeParse(patches.deployment)) : null;
  const unit = patches.unit ? parsed(`公文格式（${unitId}）`, LetterStylePatchSchema.safeParse(patches.unit)) : null;
  try {
    return resolveStyle(deployment, unit);
  } catch (err) {
    throw ApplicationFailure.create({ type: FailureType.DATA_REJECTED, message: `公文格式设置合并后不完整：${(err as Error).message}`, nonRetryable: true });
  }
}

export async function loadOverride(db: Kysely<Database>, workflowId: string): Promise<LetterOverride | null> {
  const body = await getLetterOverride(db, workflowId);
  return body ? parsed('本件公文的抄送设置', LetterOverrideSchema.safeParse(body)) : null;
}

/** Units by id, in the order asked for (getUnits answers in table order). */
export async function unitsInOrder(db: Kysely<Database>, ids: string[]): Promise<UnitRow[]> {
  const rows = await getUnits(db, ids);
  return ids.map((id) => rows.find((u) => u.id === id)).filter((u) => u !== undefined);
}

/**
 * The co-units of a proposal in assignment order, from the read model: unit_tasks rows are
 * written in the workflow's assignment order, so their ids are that order. Used when a caller
 * does not pass the list itself.
 */
export async function coUnitsInAssignmentOrder(db: Kysely<Database>, workflowId: string, round: number): Promise<string[]> {
  const rows = await db
    .selectFrom('unit_tasks')
    .select('unit_id')
    .where('workflow_id', '=', workflowId)
    .where('round', '=', round)
    .where('role', '=', 'co')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.unit_id);
}

export interface ProposalLetterFacts {
  session: { name: string };
  proposal: { number: string | null; title: string };
}

/** The session wording and the proposal's number and title from the proposal row. */
export async function proposalFacts(db: Kysely<Database>, workflowId: string, fallback: { proposalNo: string | null; title: string }): Promise<ProposalLetterFacts> {
  const row = await db
    .selectFrom('proposals as p')
    .leftJoin('sessions as s', 's.code', 'p.session_code')
    .select(['p.session_code', 's.name as session_name', 'p.proposal_no', 'p.title'])
    .where('p.workflow_id', '=', workflowId)
    .executeTakeFirst();
  return {
    session: { name: row?.session_name ?? row?.session_code ?? '' },
    proposal: { number: fallback.proposalNo ?? row?.proposal_no ?? null, title: fallback.title || row?.title || '' },
  };
}

/** Addressees in the order given (第一提案人 first). */
export async function proposersInOrder(db: Kysely<Database>, ids: number[]): Promise<LetterFacts['proposers']> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('proposers').select(['id', 'kind', 'name']).where('id', 'in', ids).execute();
  return ids
    .map((id) => rows.find((p) => p.id === id))
    .filter((p) => p !== undefined)
    .map((p) => ({ kind: p.kind, name: p.name }));
}

export const unitRef = (u: UnitRow) => ({ name: u.name, shortName: u.short_name });
