import type { Kysely } from 'kysely';
import { putText } from '../../db/repositories/blobs.js';
import { putDocument, putRendition } from '../../db/repositories/documents.js';
import type { Database } from '../../db/schema.js';
import type { LetterModel } from './letter-model.js';
import { renderLetterDocx } from './render-docx.js';
import { renderLetterHtml } from './render-html.js';
import { renderLetterText } from './render-text.js';

export interface StoredLetter {
  documentId: number;
  textHash: string;
  text: string;
  /** The HTML fragment (for mail and pages); the stored rendition is the standalone page. */
  html: string;
  docx: Buffer;
}

/**
 * Renders a letter model three ways and stores them as one document with its renditions, in the
 * caller's transaction. `contentHash` keeps a document whose text row is something else (a
 * co-handling opinion stores the opinion as signed) while its renditions show the letter.
 */
export async function storeLetter(
  trx: Kysely<Database>,
  args: { workflowId: string; kind: string; title: string; replyVersion: number | null; model: LetterModel; contentHash?: string },
): Promise<StoredLetter> {
  const text = renderLetterText(args.model);
  const html = renderLetterHtml(args.model);
  const docx = await renderLetterDocx(args.model);
  const textHash = args.contentHash ?? (await putText(trx, text));
  const documentId = await putDocument(trx, {
    workflowId: args.workflowId,
    kind: args.kind,
    title: args.title,
    mime: 'text/plain; charset=utf-8',
    contentHash: textHash,
    replyVersion: args.replyVersion,
  });
  await putRendition(trx, documentId, 'docx', docx);
  await putRendition(trx, documentId, 'html', Buffer.from(renderLetterHtml(args.model, { standalone: true }), 'utf8'));
  await putRendition(trx, documentId, 'model', Buffer.from(JSON.stringify(args.model), 'utf8'));
  return { documentId, textHash, text, html, docx };
}
