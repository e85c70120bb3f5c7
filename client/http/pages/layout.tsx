import type { Child } from 'hono/jsx';
import type { UserRow } from '../../../db/schema.js';
import { roleLabel } from '../../../workflows/proposal/state.js';
import type { Role } from '../../../workflows/shared/types.js';
import type { InputIssue } from '../../../workflows/proposal/parse.js';
import { CSRF_FIELD } from '../middleware/csrf.js';
import { staticUrl } from './static.js';

// The frame every page shares: language, viewport, the one stylesheet and script, a skip link,
// the header with the person's role navigation and sign-out, and the GOV.UK habits for errors
// (a summary at the top whose links lead to each field; each field's own message beside it).

export interface PageInfo {
  user: UserRow | null;
  csrf: string;
  path: string;
  /** Dev-only links (the mail viewer) appear when the catcher is configured. */
  mailViewer: boolean;
}

interface NavLink {
  href: string;
  label: string;
}

export function homeOf(role: Role): string {
  const homes: Record<Role, string> = {
    office: '/proposals',
    committee: '/committee',
    liaison: '/inbox',
    leader: '/signoff',
    principal: '/signoff',
    proposer: '/mine',
    admin: '/admin/users',
  };
  return homes[role];
}

function navFor(role: Role, mailViewer: boolean): NavLink[] {
  const mail = mailViewer && ['office', 'committee', 'admin'].includes(role) ? [{ href: '/dev/mail', label: '本地邮件' }] : [];
  const links: Record<Role, NavLink[]> = {
    office: [
      { href: '/proposals', label: '提案' },
      { href: '/proposals/new', label: '登记提案' },
      { href: '/proposals/import', label: '导入提案' },
      { href: '/proposals/assign', label: '批量交办' },
      { href: '/queues', label: '待办队列' },
      { href: '/joint-drafts', label: '联名提案' },
      { href: '/worklists', label: '逾期与临期' },
    ],
    committee: [
      { href: '/committee', label: '立案审查' },
      { href: '/worklists', label: '逾期与临期' },
      { href: '/proposals', label: '提案' },
      { href: '/joint-drafts', label: '联名提案' },
    ],
    liaison: [
      { href: '/inbox', label: '本单位待办' },
      { href: '/proposals', label: '本单位提案' },
    ],
    leader: [
      { href: '/signoff', label: '待审签' },
      { href: '/inbox', label: '本单位待办' },
    ],
    principal: [
      { href: '/signoff', label: '待审签' },
      { href: '/inbox', label: '本单位待办' },
    ],
    proposer: [
      { href: '/mine', label: '我的提案' },
      { href: '/joint-drafts', label: '我的联名' },
    ],
    admin: [
      { href: '/admin/users', label: '用户' },
      { href: '/admin/units', label: '单位' },
      { href: '/admin/calendar', label: '节假日' },
      { href: '/admin/policies', label: '办理规则' },
      { href: '/proposals', label: '提案' },
    ],
  };
  // Statistics for everyone who handles proposals; a unit sees its own (client/read/statistics).
  const statistics = role === 'proposer' ? [] : [{ href: '/committee/dashboard', label: '办理统计' }];
  return [...links[role], ...statistics, { href: '/search', label: '档案检索' }, ...mail];
}

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

export function Layout(props: { page: PageInfo; title: string; children: Child; wide?: boolean; refreshSeconds?: number }) {
  const { user, csrf, path, mailViewer } = props.page;
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} - 提案办理系统`}</title>
        {/* A long batch's page reloads itself until done: no script needed, and CSP does not govern it. */}
        {props.refreshSeconds ? <meta http-equiv="refresh" content={String(props.refreshSeconds)} /> : null}
        <link rel="stylesheet" href={staticUrl('app.css')} />
        <script src={staticUrl('app.js')} defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">
          跳到主要内容
        </a>
        <header class="header">
          <div class="header-inner">
            <a class="brand" href="/">
              提案办理系统
            </a>
            {user ? (
              <div class="account">
                <span class="who">
                  {user.display_name}
                  <span class="role">（{roleLabel(user.role)}）</span>
                </span>
                <a href="/account">账户</a>
                <form method="post" action="/logout" class="inline-form">
                  <CsrfField token={csrf} />
                  <button type="submit" class="link-button">
                    退出
                  </button>
                </form>
              </div>
            ) : null}
          </div>
          {user ? (
            <nav class="nav" aria-label="主导航">
              <ul>
                {navFor(user.role, mailViewer).map((l) => (
                  <li>
                    <a href={l.href} aria-current={path === l.href ? 'page' : undefined}>
                      {l.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
        </header>
        <main id="main" class={props.wide ? 'main wide' : 'main'} tabindex={-1}>
          {props.children}
        </main>
        <footer class="footer">政协提案办理 · Banli</footer>
      </body>
    </html>
  );
}

export interface ErrorItem {
  message: string;
  /** The element id the summary's link leads to; none for a refusal about the whole form. */
  href?: string;
}

/** The summary at the top of a page with errors: each item links to its field. */
export function ErrorSummary(props: { items: ErrorItem[]; title?: string }) {
  if (props.items.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1} data-autofocus="">
      <h2 id="error-summary-title">{props.title ?? '请修改以下问题'}</h2>
      <ul>
        {props.items.map((item) => (
          <li>{item.href ? <a href={`#${item.href}`}>{item.message}</a> : item.message}</li>
        ))}
      </ul>
    </div>
  );
}

/** Issues of a form as summary items, linked to the fields by id. */
export function errorItems(issues: InputIssue[], idOf: (field: string) => string, known: (field: string) => boolean): ErrorItem[] {
  return issues.map((i) => (i.field && known(i.field) ? { message: i.message, href: idOf(i.field) } : { message: i.message }));
}

export function Notice(props: { children: Child; kind?: 'success' | 'info' | 'warning' }) {
  return (
    <div class={`notice notice-${props.kind ?? 'info'}`} role={props.kind === 'success' ? 'status' : undefined}>
      {props.children}
    </div>
  );
}

export function StageTag(props: { stage: string; label: string }) {
  return <strong class={`tag tag-${props.stage}`}>{props.label}</strong>;
}

/** 2026年1月20日 from an ISO date or instant, in Beijing time. */
export function cnDate(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00+08:00`) : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' }).format(d);
}

export function cnDateTime(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
}

/** Paragraphs of a stored text, kept as the person wrote them. */
export function Paragraphs(props: { text: string | null }) {
  if (!props.text) return <p class="hint">（无）</p>;
  return (
    <div class="text-block">
      {props.text.split(/\n+/).map((line) => (
        <p>{line}</p>
      ))}
    </div>
  );
}
