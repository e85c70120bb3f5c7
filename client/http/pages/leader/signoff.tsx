import type { Hono } from 'hono';
import { scopeOf } from '../../../read/visibility.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { Layout } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import { TaskTable, unitTasks } from '../liaison/inbox.js';

// The leader's sign-off queue (待审签): the unit's replies and opinions submitted for signing,
// the soonest due first. Approving or returning happens on the proposal's page, where the draft,
// the consultation records and the co-opinions are read before deciding.

export function signOffRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const refuse = (c: PageContext) => notFoundPage(c, pd.mailViewer);

  app.get('/signoff', requireSignIn(), requireRole(['leader', 'principal'], refuse), async (c) => {
    const user = c.get('user');
    const scope = scopeOf(actorOf(user));
    if (scope.kind !== 'unit') return notFoundPage(c, pd.mailViewer, '您的账户没有所属单位，请联系系统管理员。');
    const rows = await unitTasks(deps.db, scope.unitId, { show: 'open', role: undefined, sort: 'due', statuses: ['signoff'] });
    const keyRows = rows.filter((r) => r.keyProposal).length;
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title="待审签" wide>
        <h1>待审签</h1>
        <p>
          共{rows.length}件答复稿等待审签。打开提案，阅读答复稿、协商记录和会办意见后，选择“同意签发”或“退回修改”。
          {keyRows > 0 ? `其中${keyRows}件为重点提案，须由单位主要负责人签发。` : ''}
        </p>
        <TaskTable rows={rows} caption="待审签的答复稿" />
      </Layout>,
    );
  });
}
