import type { Context } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { CsrfRefusal } from '../middleware/csrf.js';
import type { PageContext } from '../middleware/session.js';
import { Layout, type PageInfo } from './layout.js';

// Rendering a page and the pages every router may answer with (not found, refused, error).

export interface PagesDeps {
  mailViewer: boolean;
}

export function pageInfo(c: PageContext, mailViewer: boolean): PageInfo {
  return { user: c.get('session') ? c.get('user') : null, csrf: c.get('csrf'), path: c.req.path, mailViewer };
}

/** A page as HTML; components are synchronous, so the element is a string already. */
export async function render(c: Context, node: HtmlEscapedString | Promise<HtmlEscapedString>, status: ContentfulStatusCode = 200): Promise<Response> {
  const body = (await node).toString();
  return c.html(`<!DOCTYPE html>${body}`, status);
}

/** An address nobody serves, asked for by a browser: the API's 404 in words and a way home. */
export function plainNotFound(c: Context): Response | Promise<Response> {
  return render(
    c,
    <Layout page={{ user: null, csrf: '', path: c.req.path, mailViewer: false }} title="没有找到">
      <h1>没有找到这个页面</h1>
      <p>请检查地址是否正确。</p>
      <p>
        <a href="/">返回首页</a>
      </p>
    </Layout>,
    404,
  );
}

/** Signed in or not, the page says where to go next; nothing here says whether a thing exists. */
export function notFoundPage(c: PageContext, mailViewer: boolean, message = '没有找到这个页面，或您无权查看。'): Promise<Response> {
  return render(
    c,
    <Layout page={pageInfo(c, mailViewer)} title="没有找到">
      <h1>没有找到</h1>
      <p>{message}</p>
      <p>
        <a href="/">返回首页</a>
      </p>
    </Layout>,
    404,
  );
}

const CSRF_WORDS: Record<CsrfRefusal, string> = {
  bad_token: '这个表单已经过期（例如您已退出后又重新登录，或页面打开太久），或者不是从本系统的页面提交的。',
  other_site: '这个请求来自其他网站，不是从本系统的页面提交的。',
  not_a_form: '这个请求不是从本系统的表单提交的。',
};

export function csrfRefusedPage(c: PageContext, why: CsrfRefusal, mailViewer: boolean): Promise<Response> {
  return render(
    c,
    <Layout page={pageInfo(c, mailViewer)} title="请求未通过安全校验">
      <h1>请求未通过安全校验</h1>
      <p>{CSRF_WORDS[why]}</p>
      <p>为保护您的账户，本次操作没有执行，什么也没有改变。</p>
      <p>请返回上一页，刷新页面后重新提交。如果反复出现，请确认浏览器允许本网站使用 Cookie。</p>
      <p>
        <a href="/">返回首页</a>
      </p>
    </Layout>,
    c.req.method === 'POST' && why === 'not_a_form' ? 415 : 403,
  );
}

export function errorPage(c: PageContext, mailViewer: boolean, status: ContentfulStatusCode, title: string, message: string): Promise<Response> {
  return render(
    c,
    <Layout page={pageInfo(c, mailViewer)} title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">返回首页</a>
      </p>
    </Layout>,
    status,
  );
}
