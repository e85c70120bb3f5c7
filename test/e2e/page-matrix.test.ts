import { beforeAll, describe, expect, it } from 'vitest';
import { createFeedbackLinks } from '../../activities/feedback-link.js';
import { createSession } from '../../client/http/auth.js';
import { SESSION_COOKIE } from '../../client/http/middleware/auth.js';
import { pagesRouter } from '../../client/http/pages/index.js';
import type { Role } from '../../workflows/shared/types.js';
import { TEST_LINK_BASE, TEST_LINK_SECRET } from '../support/constants.js';
import { proposalClient, seedAdmin, uniq, type Org } from '../support/context.js';
import type { Driver } from '../support/drive.js';
import { enc, type Api } from '../support/http.js';
import { useSuite } from '../support/suite.js';

// The pages' half of the authorisation matrix: every GET page of the router (listed from the
// router itself, so a new page without a row here fails) × every role, as the proposal's own
// unit or another, its own proposer or another, with a real page session. Who may open a page
// is stated once in the table below, from the roles each page's route requires.

const suite = useSuite();
let api: Api;
let org: Org;
let d: Driver;
let other: { org: Org; d: Driver };
let own: string;
const cookies = new Map<string, string>();

const ALL: Role[] = ['office', 'committee', 'admin', 'liaison', 'leader', 'principal', 'proposer'];
const HANDLING: Role[] = ['office', 'committee', 'admin', 'liaison', 'leader', 'principal'];
const OFFICE: Role[] = ['office', 'committee'];

/** Who may open each page; `proposal`: a page about `own`, closed to whoever may not see it. */
const PAGES: Record<string, { roles: Role[]; path?: () => string; proposal?: boolean; why?: string }> = {
  '/': { roles: ALL },
  '/account': { roles: ALL },
  '/account/password': { roles: ALL },
  '/proposals': { roles: ALL },
  '/proposals/:id': { roles: ALL, path: () => `/proposals/${enc(own)}`, proposal: true },
  '/proposals/:id/versions': { roles: HANDLING, path: () => `/proposals/${enc(own)}/versions`, proposal: true },
  '/proposals/:id/publication': { roles: ['office', 'committee'], path: () => `/proposals/${enc(own)}/publication`, proposal: true },
  '/search': { roles: ALL },
  '/mine': { roles: ['proposer'] },
  '/inbox': { roles: ['liaison', 'leader', 'principal'] },
  '/signoff': { roles: ['leader', 'principal'] },
  '/committee': { roles: ['committee', 'office'] },
  '/worklists': { roles: HANDLING },
  '/committee/dashboard': { roles: HANDLING },
  '/committee/dashboard/sessions': { roles: HANDLING },
  '/committee/dashboard/figures/:figure': { roles: HANDLING, path: () => `/committee/dashboard/figures/replied?session=${enc(org.sessionCode)}` },
  '/proposals/new': { roles: OFFICE },
  '/proposals/import': { roles: OFFICE },
  '/proposals/import/template.xlsx': { roles: OFFICE },
  '/proposals/assign': { roles: ['office'] },
  '/queues': { roles: ['office'] },
  '/admin/users': { roles: ['admin'] },
  '/admin/letter-style': { roles: ['admin'] },
  '/admin/units': { roles: ['admin'] },
  '/admin/units/:id': { roles: ['admin'], path: () => `/admin/units/${enc(org.units.lead)}` },
  '/admin/calendar': { roles: ['admin'] },
  '/admin/policies': { roles: ['admin'] },
  '/dev/mail': { roles: ['office', 'committee', 'admin'] },
  '/joint-drafts': { roles: ['office', 'committee', 'proposer'] },
  '/joint-drafts/new': { roles: ['office', 'committee', 'proposer'] },
  '/feedback-forms/paper': { roles: OFFICE },
};

/** Pages the matrix does not open, and why. */
const NOT_OPENED: Record<string, string> = {
  '/feedback/:token': 'opened by a signed link, not a session (feedback-link tests)',
  '/dev/mail/:id': 'needs a caught mail’s id (the journey opens one); same guard as /dev/mail',
  '/dev/mail/:id/html': 'as /dev/mail/:id',
  '/proposals/assign/batches/:id': 'needs a batch the caller ran (office-admin browser test); same guard as /proposals/assign',
  '/joint-consent/:token': 'opened by a signed invitation link, not a session (joint-consent integration test)',
  '/joint-drafts/:id': 'needs a draft the caller may see (joint-consent integration test); any other draft is 404 for every role',
  '/static/app.css': 'a public asset',
  '/static/app.js': 'a public asset',
};

