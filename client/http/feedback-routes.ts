import type { Hono } from 'hono';
import type { FeedbackLinks } from '../../activities/feedback-link.js';
import type { UserRow } from '../../db/schema.js';
import { parseActionInput } from '../../workflows/proposal/parse.js';
import type { ProposalClient } from '../temporal.js';

/**
 * The proposer's personal feedback link. It authenticates the rater by its signature alone and
 * acts as that proposer; nobody else's account (a handling unit's least of all) can rate with it.
 */
export function registerFeedbackRoutes(app: Hono<{ Variables: { user: UserRow } }>, proposals: ProposalClient, links: FeedbackLinks): void {
  app.get('/feedback/:token', async (c) => {
    const claims = links.verify(c.req.param('token'));
    if (!claims) return c.json({ error: 'UNAUTHENTICATED', message: '链接无效或已过期' }, 401);
    const state = await proposals.state(claims.workflowId);
    if (!state) return c.json({ error: 'NOT_FOUND', message: '没有找到该提案' }, 404);
    return c.json({ title: state.title, proposalNo: state.proposalNo, round: claims.round, dueAt: claims.expiresAt, rated: state.ratings.some((r) => r.proposerId === claims.proposerId) });
  });

  app.post('/feedback/:token', async (c) => {
    const claims = links.verify(c.req.param('token'));
    if (!claims) return c.json({ error: 'UNAUTHENTICATED', message: '链接无效或已过期' }, 401);
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body || typeof body !== 'object') return c.json({ error: 'INVALID_INPUT', message: '请求体必须是 JSON 对象', field: '' }, 422);
    const parsed = parseActionInput('rate', { attitude: body.attitude, result: body.result, comment: body.comment ?? null });
    if (!parsed.ok) return c.json({ error: 'INVALID_INPUT', message: parsed.issues[0]!.message, field: parsed.issues[0]!.field }, 422);
    const state = await proposals.state(claims.workflowId);
    if (!state || state.round !== claims.round) return c.json({ error: 'DEADLINE_PASSED', message: '该轮办理的评价已结束' }, 409);
    const view = await proposals.act(
      claims.workflowId,
      'rate',
      { userId: 0, role: 'proposer', unitId: null, proposerId: claims.proposerId, name: `提案者#${claims.proposerId}（专属链接）` },
      parsed.value,
      `rate:${claims.workflowId}:${claims.proposerId}:${claims.round}`,
    );
    return c.json({ ok: true, stage: view.stage });
  });
}
