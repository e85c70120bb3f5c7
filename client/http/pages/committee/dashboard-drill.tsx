import type { Hono } from 'hono';
import { z } from 'zod';
import { drillDown, FIGURE_KEYS, FIGURES, formatFigure, scopeFor, statisticsRefusal, type DrillDownItem } from '../../../read/statistics/index.js';
import { CONSULTATION_WAYS, SATISFACTION_LABELS } from '../../../../workflows/proposal/state.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireSignIn, type PageEnv } from '../../middleware/session.js';
import { cnDateTime, Layout } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import { allUnits } from '../shared/proposal-data.js';

// The proposals behind one number of the dashboard: the same reader as
// GET /api/statistics/{figure}/proposals, so the list is as long as the number it came from.

const drillQuery = z.object({
  session: z.string().max(60).optional(),
  unit: z.string().max(100).optional(),
  part: z.enum(['num', 'den']).default('num'),
});

const WORDS: Record<string, string> = {
  ...SATISFACTION_LABELS,
  ...CONSULTATION_WAYS,
  dispatched: '已答复',
  drafting: '起草中',
  submitted: '待审签',
  approved: '已签发待寄发',
  returned: '已退回修改',
  adjustment_requested: '申请调整中',
};

/** Codes in a detail ('satisfied', 'face_to_face、phone') in the words a person reads. */
export function detailWords(detail: string): string {
  return detail
    .split('、')
    .map((d) => WORDS[d] ?? d)
    .join('、');
}

function Items(p: { items: DrillDownItem[]; unitNames: Map<string, string> }) {
  if (p.items.length === 0) return <p>没有提案。</p>;
  return (
    <table class="table responsive">
      <caption class="visually-hidden">统计数字背后的提案</caption>
      <thead>
        <tr>
          <th scope="col">提案</th>
          <th scope="col">届次</th>
          <th scope="col">单位</th>
          <th scope="col">情况</th>
          <th scope="col">计入分子</th>
        </tr>
      </thead>
      <tbody>
        {p.items.map((i) => (
          <tr>
            <td data-label="提案">
              <a href={`/proposals/${encodeURIComponent(i.workflowId)}`}>{i.title}</a>
              <div class="hint">
                {i.proposalNo ?? ''} {i.keyProposal ? <strong class="tag tag-key">重点提案</strong> : null}
              </div>
            </td>
            <td data-label="届次">{i.sessionCode}</td>
            <td data-label="单位">{i.unitIds.map((u) => p.unitNames.get(u) ?? u).join('、') || '—'}</td>
            <td data-label="情况">{i.details.map(detailWords).join('；') || '—'}</td>
            <td data-label="计入分子">{i.inNumerator ? '是' : '否'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function drillDownRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db } = deps;
  app.get('/committee/dashboard/figures/:figure', requireSignIn(), async (c) => {
    const viewer = actorOf(c.get('user'));
    const refusal = statisticsRefusal(viewer);
    if (refusal) return notFoundPage(c, pd.mailViewer, refusal);
    const figure = FIGURE_KEYS.find((k) => k === c.req.param('figure'));
    if (!figure) return notFoundPage(c, pd.mailViewer, '没有这项统计指标');
    const parsed = drillQuery.safeParse(c.req.query());
    const q = parsed.success ? parsed.data : { part: 'num' as const, session: undefined, unit: undefined };
    const asOf = new Date();
    const scope = scopeFor(viewer, { session: q.session || undefined, unit: q.unit || undefined }, asOf);
    const [list, units] = await Promise.all([drillDown(db, scope, { figure, part: q.part, limit: 2000 }), allUnits(db)]);
    const unitNames = new Map(units.map((u) => [u.id, u.name]));
    const def = FIGURES[figure];
    const inNum = list.items.filter((i) => i.inNumerator).length;
    const where = [scope.sessionCode, scope.unitId ? (unitNames.get(scope.unitId) ?? scope.unitId) : '全部单位'].filter(Boolean).join(' · ');
    const other = new URLSearchParams({ ...(q.session ? { session: q.session } : {}), ...(q.unit ? { unit: q.unit } : {}), part: q.part === 'num' ? 'den' : 'num' });
    const back = new URLSearchParams({ ...(q.session ? { session: q.session } : {}), ...(q.unit ? { unit: q.unit } : {}) });
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title={def.label} wide>
        <p>
          <a href={`/committee/dashboard?${back.toString()}`}>返回办理统计</a>
        </p>
        <h1>
          {def.label}：{q.part === 'num' ? '分子' : '分母'}（{list.count}）
        </h1>
        <p class="lead">{where}</p>
        <dl class="summary-list">
          <div>
            <dt>分子</dt>
            <dd>{def.numerator}</dd>
          </div>
          <div>
            <dt>分母</dt>
            <dd>{def.denominator}</dd>
          </div>
        </dl>
        <p class="hint">
          {q.part === 'den' ? `分母${list.count}项，其中${inNum}项计入分子（${formatFigure(def.kind, inNum, list.count)}）。` : `分子${list.count}项。`}
          截至{cnDateTime(asOf)}。<a href={`/committee/dashboard/figures/${figure}?${other.toString()}`}>{q.part === 'num' ? '查看分母' : '只看分子'}</a>
        </p>
        <Items items={list.items} unitNames={unitNames} />
        {list.count > list.items.length ? (
          <p class="hint">
            只列出前{list.items.length}项，全部{list.count}项请用导出或 API。
          </p>
        ) : null}
      </Layout>,
    );
  });
}
