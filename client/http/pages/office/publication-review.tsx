import type { Hono } from 'hono';
import type { LetterPreview } from '../../../../activities/publication/publish-reply.js';
import { reviewPublication, type PublicationReview } from '../../../read/publication-preview.js';
import { findVisibleProposal } from '../../../read/visibility.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageEnv } from '../../middleware/session.js';
import { cnDateTime, Layout, Notice } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';

// 公开审定 as the office reads it: for each unit's letter as sent, the public version beside it —
// lines removed and added, and the personal details taken out — made by the same code that the
// publish step later stores, so what is approved here is what the public site shows.

const MODE_LABEL = { full: '全文公开', summary: '摘要公开', none: '不公开' } as const;
const STATUS_LABEL = { proposed: '承办单位已提出，待审定', approved: '已审定' } as const;

function LetterReview(p: { letter: LetterPreview; unitName: string; several: boolean }) {
  const changed = p.letter.diff.filter((d) => d.op !== 'same').length;
  return (
    <section aria-labelledby={`letter-${p.letter.unitId}`}>
      <h2 id={`letter-${p.letter.unitId}`}>
        {p.several ? `${p.unitName}：` : ''}
        {p.letter.docNo}
      </h2>
      {changed === 0 ? <Notice>公开版本与寄发的答复函逐行相同。</Notice> : <p>公开版本改动了 {changed} 行：删去的行以删除线标出，新增的行以下划线标出。</p>}
      {p.letter.redactions.length > 0 ? (
        <p>
          已删去提案者的个人信息 {p.letter.redactions.length} 处（{[...new Set(p.letter.redactions.map((r) => r.found))].join('、')}），承办单位的联系方式保留。
        </p>
      ) : null}
      <div class="diff-text">
        {p.letter.diff.map((line) =>
          line.op === 'same' ? (
            <p>{line.text}</p>
          ) : line.op === 'added' ? (
            <p>
              <ins>
                <span class="visually-hidden">［公开版本新增：</span>
                {line.text}
                <span class="visually-hidden">］</span>
              </ins>
            </p>
          ) : (
            <p>
              <del>
                <span class="visually-hidden">［公开版本删去：</span>
                {line.text}
                <span class="visually-hidden">］</span>
              </del>
            </p>
          ),
        )}
      </div>
    </section>
  );
}

function Decision(p: { review: PublicationReview }) {
  const { decision, published } = p.review;
  if (!decision) return <p>承办单位尚未提出公开意见；下面按全文公开预览。</p>;
  return (
    <dl class="facts">
      <dt>公开方式</dt>
      <dd>
        {MODE_LABEL[decision.mode]}（{STATUS_LABEL[decision.status]}）
      </dd>
      {decision.reason ? (
        <>
          <dt>理由</dt>
          <dd>{decision.reason}</dd>
        </>
      ) : null}
      {published.length > 0 ? (
        <>
          <dt>已公开</dt>
          <dd>
            {published.map((e) => (
              <>
                <a href={e.url}>索引号 {e.indexNo}</a>（{cnDateTime(e.publishedAt)}）{' '}
              </>
            ))}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

export function publicationReviewRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db, proposals } = deps;
  const guard = [requireSignIn(), requireRole(['office', 'committee'], (c) => notFoundPage(c, pd.mailViewer))] as const;

  app.get('/proposals/:id/publication', ...guard, async (c) => {
    const row = await findVisibleProposal(db, actorOf(c.get('user')), c.req.param('id'));
    if (!row) return notFoundPage(c, pd.mailViewer, '没有找到该提案，或您无权查看。');
    const back = `/proposals/${encodeURIComponent(row.workflow_id)}`;
    const title = '公开版本预览';
    const dispatched = await db.selectFrom('events').select('id').where('workflow_id', '=', row.workflow_id).where('step', '=', 'dispatch').executeTakeFirst();
    if (!dispatched) {
      return render(
        c,
        <Layout page={pageInfo(c, pd.mailViewer)} title={title}>
          <span class="caption">{row.title}</span>
          <h1>{title}</h1>
          <Notice>这件提案还没有寄发的答复函，无可公开。</Notice>
          <p>
            <a href={back}>返回提案</a>
          </p>
        </Layout>,
      );
    }
    const review = await reviewPublication(db, proposals, row.workflow_id, {});
    const letters = review.preview?.letters ?? [];
    const units = new Map(
      (letters.length
        ? await db
            .selectFrom('units')
            .select(['id', 'name'])
            .where(
              'id',
              'in',
              letters.map((l) => l.unitId),
            )
            .execute()
        : []
      ).map((u) => [u.id, u.name]),
    );
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title={title} wide>
        <span class="caption">{row.title}</span>
        <h1>{title}</h1>
        <Decision review={review} />
        {review.mode === 'summary' && review.summary ? <p>摘要公开：公开版本的正文是承办单位提供的摘要。</p> : null}
        {review.preview ? (
          letters.map((letter) => <LetterReview letter={letter} unitName={units.get(letter.unitId) ?? letter.unitId} several={letters.length > 1} />)
        ) : (
          <Notice>承办单位提出摘要公开，但尚未提供摘要，暂无法预览。</Notice>
        )}
        <p>
          审定请在提案页的“审定公开方式”中操作。<a href={back}>返回提案</a>
        </p>
      </Layout>,
    );
  });
}
