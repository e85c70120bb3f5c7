import type { Hono } from 'hono';
import { proposalView } from '../../../read/views.js';
import { listVisibleProposals } from '../../../read/visibility.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { Layout } from '../layout.js';
import { ProposalTable } from '../office/list.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import { allUnits } from '../shared/proposal-data.js';

// The proposer's proposals (我的提案): the ones they signed, as the visibility rule gives them.
// Each opens the proposal's page, where the reply (once sent) and the rating form are.

export function proposerRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const refuse = (c: PageContext) => notFoundPage(c, pd.mailViewer);

  app.get('/mine', requireSignIn(), requireRole(['proposer'], refuse), async (c) => {
    const viewer = actorOf(c.get('user'));
    const [rows, units] = await Promise.all([listVisibleProposals(deps.db, viewer, { limit: 500, offset: 0 }), allUnits(deps.db)]);
    const waiting = rows.filter((r) => r.stage === 'dispatched').length;
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title="我的提案" wide>
        <h1>我的提案</h1>
        {waiting > 0 ? <p>有{waiting}件提案已收到答复，请打开提案阅读答复并评价办理结果。</p> : null}
        <ProposalTable items={rows.map((r) => proposalView(r, viewer))} unitNames={new Map(units.map((u) => [u.id, u.name]))} caption="我的提案" />
      </Layout>,
    );
  });
}
