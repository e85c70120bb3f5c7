import type { Kysely } from 'kysely';
import { publicEntryPath } from '../../activities/publication/entry-path.js';
import { previewPublication, type PublicationPreview } from '../../activities/publication/publish-reply.js';
import { getText } from '../../db/repositories/blobs.js';
import type { Database } from '../../db/schema.js';
import type { ProposalClient } from '../temporal.js';

// What the office reads before approving how a reply is published (API and page alike): the
// decision so far, and each unit's letter as sent beside its public version, with the diff.

export interface PublicationReview {
  mode: 'full' | 'summary';
  summary: string | null;
  decision: { mode: 'full' | 'summary' | 'none'; reason: string | null; status: 'proposed' | 'approved' } | null;
  published: { indexNo: string; publishedAt: string; url: string }[];
  preview: PublicationPreview | null;
}

/**
 * The review of one proposal's publication. `preview` is null where a summary is asked for and
 * nobody has written one yet; a proposal without a dispatched letter is refused by the preview.
 */
export async function reviewPublication(
  db: Kysely<Database>,
  proposals: Pick<ProposalClient, 'state'>,
  workflowId: string,
  asked: { mode?: 'full' | 'summary' | undefined; summary?: string | undefined },
): Promise<PublicationReview> {
  const decision = await db.selectFrom('publications').select(['mode', 'reason', 'status']).where('workflow_id', '=', workflowId).executeTakeFirst();
  const entries = await db.selectFrom('publication_entries').select(['index_no', 'published_at']).where('workflow_id', '=', workflowId).orderBy('index_no').execute();
  // The summary the unit proposed lives in the workflow's state; without Temporal the office
  // can still preview the full text, or a summary it types.
  const live = asked.summary === undefined ? await proposals.state(workflowId).catch(() => null) : null;
  const proposedSummary = live?.publication?.summaryHash ? await getText(db, live.publication.summaryHash) : null;
  const mode = asked.mode ?? (decision?.mode === 'summary' ? 'summary' : 'full');
  const summary = asked.summary ?? proposedSummary ?? null;
  const preview = mode === 'summary' && !summary?.trim() ? null : await previewPublication(db, { workflowId, mode, summary });
  return {
    mode,
    summary,
    decision: decision ? { mode: decision.mode, reason: decision.reason, status: decision.status } : null,
    published: entries.map((e) => ({ indexNo: e.index_no, publishedAt: e.published_at.toISOString(), url: publicEntryPath(e.index_no) })),
    preview,
  };
}
