import type { Hono } from 'hono';
import { raw } from 'hono/html';
import { z } from 'zod';
import { cachedCalendarLoader } from '../../../../activities/deadlines/calendar-cache.js';
import { countFigures, discrepancyReport, FIGURES, listKeyProposals, listSessions, scopeFor, statisticsRefusal } from '../../../read/statistics/index.js';
import { isStaff } from '../../../read/visibility.js';
import { readWorklist } from '../../../read/worklists.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireSignIn, type PageEnv } from '../../middleware/session.js';
import { Button, Select } from '../fields.js';
import { cnDateTime, Layout } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import { allUnits } from '../shared/proposal-data.js';
import { classPieChart, rateBarChart } from './charts.js';
import { DiscrepancySection, drillHref, FigureTable, KeyProposalTable, WorklistBrief } from './dashboard-parts.js';
import { drillDownRoutes } from './dashboard-drill.js';
import { sessionsRoutes } from './dashboard-sessions.js';

// 办理统计 (the committee's dashboard): the figures per unit and session with server-drawn
// charts, every number a link to its proposals, the overdue and due-soon lists, key proposals
// with their 督办 state, and the discrepancy report. Office, committee and admin see every unit;
// a unit's people see their own unit's rows (the statistics' one scope rule); proposers none.

/** The most units the bar chart draws. */
const CHART_UNITS = 30;

export const dashboardQuery = z.object({
  session: z.string().max(60).optional(),
  unit: z.string().max(100).optional(),
});

