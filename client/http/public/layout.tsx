import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { stylesheetUrl } from './assets.js';

// The public site's frame: no session, no script, one stylesheet. Anyone may read it, so it says
// where the reader is (a breadcrumb like the disclosure sites: 政府信息公开 > 建议提案) and offers
// the feed on every page.

export const SITE_NAME = '建议提案答复公开';
export const FEED_PATH = '/public/feed.atom';

export interface Crumb {
  label: string;
  href?: string;
}

export function PublicLayout(props: { title: string; crumbs: Crumb[]; children: Child }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title === SITE_NAME ? SITE_NAME : `${props.title} - ${SITE_NAME}`}</title>
        <link rel="stylesheet" href={stylesheetUrl()} />
        <link rel="alternate" type="application/atom+xml" title={`${SITE_NAME}（Atom 订阅）`} href={FEED_PATH} />
      </head>
      <body>
        <a class="skip-link" href="#main">
          跳到主要内容
        </a>
        <header class="site-header">
          <div class="site-header-inner">
            <a class="site-name" href="/public">
              {SITE_NAME}
            </a>
            <span class="site-section">政府信息公开 · 建议提案</span>
          </div>
        </header>
        <nav class="crumbs" aria-label="当前位置">
          <ol>
            {props.crumbs.map((crumb, i) => (
              <li>
                {crumb.href && i < props.crumbs.length - 1 ? (
                  <a href={crumb.href}>{crumb.label}</a>
                ) : (
                  <span aria-current={i === props.crumbs.length - 1 ? 'page' : undefined}>{crumb.label}</span>
                )}
              </li>
            ))}
          </ol>
        </nav>
        <main id="main" class="site-main" tabindex={-1}>
          {props.children}
        </main>
        <footer class="site-footer">
          <p>
            本站公开的是承办单位对政协委员提案的答复（公开版本），已删除提案者的个人联系方式。
            <a href={FEED_PATH}>订阅更新（Atom）</a>
          </p>
        </footer>
      </body>
    </html>
  );
}

export const HOME_CRUMBS: Crumb[] = [
  { label: '政府信息公开', href: '/public' },
  { label: '建议提案', href: '/public' },
];

export async function renderPublic(c: Context, node: HtmlEscapedString | Promise<HtmlEscapedString>, status: ContentfulStatusCode = 200): Promise<Response> {
  const body: string = await node;
  return c.html(`<!DOCTYPE html>${body}`, status);
}

/**
 * The one answer for anything that is not a published entry (unknown, not yet published, not
 * public, another kind of id): the same page and status, so the site says nothing about what
 * exists behind it.
 */
export function notFound(c: Context): Promise<Response> {
  return renderPublic(
    c,
    <PublicLayout title="没有找到" crumbs={[...HOME_CRUMBS, { label: '没有找到' }]}>
      <h1>没有找到这条公开信息</h1>
      <p>您访问的地址没有对应的已公开答复。请检查地址，或在列表中搜索。</p>
      <p>
        <a href="/public">返回公开答复列表</a>
      </p>
    </PublicLayout>,
    404,
  );
}

/** Something failed on our side (the database away): said plainly, with nothing internal. */
export function errorPage(c: Context, status: ContentfulStatusCode = 500): Promise<Response> {
  const busy = status === 503;
  return renderPublic(
    c,
    <PublicLayout title={busy ? '服务暂时不可用' : '出错了'} crumbs={HOME_CRUMBS}>
      <h1>{busy ? '服务暂时不可用' : '页面出错了'}</h1>
      <p>{busy ? '请稍后刷新页面重试。' : '请稍后重试。如果问题持续存在，请联系网站管理员。'}</p>
      <p>
        <a href="/public">返回公开答复列表</a>
      </p>
    </PublicLayout>,
    status,
  );
}
