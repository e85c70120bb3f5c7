import { Hono } from 'hono';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from '../settings.js';
import { actionRoutes } from './api/actions.js';
import { calendarRoutes } from './api/admin/calendar.js';
import { policyRoutes } from './api/admin/policies.js';
import { authRoutes } from './api/auth.js';
import { batchRoutes } from './api/batch.js';
import { deadlineRoutes } from './api/deadlines.js';
import { devMailRoutes } from './api/dev-mail.js';
import { feedbackRoutes } from './api/feedback.js';
import { healthRoutes } from './api/health.js';
import { jointConsentRoutes } from './api/joint-consent.js';
import { ioRoutes } from './api/io.js';
import { letterRoutes } from './api/letters.js';
import { proposalRoutes } from './api/proposals.js';
import { recordRoutes } from './api/records.js';
import { publicationRoutes } from './api/publication.js';
import { searchRoutes } from './api/search.js';
import { statisticsRoutes } from './api/statistics.js';
import type { AppDeps, AppEnv } from './env.js';
import { problemFromError } from './errors.js';
import { RETRY_AFTER_SECONDS } from './idempotency.js';
import { authenticator } from './middleware/auth.js';
import { limitBodies } from './middleware/body.js';
import { pageSecurityHeaders } from './middleware/page-headers.js';
import { apiSecurityHeaders } from './middleware/security.js';
import { refuseNulInUrl } from './middleware/url.js';
import { pagesRouter, plainNotFound, wantsHtml } from './pages/index.js';
import { problem, statusOf } from './problem.js';
import { publicRouter } from './public/index.js';
import { ApiDoc, Routes } from './route.js';

export type { AppDeps } from './env.js';

/**
 * The HTTP API and the web pages: middleware first (headers, URL and body bounds), then the
 * pages and one router per resource. It reads the projection directly and changes process
 * state only through workflows.
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...deps.limits };
  const app = new Hono<AppEnv>();
  const doc = new ApiDoc();
  const authenticate = authenticator(deps.db);

  // Outermost: pages (HTML, CSS, script) get the pages' policy in place of the API's.
  app.use('*', pageSecurityHeaders());
  app.use('*', ...apiSecurityHeaders());
  app.use('*', refuseNulInUrl());
  app.use(
    '*',
    limitBodies(limits.bodyLimitBytes, [
      { pattern: /^\/api\/(proposals|assignments)\/batch$/, bytes: limits.batchBodyLimitBytes },
      // A session's 登记表 as .xlsx: hundreds of proposals with their full texts.
      { pattern: /^\/api\/imports\/proposals$/, bytes: limits.batchBodyLimitBytes },
      // The same file uploaded from the office's import page.
      { pattern: /^\/proposals\/import$/, bytes: limits.batchBodyLimitBytes },
    ]),
  );

  app.onError((err, c) => {
    const mapped = problemFromError(err);
    if (mapped.type === 'INTERNAL') console.error('[http]', err);
    // A dependency away or too slow: say when to try again.
    if (mapped.type === 'UNAVAILABLE') c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    return c.json(mapped.body, statusOf(mapped.type));
  });
  app.notFound((c) => (wantsHtml(c) ? plainNotFound(c) : problem(c, 'NOT_FOUND', '没有这个地址')));

  // The web pages (client/http/pages/) first: /feedback/{token} is a page for a browser and JSON
  // for a program, and the page route hands a program's request on to the API's.
  app.route('/', pagesRouter(deps));
  // The public site (/public/*): published replies for anyone, its own router with no session.
  app.route('/', publicRouter(deps));

  const resources: ((r: Routes) => void)[] = [
    (r) => healthRoutes(r, deps, limits.healthTimeoutMs),
    (r) => authRoutes(r, deps),
    (r) => feedbackRoutes(r, deps),
    // Batch paths before /api/proposals/{id}: the router takes the first route that matches.
    (r) => batchRoutes(r, deps),
    (r) => proposalRoutes(r, deps),
    (r) => recordRoutes(r, deps),
    (r) => jointConsentRoutes(r, deps),
    (r) => actionRoutes(r, deps),
    (r) => deadlineRoutes(r, deps),
    (r) => calendarRoutes(r, deps),
    (r) => policyRoutes(r, deps),
    (r) => devMailRoutes(r, deps),
    (r) => ioRoutes(r, deps),
    (r) => publicationRoutes(r, deps),
    (r) => letterRoutes(r, deps),
    (r) => searchRoutes(r, deps),
    (r) => statisticsRoutes(r, deps),
  ];
  for (const add of resources) {
    const routes = new Routes(doc, authenticate);
    add(routes);
    app.route('/', routes.hono);
  }

  // Public: it describes request shapes that the 422 answers spell out anyway, and a client or
  // code generator needs it before it can log in.
  app.get('/api/openapi.json', (c) => c.json(doc.document()));
  return app;
}
