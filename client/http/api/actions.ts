import type { Context } from 'hono';
import { z } from 'zod';
import { putText } from '../../../db/repositories/blobs.js';
import { ACTION_NAMES, actionRule, isActionName, STAGE_LABELS, type ActionName } from '../../../workflows/proposal/machine.js';
import { roleLabel } from '../../../workflows/proposal/state.js';
import type { Stage } from '../../../workflows/shared/types.js';
import { processView } from '../../read/process-view.js';
import { findVisibleProposal, NOT_VISIBLE_MESSAGE } from '../../read/visibility.js';
import { ACTION_BODIES, parseActionBody } from '../action-bodies.js';
import { actorOf } from '../auth.js';
import type { AppDeps, AppEnv } from '../env.js';
import { problemFromError } from '../errors.js';
import { idempotencyKeyOf, keyUsedForOtherPayload, payloadHash, stillRunning, updateIdFor, IDEMPOTENCY_HEADER } from '../idempotency.js';
import { readBody } from '../middleware/body.js';
import { invalidInput, problem, statusOf } from '../problem.js';
import type { Routes } from '../route.js';
import { proposalParams } from '../schemas.js';

// POST /api/proposals/{id}/actions/{name}: one human action as a Workflow Update (DESIGN.md,
// "The shape of one human action"). The order of checks is the point: the action must be in the
// table, the proposal visible to the caller (else 404, exactly like a proposal that does not
// exist), the key well formed, the body in the action's door shape; only then are its texts
// stored and the Update sent. The answer is the caller's view of the proposal, never the state.

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
  const actor = actorOf(user);
  const row = await findVisibleProposal(deps.db, actor, id);
  if (!row) return problem(c, 'NOT_FOUND', NOT_VISIBLE_MESSAGE);
  const key = idempotencyKeyOf(c);
  if (key instanceof Response) return key;
  const body = await readBody(c, 'json');
  if (body instanceof Response) return body;
  const parsed = parseActionBody(action, body.value);
  if (!parsed.ok) return invalidInput(c, parsed.issues);
  const { input, texts } = parsed.value;

  const rule = actionRule(action);
  // The workflow checks the role first too (same words); asked here as well only so that the
  // texts of an action this role can never take are not stored.
  if (texts.length > 0 && !rule.roles.includes(user.role)) {
    return problem(c, 'FORBIDDEN_ROLE', `「${rule.label}」只能由${rule.roles.map(roleLabel).join('或')}办理，当前身份是${roleLabel(user.role)}`);
  }

  const hash = payloadHash({ action, userId: user.id, input });
  if (key.fromClient && (await keyUsedForOtherPayload(deps.db, row.workflow_id, key.key, hash))) {
    return problem(c, 'INVALID_INPUT', `幂等键「${key.key}」已用于本提案另一项内容不同的操作：重试请原样提交当时的内容，新的操作请使用新的幂等键`, IDEMPOTENCY_HEADER);
  }
  for (const t of texts) {
    const stored = await putText(deps.db, t.content);
    if (stored !== t.hash) throw new Error('text hash mismatch between door and store');
  }

  try {
    const state = await deps.proposals.act(row.workflow_id, action, actor, input, updateIdFor(key.key, hash));
    return c.json({ proposal: processView(state, actor) });
  } catch (err) {
    const mapped = problemFromError(err);
    if (mapped.type === 'UNAVAILABLE') {
      const seconds = Math.round(deps.proposals.waitMs / 1000);
      return stillRunning(
        c,
        key.key,
        `「${rule.label}」已提交，但办理流程在${seconds}秒内没有给出结果：请稍后用相同的幂等键（${IDEMPOTENCY_HEADER}）原样重试，届时返回这次操作的结果，不会重复办理`,
      );
    }
    if (mapped.type === 'NOT_FOUND') {
      // A finished workflow no longer takes updates: say why in the proposal's own terms.
      const stage = row.stage as Stage;
      return problem(c, 'WRONG_STAGE', `提案已「${STAGE_LABELS[stage] ?? row.stage}」，办理流程已结束，不能再「${rule.label}」`);
    }
    if (mapped.type === 'INTERNAL') throw err;
    return c.json(mapped.body, statusOf(mapped.type));
  }
}
