import type { Hono } from 'hono';
import { loginSchema } from '../../schemas.js';
import { changePassword, createSession, login, logout, logoutEverywhere, passwordMatches, SESSION_POLICY } from '../../auth.js';
import { CSRF_COOKIE, requireSignIn, safeNext, type PageContext, type PageEnv } from '../../middleware/session.js';
import { SESSION_COOKIE } from '../../middleware/auth.js';
import { lockoutMessage } from '../../login-throttle.js';
import { clearPageCookie, clientAddress, setPageCookie } from '../../request-info.js';
import { readForm } from '../form-fields.js';
import { Button, TextInput } from '../fields.js';
import { CsrfField, ErrorSummary, homeOf, Layout, Notice, type ErrorItem } from '../layout.js';
import { pageInfo, render, type PagesDeps } from '../render.js';
import type { AppDeps } from '../../env.js';
import { getCookie } from 'hono/cookie';

// Signing in and out, and the person's own account (password, other devices). The root address
// is the sign-in page for someone not signed in and their role's home for someone who is.

const MIN_PASSWORD = 10;

function SignInPage(p: {
  c: PageContext;
  deps: PagesDeps;
  username?: string;
  errors: ErrorItem[];
  fieldErrors: Record<string, string>;
  next: string | null;
  notice?: string;
}) {
  return (
    <Layout page={pageInfo(p.c, p.deps.mailViewer)} title="登录">
      <div class="narrow">
        <ErrorSummary items={p.errors} title="无法登录" />
        {p.notice ? <Notice>{p.notice}</Notice> : null}
        <h1>登录提案办理系统</h1>
        <p class="lead">交办单位、提案委员会、承办单位和提案者请使用分配给您的账户登录。</p>
        <form method="post" action="/login" novalidate>
          <CsrfField token={p.c.get('csrf')} />
          {p.next ? <input type="hidden" name="next" value={p.next} /> : null}
          <TextInput id="username" name="username" label="用户名" value={p.username} autocomplete="username" required error={p.fieldErrors.username} />
          <TextInput id="password" name="password" label="密码" type="password" autocomplete="current-password" required error={p.fieldErrors.password} />
          <Button>登录</Button>
        </form>
        <p class="hint">提案者也可以直接打开征询意见邮件中的专属链接评价办理结果，无需登录。</p>
      </div>
    </Layout>
  );
}

function AccountPage(p: { c: PageContext; deps: PagesDeps; errors: ErrorItem[]; fieldErrors: Record<string, string>; notice?: string; forced: boolean }) {
  const user = p.c.get('user');
  return (
    <Layout page={pageInfo(p.c, p.deps.mailViewer)} title="账户">
      <div class="narrow">
        <ErrorSummary items={p.errors} />
        {p.notice ? <Notice kind="success">{p.notice}</Notice> : null}
        <h1>账户</h1>
        <p>
          用户名：{user.username}；姓名：{user.display_name}
        </p>
        <h2 id="password-heading">修改密码</h2>
        {p.forced ? <Notice kind="warning">管理员已重置您的密码，请先设置一个只有您知道的新密码。</Notice> : null}
        <form method="post" action="/account/password" novalidate aria-labelledby="password-heading">
          <CsrfField token={p.c.get('csrf')} />
          <TextInput id="current" name="current" label="当前密码" type="password" autocomplete="current-password" required error={p.fieldErrors.current} />
          <TextInput
            id="password"
            name="password"
            label="新密码"
            type="password"
            autocomplete="new-password"
            hint={`至少${MIN_PASSWORD}个字符。修改后，您在其他设备上的登录将全部失效。`}
            required
            error={p.fieldErrors.password}
          />
          <TextInput id="confirm" name="confirm" label="再次输入新密码" type="password" autocomplete="new-password" required error={p.fieldErrors.confirm} />
          <Button>修改密码</Button>
        </form>
        <h2>登录的设备</h2>
        <p>如果您在公用电脑上登录过，或怀疑账户被他人使用，可以退出所有设备上的登录（包括本设备）。</p>
        <form method="post" action="/logout-everywhere">
          <CsrfField token={p.c.get('csrf')} />
          <Button kind="warning">退出所有设备</Button>
        </form>
      </div>
    </Layout>
  );
}

