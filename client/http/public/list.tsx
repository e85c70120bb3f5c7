import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { countPublished, listPublished, publishedFacets, type PublishedEntry, type PublishedFilter } from '../../../db/repositories/publications.js';
import type { Database } from '../../../db/schema.js';
import { text } from '../../../workflows/proposal/inputs.js';
import { beijingDay, entryPath } from './format.js';
import { HOME_CRUMBS, PublicLayout, renderPublic, SITE_NAME } from './layout.js';

// 公开答复列表: newest first, twenty to a page, searched by session, unit and keyword with a plain
// GET form, so a search is an address a reader can bookmark or share and nothing needs a script.

export const PAGE_SIZE = 20;
const MAX_PAGE = 10_000;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const listQuery = z.object({
  q: z.preprocess(blankToUndefined, text('关键词', 100).trim().optional()),
  session: z.preprocess(blankToUndefined, text('届次', 60).optional()),
  unit: z.preprocess(blankToUndefined, text('承办单位', 100).optional()),
  page: z.preprocess(
    blankToUndefined,
    z.coerce.number({ message: '页码必须是正整数' }).int('页码必须是正整数').min(1, '页码必须是正整数').max(MAX_PAGE, `页码不能超过${MAX_PAGE}`).default(1),
  ),
});
type ListQuery = z.infer<typeof listQuery>;

function pageHref(query: ListQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.session) params.set('session', query.session);
  if (query.unit) params.set('unit', query.unit);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `/public?${search}` : '/public';
}

function SearchForm(props: { query: Partial<ListQuery>; sessions: { code: string; name: string }[]; units: { id: string; name: string }[] }) {
  const { query } = props;
  // A value from a shared address that no published entry has (yet) stays selected and visible.
  const sessions =
    query.session && !props.sessions.some((s) => s.code === query.session) ? [...props.sessions, { code: query.session, name: query.session }] : props.sessions;
  const units = query.unit && !props.units.some((u) => u.id === query.unit) ? [...props.units, { id: query.unit, name: query.unit }] : props.units;
  return (
    <form method="get" action="/public" class="search" role="search" aria-label="搜索公开答复">
      <div class="field field-wide">
        <label for="q">关键词</label>
        <input id="q" name="q" type="search" value={query.q ?? ''} maxlength={100} autocomplete="off" />
      </div>
      <div class="field">
        <label for="session">届次</label>
        <select id="session" name="session">
          <option value="">全部届次</option>
          {sessions.map((s) => (
            <option value={s.code} selected={s.code === query.session}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="unit">承办单位</label>
        <select id="unit" name="unit">
          <option value="">全部单位</option>
          {units.map((u) => (
            <option value={u.id} selected={u.id === query.unit}>
              {u.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field field-button">
        <button type="submit">搜索</button>
      </div>
    </form>
  );
}

function EntryItem(props: { entry: PublishedEntry }) {
  const e = props.entry;
  return (
    <li class="entry">
      <h2 class="entry-title">
        <a href={entryPath(e.indexNo)}>{e.title}</a>
      </h2>
      <p class="entry-proposal">
        {e.proposalNo ? `${e.proposalNo}提案` : '提案'}《{e.proposalTitle}》
      </p>
      <dl class="entry-meta">
        <div>
          <dt>索引号</dt>
          <dd>{e.indexNo}</dd>
        </div>
        <div>
          <dt>文件编号</dt>
          <dd>{e.docNo}</dd>
        </div>
        <div>
          <dt>发布机构</dt>
          <dd>{e.organ}</dd>
        </div>
        <div>
          <dt>发布日期</dt>
          <dd>
            <time datetime={e.publishedAt}>{beijingDay(e.publishedAt)}</time>
          </dd>
        </div>
      </dl>
    </li>
  );
}

function Pager(props: { query: ListQuery; pages: number }) {
  const { query, pages } = props;
  if (pages <= 1) return null;
  const current = query.page;
  return (
    <nav class="pager" aria-label="分页">
      <ul>
        {current > 1 ? (
          <li>
            <a href={pageHref(query, Math.min(current - 1, pages))} rel="prev">
              上一页
            </a>
          </li>
        ) : null}
        <li class="pager-where">
          第 {current} 页，共 {pages} 页
        </li>
        {current < pages ? (
          <li>
            <a href={pageHref(query, current + 1)} rel="next">
              下一页
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

export async function listPage(c: Context, db: Kysely<Database>): Promise<Response> {
  const facets = await publishedFacets(db);
  const parsed = listQuery.safeParse(c.req.query());
  if (!parsed.success) {
    const raw = c.req.query();
    const shown = { q: typeof raw.q === 'string' ? raw.q.slice(0, 100) : undefined };
    return renderPublic(
      c,
      <PublicLayout title={SITE_NAME} crumbs={HOME_CRUMBS}>
        <h1>建议提案答复</h1>
        <div class="error-summary" role="alert">
          <h2>搜索条件有误</h2>
          <ul>
            {parsed.error.issues.map((i) => (
              <li>{i.message}</li>
            ))}
          </ul>
        </div>
        <SearchForm query={shown} sessions={facets.sessions} units={facets.units} />
      </PublicLayout>,
      400,
    );
  }
  const query = parsed.data;
  const filter: PublishedFilter = { sessionCode: query.session, unitId: query.unit, keyword: query.q };
  const [total, entries] = await Promise.all([countPublished(db, filter), listPublished(db, { ...filter, limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE })]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const searching = Boolean(query.q || query.session || query.unit);
  return renderPublic(
    c,
    <PublicLayout title={query.page > 1 ? `${SITE_NAME}（第${query.page}页）` : SITE_NAME} crumbs={HOME_CRUMBS}>
      <h1>建议提案答复</h1>
      <p class="lead">承办单位对政协委员提案的答复，按发布日期从新到旧排列。</p>
      <SearchForm query={query} sessions={facets.sessions} units={facets.units} />
      <p class="result-count">
        {searching ? `找到 ${total} 条符合条件的答复` : `共 ${total} 条答复`}
        {searching ? (
          <>
            {' · '}
            <a href="/public">清除搜索条件</a>
          </>
        ) : null}
      </p>
      {entries.length > 0 ? (
        <ol class="entries">
          {entries.map((e) => (
            <EntryItem entry={e} />
          ))}
        </ol>
      ) : (
        <p class="empty">{total > 0 ? '这一页没有内容。' : searching ? '没有找到符合条件的答复，请换个关键词或放宽条件。' : '目前还没有公开的答复。'}</p>
      )}
      <Pager query={query} pages={pages} />
    </PublicLayout>,
  );
}
