import type { Hono } from 'hono';
import { raw } from 'hono/html';
import { countFigures, FIGURES, scopeFor, statisticsRefusal } from '../../../read/statistics/index.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireSignIn, type PageEnv } from '../../middleware/session.js';
import { cnDateTime, Layout } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import { rateBarChart } from './charts.js';
import { FigureTable } from './dashboard-parts.js';

// 各届次对比: every session's totals side by side. It counts every proposal the system holds, so
// it is a page of its own rather than part of the dashboard, which reads one session.

export function sessionsRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db } = deps;
  app.get('/committee/dashboard/sessions', requireSignIn(), async (c) => {
    const viewer = actorOf(c.get('user'));
    const refusal = statisticsRefusal(viewer);
    if (refusal) return notFoundPage(c, pd.mailViewer, refusal);
    const asOf = new Date();
    const scope = scopeFor(viewer, {}, asOf);
    const totals = (await countFigures(db, scope)).filter((r) => (scope.unitId ? r.unitId === scope.unitId : r.unitId === null));
    const chart =
      totals.length > 0
        ? rateBarChart(
            totals.map((r) => r.sessionCode),
            (['replied', 'onTime', 'resultSatisfied'] as const).map((f) => ({ name: FIGURES[f].label, values: totals.map((r) => r.figures[f].rate) })),
            '各届次办复率、按期办复率和办理结果满意率',
          )
        : null;
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title="各届次对比" wide>
        <p>
          <a href="/committee/dashboard">返回办理统计</a>
        </p>
        <h1>各届次对比</h1>
        <p class="hint">截至{cnDateTime(asOf)}。</p>
        {chart ? <div class="chart-figure">{raw(chart)}</div> : null}
        <FigureTable
          rows={totals}
          caption={scope.unitId ? '本单位各届次（单位任务口径）' : '各届次合计（提案口径）'}
          firstHeader="届次"
          nameOf={(r) => r.sessionCode}
          session={(r) => r.sessionCode}
        />
      </Layout>,
    );
  });
}
