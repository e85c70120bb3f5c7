import type { Hono } from 'hono';
import { z } from 'zod';
import { STAGE_LABELS } from '../../../../workflows/proposal/machine.js';
import { proposalView, type ProposalView } from '../../../read/views.js';
import { audienceOf, listVisibleProposals } from '../../../read/visibility.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { listQuery } from '../../schemas.js';
import { Button, Select, TextInput } from '../fields.js';
import { cnDate, Layout, StageTag } from '../layout.js';
import { pageInfo, render, type PagesDeps } from '../render.js';
import { allUnits } from '../shared/proposal-data.js';
import { DueCell } from '../shared/proposal-view.js';

// The proposals this person may see (the one visibility rule), newest first, filtered by
// session, stage and words in the title; the office's home. A filter is a GET form, so it works
// without script and the address can be bookmarked or sent to a colleague.

const PAGE_SIZE = 50;
/** Title search reads at most this many rows of the filtered list (a session has up to ~900 here). */
const SEARCH_WINDOW = 2000;

const pageQuery = z.object({
  session: listQuery.shape.session,
  stage: listQuery.shape.stage,
  q: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

export function ProposalTable(p: { items: ProposalView[]; unitNames: Map<string, string>; caption: string }) {
  if (p.items.length === 0) return <p>没有符合条件的提案。</p>;
  return (
    <table class="table responsive">
      <caption class="visually-hidden">{p.caption}</caption>
      <thead>
        <tr>
          <th scope="col">编号</th>
          <th scope="col">标题</th>
          <th scope="col">阶段</th>
          <th scope="col">主办单位</th>
          <th scope="col">下一期限</th>
        </tr>
      </thead>
      <tbody>
        {p.items.map((v) => (
          <tr>
            <td data-label="编号">{v.proposalNo ?? v.receiptNo}</td>
            <td data-label="标题">
              <a href={`/proposals/${encodeURIComponent(v.workflowId)}`}>{v.title}</a>
              <div class="hint">
                {v.sessionCode} · 收到 {cnDate(v.receivedDate)}
              </div>
            </td>
            <td data-label="阶段">
              <StageTag stage={v.stage} label={v.stageLabel} />
            </td>
            <td data-label="主办单位">{v.leadUnitId ? (p.unitNames.get(v.leadUnitId) ?? v.leadUnitId) : '—'}</td>
            <td data-label="下一期限">
              <DueCell dueAt={v.nextDueAt} done={false} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function proposalListRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db } = deps;

  app.get('/proposals', requireSignIn(), async (c: PageContext) => {
    const parsed = pageQuery.safeParse(c.req.query());
    const query = parsed.success ? parsed.data : { session: undefined, stage: undefined, q: undefined, page: 1 };
    const viewer = actorOf(c.get('user'));
    const words = query.q?.trim() || undefined;
    const filters = { sessionCode: query.session || undefined, stage: query.stage };
    const rows = words
      ? (await listVisibleProposals(db, viewer, { ...filters, limit: SEARCH_WINDOW, offset: 0 })).filter(
          (r) => r.title.includes(words) || r.receipt_no === words || r.proposal_no === words,
        )
      : await listVisibleProposals(db, viewer, { ...filters, limit: PAGE_SIZE + 1, offset: (query.page - 1) * PAGE_SIZE });
    const pageRows = words ? rows.slice((query.page - 1) * PAGE_SIZE, query.page * PAGE_SIZE + 1) : rows;
    const more = pageRows.length > PAGE_SIZE;
    const items = pageRows.slice(0, PAGE_SIZE).map((r) => proposalView(r, viewer));
    const [sessions, units] = await Promise.all([db.selectFrom('sessions').select(['code', 'name']).orderBy('created_at', 'desc').execute(), allUnits(db)]);
    const unitNames = new Map(units.map((u) => [u.id, u.name]));
    const link = (page: number) => {
      const params = new URLSearchParams();
      if (filters.sessionCode) params.set('session', filters.sessionCode);
      if (filters.stage) params.set('stage', filters.stage);
      if (words) params.set('q', words);
      params.set('page', String(page));
      return `/proposals?${params.toString()}`;
    };
    const staff = audienceOf(viewer) === 'staff';
    const stages = Object.entries(STAGE_LABELS).map(([value, label]) => ({ value, label }));
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title={staff ? '提案' : '本单位提案'} wide>
        <div class="page-head">
          <h1>{staff ? '提案' : audienceOf(viewer) === 'unit' ? '本单位提案' : '提案'}</h1>
          {c.get('user').role === 'office' || c.get('user').role === 'committee' ? (
            <a class="button button-primary" href="/proposals/new">
              登记提案
            </a>
          ) : null}
        </div>
        <form method="get" action="/proposals" class="filters" role="search" aria-label="筛选提案">
          <Select
            noOptionalMark
            id="f-session"
            name="session"
            label="届次"
            choices={sessions.map((s) => ({ value: s.code, label: s.name }))}
            selected={filters.sessionCode}
            placeholder="全部届次"
          />
          <Select noOptionalMark id="f-stage" name="stage" label="阶段" choices={stages} selected={filters.stage} placeholder="全部阶段" />
          <TextInput noOptionalMark id="f-q" name="q" label="标题或编号" value={words} />
          <Button kind="secondary">筛选</Button>
        </form>
        {filters.stage ? <p class="hint">当前只显示「{STAGE_LABELS[filters.stage]}」的提案。</p> : null}
        <ProposalTable items={items} unitNames={unitNames} caption="提案列表" />
        <nav class="pagination" aria-label="翻页">
          {query.page > 1 ? <a href={link(query.page - 1)}>上一页</a> : null}
          <span>第{query.page}页</span>
          {more ? <a href={link(query.page + 1)}>下一页</a> : null}
        </nav>
      </Layout>,
    );
  });
}
