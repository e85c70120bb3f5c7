import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

// Letter wording as data: the deployment's and each unit's style patches, and one proposal's own
// 抄送 or closing. Bodies are validated by the activities that use them (letter-style.ts); here
// they are stored and read as they are.

export type StyleBody = Record<string, unknown>;

const unitKey = (unitId: string) => `unit:${unitId}`;

/** The deployment's patch and the unit's, either absent when never edited. */
export async function getStylePatches(db: Kysely<Database>, unitId: string | null): Promise<{ deployment: StyleBody | null; unit: StyleBody | null }> {
  const keys = unitId ? ['deployment', unitKey(unitId)] : ['deployment'];
  const rows = await db.selectFrom('letter_styles').select(['key', 'body']).where('key', 'in', keys).execute();
  const find = (key: string) => rows.find((r) => r.key === key)?.body ?? null;
  return { deployment: find('deployment'), unit: unitId ? find(unitKey(unitId)) : null };
}

export async function putStylePatch(db: Kysely<Database>, args: { unitId: string | null; body: StyleBody; userId: number | null; now: string }): Promise<void> {
  const key = args.unitId ? unitKey(args.unitId) : 'deployment';
  const body = JSON.stringify(args.body);
  await db
    .insertInto('letter_styles')
    .values({ key, unit_id: args.unitId, body, updated_by: args.userId, updated_at: args.now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ body, updated_by: args.userId, updated_at: args.now }))
    .execute();
}

export async function getLetterOverride(db: Kysely<Database>, workflowId: string): Promise<StyleBody | null> {
  const row = await db.selectFrom('letter_overrides').select('body').where('workflow_id', '=', workflowId).executeTakeFirst();
  return row?.body ?? null;
}

export async function putLetterOverride(db: Kysely<Database>, args: { workflowId: string; body: StyleBody; userId: number | null; now: string }): Promise<void> {
  const body = JSON.stringify(args.body);
  await db
    .insertInto('letter_overrides')
    .values({ workflow_id: args.workflowId, body, updated_by: args.userId, updated_at: args.now })
    .onConflict((oc) => oc.column('workflow_id').doUpdateSet({ body, updated_by: args.userId, updated_at: args.now }))
    .execute();
}
