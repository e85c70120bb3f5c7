import type { SimilarProposal } from '../../../read/search/similar.js';
import { HANDLING_MODE_LABELS, valueLabel } from '../labels.js';
import { StageTag } from '../layout.js';

// 相似提案 on the register page and a proposal's page: the earlier proposals most like this one,
// each with how it was assigned, its reply's class and how the proposers rated the result, so a
// repeat is seen before it is filed and a unit sees what was promised last time.

function Ratings(p: { item: SimilarProposal }) {
  if (p.item.ratings.length === 0) return <>{p.item.replyDocNo ? '未评价' : '—'}</>;
  return (
    <>
      {p.item.ratings.map((r) => (
        <div>
          态度{valueLabel('rate', 'attitude', r.attitude)}，结果{valueLabel('rate', 'result', r.result)}
          {r.onBehalf ? '（纸质表）' : ''}
        </div>
      ))}
    </>
  );
}

export function SimilarList(p: { items: SimilarProposal[]; unitNames: Map<string, string>; heading?: string }) {
  const unit = (id: string) => p.unitNames.get(id) ?? id;
  return (
    <section class="similar" aria-labelledby="similar-heading">
      <h2 id="similar-heading">{p.heading ?? '相似提案'}</h2>
      {p.items.length === 0 ? (
        <p class="hint">没有找到相似的已有提案。</p>
      ) : (
        <table class="table responsive">
          <caption class="visually-hidden">最相似的已有提案，按相似度排序</caption>
          <thead>
            <tr>
              <th scope="col">相似度</th>
              <th scope="col">提案</th>
              <th scope="col">承办</th>
              <th scope="col">答复</th>
              <th scope="col">评价</th>
            </tr>
          </thead>
          <tbody>
            {p.items.map((item) => (
              <tr>
                <td data-label="相似度">{Math.round(item.relative * 100)}%</td>
                <td data-label="提案">
                  <a href={`/proposals/${encodeURIComponent(item.workflowId)}`}>{item.title}</a>
                  <div class="hint">
                    {item.sessionCode} · {item.proposalNo ?? item.receiptNo} · <StageTag stage={item.stage} label={item.stageLabel} />
                  </div>
                </td>
                <td data-label="承办">
                  {item.unitIds.length === 0
                    ? '未交办'
                    : `${item.handlingMode ? `${HANDLING_MODE_LABELS[item.handlingMode] ?? item.handlingMode}：` : ''}${item.unitIds.map(unit).join('、')}`}
                </td>
                <td data-label="答复">
                  {item.replyClass ? `${item.replyClass}类` : '—'}
                  {item.replyDocNo ? <div class="hint">{item.replyDocNo}</div> : null}
                </td>
                <td data-label="评价">
                  <Ratings item={item} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
