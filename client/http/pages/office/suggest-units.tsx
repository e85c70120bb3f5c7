import type { Suggestion, UnitSuggestion } from '../../../read/search/suggest.js';

// 智能分办 beside the assignment form: the units that led (and co-handled) the most similar
// earlier proposals, or whose remit (职责) holds its words, each with its reasons. Advice only: the office fills
// in the form itself, and nothing is assigned from here.

function Reasons(p: { unit: UnitSuggestion }) {
  return (
    <ul class="hint">
      {p.unit.remit ? <li>职责相符{p.unit.remit.words.length ? `：${p.unit.remit.words.slice(0, 6).join('、')}` : ''}</li> : null}
      {p.unit.reasons.slice(0, 3).map((r) => (
        <li>
          {r.role === 'lead' ? '主办' : '会办'}过<a href={`/proposals/${encodeURIComponent(r.workflowId)}`}>《{r.title}》</a>（{r.sessionCode}
          {r.proposalNo ? ` ${r.proposalNo}` : ''}）
        </li>
      ))}
      {p.unit.reasons.length > 3 ? <li>另有{p.unit.reasons.length - 3}件相似提案</li> : null}
    </ul>
  );
}

function Units(p: { units: UnitSuggestion[]; unitNames: Map<string, string> }) {
  return (
    <ol>
      {p.units.map((u) => (
        <li>
          <strong>{p.unitNames.get(u.unitId) ?? u.unitId}</strong>（{Math.round(u.weight * 100)}%）
          <Reasons unit={u} />
        </li>
      ))}
    </ol>
  );
}

export function SuggestUnits(p: { suggestion: Suggestion; unitNames: Map<string, string> }) {
  const { lead, co } = p.suggestion;
  return (
    <section class="suggestion" aria-labelledby="suggest-heading">
      <h3 id="suggest-heading">分办建议（仅供参考）</h3>
      {lead.length === 0 ? (
        <p class="hint">没有已交办的相似提案，也没有单位的职责与之相符，无法给出建议。</p>
      ) : (
        <>
          <p class="hint">依据最相似的已交办提案由哪些单位办理，以及各单位的职责；是否采用由交办人员决定，不会自动交办。</p>
          <h4>建议主办单位</h4>
          <Units units={lead} unitNames={p.unitNames} />
          {co.length > 0 ? (
            <>
              <h4>可考虑的会办单位</h4>
              <Units units={co} unitNames={p.unitNames} />
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
