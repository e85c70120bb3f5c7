import type { Hono } from 'hono';
import { raw } from 'hono/html';
import { z } from 'zod';
import { STAGE_LABELS } from '../../../../workflows/proposal/machine.js';
import { searchArchive, type SearchHit, type SearchResult } from '../../../read/search/archive.js';
import { scopeOf } from '../../../read/visibility.js';
import { searchQuery } from '../../api/search.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { doorIssues } from '../../problem.js';
import { Button, Select, TextInput } from '../fields.js';
import { ErrorSummary, Layout, StageTag } from '../layout.js';
import { pageInfo, render, type PagesDeps } from '../render.js';
import { allUnits } from './proposal-data.js';

// 档案检索 as a page for everyone signed in: the same search as GET /api/search (the same query
// schema, the same visibility rule), as a GET form, so a search is an address that can be kept
// or sent on. Titles and snippets are HTML that the search built from escaped text plus <mark>.

const PAGE_SIZE = 20;

const pageQuery = searchQuery.omit({ limit: true, offset: true }).extend({
  page: z.coerce.number().int().min(1).max(500).default(1),
});

const MATCHED_IN: Record<SearchHit['matchedIn'], string> = { proposal: '提案', reply: '答复', co_opinion: '会办意见', public: '公开答复' };

function Hit(p: { hit: SearchHit; unitNames: Map<string, string> }) {
  const { hit } = p;
  const unit = (id: string | null) => (id ? (p.unitNames.get(id) ?? id) : '—');
  return (
    <li class="search-hit">
      <h2 class="search-title">
        <a href={`/proposals/${encodeURIComponent(hit.workflowId)}`}>{raw(hit.titleHtml)}</a>
      </h2>
      <p class="hint">
        {hit.sessionCode} · {hit.proposalNo ?? hit.receiptNo} · <StageTag stage={hit.stage} label={hit.stageLabel} />
        {hit.replyClass ? ` · ${hit.replyClass}类` : ''} · 主办：{unit(hit.leadUnitId)}
      </p>
      <p class="search-snippet">
        <strong>
          {MATCHED_IN[hit.matchedIn]}
          {hit.matchedUnitId ? `（${unit(hit.matchedUnitId)}）` : ''}：
        </strong>
        {raw(hit.snippetHtml)}
      </p>
    </li>
  );
}

function Results(p: { result: SearchResult; unitNames: Map<string, string>; page: number; link: (page: number) => string }) {
  const { result } = p;
  if (result.total === 0) return <p>没有找到包含这些字词的提案、答复或会办意见。</p>;
  const pages = Math.ceil(result.total / PAGE_SIZE);
  return (
    <>
      <p role="status">
        找到 {result.total} 件提案（检索词：{result.terms.join('、')}），按相关度排序。
      </p>
      <ol class="search-results">
        {result.hits.map((hit) => (
          <Hit hit={hit} unitNames={p.unitNames} />
        ))}
      </ol>
      <nav class="pagination" aria-label="翻页">
        {p.page > 1 ? <a href={p.link(p.page - 1)}>上一页</a> : null}
        <span>
          第{p.page}页，共{pages}页
        </span>
        {p.page < pages ? <a href={p.link(p.page + 1)}>下一页</a> : null}
      </nav>
    </>
  );
}

export function searchPageRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db } = deps;

  app.get('/search', requireSignIn(), async (c: PageContext) => {
    const sent = c.req.query();
    const asked = typeof sent.q === 'string' && sent.q !== '';
    const parsed = asked ? pageQuery.safeParse(sent) : null;
    const values = { q: sent.q ?? '', session: sent.session ?? '', unit: sent.unit ?? '', class: sent.class ?? '', stage: sent.stage ?? '' };
    const issues = parsed && !parsed.success ? doorIssues(parsed.error) : [];
    const errors = Object.fromEntries(issues.map((i) => [i.field, i.message]));
    const [sessions, units] = await Promise.all([db.selectFrom('sessions').select(['code', 'name']).orderBy('created_at', 'desc').execute(), allUnits(db)]);
    const unitNames = new Map(units.map((u) => [u.id, u.name]));
    let result: SearchResult | null = null;
    let page = 1;
    if (parsed?.success) {
      const q = parsed.data;
      page = q.page;
      result = await searchArchive(
        db,
        scopeOf(actorOf(c.get('user'))),
        q.q,
        { sessionCode: q.session, unitId: q.unit, replyClass: q.class, stage: q.stage },
        { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
      );
    }
    const link = (to: number) => {
      const params = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ''));
      params.set('page', String(to));
      return `/search?${params.toString()}`;
    };
    const stages = Object.entries(STAGE_LABELS).map(([value, label]) => ({ value, label }));
    const classes = ['A', 'B', 'C'].map((v) => ({ value: v, label: `${v}类` }));
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title="档案检索" wide>
        <ErrorSummary items={issues.map((i) => ({ message: i.message, href: `s-${i.field}` }))} title={issues.length ? '无法检索' : undefined} />
        <h1>档案检索</h1>
        <p class="lead">在历届提案、答复和会办意见的全文中检索（只含您有权查看的内容）。</p>
        <form method="get" action="/search" class="filters" role="search" aria-label="档案检索">
          <TextInput noOptionalMark id="s-q" name="q" label="检索词" value={values.q} error={errors.q} maxLength={100} />
          <Select
            noOptionalMark
            id="s-session"
            name="session"
            label="届次"
            choices={sessions.map((s) => ({ value: s.code, label: s.name }))}
            selected={values.session}
            placeholder="全部届次"
            error={errors.session}
          />
          <Select
            noOptionalMark
            id="s-unit"
            name="unit"
            label="承办单位"
            choices={units.map((u) => ({ value: u.id, label: u.name }))}
            selected={values.unit}
            placeholder="全部单位"
          />
          <Select noOptionalMark id="s-class" name="class" label="答复类别" choices={classes} selected={values.class} placeholder="全部类别" error={errors.class} />
          <Select noOptionalMark id="s-stage" name="stage" label="阶段" choices={stages} selected={values.stage} placeholder="全部阶段" error={errors.stage} />
          <Button kind="secondary">检索</Button>
        </form>
        {result ? <Results result={result} unitNames={unitNames} page={page} link={link} /> : null}
      </Layout>,
      issues.length ? 422 : 200,
    );
  });
}