export function dashboardRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db } = deps;
  const calendarNow = cachedCalendarLoader(db);

  app.get('/committee/dashboard', requireSignIn(), async (c) => {
    const viewer = actorOf(c.get('user'));
    const refusal = statisticsRefusal(viewer);
    if (refusal) return notFoundPage(c, pd.mailViewer, refusal);
    const parsed = dashboardQuery.safeParse(c.req.query());
    const q = parsed.success ? parsed.data : {};
    const sessions = await listSessions(db);
    const session = q.session || sessions[0]?.code;
    const asOf = new Date();
    const scope = scopeFor(viewer, { session, unit: q.unit || undefined }, asOf);
    const [rows, units, overdue, soon, keys, report] = await Promise.all([
      countFigures(db, scope),
      allUnits(db),
      readWorklist(db, calendarNow, viewer, { kind: 'overdue', days: 7, session, unit: scope.unitId, limit: 500 }),
      readWorklist(db, calendarNow, viewer, { kind: 'due-soon', days: 7, session, unit: scope.unitId, limit: 500 }),
      listKeyProposals(db, scope),
      discrepancyReport(db, scope),
    ]);
    const unitNames = new Map(units.map((u) => [u.id, u.name]));
    const nameOf = (id: string | null) => (id === null ? '合计' : (unitNames.get(id) ?? id));
    const unitRows = rows.filter((r) => r.unitId !== null);
    const total = rows.find((r) => r.unitId === null);
    const staffView = c.get('user').unit_id === null;
    // A national session has 150+ units: a bar per unit would be unreadable (and slow to draw), so
    // the chart shows those that most need attention; the table below lists every unit.
    const charted =
      unitRows.length > CHART_UNITS ? [...unitRows].sort((a, b) => (a.figures.replied.rate ?? 101) - (b.figures.replied.rate ?? 101)).slice(0, CHART_UNITS) : unitRows;
    const barChart = charted.length
      ? rateBarChart(
          charted.map((r) => nameOf(r.unitId)),
          (['replied', 'onTime', 'resultSatisfied', 'faceToFace'] as const).map((f) => ({ name: FIGURES[f].label, values: charted.map((r) => r.figures[f].rate) })),
          charted.length < unitRows.length
            ? `办复率最低的${CHART_UNITS}个承办单位的办复率、按期办复率、办理结果满意率和见面率（全部${unitRows.length}个单位见下表）`
            : '各承办单位办复率、按期办复率、办理结果满意率和见面率',
        )
      : null;
    const pie =
      total && total.figures.classA.den > 0
        ? classPieChart(
            (['classA', 'classB', 'classC'] as const).map((f) => ({ name: `${f.slice(-1)}类`, value: total.figures[f].num })),
            '答复分类（A/B/C）构成',
          )
        : null;
    const totalsLink = (f: 'replied' | 'onTime' | 'attitudeSatisfied' | 'resultSatisfied' | 'faceToFace' | 'rehandled') =>
      total ? (
        <li>
          <a href={drillHref(f, 'num', { session, unit: scope.unitId ?? null })}>
            <strong>{total.figures[f].rate === null ? total.figures[f].num : `${total.figures[f].rate}%`}</strong>
            {FIGURES[f].label}
            <span class="hint">
              （{total.figures[f].num}/{total.figures[f].den}）
            </span>
          </a>
        </li>
      ) : null;
    const exportQuery = new URLSearchParams({ ...(session ? { session } : {}), ...(q.unit ? { unit: q.unit } : {}) }).toString();
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title="办理统计" wide>
        <h1>办理统计{session ? `：${session}` : ''}</h1>
        <form method="get" action="/committee/dashboard" class="filters" aria-label="选择届次和单位">
          <Select
            noOptionalMark
            id="d-session"
            name="session"
            label="届次"
            choices={sessions.map((s) => ({ value: s.code, label: s.name }))}
            selected={session}
            placeholder="最新届次"
          />
          {staffView ? (
            <Select
              noOptionalMark
              id="d-unit"
              name="unit"
              label="单位"
              choices={units.map((u) => ({ value: u.id, label: u.name }))}
              selected={q.unit}
              placeholder="全部单位"
            />
          ) : null}
          <Button kind="secondary">查看</Button>
        </form>
        <p class="hint">
          截至{cnDateTime(asOf)}。点击任一数字查看其背后的提案；计算口径见各指标说明（README“Statistics”一节）。
          <a href={`/api/statistics/export.xlsx?${exportQuery}`}>导出统计与差异报告（.xlsx）</a>
          {' · '}
          <a href={`/api/statistics/report.docx?${exportQuery}`}>办理情况报告（.docx）</a>
          {isStaff(viewer) ? (
            <>
              {' · '}
              <a href={`/api/statistics/notice.docx?${exportQuery}`}>办理进展通报（.docx）</a>
            </>
          ) : null}
        </p>
        <ul class="stats" aria-label={scope.unitId ? '本单位合计' : '本届次合计'}>
          {totalsLink('replied')}
          {totalsLink('onTime')}
          {totalsLink('attitudeSatisfied')}
          {totalsLink('resultSatisfied')}
          {totalsLink('faceToFace')}
          {totalsLink('rehandled')}
          {total && total.figures.merged.num > 0 ? (
            <li>
              <a href={drillHref('merged', 'num', { session, unit: null })}>
                <strong>{total.figures.merged.num}</strong>件并案
              </a>
            </li>
          ) : null}
        </ul>
        {barChart || pie ? (
          <div class="columns">
            {barChart ? <div class="chart-figure">{raw(barChart)}</div> : null}
            {pie ? <div class="chart-figure">{raw(pie)}</div> : null}
          </div>
        ) : null}
        <h2>按承办单位</h2>
        <FigureTable rows={unitRows} caption="各承办单位的办理统计（单位任务口径）" firstHeader="承办单位" nameOf={(r) => nameOf(r.unitId)} session={() => session} />
        {staffView ? (
          <p>
            <a href="/committee/dashboard/sessions">各届次对比</a>
          </p>
        ) : null}
        <h2>重点提案督办情况</h2>
        <KeyProposalTable items={keys} unitNames={unitNames} />
        <div class="columns">
          <section aria-labelledby="overdue">
            <h2 id="overdue">逾期（{overdue.count}）</h2>
            <WorklistBrief items={overdue.items} count={overdue.count} kind="overdue" unitNames={unitNames} shown={10} />
          </section>
          <section aria-labelledby="due-soon">
            <h2 id="due-soon">7天内到期（{soon.count}）</h2>
            <WorklistBrief items={soon.items} count={soon.count} kind="due-soon" unitNames={unitNames} shown={10} />
          </section>
        </div>
        <DiscrepancySection report={report} unitNames={unitNames} />
      </Layout>,
    );
  });

  drillDownRoutes(app, deps, pd);
  sessionsRoutes(app, deps, pd);
}
