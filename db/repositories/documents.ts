import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

// Rendered documents: one row per document (its text in text_blobs, as before) and its
// renditions (.docx, HTML, the model as JSON) beside it, so the letter a reply version produced
// can be sent, printed and published again byte for byte.

export type RenditionFormat = 'docx' | 'html' | 'model';

export const RENDITION_MIME: Record<RenditionFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
  model: 'application/json',
};

export interface NewDocument {
  workflowId: string;
  kind: string;
  title: string;
  mime: string;
  contentHash: string;
  replyVersion: number | null;
}

/** The document's id; storing the same document again (same text) finds the first row. */
export async function putDocument(db: Kysely<Database>, d: NewDocument): Promise<number> {
  const inserted = await db
    .insertInto('documents')
    .values({ workflow_id: d.workflowId, kind: d.kind, title: d.title, mime: d.mime, content_hash: d.contentHash, reply_version: d.replyVersion })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return inserted.id;
  const existing = await db
    .selectFrom('documents')
    .select('id')
    .where('workflow_id', '=', d.workflowId)
    .where('kind', '=', d.kind)
    .where('content_hash', '=', d.contentHash)
    .executeTakeFirstOrThrow();
  return existing.id;
}

export async function putRendition(db: Kysely<Database>, documentId: number, format: RenditionFormat, content: Buffer): Promise<void> {
  await db
    .insertInto('document_renditions')
    .values({
      document_id: documentId,
      format,
      mime: RENDITION_MIME[format],
      sha256: createHash('sha256').update(content).digest('hex'),
      size: content.length,
      content,
    })
    .onConflict((oc) => oc.columns(['document_id', 'format']).doNothing())
    .execute();
}

export async function getRendition(
  db: Kysely<Database>,
  documentId: number,
  format: RenditionFormat,
): Promise<{ mime: string; content: Buffer; sha256: string } | null> {
  const row = await db
    .selectFrom('document_renditions')
    .select(['mime', 'content', 'sha256'])
    .where('document_id', '=', documentId)
    .where('format', '=', format)
    .executeTakeFirst();
  return row ?? null;
}

export interface DocumentSummary {
  id: number;
  kind: string;
  title: string;
  replyVersion: number | null;
  formats: RenditionFormat[];
  createdAt: string;
}

/** A proposal's documents, oldest first, with the renditions each has. */
export async function listDocuments(db: Kysely<Database>, workflowId: string): Promise<DocumentSummary[]> {
  const docs = await db
    .selectFrom('documents')
    .select(['id', 'kind', 'title', 'reply_version', 'created_at'])
    .where('workflow_id', '=', workflowId)
    .orderBy('id')
    .execute();
  if (docs.length === 0) return [];
  const renditions = await db
    .selectFrom('document_renditions')
    .select(['document_id', 'format'])
    .where(
      'document_id',
      'in',
      docs.map((d) => d.id),
    )
    .execute();
  return docs.map((d) => ({
    id: d.id,
    kind: d.kind,
    title: d.title,
    replyVersion: d.reply_version,
    formats: renditions.filter((r) => r.document_id === d.id).map((r) => r.format),
    createdAt: d.created_at.toISOString(),
  }));
}
