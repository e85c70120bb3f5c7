import { describe, expect, it } from 'vitest';
import { enc } from '../support/http.js';
import { useSuite } from '../support/suite.js';
import { uniq } from '../support/context.js';

// The pages' sessions, CSRF protection, throttling and headers, over plain HTTP the way a
// browser speaks it (cookies, forms, redirects by hand), against the real server and database.

const suite = useSuite();

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

/** A cookie jar and form posts: what a browser without script does. */
class Visitor {
  readonly cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Answer> {
    const body = form
      ? new URLSearchParams(
          Object.entries(form).flatMap(([k, v]): [string, string][] => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]])),
        ).toString()
      : undefined;
    const res = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      body,
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, headers: res.headers, text: await res.text(), location: res.headers.get('location') };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, undefined, headers);
  }

  /** The CSRF token the last page's forms carry. */
  static csrfOf(html: string): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('no _csrf field on the page');
    return m[1]!;
  }

  async signIn(username: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
    const page = await this.get('/');
    return this.request('POST', '/login', { _csrf: Visitor.csrfOf(page.text), username, password }, headers);
  }
}

const visitor = () => new Visitor(suite.api.server.url);

describe('sign-in and the session cookie', () => {
  it('shows the sign-in page at the root, sets an HttpOnly SameSite=Lax cookie on sign-in and sends each role home', async () => {
    const v = visitor();
    const root = await v.get('/');
    expect(root.status).toBe(200);
    expect(root.text).toContain('登录提案办理系统');
    const signedIn = await v.signIn(suite.org.users.leadLiaison!.username, suite.org.users.leadLiaison!.password);
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe('/inbox');
    const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('banli_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    expect((await v.get('/')).location).toBe('/inbox');
    expect((await v.get('/inbox')).text).toContain('本单位待办');
  });

  it('marks the cookie Secure when served over TLS (behind a proxy saying so)', async () => {
    const v = visitor();
    const page = await v.get('/', { 'x-forwarded-proto': 'https' });
    expect(page.headers.getSetCookie().join('\n')).toMatch(/banli_csrf=[^;]+;.*Secure/);
    const signedIn = await v.signIn(suite.org.users.office!.username, suite.org.users.office!.password, { 'x-forwarded-proto': 'https' });
    expect(signedIn.headers.getSetCookie().find((c) => c.startsWith('banli_session='))).toMatch(/Secure/);
  });

  it('ends a page session after its idle time and at its absolute end, and says so on the sign-in page', async () => {
    const v = visitor();
    await v.signIn(suite.org.users.office!.username, suite.org.users.office!.password);
    expect((await v.get('/proposals')).status).toBe(200);
    const user = await suite.db.selectFrom('users').select('id').where('username', '=', suite.org.users.office!.username).executeTakeFirstOrThrow();
    await suite.db
      .updateTable('auth_sessions')
      .set({ idle_expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', user.id)
      .where('kind', '=', 'page')
      .execute();
    const idle = await v.get('/proposals?stage=filed');
    expect(idle.status).toBe(303);
    expect(idle.location).toBe('/?ended=1&next=%2Fproposals%3Fstage%3Dfiled');
    expect((await v.get(idle.location!)).text).toContain('您的登录已过期');

    await v.signIn(suite.org.users.office!.username, suite.org.users.office!.password);
    await suite.db
      .updateTable('auth_sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', user.id)
      .where('kind', '=', 'page')
      .execute();
    expect((await v.get('/proposals')).location).toMatch(/^\/\?ended=1/);
  });

  it('signs out, and out everywhere: other browsers and bearer tokens of the person stop working', async () => {
    // Its own organisation: ending every session of the suite's committee would end the driver's too.
    const { org } = await suite.orgWith({});
    const { username, password } = org.users.committee!;
    const a = visitor();
    const b = visitor();
    await a.signIn(username, password);
    await b.signIn(username, password);
    const token = await suite.api.login(username, password);
    expect((await suite.api.call(token, 'GET', '/api/me')).status).toBe(200);

    const out = await a.request('POST', '/logout', { _csrf: Visitor.csrfOf((await a.get('/committee')).text) });
    expect(out.location).toBe('/?out=1');
    expect((await a.get('/committee')).status).toBe(303);
    expect((await b.get('/committee')).status).toBe(200);

    const everywhere = await b.request('POST', '/logout-everywhere', { _csrf: Visitor.csrfOf((await b.get('/account')).text) });
    expect(everywhere.location).toBe('/?out=all');
    expect((await b.get('/committee')).status).toBe(303);
    expect((await suite.api.call(token, 'GET', '/api/me')).status).toBe(401);
  });

  it('does not open the pages with a bearer token in the cookie (no CSRF token, no idle end), while the API still takes it', async () => {
    const token = await suite.api.login(suite.org.users.office!.username, suite.org.users.office!.password);
    const v = visitor();
    v.cookies.set('banli_session', token);
    expect((await v.get('/proposals')).status).toBe(303);
    expect((await suite.api.call(token, 'GET', '/api/proposals')).status).toBe(200);
  });
});

describe('CSRF', () => {
  it('refuses a form without the token, with another token or from another site with a Chinese page, and changes nothing', async () => {
    const id = await suite.d.filed();
    const v = visitor();
    await v.signIn(suite.org.users.office!.username, suite.org.users.office!.password);
    const page = await v.get(`/proposals/${enc(id)}`);
    const csrf = Visitor.csrfOf(page.text);
    const assign = { mode: 'sole', lead: suite.org.units.lead, _key: `k-${uniq()}` };

    const none = await v.request('POST', `/proposals/${enc(id)}/act/assign`, assign);
    expect(none.status).toBe(403);
    expect(none.text).toContain('请求未通过安全校验');
    expect(none.text).toContain('什么也没有改变');
    const other = await v.request('POST', `/proposals/${enc(id)}/act/assign`, { ...assign, _csrf: 'x'.repeat(43) });
    expect(other.status).toBe(403);
    const foreign = await v.request('POST', `/proposals/${enc(id)}/act/assign`, { ...assign, _csrf: csrf }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain('来自其他网站');
    const json = await v.request('POST', `/proposals/${enc(id)}/act/assign`, undefined, { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    expect((await suite.db.selectFrom('proposals').select('stage').where('workflow_id', '=', id).executeTakeFirstOrThrow()).stage).toBe('filed');

    const ok = await v.request('POST', `/proposals/${enc(id)}/act/assign`, { ...assign, _csrf: csrf }, { origin: suite.api.server.url });
    expect(ok.status).toBe(303);
    expect((await suite.db.selectFrom('proposals').select('stage').where('workflow_id', '=', id).executeTakeFirstOrThrow()).stage).toBe('handling');
  });

  it('refuses a sign-in form without the signed-out token (login CSRF)', async () => {
    const v = visitor();
    await v.get('/');
    const res = await v.request('POST', '/login', { username: suite.org.users.office!.username, password: suite.org.users.office!.password });
    expect(res.status).toBe(403);
    expect(v.cookies.has('banli_session')).toBe(false);
  });
});

describe('throttling and passwords', () => {
  it('locks an account name after 5 wrong passwords, refuses even the right one while locked, and says until when; the API says the same', async () => {
    const username = `nobody-${uniq()}`;
    const v = visitor();
    for (let i = 1; i <= 4; i++) {
      const res = await v.signIn(username, 'wrong');
      expect(res.status).toBe(401);
      expect(res.text).toContain('用户名或密码不正确');
      if (i >= 3) expect(res.text).toContain(`再输错${5 - i}次`);
    }
    const locked = await v.signIn(username, 'wrong');
    expect(locked.status).toBe(429);
    expect(locked.text).toMatch(/该账户已暂时锁定，请于\d\d:\d\d后再试/);
    const api = await suite.api.call(null, 'POST', '/api/login', { username, password: 'wrong' });
    expect(api.status).toBe(401);
    expect(api.json.message).toContain('暂时锁定');

    // A real account: locked out with its own password, then fine once the lock ends.
    const { username: real, password } = suite.org.users.otherLiaison!;
    for (let i = 0; i < 5; i++) await v.signIn(real, 'wrong');
    expect((await v.signIn(real, password)).status).toBe(429);
    await suite.db
      .updateTable('login_throttle')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('key', '=', `user:${real}`)
      .execute();
    expect((await v.signIn(real, password)).status).toBe(303);
  });

  it('changes a password: the current one is asked for, other sessions end, the new one works', async () => {
    const { org } = await suite.orgWith({});
    const { username, password } = org.users.cosigner!;
    const a = visitor();
    const b = visitor();
    await a.signIn(username, password);
    await b.signIn(username, password);
    const account = await a.get('/account');
    const csrf = Visitor.csrfOf(account.text);
    const wrong = await a.request('POST', '/account/password', { _csrf: csrf, current: 'nope', password: 'a-new-password-1', confirm: 'a-new-password-1' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('当前密码不正确');
    expect(wrong.text).toContain('href="#current"');
    const changed = await a.request('POST', '/account/password', { _csrf: csrf, current: password, password: 'a-new-password-1', confirm: 'a-new-password-1' });
    expect(changed.status).toBe(200);
    expect(changed.text).toContain('密码已修改');
    expect((await a.get('/mine')).status).toBe(200);
    expect((await b.get('/mine')).status).toBe(303);
    expect((await visitor().signIn(username, password)).status).toBe(401);
    expect((await visitor().signIn(username, 'a-new-password-1')).status).toBe(303);
  });
});

describe('what pages answer', () => {
  it('serves pages with a CSP without inline script, no framing, nosniff and a same-origin referrer policy; JSON keeps the API policy', async () => {
    const page = await visitor().get('/');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.text).not.toMatch(/<script>|<style|style="/);
    const css = await visitor().get(/href="(\/static\/app\.css\?v=\w+)"/.exec(page.text)![1]!);
    expect(css.headers.get('content-type')).toContain('text/css');
    const api = await suite.api.call(null, 'GET', '/api/openapi.json');
    expect(api.status).toBe(200);
    const apiHeaders = await fetch(`${suite.api.server.url}/api/proposals`);
    expect(apiHeaders.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('answers the emailed feedback link with a page to a browser and JSON to a program', async () => {
    const html = await visitor().get('/feedback/not-a-token');
    expect(html.status).toBe(404);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.text).toContain('链接无效或已过期');
    const json = await fetch(`${suite.api.server.url}/feedback/not-a-token`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(401);
    expect(((await json.json()) as { message: string }).message).toBe('链接无效或已过期');
  });

  it('shows another unit’s proposal to nobody: the page and its action forms are "not found" like a missing one', async () => {
    const id = await suite.d.assigned('sole');
    const v = visitor();
    // The throttling test above locked this account on purpose; start clean.
    await suite.db.deleteFrom('login_throttle').where('key', '=', `user:${suite.org.users.otherLiaison!.username}`).execute();
    await v.signIn(suite.org.users.otherLiaison!.username, suite.org.users.otherLiaison!.password);
    const page = await v.get(`/proposals/${enc(id)}`);
    const missing = await v.get(`/proposals/${enc(`${id}-nope`)}`);
    expect(page.status).toBe(404);
    expect(page.text).toBe(missing.text.replace(`${id}-nope`, id));
    const csrf = Visitor.csrfOf((await v.get('/inbox')).text);
    const act = await v.request('POST', `/proposals/${enc(id)}/act/recordNoConsultation`, { _csrf: csrf, reason: '试图越权' });
    expect(act.status).toBe(404);
    expect(await suite.d.steps(id)).not.toContain('recordNoConsultation');
    expect((await v.get('/proposals')).text).not.toContain(id);
  });
});
