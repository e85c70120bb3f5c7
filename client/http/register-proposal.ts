import { putText } from '../../db/repositories/blobs.js';
import type { UserRow } from '../../db/schema.js';
import type { ProposalView as ProposalState } from '../../workflows/proposal/definitions.js';
import { registrationInput } from '../batch-rows.js';
import type { AppDeps } from './env.js';
import { problemFromError } from './errors.js';
import { payloadHash, RETRY_AFTER_SECONDS, updateIdFor } from './idempotency.js';
import type { ActionKey, ActionOutcome } from './perform-action.js';
import { problemBody, statusOf, type ProblemBody } from './problem.js';
import type { RegistrationBody } from './schemas.js';

// 登记, whichever door it came through (the API's JSON, the office's form): a body already
// parsed with registrationSchema is checked against the sessions, its text stored and the
// proposal's workflow started through ProposalClient with an id from the caller's key and the
// payload, so the same key and content registers once.

export function mayRegister(user: Pick<UserRow, 'role'>): boolean {
  return user.role === 'office' || user.role === 'committee';
}

export const MAY_NOT_REGISTER = '只有交办单位或提案委员会可以登记提案';

function refused(problem: ProblemBody, retryAfterSeconds?: number): Extract<ActionOutcome, { ok: false }> {
  return { ok: false, status: statusOf(problem.error), problem, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
}

export async function registerProposal(
  deps: AppDeps,
  user: UserRow,
  body: RegistrationBody,
  key: ActionKey,
): Promise<{ ok: true; state: ProposalState } | Extract<ActionOutcome, { ok: false }>> {
  const { db, proposals } = deps;
  if (!mayRegister(user)) return refused(problemBody('FORBIDDEN_ROLE', MAY_NOT_REGISTER));
  const session = await db.selectFrom('sessions').select('code').where('code', '=', body.sessionCode).executeTakeFirst();
  if (!session) return refused(problemBody('INVALID_INPUT', `届次「${body.sessionCode}」不存在，请先由管理员建立`, 'sessionCode'));
  const bodyHash = await putText(db, body.body);
  const input = registrationInput(user, body, bodyHash);
  const { actor: _actor, ...fields } = input;
  const updateId = `register:${updateIdFor(key.key, payloadHash({ userId: user.id, fields }))}`;
  try {
    return { ok: true, state: await proposals.register(input, updateId) };
  } catch (err) {
    const mapped = problemFromError(err);
    if (mapped.type === 'UNAVAILABLE') {
      return refused(
        problemBody('UNAVAILABLE', '登记已提交，但办理流程暂时没有给出结果：请稍后用相同的幂等键原样重试，届时返回登记结果，不会重复登记', undefined, {
          idempotencyKey: key.key,
          retryAfterSeconds: RETRY_AFTER_SECONDS,
        }),
        RETRY_AFTER_SECONDS,
      );
    }
    if (mapped.type === 'INTERNAL') throw err;
    return refused(mapped.body);
  }
}
