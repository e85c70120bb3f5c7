import { Hono } from 'hono';
import type { AppDeps } from '../env.js';
import { problemFromError } from '../errors.js';
import { assetRoutes } from './assets.js';
import { entryPage } from './entry.js';
import { feedResponse } from './feed.js';
import { listPage } from './list.js';
import { errorPage, notFound } from './layout.js';

// The public site (公开): published replies for anyone, with no session, no cookie and no form
// that changes anything. It reads published entries only (db/repositories/publications.ts), so
// every other id, whatever it names inside the system, answers the same 404 page.
//
//   GET /public                      the list, newest first; ?q= &session= &unit= &page=
//   GET /public/{org}/{year-serial}  one entry by its 索引号 (also /public/{索引号 with %2F})
//   GET /public/feed.atom            the Atom feed of the latest entries

export function publicRouter(deps: Pick<AppDeps, 'db'>): Hono {
  const { db } = deps;
  const app = new Hono();

  assetRoutes(app);
  app.get('/public', (c) => listPage(c, db));
  app.get('/public/', (c) => listPage(c, db));
  // Before /public/:id, which would take it for an entry.
  app.get('/public/feed.atom', (c) => feedResponse(c, db));
  app.get('/public/:org/:serial', (c) => entryPage(c, db, `${c.req.param('org')}/${c.req.param('serial')}`));
  app.get('/public/:id', (c) => entryPage(c, db, c.req.param('id')));
  // Anything else under /public (deeper paths, other methods) is not an entry either.
  app.all('/public/*', (c) => notFound(c));

  app.onError((err, c) => {
    const mapped = problemFromError(err);
    if (mapped.type === 'INTERNAL') console.error('[public]', err);
    return errorPage(c, mapped.type === 'UNAVAILABLE' ? 503 : 500);
  });
  return app;
}
