import { Hono } from 'hono';
import type { AppDeps } from '../env.js';
import { problemFromError } from '../errors.js';
import { csrfGuard } from '../middleware/csrf.js';
import { loadSession, type PageEnv } from '../middleware/session.js';
import { adminRoutes } from './admin/users.js';
import { calendarAdminRoutes } from './admin/calendar.js';
import { policyAdminRoutes } from './admin/policies.js';
import { unitAdminRoutes } from './admin/units.js';
import { letterStyleRoutes } from './admin/letter-style.js';
import { committeeRoutes } from './committee/home.js';
import { dashboardRoutes } from './committee/dashboard.js';
import { devMailRoutes } from './dev/mail.js';
import { liaisonRoutes } from './liaison/inbox.js';
import { signOffRoutes } from './leader/signoff.js';
import { officeRoutes } from './office/register.js';
import { importRoutes } from './office/import.js';
import { assignRoutes } from './office/assign.js';
import { queueRoutes } from './office/queues.js';
import { publicationReviewRoutes } from './office/publication-review.js';
import { proposalListRoutes } from './office/list.js';
import { jointDraftRoutes } from './office/joint-drafts.js';
import { paperFormRoutes } from './office/joint-paper.js';
import { feedbackLinkRoutes } from './proposer/feedback-link.js';
import { jointConsentLinkRoutes } from './proposer/joint-consent-link.js';
import { proposerRoutes } from './proposer/mine.js';
import { csrfRefusedPage, errorPage, notFoundPage, type PagesDeps } from './render.js';
import { proposalPageRoutes } from './shared/proposal-page.js';
import { searchPageRoutes } from './shared/search.js';
import { versionDiffRoutes } from './shared/version-diff.js';
import { signInRoutes } from './shared/sign-in.js';
import { staticRoutes } from './static.js';

// The web pages, one folder per role plus what every role shares. Each page route is declared
// with its own middleware (session, CSRF) instead of `use('*')`: this router is mounted at the
// root next to the API, and its middleware must not run for /api requests.

export { wantsHtml } from './negotiate.js';
export { plainNotFound } from './render.js';

export function pagesRouter(deps: AppDeps): Hono<PageEnv> {
  const pd: PagesDeps = { mailViewer: Boolean(deps.mailCatcherDir) };
  const app = new Hono<PageEnv>();
  const session = loadSession(deps.db);
  const csrf = csrfGuard((c, why) => csrfRefusedPage(c, why, pd.mailViewer));

  staticRoutes(app);

  // Session and CSRF for every page path; the API's paths are never listed here.
  const PAGE_PATHS = [
    '/',
    '/login',
    '/logout',
    '/logout-everywhere',
    '/account',
    '/account/*',
    '/proposals',
    '/proposals/*',
    '/inbox',
    '/signoff',
    '/committee',
    '/committee/dashboard',
    '/committee/dashboard/*',
    '/worklists',
    '/mine',
    '/admin/*',
    '/dev/mail',
    '/dev/mail/*',
    '/search',
    '/queues',
    '/joint-drafts',
    '/joint-drafts/*',
    '/feedback-forms/*',
  ];
  for (const path of PAGE_PATHS) {
    app.use(path, session, csrf);
  }
  // /feedback/{token} is shared with the JSON API: only a browser's request is a page's.
  feedbackLinkRoutes(app, deps, pd, [session, csrf]);
  // /joint-consent/{token} likewise: the co-signer's invitation link.
  jointConsentLinkRoutes(app, deps, pd, [session, csrf]);

  signInRoutes(app, deps, pd);
  proposalListRoutes(app, deps, pd);
  officeRoutes(app, deps, pd);
  // Before the proposal page: /proposals/import and /proposals/assign are not proposals' ids.
  importRoutes(app, deps, pd);
  assignRoutes(app, deps, pd);
  queueRoutes(app, deps, pd);
  jointDraftRoutes(app, deps, pd);
  paperFormRoutes(app, deps, pd);
  versionDiffRoutes(app, deps, pd);
  publicationReviewRoutes(app, deps, pd);
  proposalPageRoutes(app, deps, pd);
  committeeRoutes(app, deps, pd);
  dashboardRoutes(app, deps, pd);
  liaisonRoutes(app, deps, pd);
  signOffRoutes(app, deps, pd);
  proposerRoutes(app, deps, pd);
  adminRoutes(app, deps, pd);
  unitAdminRoutes(app, deps, pd);
  letterStyleRoutes(app, deps, pd);
  calendarAdminRoutes(app, deps, pd);
  policyAdminRoutes(app, deps, pd);
  devMailRoutes(app, deps, pd);
  searchPageRoutes(app, deps, pd);

  app.onError((err, c) => {
    const mapped = problemFromError(err);
    if (mapped.type === 'INTERNAL') console.error('[pages]', err);
    if (mapped.type === 'NOT_FOUND') return notFoundPage(c, pd.mailViewer);
    const unavailable = mapped.type === 'UNAVAILABLE';
    return errorPage(c, pd.mailViewer, unavailable ? 503 : 500, unavailable ? '服务暂时没有响应' : '系统出错了', mapped.body.message);
  });
  return app;
}
