import { sql, type Kysely } from 'kysely';
import { getText } from '../../../db/repositories/blobs.js';
import type { Database, ProposalRow } from '../../../db/schema.js';
import { audienceOf, scopeOf, type Viewer } from '../visibility.js';
import { similarProposals, type Draft, type SimilarProposal } from './similar.js';
import { suggestUnits, type RemitMatch, type Suggestion } from './suggest.js';
import { similarityQuery } from './tsquery.js';

// The similar proposals and the unit suggestion for a proposal already registered, as its page
// and the API show them: what is compared is its title and body.

/** How many earlier proposals the page lists, and how many vote on the units. */
export const SIMILAR_SHOWN = 5;
export const PRECEDENTS = 10;

/** Staff and the units work with precedents; a proposer's page is about their own proposal. */
export function seesSimilar(viewer: Viewer): boolean {
  return audienceOf(viewer) !== 'proposer';
}

export function mayGetSuggestion(viewer: Viewer): boolean {
  return viewer.role === 'office' || viewer.role === 'committee';
}

async function draftOf(db: Kysely<Database>, row: ProposalRow): Promise<Draft> {
  return { title: row.title, body: (await getText(db, row.body_hash)) ?? '' };
}

export async function similarToProposal(db: Kysely<Database>, viewer: Viewer, row: ProposalRow, limit = SIMILAR_SHOWN): Promise<SimilarProposal[]> {
  return similarProposals(db, scopeOf(viewer), await draftOf(db, row), { excludeWorkflowId: row.workflow_id, limit });
}

/** From every assigned proposal like this one, whoever may see it, and from the units' remits: the office decides with all of them. */
export async function suggestionForDraft(db: Kysely<Database>, draft: Draft, excludeWorkflowId?: string): Promise<Suggestion> {
  const [precedents, remits] = await Promise.all([
    similarProposals(db, { kind: 'all' }, draft, { excludeWorkflowId, limit: PRECEDENTS, assignedOnly: true }),
    remitMatches(db, draft),
  ]);
  return suggestUnits(precedents, 3, remits);
}

/** The units whose remit (职责) holds the proposal's most distinctive words, best first, with those words. */
export async function remitMatches(db: Kysely<Database>, draft: Draft, limit = 5): Promise<RemitMatch[]> {
  const parsed = similarityQuery(`${draft.title}\n${draft.body}`);
  if (!parsed) return [];
  const { rows } = await sql<{ id: string; remit: string; score: number }>`
    with q as (select to_tsquery('simple', ${parsed.tsquery}) as q)
    select u.id, u.remit, ts_rank(u.remit_tsv, q.q, 32)::float8 as score
      from units u, q
     where u.remit_tsv @@ q.q
     order by score desc, u.id
     limit ${limit}`.execute(db);
  return rows.map((r) => ({ unitId: r.id, score: r.score, words: parsed.terms.filter((t) => r.remit.includes(t)) }));
}

export async function suggestionForProposal(db: Kysely<Database>, row: ProposalRow): Promise<Suggestion> {
  return suggestionForDraft(db, await draftOf(db, row), row.workflow_id);
}
