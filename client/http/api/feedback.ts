import { z } from 'zod';
import { text } from '../../../workflows/proposal/inputs.js';
import { parseActionInput } from '../../../workflows/proposal/parse.js';
import { ACTION_BODIES } from '../action-bodies.js';
import type { AppDeps } from '../env.js';
import { problemFromError } from '../errors.js';
import { RETRY_AFTER_SECONDS } from '../idempotency.js';
import { invalidInput, problem, statusOf } from '../problem.js';
import type { Routes } from '../route.js';

// The proposer's personal feedback link (征询意见). It authenticates the rater by its signature
// alone and acts as that proposer; nobody else's account (a handling unit's least of all) can
// rate with it. It sits outside /api and needs no login.

const tokenParams = z.object({ token: text('链接', 2000) });
/** The rating as the link sends it: who rates is the link's, never the body's. */
const linkRating = ACTION_BODIES.rate.omit({ proposerId: true });

export function feedbackRoutes(r: Routes, deps: AppDeps): void {
  const { proposals, feedbackLinks: links } = deps;

  r.mount(
    { method: 'get', path: '/feedback/{token}', summary: '专属评价链接：提案与评价状态', tag: '征询意见', public: true, params: tokenParams, problems: [401, 404] },
    async (c, { params }) => {
      const claims = links.verify(params.token);
      if (!claims) return problem(c, 'UNAUTHENTICATED', '链接无效或已过期');
      const state = await proposals.state(claims.workflowId);
      if (!state) return problem(c, 'NOT_FOUND', '没有找到该提案');
      return c.json({
        title: state.title,
        proposalNo: state.proposalNo,
        round: claims.round,
        dueAt: claims.expiresAt,
        rated: state.ratings.some((x) => x.proposerId === claims.proposerId),
      });
    },
  );

  r.mount(
    {
      method: 'post',
      path: '/feedback/{token}',
      summary: '通过专属链接评价办理结果',
      tag: '征询意见',
      public: true,
      params: tokenParams,
      body: linkRating,
      ok: { status: 200, description: '{ ok: true, stage }' },
      problems: [401, 409, 503],
    },
    async (c, { params, body }) => {
      const claims = links.verify(params.token);
      if (!claims) return problem(c, 'UNAUTHENTICATED', '链接无效或已过期');
      const parsed = parseActionInput('rate', body);
      if (!parsed.ok) return invalidInput(c, parsed.issues);
      const state = await proposals.state(claims.workflowId);
      if (!state || state.round !== claims.round) return problem(c, 'DEADLINE_PASSED', '该轮办理的评价已结束');
      // A second rating is a mistake to show, not a success that silently keeps the first one.
      if (state.ratings.some((x) => x.proposerId === claims.proposerId)) return problem(c, 'ALREADY_DONE', '您已评价过本轮办理结果，评价提交后不能更改');
      const updateId = `rate:${claims.workflowId}:${claims.proposerId}:${claims.round}`;
      try {
        const view = await proposals.act(
          claims.workflowId,
          'rate',
          { userId: 0, role: 'proposer', unitId: null, proposerId: claims.proposerId, name: `提案者#${claims.proposerId}（专属链接）` },
          parsed.value,
          updateId,
        );
        return c.json({ ok: true, stage: view.stage });
      } catch (err) {
        const mapped = problemFromError(err);
        if (mapped.type === 'UNAVAILABLE') {
          c.header('Retry-After', String(RETRY_AFTER_SECONDS));
          return problem(c, 'UNAVAILABLE', '评价已提交，但办理流程暂时没有给出结果：请稍后再打开链接查看');
        }
        if (mapped.type === 'INTERNAL') throw err;
        return c.json(mapped.body, statusOf(mapped.type));
      }
    },
  );
}
