import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../../../../db/schema.js';
import { PRECEDENTS, SIMILAR_SHOWN, suggestionForDraft } from '../../../read/search/for-proposal.js';
import { similarProposals, type SimilarProposal } from '../../../read/search/similar.js';
import type { Suggestion } from '../../../read/search/suggest.js';
import { scopeOf } from '../../../read/visibility.js';
import { actorOf } from '../../auth.js';
import { Button } from '../fields.js';
import { allUnits } from '../shared/proposal-data.js';
import { SimilarList } from '../shared/similar-list.js';
import { SuggestUnits } from './suggest-units.js';

// 查重 while registering: a submit button under the text that shows the form again with the
// earlier proposals most like what has been typed (and which units handled them), before the
// proposal is registered. No script needed; what was typed is kept.

export const SIMILAR_BUTTON = '_similar';

export interface DraftSimilar {
  /** null when neither title nor body has been typed yet. */
  items: SimilarProposal[] | null;
  suggestion: Suggestion | null;
  unitNames: Map<string, string>;
}

export async function similarForDraft(db: Kysely<Database>, user: UserRow, values: Record<string, string | undefined>): Promise<DraftSimilar> {
  const draft = { title: values.title ?? '', body: values.body ?? '' };
  const unitNames = new Map((await allUnits(db)).map((u) => [u.id, u.name]));
  if (`${draft.title}${draft.body}`.trim() === '') return { items: null, suggestion: null, unitNames };
  const [items, suggestion] = await Promise.all([
    similarProposals(db, scopeOf(actorOf(user)), draft, { limit: Math.max(SIMILAR_SHOWN, PRECEDENTS / 2) }),
    suggestionForDraft(db, draft),
  ]);
  return { items, suggestion, unitNames };
}

export function SimilarCheck(p: { result: DraftSimilar | undefined }) {
  const r = p.result;
  return (
    <div class="similar-check">
      <Button kind="secondary" name={SIMILAR_BUTTON} value="1">
        查找相似提案
      </Button>
      {r && r.items === null ? <p class="hint">请先填写提案标题或正文，再查找相似提案。</p> : null}
      {r?.items ? <SimilarList items={r.items} unitNames={r.unitNames} heading="相似的已有提案" /> : null}
      {r?.items && r.suggestion ? <SuggestUnits suggestion={r.suggestion} unitNames={r.unitNames} /> : null}
    </div>
  );
}
