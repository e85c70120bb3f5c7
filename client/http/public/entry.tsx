import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Kysely } from 'kysely';
import { getPublished } from '../../../db/repositories/publications.js';
import type { Database } from '../../../db/schema.js';
import { beijingMinute } from './format.js';
import { HOME_CRUMBS, notFound, PublicLayout, renderPublic } from './layout.js';

// One published reply, laid out as seed 000's page: the metadata block (索引号, 组配分类, 发布机构,
// 生成日期, 文件编号, 发布日期), the title, the source, then the public version of the letter from
// its stored HTML rendition, the very bytes made when it was published.

/** 索引号 <organisation code>/<year>-<serial>; anything else is not an entry and needs no lookup. */
export const ORG_CODE = /^[0-9A-Za-z-]{1,40}$/;
const INDEX_NO = /^[0-9A-Za-z-]{1,40}\/\d{4}-\d{1,12}$/;

/**
 * The letter's body from the stored standalone page: its <article>, without the number, mark and
 * title (the page shows them in the metadata block and its heading, as seed 000 does) and without
 * the inline styles the renderer writes for mail clients, which the site's CSP would refuse and
 * the stylesheet replaces. The renderer escapes every text, so a quote or a tag in the letter's
 * words cannot look like markup here. Null when the rendition is not of that shape.
 */
export function letterFragment(stored: string): string | null {
  const article = /<article class="letter"[^>]*>[\s\S]*<\/article>/.exec(stored)?.[0];
  if (!article) return null;
  return article
    .replace(/<p class="letter-(?:mark|number)"[^>]*>[^<]*<\/p>\n?/g, '')
    .replace(/<h1 class="letter-title"[^>]*>[\s\S]*?<\/h1>\n?/, '')
    .replace(/ style="[^"]*"/g, '');
}

function MetaItem(props: { label: string; children: Child }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

export async function entryPage(c: Context, db: Kysely<Database>, indexNo: string): Promise<Response> {
  if (!INDEX_NO.test(indexNo)) return notFound(c);
  const entry = await getPublished(db, indexNo);
  if (!entry) return notFound(c);
  const letter = letterFragment(entry.html);
  return renderPublic(
    c,
    <PublicLayout title={entry.title} crumbs={[...HOME_CRUMBS, { label: entry.classification || '政协委员提案', href: '/public' }, { label: entry.title }]}>
      <dl class="meta" aria-label="信息索引">
        <MetaItem label="索引号">{entry.indexNo}</MetaItem>
        <MetaItem label="组配分类">{entry.classification}</MetaItem>
        <MetaItem label="发布机构">{entry.organ}</MetaItem>
        <MetaItem label="生成日期">{entry.generatedOn}</MetaItem>
        <MetaItem label="文件编号">{entry.docNo}</MetaItem>
        <MetaItem label="发布日期">
          <time datetime={entry.publishedAt}>{beijingMinute(entry.publishedAt)}</time>
        </MetaItem>
      </dl>
      <h1 class="entry-heading">{entry.title}</h1>
      <p class="entry-source">
        <span>发布日期：{beijingMinute(entry.publishedAt)}</span>
        <span>信息来源：{entry.organ}</span>
      </p>
      {entry.mode === 'summary' ? <p class="notice">本件为答复摘要公开，全文未公开。</p> : null}
      <section class="letter-frame" aria-label="答复全文">
        {letter !== null ? (
          raw(letter)
        ) : (
          // A rendition of another shape (none is expected): the public text, paragraph by paragraph.
          <article class="letter" lang="zh-CN">
            {entry.text.split(/\n+/).map((line) => (
              <p class="letter-paragraph">{line}</p>
            ))}
          </article>
        )}
      </section>
      <p class="back">
        <a href="/public">返回公开答复列表</a>
      </p>
    </PublicLayout>,
  );
}
