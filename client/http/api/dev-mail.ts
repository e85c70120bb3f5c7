import { readCaughtMail } from '../../read/caught-mail.js';
import type { AppDeps } from '../env.js';
import { problem } from '../problem.js';
import type { Routes } from '../route.js';

// The local mail catcher's inbox, for the dev stack (MAIL_CATCHER_DIR); staff only, since the
// mails carry every party's correspondence.
export function devMailRoutes(r: Routes, deps: AppDeps): void {
  r.mount(
    {
      method: 'get',
      roles: ['office', 'committee', 'admin'],
      path: '/api/dev/mail',
      summary: '本地邮件接收器收到的邮件（开发环境，办公厅/委员会/管理员）',
      tag: '开发',
      problems: [403, 404],
    },
    (c) => {
      if (!deps.mailCatcherDir) return problem(c, 'NOT_FOUND', '未使用本地邮件接收器（SMTP_URL 指向真实服务器）');
      return c.json({ items: readCaughtMail(deps.mailCatcherDir).reverse() });
    },
  );
}
