import type { Kysely } from 'kysely';
import { getUnits, liaisonEmails, proposerEmails, staffEmails } from '../../db/repositories/directory.js';
import type { Database } from '../../db/schema.js';
import type { RecipientSpec } from '../../workflows/shared/notifications.js';

/** Turns a workflow's symbolic recipients (roles and units) into mail addresses. */
export async function resolveRecipients(db: Kysely<Database>, spec: RecipientSpec | undefined): Promise<string[]> {
  if (!spec) return [];
  const out: string[] = [];
  out.push(...(await proposerEmails(db, spec.proposers ?? [])));
  out.push(...(await liaisonEmails(db, spec.unitLiaisons ?? [], spec.digestAware === true)));
  const leaderUnits = await getUnits(db, spec.unitLeaders ?? []);
  out.push(...leaderUnits.map((u) => u.leader_email));
  const principalUnits = await getUnits(db, spec.unitPrincipals ?? []);
  out.push(...principalUnits.map((u) => u.principal_email ?? u.leader_email));
  const roles: ('office' | 'committee')[] = [];
  if (spec.office) roles.push('office');
  if (spec.committee) roles.push('committee');
  out.push(...(await staffEmails(db, roles)));
  out.push(...(spec.addresses ?? []));
  return [...new Set(out.map((a) => a.trim().toLowerCase()).filter(Boolean))];
}