interface Caller {
  label: string;
  role: Role;
  user: () => { username: string };
  sees: boolean;
}

const callers = (): Caller[] => [
  { label: 'office', role: 'office', user: () => org.users.office!, sees: true },
  { label: 'committee', role: 'committee', user: () => org.users.committee!, sees: true },
  { label: 'admin', role: 'admin', user: () => ({ username: `${org.prefix}-pm-admin` }), sees: true },
  { label: 'liaison of the lead unit', role: 'liaison', user: () => org.users.leadLiaison!, sees: true },
  { label: 'leader of the lead unit', role: 'leader', user: () => org.users.leadLeader!, sees: true },
  { label: 'principal of the lead unit', role: 'principal', user: () => org.users.leadPrincipal!, sees: true },
  { label: 'liaison of another unit', role: 'liaison', user: () => org.users.otherLiaison!, sees: false },
  { label: 'its proposer', role: 'proposer', user: () => org.users.proposer!, sees: true },
  { label: 'another proposer', role: 'proposer', user: () => other.org.users.proposer!, sees: false },
];

async function open(path: string, cookie: string | null) {
  const res = await fetch(`${api.server.url}${path}`, {
    redirect: 'manual',
    headers: { accept: 'text/html', ...(cookie ? { cookie: `${SESSION_COOKIE}=${cookie}` } : {}) },
  });
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get('location') };
}

beforeAll(async () => {
  ({ api, org, d } = suite);
  other = await suite.orgWith({});
  await seedAdmin(suite.db, `${org.prefix}-pm-admin`, 'pw-admin');
  own = await d.assigned('lead');
  for (const caller of callers()) {
    const user = await suite.db.selectFrom('users').select('id').where('username', '=', caller.user().username).executeTakeFirstOrThrow();
    cookies.set(caller.label, (await createSession(suite.db, user.id, 'page', 'page-matrix')).token);
  }
}, 120_000);

describe('the pages’ authorisation matrix', () => {
  it('lists every GET page of the router in the matrix', async () => {
    const proposals = await proposalClient();
    const router = pagesRouter({ db: suite.db, proposals, feedbackLinks: createFeedbackLinks(TEST_LINK_SECRET, TEST_LINK_BASE), mailCatcherDir: uniq('mail') });
    const pages = [...new Set(router.routes.filter((r) => r.method === 'GET').map((r) => r.path))];
    await proposals.client.connection.close();
    const unplaced = pages.filter((p) => !PAGES[p] && !NOT_OPENED[p]);
    expect(unplaced, 'pages with no row in the matrix').toEqual([]);
    expect(pages.length).toBeGreaterThan(25);
  });

  it('opens each page for the roles that may, refuses the others, and sends a signed-out visitor to sign in', async () => {
    const wrong: string[] = [];
    for (const [pattern, page] of Object.entries(PAGES)) {
      const path = page.path?.() ?? pattern;
      const anonymous = await open(path, null);
      // Signed out, a page sends the visitor to sign in (the root, with where they were going).
      const toSignIn = (r: { status: number; location: string | null }) => (r.status === 302 || r.status === 303) && (r.location?.startsWith('/?next=') ?? false);
      if (pattern !== '/' && !toSignIn(anonymous)) wrong.push(`${path} signed out → ${anonymous.status} ${anonymous.location ?? ''}, expected a redirect to sign in`);
      for (const caller of callers()) {
        const res = await open(path, cookies.get(caller.label)!);
        const allowed = page.roles.includes(caller.role) && (!page.proposal || caller.sees);
        const ok = allowed ? res.status === 200 || ((res.status === 302 || res.status === 303) && !toSignIn(res)) : res.status === 403 || res.status === 404;
        if (!ok) wrong.push(`${path} as ${caller.label} → ${res.status} ${res.location ?? ''}, expected ${allowed ? 'the page' : 'a refusal'}`);
      }
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
  }, 180_000);
});
