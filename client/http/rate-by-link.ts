import type { FeedbackLinkClaims } from '../../activities/feedback-link.js';
import type { ProposalView as ProposalState } from '../../workflows/proposal/definitions.js';
import { parseActionInput } from '../../workflows/proposal/parse.js';
import { ACTION_BODIES } from './action-bodies.js';
import type { AppDeps } from './env.js';
import { problemFromError } from './errors.js';
import { RETRY_AFTER_SECONDS } from './idempotency.js';
import type { ActionOutcome } from './perform-action.js';
import { invalidInputBody, problemBody, statusOf, type ProblemBody } from './problem.js';
import { doorIssues } from './problem.js';

// The proposer's personal feedback link (征询意见), for both of its doors: the JSON route and the
// page a browser gets. The link alone authenticates the rater and acts as that proposer; nobody
// else's account (a handling unit's least of all) can rate with it.

/** The rating as the link sends it: who rates is the link's, never the body's. */
export const linkRating = ACTION_BODIES.rate.omit({ proposerId: true });

export interface LinkStatus {
  claims: FeedbackLinkClaims;
  state: ProposalState;
  rated: boolean;
}

function refused(problem: ProblemBody, retryAfterSeconds?: number): Extract<ActionOutcome, { ok: false }> {
  return { ok: false, status: statusOf(problem.error), problem, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
}

/** The link's proposal and whether this proposer has rated it, or why the link does not work. */
export async function linkStatus(deps: AppDeps, token: string): Promise<{ ok: true; status: LinkStatus } | Extract<ActionOutcome, { ok: false }>> {
  const claims = deps.feedbackLinks.verify(token);
  if (!claims) return refused(problemBody('UNAUTHENTICATED', '链接无效或已过期'));
  const state = await deps.proposals.state(claims.workflowId);
  if (!state) return refused(problemBody('NOT_FOUND', '没有找到该提案'));
  return { ok: true, status: { claims, state, rated: state.ratings.some((x) => x.proposerId === claims.proposerId) } };
}

/** Rates through the link; `body` is unparsed (the page's form fields or the API's JSON). */
export async function rateByLink(deps: AppDeps, token: string, body: unknown): Promise<ActionOutcome> {
  const claims = deps.feedbackLinks.verify(token);
  if (!claims) return refused(problemBody('UNAUTHENTICATED', '链接无效或已过期'));
  const door = linkRating.safeParse(body);
  if (!door.success) return refused(invalidInputBody(doorIssues(door.error)));
  const parsed = parseActionInput('rate', door.data);
  if (!parsed.ok) return refused(invalidInputBody(parsed.issues));
  const state = await deps.proposals.state(claims.workflowId);
  if (!state || state.round !== claims.round) return refused(problemBody('DEADLINE_PASSED', '该轮办理的评价已结束'));
  // A second rating is a mistake to show, not a success that silently keeps the first one.
  if (state.ratings.some((x) => x.proposerId === claims.proposerId)) return refused(problemBody('ALREADY_DONE', '您已评价过本轮办理结果，评价提交后不能更改'));
  const updateId = `rate:${claims.workflowId}:${claims.proposerId}:${claims.round}`;
  try {
    const next = await deps.proposals.act(
      claims.workflowId,
      'rate',
      { userId: 0, role: 'proposer', unitId: null, proposerId: claims.proposerId, name: `提案者#${claims.proposerId}（专属链接）` },
      parsed.value,
      updateId,
    );
    return { ok: true, state: next };
  } catch (err) {
    const mapped = problemFromError(err);
    if (mapped.type === 'UNAVAILABLE') return refused(problemBody('UNAVAILABLE', '评价已提交，但办理流程暂时没有给出结果：请稍后再打开链接查看'), RETRY_AFTER_SECONDS);
    if (mapped.type === 'INTERNAL') throw err;
    return refused(mapped.body);
  }
}
