import { z } from 'zod';
import { text } from '../../../workflows/proposal/inputs.js';
import type { AppDeps } from '../env.js';
import { linkRating, linkStatus, rateByLink } from '../rate-by-link.js';
import type { Routes } from '../route.js';

// The proposer's personal feedback link (征询意见) as JSON. It authenticates the rater by its
// signature alone and acts as that proposer (rate-by-link.ts, shared with the page a browser
// gets at the same address: client/http/pages/proposer/). It sits outside /api and needs no login.

const tokenParams = z.object({ token: text('链接', 2000) });

export function feedbackRoutes(r: Routes, deps: AppDeps): void {
  r.mount(
    { method: 'get', path: '/feedback/{token}', summary: '专属评价链接：提案与评价状态', tag: '征询意见', public: true, params: tokenParams, problems: [401, 404] },
    async (c, { params }) => {
      const found = await linkStatus(deps, params.token);
      if (!found.ok) return c.json(found.problem, found.status);
      const { claims, state, rated } = found.status;
      return c.json({ title: state.title, proposalNo: state.proposalNo, round: claims.round, dueAt: claims.expiresAt, rated });
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
      const outcome = await rateByLink(deps, params.token, body);
      if (outcome.ok) return c.json({ ok: true, stage: outcome.state.stage });
      if (outcome.retryAfterSeconds !== undefined) c.header('Retry-After', String(outcome.retryAfterSeconds));
      return c.json(outcome.problem, outcome.status);
    },
  );
}
