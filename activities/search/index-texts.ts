import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { indexTokens } from './segment.js';

// Keeps the archive search current. Called inside the transaction of the step that stored a
// text (registration, a reply version, a co-opinion, publication), so a text is findable exactly
// when the step that wrote it is committed, and rolled back with it. It indexes whatever texts of
// the proposal have no index row yet; every row is keyed by (proposal, kind, unit, text hash) and
// inserted with ON CONFLICT DO NOTHING, so a retried step, a second caller or the backfill writes
// nothing twice. Segmentation is jieba in Node; PostgreSQL builds the tsvector from the words.

export type SearchKind = 'proposal' | 'reply' | 'co_opinion' | 'public';

export interface Pending {
  kind: SearchKind;
  unit_id: string;
  text_hash: string;
  title: string | null;
  content: string;
}

/** The texts of one proposal (or of all, for the backfill) that have no index row yet. */
export function pendingTexts(db: Kysely<Database>, workflowId: string | null, limit = 10_000) {
  const only = workflowId === null ? sql`true` : sql`x.workflow_id = ${workflowId}`;
  return sql<Pending & { workflow_id: string }>`
    with texts as (
      select p.workflow_id, 'proposal'::text as kind, ''::text as unit_id, p.body_hash as text_hash, p.title
        from proposals p
      union all
      select rv.workflow_id, 'reply', rv.unit_id, rv.body_hash, null from reply_versions rv
      union all
      select t.workflow_id, 'co_opinion', t.unit_id, t.opinion_hash, null from unit_tasks t where t.opinion_hash is not null
      union all
      select pe.workflow_id, 'public', pe.unit_id, d.content_hash, null
        from publication_entries pe join documents d on d.id = pe.public_document_id
    )
    select x.workflow_id, x.kind, x.unit_id, x.text_hash, x.title, b.content
      from texts x
      join text_blobs b on b.hash = x.text_hash
     where ${only}
       and not exists (select 1 from search_texts s
                        where s.workflow_id = x.workflow_id and s.kind = x.kind and s.unit_id = x.unit_id and s.text_hash = x.text_hash)
     limit ${limit}`.execute(db);
}

/** The words PostgreSQL indexes: jieba's words joined by spaces, the proposal's title weighted A. */
export function segmentedText(text: string): string {
  return indexTokens(text).join(' ');
}

export async function insertOne(db: Kysely<Database>, workflowId: string, t: Pending): Promise<boolean> {
  const title = t.title ? segmentedText(t.title) : '';
  const body = segmentedText(t.content);
  const result = await sql`
    insert into search_texts (workflow_id, kind, unit_id, text_hash, tsv)
    values (${workflowId}, ${t.kind}, ${t.unit_id}, ${t.text_hash},
            setweight(to_tsvector('simple', ${title}), 'A') || to_tsvector('simple', ${body}))
    on conflict do nothing`.execute(db);
  return (result.numAffectedRows ?? 0n) > 0n;
}

/** Indexes the proposal's texts that are not indexed yet; answers how many rows it added. */
export async function indexProposalTexts(db: Kysely<Database>, workflowId: string): Promise<number> {
  const { rows } = await pendingTexts(db, workflowId);
  let added = 0;
  for (const t of rows) if (await insertOne(db, workflowId, t)) added++;
  return added;
}
