import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { dropTextIfUnreferenced, putNewText } from '../../db/repositories/blobs.js';
import type { ProposalRow, UserRow } from '../../db/schema.js';
import type { ProposalView as ProposalState } from '../../workflows/proposal/definitions.js';
import { actionRule, STAGE_LABELS, type ActionInput, type ActionName } from '../../workflows/proposal/machine.js';
import type { Actor } from '../../workflows/shared/types.js';
import { roleLabel } from '../../workflows/proposal/state.js';
import type { Stage } from '../../workflows/shared/types.js';
import { parseActionBody } from './action-bodies.js';
import { actorOf } from './auth.js';
import type { AppDeps } from './env.js';
import { problemFromError, stepFailedTransiently } from './errors.js';
import { IDEMPOTENCY_HEADER, keyUsedForOtherPayload, payloadHash, RETRY_AFTER_SECONDS, updateIdFor } from './idempotency.js';
import { invalidInputBody, problemBody, statusOf, type ProblemBody } from './problem.js';

// One human action, whichever door it came through (the API's JSON, a page's form): the body in
// the action's door shape is parsed, its texts stored, and the Update sent through
// ProposalClient with an id from the caller's key and the payload. The caller has already found
// the proposal through the visibility rule and read the key and the body, in the order its door
// promises (404 before 422 before 415). Failures come back as the problem to show, never thrown,
// except internal errors, which the door's error handler answers.

export type ActionOutcome =
  | { ok: true; state: ProposalState }
  | {
      ok: false;
      status: ContentfulStatusCode;
      problem: ProblemBody;
      /** Set when the Update was sent but not answered in time: retry with the same key. */
      retryAfterSeconds?: number;
    };

function refused(problem: ProblemBody, extra: Partial<Extract<ActionOutcome, { ok: false }>> = {}): ActionOutcome {
  return { ok: false, status: statusOf(problem.error), problem, ...extra };
}

export interface ActionKey {
  key: string;
  /** A key the client chose may be reused only for the same payload; one we made up is never reused. */
  fromClient: boolean;
}

export async function performAction<K extends ActionName>(
  deps: AppDeps,
  user: UserRow,
  row: ProposalRow,
  action: K,
  body: unknown,
  key: ActionKey,
): Promise<ActionOutcome> {
  const actor = actorOf(user);
  const rule = actionRule(action);
  // A role that can never take this action is refused before its input is read (the workflow
  // checks the role first too, in the same words): it learns nothing from the input's checks,
  // and no text of it is stored.
  if (!rule.roles.includes(user.role)) {
    return refused(problemBody('FORBIDDEN_ROLE', `「${rule.label}」只能由${rule.roles.map(roleLabel).join('或')}办理，当前身份是${roleLabel(user.role)}`));
  }
  const parsed = parseActionBody(action, body);
  if (!parsed.ok) return refused(invalidInputBody(parsed.issues));
  const { input, texts } = parsed.value;

  const hash = payloadHash({ action, userId: user.id, input });
  if (key.fromClient && (await keyUsedForOtherPayload(deps.db, row.workflow_id, key.key, hash))) {
    return refused(
      problemBody('INVALID_INPUT', `幂等键「${key.key}」已用于本提案另一项内容不同的操作：重试请原样提交当时的内容，新的操作请使用新的幂等键`, IDEMPOTENCY_HEADER),
    );
  }
  // Texts this request added, to take back if the workflow refuses the action (nothing else
  // refers to them then, and a refused request must leave nothing behind).
  const added: string[] = [];
  for (const t of texts) {
    const stored = await putNewText(deps.db, t.content);
    if (stored.hash !== t.hash) throw new Error('text hash mismatch between door and store');
    if (stored.added) added.push(stored.hash);
  }
  const takeBackTexts = async () => {
    for (const h of added) await dropTextIfUnreferenced(deps.db, h);
  };

  try {
    return { ok: true, state: await actOnce(deps, row.workflow_id, action, actor, input, updateIdFor(key.key, hash)) };
  } catch (err) {
    const mapped = problemFromError(err);
    if (mapped.type === 'UNAVAILABLE') {
      const seconds = Math.round(deps.proposals.waitMs / 1000);
      return refused(
        problemBody(
          'UNAVAILABLE',
          `「${rule.label}」已提交，但办理流程在${seconds}秒内没有给出结果：请稍后用相同的幂等键（${IDEMPOTENCY_HEADER}）原样重试，届时返回这次操作的结果，不会重复办理`,
          undefined,
          { idempotencyKey: key.key, retryAfterSeconds: RETRY_AFTER_SECONDS },
        ),
        { retryAfterSeconds: RETRY_AFTER_SECONDS },
      );
    }
    if (mapped.type === 'INTERNAL') throw err;
    // Refused for a reason the workflow named (not late, not unknown: an Update that may still
    // complete needs its texts).
    await takeBackTexts();
    if (mapped.type === 'NOT_FOUND') {
      // A finished workflow no longer takes updates: say why in the proposal's own terms.
      const stage = row.stage as Stage;
      return refused(problemBody('WRONG_STAGE', `提案已「${STAGE_LABELS[stage] ?? row.stage}」，办理流程已结束，不能再「${rule.label}」`));
    }
    return refused(mapped.body);
  }
}

/**
 * Temporal keeps an Update's result under its id, a failure included. When a step failed only
 * because a dependency stayed away past its retries (nothing applied), the same action goes again
 * under the next id of a fixed chain: a later retry with the same key walks the chain past the
 * recorded failures to the attempt that holds the result, so it is still applied at most once.
 */
const TRANSIENT_ATTEMPTS = 5;

async function actOnce<K extends ActionName>(
  deps: AppDeps,
  workflowId: string,
  action: K,
  actor: Actor,
  input: ActionInput<K>,
  updateId: string,
): Promise<ProposalState> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.proposals.act(workflowId, action, actor, input, attempt === 1 ? updateId : `${updateId}:again${attempt}`);
    } catch (err) {
      // Within the door's bound only: past it the person is told to try again (503).
      if (attempt >= TRANSIENT_ATTEMPTS || !stepFailedTransiently(err) || Date.now() - started > deps.proposals.waitMs) throw err;
    }
  }
}
