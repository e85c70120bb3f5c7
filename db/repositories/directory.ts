import type { Kysely } from 'kysely';
import type { Database, UnitRow } from '../schema.js';

// Who is who: units, proposers and staff mailboxes that notifications are addressed to.

export async function getUnits(db: Kysely<Database>, ids: string[]): Promise<UnitRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('units').selectAll().where('id', 'in', ids).execute();
}

export async function proposerEmails(db: Kysely<Database>, ids: number[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('proposers').select('email').where('id', 'in', ids).where('email', 'is not', null).execute();
  return rows.map((r) => r.email!);
}

export async function staffEmails(db: Kysely<Database>, roles: ('office' | 'committee')[]): Promise<string[]> {
  if (roles.length === 0) return [];
  const rows = await db.selectFrom('users').select('email').where('role', 'in', roles).where('disabled', '=', false).where('email', 'is not', null).execute();
  return rows.map((r) => r.email!);
}

/** The unit's mailbox and its liaisons; those who chose the daily digest are left out of routine reminders. */
export async function liaisonEmails(db: Kysely<Database>, unitIds: string[], skipDigestUsers = false): Promise<string[]> {
  if (unitIds.length === 0) return [];
  const units = await getUnits(db, unitIds);
  let query = db
    .selectFrom('users')
    .select('email')
    .where('role', '=', 'liaison')
    .where('unit_id', 'in', unitIds)
    .where('disabled', '=', false)
    .where('email', 'is not', null);
  if (skipDigestUsers) query = query.where('daily_digest', '=', false);
  const users = await query.execute();
  return [...units.map((u) => u.email), ...users.map((u) => u.email!)];
}

export interface ProposerRecord {
  kind: 'member' | 'party' | 'organisation' | 'sector_group' | 'special_committee';
  name: string;
  email: string | null;
  phone: string | null;
  sector: string | null;
}

/** Members are matched by name and email, so one member keeps one id across proposals. */
export async function upsertProposer(db: Kysely<Database>, p: ProposerRecord): Promise<number> {
  const existing = await db
    .selectFrom('proposers')
    .select('id')
    .where('kind', '=', p.kind)
    .where('name', '=', p.name)
    .where((eb) => (p.email === null ? eb('email', 'is', null) : eb('email', '=', p.email)))
    .executeTakeFirst();
  if (existing) return existing.id;
  const inserted = await db
    .insertInto('proposers')
    .values({ kind: p.kind, name: p.name, email: p.email, phone: p.phone, sector: p.sector })
    .onConflict((oc) => oc.columns(['kind', 'name', 'email']).doUpdateSet({ phone: p.phone }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}
