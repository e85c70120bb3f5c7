import { userView } from '../../read/views.js';
import { login, logout, SESSION_POLICY } from '../auth.js';
import { lockoutMessage } from '../login-throttle.js';
import { clientAddress, servedOverTls } from '../request-info.js';
import type { AppDeps } from '../env.js';
import { SESSION_COOKIE, sessionToken } from '../middleware/auth.js';
import { problem } from '../problem.js';
import type { Routes } from '../route.js';
import { loginSchema, preferencesSchema } from '../schemas.js';

// Sessions (login, logout) and the caller's own account.

export function authRoutes(r: Routes, deps: AppDeps): void {
  const { db } = deps;

  r.mount(
    {
      method: 'post',
      path: '/api/login',
      summary: '登录：返回令牌（Authorization: Bearer）并设置会话 Cookie',
      tag: '账户',
      public: true,
      body: loginSchema,
      ok: { status: 200, description: '{ token, user }' },
      problems: [401],
    },
    async (c, { body }) => {
      const result = await login(db, body.username, body.password, { kind: 'bearer', address: clientAddress(c), userAgent: c.req.header('user-agent') ?? null });
      if (!result.ok && result.reason === 'locked') {
        // 401, not 429: the shared failure list has no throttling type, and the caller is in fact not signed in.
        c.header('Retry-After', String(Math.max(1, Math.ceil((result.lockout.until.getTime() - Date.now()) / 1000))));
        return problem(c, 'UNAUTHENTICATED', lockoutMessage(result.lockout), undefined, { lockedUntil: result.lockout.until.toISOString() });
      }
      if (!result.ok) return problem(c, 'UNAUTHENTICATED', '用户名或密码不正确');
      const secure = servedOverTls(c) ? '; Secure' : '';
      c.header('Set-Cookie', `${SESSION_COOKIE}=${result.token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_POLICY.absoluteHours * 3600}${secure}`);
      return c.json({ token: result.token, user: userView(result.user) });
    },
  );

  r.mount({ method: 'post', path: '/api/logout', summary: '退出登录', tag: '账户', ok: { status: 200, description: '{ ok: true }' } }, async (c) => {
    const token = sessionToken(c);
    if (token) await logout(db, token);
    return c.json({ ok: true });
  });

  r.mount({ method: 'get', path: '/api/me', summary: '当前用户', tag: '账户', ok: { status: 200, description: 'UserView' } }, (c) => c.json(userView(c.get('user'))));

  r.mount(
    {
      method: 'put',
      path: '/api/me/preferences',
      summary: '个人设置（每日汇总邮件）',
      tag: '账户',
      body: preferencesSchema,
      ok: { status: 200, description: '{ dailyDigest }' },
    },
    async (c, { body }) => {
      await db.updateTable('users').set({ daily_digest: body.dailyDigest }).where('id', '=', c.get('user').id).execute();
      return c.json({ dailyDigest: body.dailyDigest });
    },
  );
}
