import type { Kysely } from 'kysely';
import { mayGetSuggestion, seesSimilar, similarToProposal, suggestionForProposal } from '../../../read/search/for-proposal.js';
import type { SimilarProposal } from '../../../read/search/similar.js';
import type { Suggestion } from '../../../read/search/suggest.js';
import type { Database, ProposalRow, UserRow } from '../../../../db/schema.js';
import { actorOf } from '../../auth.js';
import { SuggestUnits } from '../office/suggest-units.js';
import { SimilarList } from './similar-list.js';

// What a proposal's page adds from the archive, and when: the similar proposals while it is
// being filed, assigned and answered (登记, 立案, 办理), for staff and units; the unit suggestion
// while it waits to be assigned, for the office and the committee.

const SIMILAR_STAGES = new Set(['received', 'filed', 'handling']);

export interface SearchPanels {
  similar: SimilarProposal[] | null;
  suggestion: Suggestion | null;
}

export async function loadSearchPanels(db: Kysely<Database>, user: UserRow, row: ProposalRow): Promise<SearchPanels> {
  const viewer = actorOf(user);
  const [similar, suggestion] = await Promise.all([
    SIMILAR_STAGES.has(row.stage) && seesSimilar(viewer) ? similarToProposal(db, viewer, row) : null,
    row.stage === 'filed' && mayGetSuggestion(viewer) ? suggestionForProposal(db, row) : null,
  ]);
  return { similar, suggestion };
}

export function SimilarPanel(p: { panels: SearchPanels | undefined; unitNames: Map<string, string> }) {
  return p.panels?.similar ? <SimilarList items={p.panels.similar} unitNames={p.unitNames} /> : null;
}

export function SuggestPanel(p: { panels: SearchPanels | undefined; unitNames: Map<string, string> }) {
  return p.panels?.suggestion ? <SuggestUnits suggestion={p.panels.suggestion} unitNames={p.unitNames} /> : null;
}
