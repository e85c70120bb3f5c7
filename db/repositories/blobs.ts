import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export function sha256(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** Content-addressed and immutable: storing the same text twice is a no-op. */
export async function putText(db: Kysely<Database>, content: string): Promise<string> {
  const hash = sha256(content);
  await db
    .insertInto('text_blobs')
    .values({ hash, content })
    .onConflict((oc) => oc.column('hash').doNothing())
    .execute();
  return hash;
}

export async function getText(db: Kysely<Database>, hash: string): Promise<string | null> {
  const row = await db.selectFrom('text_blobs').select('content').where('hash', '=', hash).executeTakeFirst();
  return row?.content ?? null;
}

/** Stores a text and says whether this call added it (false when it was there already). */
export async function putNewText(db: Kysely<Database>, content: string): Promise<{ hash: string; added: boolean }> {
  const hash = sha256(content);
  const row = await db
    .insertInto('text_blobs')
    .values({ hash, content })
    .onConflict((oc) => oc.column('hash').doNothing())
    .returning('hash')
    .executeTakeFirst();
  return { hash, added: row !== undefined };
}

/**
 * Removes a text nothing refers to, e.g. one stored for an action the workflow then refused.
 * Every column that holds a text hash is a foreign key to text_blobs, so PostgreSQL itself says
 * whether anything refers to it: a referenced text stays.
 */
export async function dropTextIfUnreferenced(db: Kysely<Database>, hash: string): Promise<boolean> {
  try {
    const result = await db.deleteFrom('text_blobs').where('hash', '=', hash).executeTakeFirst();
    return result.numDeletedRows > 0n;
  } catch (err) {
    if ((err as { code?: unknown }).code === '23503') return false;
    throw err;
  }
}
