import type { Hono } from 'hono';
import { z } from 'zod';
import { cachedCalendarLoader } from '../../../../activities/deadlines/calendar-cache.js';
import { proposalView } from '../../../read/views.js';
import { listVisibleProposals } from '../../../read/visibility.js';
import { readWorklist, worklistRefusal, type WorklistItem } from '../../../read/worklists.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { Button, Select } from '../fields.js';
import { cnDate, Layout } from '../layout.js';
import { UNIT_ROLE_LABELS } from '../labels.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import { ProposalTable } from '../office/list.js';
import { UnconfirmedTag } from '../shared/proposal-view.js';
import { allUnits } from '../shared/proposal-data.js';

// The committee's desk: proposals waiting for review and filing (审查立案), and the worklists of
// what is late (逾期) and due soon (临期) across the units, read by the same reader as
// GET /api/worklists/{kind} and the exports, so a unit sees only its own rows here too.

const worklistQuery = z.object({
  kind: z.enum(['overdue', 'due-soon']).default('overdue'),
  days: z.coerce.number().int().min(1).max(90).default(7),
  unit: z.string().max(100).optional(),
});

function WorklistTable(p: { items: WorklistItem[]; kind: 'overdue' | 'due-soon'; unitNames: Map<string, string> }) {
  if (p.items.length === 0) return <p>{p.kind === 'overdue' ? '没有逾期的任务。' : '这段时间内没有到期的任务。'}</p>;
  return (
    <table class="table responsive">
      <caption class="visually-hidden">{p.kind === 'overdue' ? '逾期清单' : '临期清单'}</caption>
      <thead>
        <tr>
          <th scope="col">提案</th>
          <th scope="col">单位</th>
          <th scope="col">期限</th>
          <th scope="col">{p.kind === 'overdue' ? '逾期' : '剩余'}</th>
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
            <td data-label="单位">
              {p.unitNames.get(i.unitId) ?? i.unitId}（{UNIT_ROLE_LABELS[i.role] ?? i.role}）
            </td>
            <td data-label="期限">
              <span class={`due due-${p.kind === 'overdue' ? 'overdue' : 'soon'}`}>{cnDate(i.dueDate)}</span>
              <UnconfirmedTag confirmed={i.calendarConfirmed} />
              {i.extended ? <span class="hint">（已延期）</span> : null}
              {i.dueExplanation ? (
                <details class="why">
                  <summary>为什么是这一天</summary>
                  <p>{i.dueExplanation}</p>
                </details>
              ) : null}
            </td>
            <td data-label={p.kind === 'overdue' ? '逾期' : '剩余'}>
              {p.kind === 'overdue' ? (i.daysLate > 0 ? `${i.daysLate}个工作日` : '不足1个工作日') : `${i.daysLeft}个工作日`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function committeeRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db } = deps;
  const calendarNow = cachedCalendarLoader(db);
  const refuse = (c: PageContext) => notFoundPage(c, pd.mailViewer);

  app.get('/committee', requireSignIn(), requireRole(['committee', 'office'], refuse), async (c) => {
    const viewer = actorOf(c.get('user'));
    const [received, units, overdue, soon] = await Promise.all([
      listVisibleProposals(db, viewer, { stage: 'received', limit: 200, offset: 0 }),
      allUnits(db),
      readWorklist(db, calendarNow, viewer, { kind: 'overdue', days: 7, limit: 5000 }),
      readWorklist(db, calendarNow, viewer, { kind: 'due-soon', days: 7, limit: 5000 }),
    ]);
    const unitNames = new Map(units.map((u) => [u.id, u.name]));
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title="立案审查" wide>
        <h1>立案审查</h1>
        <p>
          <a href="/committee/dashboard">办理统计、督办与差异报告</a>
        </p>
        <ul class="stats">
          <li>
            <a href="/worklists?kind=overdue">
              <strong>{overdue.count}</strong> 项任务已逾期
            </a>
          </li>
          <li>
            <a href="/worklists?kind=due-soon">
              <strong>{soon.count}</strong> 项任务7天内到期
            </a>
          </li>
        </ul>
        <h2>待审查立案的提案（{received.length}件）</h2>
        <p class="hint">打开提案，阅读全文后作出立案、并案、转为意见建议或不予立案的决定。</p>
        <ProposalTable items={received.map((r) => proposalView(r, viewer))} unitNames={unitNames} caption="待审查立案的提案" />
      </Layout>,
    );
  });

  app.get('/worklists', requireSignIn(), async (c) => {
    const viewer = actorOf(c.get('user'));
    const refusal = worklistRefusal(viewer);
    if (refusal) return notFoundPage(c, pd.mailViewer, refusal);
    const parsed = worklistQuery.safeParse(c.req.query());
    const q = parsed.success ? parsed.data : { kind: 'overdue' as const, days: 7, unit: undefined };
    const [list, units] = await Promise.all([readWorklist(db, calendarNow, viewer, { ...q, unit: q.unit || undefined, limit: 5000 }), allUnits(db)]);
    const unitNames = new Map(units.map((u) => [u.id, u.name]));
    const title = q.kind === 'overdue' ? '逾期清单' : '临期清单';
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title={title} wide>
        <h1>{title}</h1>
        <nav class="tabs" aria-label="清单">
          <a href="/worklists?kind=overdue" aria-current={q.kind === 'overdue' ? 'page' : undefined}>
            逾期
          </a>
          <a href="/worklists?kind=due-soon" aria-current={q.kind === 'due-soon' ? 'page' : undefined}>
            临期
          </a>
        </nav>
        <form method="get" action="/worklists" class="filters" aria-label="筛选清单">
          <input type="hidden" name="kind" value={q.kind} />
          {q.kind === 'due-soon' ? (
            <Select
              noOptionalMark
              id="w-days"
              name="days"
              label="到期时间"
              choices={[3, 7, 15, 30].map((d) => ({ value: String(d), label: `${d}天内` }))}
              selected={String(q.days)}
              placeholder="7天内"
            />
          ) : null}
          {c.get('user').unit_id === null ? (
            <Select
              noOptionalMark
              id="w-unit"
              name="unit"
              label="单位"
              choices={units.map((u) => ({ value: u.id, label: u.name }))}
              selected={q.unit}
              placeholder="全部单位"
            />
          ) : null}
          <Button kind="secondary">筛选</Button>
        </form>
        <p class="hint">
          共{list.count}项，截至{cnDate(list.asOf)}。逾期按重点提案优先、逾期天数从多到少排列；工作日按官方节假日安排计算。
        </p>
        <WorklistTable items={list.items} kind={q.kind} unitNames={unitNames} />
      </Layout>,
    );
  });
}
