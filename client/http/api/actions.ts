import type { Context } from 'hono';
import { z } from 'zod';
import { ACTION_NAMES, actionRule, isActionName, STAGE_LABELS, type ActionName } from '../../../workflows/proposal/machine.js';
import { roleLabel } from '../../../workflows/proposal/state.js';
import { processView } from '../../read/process-view.js';
import { findVisibleProposal, NOT_VISIBLE_MESSAGE } from '../../read/visibility.js';
import { ACTION_BODIES } from '../action-bodies.js';
import { actorOf } from '../auth.js';
import type { AppDeps, AppEnv } from '../env.js';
import { idempotencyKeyOf, IDEMPOTENCY_HEADER } from '../idempotency.js';
import { readBody } from '../middleware/body.js';
import { performAction } from '../perform-action.js';
import { problem } from '../problem.js';
import type { Routes } from '../route.js';
import { proposalParams } from '../schemas.js';

// POST /api/proposals/{id}/actions/{name}: one human action as a Workflow Update (DESIGN.md,
// "The shape of one human action"). The order of checks is the point: the action must be in the
// table, the proposal visible to the caller (else 404, exactly like a proposal that does not
// exist), the key well formed, the body JSON; then performAction (shared with the pages) parses
// it in the action's door shape, stores its texts and sends the Update. The answer is the
// caller's view of the proposal, never the state.

const actionParams = proposalParams.extend({ action: z.string().max(100) });

export function actionRoutes(r: Routes, deps: AppDeps): void {
  for (const name of ACTION_NAMES) {
    const rule = actionRule(name);
    r.doc.add(
      {
        method: 'post',
        path: `/api/proposals/{id}/actions/${name}`,
        summary: `${rule.label}（${rule.roles.map(roleLabel).join('、')}；阶段：${rule.from.map((s) => STAGE_LABELS[s]).join('、')}）`,
        tag: '办理操作',
        params: proposalParams,
        ok: { status: 200, description: '{ proposal }：调用者所见的提案办理状态' },
        problems: [403, 404, 409, 503],
      },
      ACTION_BODIES[name],
    );
  }

  r.mount(
    { method: 'post', path: '/api/proposals/{id}/actions/{action}', summary: '办理操作', tag: '办理操作', params: actionParams, undocumented: true },
    async (c, { params }) => {
      // Object.hasOwn: `constructor` and `__proto__` are not actions, whatever the prototype says.
      if (!isActionName(params.action)) return problem(c, 'NOT_FOUND', `没有「${params.action}」这个操作`);
      return runAction(c, deps, params.id, params.action);
    },
  );
}

async function runAction<K extends ActionName>(c: Context<AppEnv>, deps: AppDeps, id: string, action: K): Promise<Response> {
  const user = c.get('user');
  const row = await findVisibleProposal(deps.db, actorOf(user), id);
  if (!row) return problem(c, 'NOT_FOUND', NOT_VISIBLE_MESSAGE);
  const key = idempotencyKeyOf(c);
  if (key instanceof Response) return key;
  const body = await readBody(c, 'json');
  if (body instanceof Response) return body;
  const outcome = await performAction(deps, user, row, action, body.value, key);
  if (outcome.ok) return c.json({ proposal: processView(outcome.state, actorOf(user)) });
  if (outcome.retryAfterSeconds !== undefined) {
    c.header('Retry-After', String(outcome.retryAfterSeconds));
    c.header(IDEMPOTENCY_HEADER, key.key);
  }
  return c.json(outcome.problem, outcome.status);
}