export function signInRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db } = deps;
  const signedIn = requireSignIn();

  app.get('/', (c) => {
    if (c.get('session')) return c.redirect(homeOf(c.get('user').role), 303);
    const ended = c.req.query('ended') === '1' || c.get('sessionEnded');
    const out = c.req.query('out');
    const notice = ended
      ? '您的登录已过期（长时间没有操作或已在其他设备退出），请重新登录。'
      : out === 'all'
        ? '已退出所有设备上的登录。'
        : out === '1'
          ? '您已退出登录。'
          : undefined;
    return render(c, <SignInPage c={c} deps={pd} errors={[]} fieldErrors={{}} next={safeNext(c.req.query('next'))} notice={notice} />);
  });

  app.post('/login', async (c) => {
    const form = (await readForm(c))!;
    const next = safeNext(form.get('next'));
    const raw = { username: (form.get('username') ?? '').trim(), password: form.get('password') ?? '' };
    const parsed = loginSchema.safeParse(raw);
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
      const errors = Object.entries(fieldErrors).map(([field, message]) => ({ message, href: field }));
      return render(c, <SignInPage c={c} deps={pd} username={raw.username} errors={errors} fieldErrors={fieldErrors} next={next} />, 422);
    }
    const result = await login(db, parsed.data.username, parsed.data.password, {
      kind: 'page',
      address: clientAddress(c),
      userAgent: c.req.header('user-agent') ?? null,
    });
    if (!result.ok) {
      const message =
        result.reason === 'locked'
          ? lockoutMessage(result.lockout)
          : `用户名或密码不正确。${result.attemptsLeft <= 2 ? `再输错${result.attemptsLeft}次，该账户将被暂时锁定15分钟。` : ''}`;
      return render(
        c,
        <SignInPage c={c} deps={pd} username={raw.username} errors={[{ message, href: 'password' }]} fieldErrors={{ password: message }} next={next} />,
        result.reason === 'locked' ? 429 : 401,
      );
    }
    // A new session token at every sign-in (no fixation); the signed-out CSRF cookie has done its job.
    setPageCookie(c, SESSION_COOKIE, result.token, SESSION_POLICY.absoluteHours * 3600);
    clearPageCookie(c, CSRF_COOKIE);
    return c.redirect(next ?? homeOf(result.user.role), 303);
  });

  app.post('/logout', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await logout(db, token);
    clearPageCookie(c, SESSION_COOKIE);
    return c.redirect('/?out=1', 303);
  });

  app.post('/logout-everywhere', signedIn, async (c) => {
    await logoutEverywhere(db, c.get('user').id);
    clearPageCookie(c, SESSION_COOKIE);
    return c.redirect('/?out=all', 303);
  });

  app.get('/account', signedIn, (c) => render(c, <AccountPage c={c} deps={pd} errors={[]} fieldErrors={{}} forced={c.get('user').must_change_password} />));
  app.get('/account/password', signedIn, (c) => c.redirect('/account#password-heading', 303));

  app.post('/account/password', signedIn, async (c) => {
    const form = (await readForm(c))!;
    const current = form.get('current') ?? '';
    const password = form.get('password') ?? '';
    const confirm = form.get('confirm') ?? '';
    const user = c.get('user');
    const fieldErrors: Record<string, string> = {};
    if (!current) fieldErrors.current = '请输入当前密码';
    else if (!(await passwordMatches(user, current))) fieldErrors.current = '当前密码不正确';
    if (password.length < MIN_PASSWORD) fieldErrors.password = `新密码至少需要${MIN_PASSWORD}个字符`;
    else if (password.length > 200) fieldErrors.password = '新密码不能超过200个字符';
    else if (password === current) fieldErrors.password = '新密码不能与当前密码相同';
    if (!fieldErrors.password && confirm !== password) fieldErrors.confirm = '两次输入的新密码不一致';
    if (Object.keys(fieldErrors).length > 0) {
      const errors = Object.entries(fieldErrors).map(([field, message]) => ({ message, href: field }));
      return render(c, <AccountPage c={c} deps={pd} errors={errors} fieldErrors={fieldErrors} forced={user.must_change_password} />, 422);
    }
    // Every session ends, this one too, and a fresh one starts here: a cookie someone copied stops working.
    await changePassword(db, user.id, password);
    const fresh = await createSession(db, user.id, 'page', c.req.header('user-agent') ?? null);
    setPageCookie(c, SESSION_COOKIE, fresh.token, SESSION_POLICY.absoluteHours * 3600);
    c.set('csrf', fresh.csrfToken!);
    c.set('user', { ...user, must_change_password: false });
    return render(c, <AccountPage c={c} deps={pd} errors={[]} fieldErrors={{}} forced={false} notice="密码已修改，其他设备上的登录已全部失效。" />);
  });
}
