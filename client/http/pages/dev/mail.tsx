import type { Hono } from 'hono';
import { readCaughtMail, type CaughtMail } from '../../../read/caught-mail.js';
import { isStaff } from '../../../read/visibility.js';
import type { AppDeps } from '../../env.js';
import { PAGE_CSP_HEADER } from '../../middleware/page-headers.js';
import { requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { cnDateTime, Layout, Paragraphs } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';

// Development only (MAIL_CATCHER_DIR set): the local mail catcher's messages, so a newcomer
// running `npm start` can follow every mail a proposal sends. Staff only, as GET /api/dev/mail,
// since the mails carry every party's correspondence. A mail's HTML part is never put into our
// page: it is served on its own address with a policy that allows no script, no request and no
// navigation (CSP sandbox), and shown in a sandboxed frame.

const MAIL_CSP = ["default-src 'none'", "style-src 'unsafe-inline'", 'img-src data:', "frame-ancestors 'self'", "form-action 'none'", 'sandbox'].join('; ');

export function devMailRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const dir = deps.mailCatcherDir;
  const refuse = (c: PageContext) => notFoundPage(c, pd.mailViewer);
  const mails = () => (dir ? readCaughtMail(dir).reverse() : []);
  const find = (id: string): CaughtMail | undefined => mails().find((m) => m.id === id);
  const guard = async (c: PageContext, next: () => Promise<void>) => {
    if (!dir || !isStaff(c.get('user'))) return refuse(c);
    await next();
  };

  app.get('/dev/mail', requireSignIn(), guard, (c) => {
    const list = mails();
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title="本地邮件" wide>
        <span class="caption">开发环境</span>
        <h1>本地邮件接收器</h1>
        <p>这里是本机邮件接收器收到的全部邮件（最新的在前），共{list.length}封。真实部署中邮件发往 SMTP 服务器，本页不存在。</p>
        {list.length === 0 ? (
          <p>还没有邮件。</p>
        ) : (
          <table class="table responsive">
            <caption class="visually-hidden">收到的邮件</caption>
            <thead>
              <tr>
                <th scope="col">主题</th>
                <th scope="col">收件人</th>
                <th scope="col">时间</th>
              </tr>
            </thead>
            <tbody>
              {list.map((m) => (
                <tr>
                  <td data-label="主题">
                    <a href={`/dev/mail/${encodeURIComponent(m.id)}`}>{m.subject || '（无主题）'}</a>
                    {m.attachments.length > 0 ? <span class="hint">（附件{m.attachments.length}个）</span> : null}
                  </td>
                  <td data-label="收件人">{m.to.join('、')}</td>
                  <td data-label="时间">{cnDateTime(m.receivedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Layout>,
    );
  });

  app.get('/dev/mail/:id', requireSignIn(), guard, (c) => {
    const mail = find(c.req.param('id'));
    if (!mail) return refuse(c);
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title={mail.subject || '邮件'} wide>
        <p>
          <a href="/dev/mail">返回邮件列表</a>
        </p>
        <h1>{mail.subject || '（无主题）'}</h1>
        <dl class="summary-list">
          <div>
            <dt>发件人</dt>
            <dd>{mail.from}</dd>
          </div>
          <div>
            <dt>收件人</dt>
            <dd>{mail.to.join('、')}</dd>
          </div>
          {mail.cc.length > 0 ? (
            <div>
              <dt>抄送</dt>
              <dd>{mail.cc.join('、')}</dd>
            </div>
          ) : null}
          <div>
            <dt>时间</dt>
            <dd>{cnDateTime(mail.receivedAt)}</dd>
          </div>
          {mail.attachments.length > 0 ? (
            <div>
              <dt>附件</dt>
              <dd>{mail.attachments.map((a) => `${a.filename ?? '（无名）'}（${Math.ceil(a.size / 1024)} KB）`).join('、')}</dd>
            </div>
          ) : null}
        </dl>
        {mail.html ? (
          <>
            <h2>HTML 正文</h2>
            <iframe class="mail-frame" title="邮件的 HTML 正文" sandbox="" src={`/dev/mail/${encodeURIComponent(mail.id)}/html`}></iframe>
          </>
        ) : null}
        <h2>纯文本正文</h2>
        <div class="mail-text">
          <Paragraphs text={mail.text} />
        </div>
      </Layout>,
    );
  });

  app.get('/dev/mail/:id/html', requireSignIn(), guard, (c) => {
    const mail = find(c.req.param('id'));
    if (!mail?.html) return refuse(c);
    return c.html(mail.html, 200, { [PAGE_CSP_HEADER]: MAIL_CSP });
  });
}
