import { beforeAll, describe, expect, it } from 'vitest';
import { ACTION_TABLE, isActionName } from '../../workflows/proposal/machine.js';
import type { Role } from '../../workflows/shared/types.js';
import { seedAdmin, uniq, type Org } from '../support/context.js';
import type { Driver } from '../support/drive.js';
import { enc, type Api } from '../support/http.js';
import { useSuite } from '../support/suite.js';

// The authorisation matrix, generated from the route table: every operation of the OpenAPI
// document × every role, as the proposal's own unit or another unit, its own proposer or
// another. Who may call a route comes from the document itself (`x-banli-roles`, set from the
// route's declaration; for actions, the stage machine's table); who may see a proposal from the
// one visibility rule. A route the matrix cannot classify fails the test, so a new route is
// placed in the matrix when it is added.

const suite = useSuite();
let api: Api;
let org: Org;
let d: Driver;
let other: { org: Org; d: Driver };
let admin: string;
/** A dispatched proposal of org's session: lead unit + co1, with a reply letter. */
let own: string;
let letterId: number;

interface Caller {
  label: string;
  role: Role;
  token: () => string;
  /** Whether this caller may see `own` (visibility.ts). */
  sees: boolean;
}

const callers = (): Caller[] => [
  { label: 'office', role: 'office', token: () => d.tokens.office!, sees: true },
  { label: 'committee', role: 'committee', token: () => d.tokens.committee!, sees: true },
  { label: 'admin', role: 'admin', token: () => admin, sees: true },
  { label: 'liaison of the lead unit', role: 'liaison', token: () => d.tokens.leadLiaison!, sees: true },
  { label: 'leader of the lead unit', role: 'leader', token: () => d.tokens.leadLeader!, sees: true },
  { label: 'principal of the lead unit', role: 'principal', token: () => d.tokens.leadPrincipal!, sees: true },
  { label: 'liaison of a co-unit', role: 'liaison', token: () => d.tokens.co1Liaison!, sees: true },
  { label: 'liaison of another unit', role: 'liaison', token: () => d.tokens.otherLiaison!, sees: false },
  { label: 'its proposer', role: 'proposer', token: () => d.tokens.proposer!, sees: true },
  { label: 'another proposer', role: 'proposer', token: () => other.d.tokens.proposer!, sees: false },
];

interface Operation {
  method: string;
  path: string;
  roles: Role[] | null;
  public: boolean;
  pathParams: { name: string; enum?: string[] }[];
  hasBody: boolean;
}

/** Routes whose calls the matrix must not make with a shared session, and why. */
const NOT_CALLED: Record<string, string> = {
  'POST /api/logout': 'ends the caller’s session, which the rest of the matrix uses (tested in http-door)',
  'POST /api/logout-everywhere': 'ends every session of the caller (tested in the browser sessions test)',
};

function operations(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => {
      const params = (op.parameters as { in: string; name: string; schema?: { enum?: string[] } }[] | undefined) ?? [];
      return {
        method: method.toUpperCase(),
        path,
        roles: (op['x-banli-roles'] as Role[] | undefined) ?? null,
        public: op.security === undefined,
        pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, ...(p.schema?.enum ? { enum: p.schema.enum } : {}) })),
        hasBody: op.requestBody !== undefined,
      };
    }),
  );
}

/** A concrete URL for the operation; null when the matrix does not know a parameter (the test then fails). */
function concretePath(op: Operation): string | null {
  let path = op.path;
  for (const p of op.pathParams) {
    const value =
      p.enum?.[0] ??
      { id: own, unitId: org.units.lead, year: '2026', documentId: String(letterId), kind: 'overdue', format: 'docx', draftId: `joint:${org.sessionCode}:none` }[
        p.name as 'id'
      ] ??
      null;
    if (value === null) return null;
    path = path.replace(`{${p.name}}`, enc(value));
  }
  return path;
}

/** Who may call an operation: the route's declared roles, or for an action the machine's. */
function rolesFor(op: Operation): Role[] | null {
  const action = /^\/api\/proposals\/\{id\}\/actions\/(\w+)$/.exec(op.path)?.[1];
  if (action && isActionName(action)) return [...ACTION_TABLE[action].roles];
  return op.roles;
}

type Outcome = 'refused-role' | 'not-visible' | 'allowed';

function expected(op: Operation, caller: Caller): Outcome {
  const roles = rolesFor(op);
  const isAction = op.path.startsWith('/api/proposals/{id}/actions/');
  const aboutOwn = op.pathParams.some((p) => p.name === 'id');
  // An action's door looks the proposal up first; other routes check the role first.
  if (isAction && !caller.sees) return 'not-visible';
  if (roles && !roles.includes(caller.role)) return 'refused-role';
  if (aboutOwn && !caller.sees) return 'not-visible';
  return 'allowed';
}

beforeAll(async () => {
  ({ api, org, d } = suite);
  other = await suite.orgWith({});
  const username = uniq('admin-');
  await seedAdmin(suite.db, username, 'pw-admin');
  admin = await api.login(username, 'pw-admin');
  own = await d.assigned('lead');
  await d.ok('co1Liaison', own, 'submitCoOpinion', { kind: 'no_opinion' });
  await d.reply(own);
  await d.stage(own, 'dispatched');
  const docs = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(own)}/documents`);
  letterId = docs.json.items.find((doc: { kind: string }) => doc.kind === 'reply_letter').id;
}, 120_000);

describe('the authorisation matrix', () => {
  it('answers every operation for every role and relation as the route table says, and 401 to a caller with no session', async () => {
    const doc = (await api.call(null, 'GET', '/api/openapi.json')).json;
    const ops = operations(doc).filter((op) => !op.public && !NOT_CALLED[`${op.method} ${op.path}`]);
    expect(ops.length).toBeGreaterThan(50);
    const wrong: string[] = [];
    let calls = 0;
    for (const op of ops) {
      const path = concretePath(op);
      if (path === null) {
        wrong.push(`${op.method} ${op.path}: the matrix does not know how to fill its path parameters`);
        continue;
      }
      const body = op.hasBody ? {} : undefined;
      const anonymous = await api.call(null, op.method, path, body);
      if (anonymous.status !== 401) wrong.push(`${op.method} ${path} without a session → ${anonymous.status}, expected 401`);
      for (const caller of callers()) {
        const res = await api.call(caller.token(), op.method, path, body);
        calls++;
        const want = expected(op, caller);
        const ok =
          want === 'refused-role'
            ? res.status === 403 && res.json?.error === 'FORBIDDEN_ROLE'
            : want === 'not-visible'
              ? res.status === 404
              : res.status < 500 &&
                res.status !== 401 &&
                res.status !== 403 &&
                !(res.status === 404 && op.pathParams.some((p) => p.name === 'id') && res.json?.message?.includes('无权查看'));
        if (!ok) wrong.push(`${op.method} ${path} as ${caller.label} (${caller.role}) → ${res.status} ${res.json?.error ?? ''}, expected ${want}`);
      }
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
    expect(calls).toBeGreaterThan(500);
  }, 300_000);

  it('never lets a unit read or act on a proposal it has no task in, by any documented route', async () => {
    const doc = (await api.call(null, 'GET', '/api/openapi.json')).json;
    const byId = operations(doc).filter((op) => op.pathParams.some((p) => p.name === 'id'));
    expect(byId.length).toBeGreaterThan(30);
    for (const op of byId) {
      const res = await api.call(d.tokens.otherLiaison!, op.method, concretePath(op)!, op.hasBody ? {} : undefined);
      expect([403, 404], `${op.method} ${op.path}`).toContain(res.status);
    }
  }, 120_000);
});
