import { type Kysely } from 'kysely';

// 审签流程 per unit: the chain of signers as data (JSON: ordinary / key / funds steps and the
// reminder after which a waiting signer is told). Null keeps the policy's single signer. Frozen
// in time like every migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('units').addColumn('signoff_chain', 'jsonb').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('units').dropColumn('signoff_chain').execute();
}
