import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export function sha256(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** Content-addressed and immutable: storing the same text twice is a no-op. */
export async function putText(db: Kysely<Database>, content: string): Promise<string> {
  const hash = sha256(content);
  await db.insertInto('text_blobs').values({ hash, content }).onConflict((oc) => oc.column('hash').doNothing()).execute();
  return hash;
}

export async function getText(db: Kysely<Database>, hash: string): Promise<string | null> {
  const row = await db.selectFrom('text_blobs').select('content').where('hash', '=', hash).executeTakeFirst();
  return row?.content ?? null;
}
