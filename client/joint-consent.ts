import { WithStartWorkflowOperation } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { expiredClaims, jointLinksFrom, type JointLinkClaims } from '../activities/joint-link.js';
import { dropTextIfUnreferenced, putNewText, sha256 } from '../db/repositories/blobs.js';
import type { UserRow } from '../db/schema.js';
import {
  answerByLinkUpdate,
  jointDraftQuery,
  jointDraftWorkflowId,
  openJointDraftUpdate,
  recordPaperAnswerUpdate,
  recordRegistrationUpdate,
  submitJointUpdate,
  withdrawJointUpdate,
  type JointDraftView,
} from '../workflows/joint-consent/definitions.js';
import { checkLinkAnswer, checkPaperAnswer, checkSubmit, checkWithdraw, registeredKind, signingProposers } from '../workflows/joint-consent/rules.js';
import { jointConsentWorkflow } from '../workflows/joint-consent/workflow.js';
import { proposalWorkflowId, type ProposalView } from '../workflows/proposal/definitions.js';
import { text } from '../workflows/proposal/inputs.js';
import { shanghaiDate } from '../workflows/shared/dates.js';
import { actorOf } from './http/auth.js';
import type { AppDeps } from './http/env.js';
import { problemFromError } from './http/errors.js';
import { payloadHash, RETRY_AFTER_SECONDS, updateIdFor } from './http/idempotency.js';
import { problemBody, statusOf, type ProblemBody } from './http/problem.js';

// 联名征集 for every door (the API's JSON, the office's and the co-signer's pages): the request,
// parsed at the door with the schemas below, goes to the draft's workflow as an Update; the
// registration itself goes through ProposalClient.register like any other 登记.

const signer = z.strictObject({
  proposerId: z.number().int().positive().optional(),
  name: text('联名人姓名', 100).trim().min(1, '请填写联名人姓名').optional(),
  email: text('邮箱', 200).trim().email('邮箱格式不正确').nullish(),
  phone: text('电话', 40).trim().nullish(),
  sector: text('界别', 60).trim().nullish(),
});

export const openDraftSchema = z.strictObject({
  sessionCode: text('届次', 60).trim().min(1, '请填写届次'),
  receiptNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,30}$/, '登记号只能由字母、数字和连字符组成，最多30位')
    .optional()
    .describe('登记时使用的登记号；不填则由系统生成（LM 开头）'),
  title: text('提案标题', 200).trim().min(4, '提案标题太短'),
  body: text('提案正文', 100_000).trim().min(10, '提案正文太短：请写明情况、分析和具体建议'),
  topic: text('类别', 60).trim().nullish(),
  firstSigner: signer.optional().describe('第一提案人；委员本人发起时不填（即本人）'),
  coSigners: z.array(signer, { message: '请填写附议人' }).min(1, '联名提案至少需要一位附议人').max(100, '附议人最多100位'),
});
export type OpenDraftBody = z.infer<typeof openDraftSchema>;

export const answerSchema = z.strictObject({
  answer: z.enum(['accept', 'decline'], { message: '请选择同意联名（accept）或谢绝联名（decline）' }),
  comment: text('说明', 500).trim().nullish(),
});

export const paperAnswerSchema = answerSchema.extend({ position: z.number().int().positive({ message: '请指明附议人' }) });
export const withdrawSchema = z.strictObject({ reason: text('撤回理由', 500).trim().min(1, '请写明撤回理由') });
export const submitSchema = z.strictObject({ force: z.boolean().optional().describe('不再等待未答复的附议人') });

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: ContentfulStatusCode; problem: ProblemBody; retryAfterSeconds?: number };

function refused(problem: ProblemBody, retryAfterSeconds?: number): Extract<Outcome<never>, { ok: false }> {
  return { ok: false, status: statusOf(problem.error), problem, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
}

async function attempt<T>(fn: () => Promise<T>, pendingMessage: string): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    const mapped = problemFromError(err);
    if (mapped.type === 'UNAVAILABLE') return refused(problemBody('UNAVAILABLE', pendingMessage), RETRY_AFTER_SECONDS);
    if (mapped.type === 'INTERNAL') throw err;
    return refused(mapped.body);
  }
}

const bounded = <T>(deps: AppDeps, fn: () => Promise<T>) => deps.proposals.client.withDeadline(Date.now() + deps.proposals.waitMs, fn);

/**
 * An Update to a draft. A registered or withdrawn draft's workflow has ended and takes no new
 * Update (Temporal answers "not found"); its final state can still be queried, so the rule the
 * workflow would have applied says why, typed, instead of a bare 404.
 */
async function toDraft<T>(deps: AppDeps, draftId: string, send: () => Promise<T>, check: (view: JointDraftView) => void, pendingMessage: string): Promise<Outcome<T>> {
  const outcome = await attempt(() => bounded(deps, send), pendingMessage);
  if (outcome.ok || outcome.problem.error !== 'NOT_FOUND') return outcome;
  const view = await draftState(deps, draftId).catch(() => null);
  if (!view || (view.status !== 'registered' && view.status !== 'withdrawn')) return outcome;
  try {
    check(view);
  } catch (err) {
    return refused(problemFromError(err).body);
  }
  return outcome;
}

export function mayOpen(user: Pick<UserRow, 'role' | 'proposer_id'>): boolean {
  return user.role === 'office' || user.role === 'committee' || (user.role === 'proposer' && user.proposer_id !== null);
}

/** 发起联名: starts the draft's workflow and opens the draft in one call (update-with-start). */
export async function openJointDraft(deps: AppDeps, user: UserRow, body: OpenDraftBody, key: string): Promise<Outcome<JointDraftView>> {
  if (!mayOpen(user)) return refused(problemBody('FORBIDDEN_ROLE', '联名提案只能由第一提案人本人、交办单位或提案委员会发起'));
  const asMember = user.role === 'proposer';
  if (asMember && body.firstSigner && body.firstSigner.proposerId !== user.proposer_id) {
    return refused(problemBody('FORBIDDEN_ROLE', '委员只能以自己为第一提案人发起联名提案', 'firstSigner'));
  }
  const firstSigner = asMember ? { proposerId: user.proposer_id! } : body.firstSigner;
  if (!firstSigner) return refused(problemBody('INVALID_INPUT', '请填写第一提案人', 'firstSigner'));
  const session = await deps.db.selectFrom('sessions').select('code').where('code', '=', body.sessionCode).executeTakeFirst();
  if (!session) return refused(problemBody('INVALID_INPUT', `届次「${body.sessionCode}」不存在，请先由管理员建立`, 'sessionCode'));
  // A member's draft gets a number from their key: the same request twice is the same draft.
  const receiptNo = body.receiptNo ?? `LM${sha256(`${user.id}:${key}`).slice(0, 10).toUpperCase()}`;
  // Stored before the workflow checks the draft; a refused draft leaves no text behind.
  const stored = await putNewText(deps.db, body.body);
  const bodyHash = stored.hash;
  const input = {
    actor: actorOf(user),
    sessionCode: body.sessionCode,
    receiptNo,
    title: body.title,
    bodyHash,
    topic: body.topic ?? null,
    firstSigner,
    coSigners: body.coSigners,
  };
  const workflowId = jointDraftWorkflowId(body.sessionCode, receiptNo);
  const start = new WithStartWorkflowOperation(jointConsentWorkflow, {
    workflowId,
    taskQueue: deps.proposals.taskQueue,
    args: [{ sessionCode: body.sessionCode, receiptNo }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    // A registered draft's number is spent: starting it again would invite people twice.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  const updateId = `open:${updateIdFor(key, payloadHash({ userId: user.id, receiptNo, body: { ...body, body: bodyHash } }))}`;
  try {
    const outcome = await attempt(
      () =>
        bounded(deps, () => deps.proposals.client.workflow.executeUpdateWithStart(openJointDraftUpdate, { args: [input], startWorkflowOperation: start, updateId })),
      '联名草案已提交，但流程暂时没有给出结果：请稍后用相同的幂等键原样重试，不会重复发出邀请',
    );
    if (!outcome.ok && outcome.problem.error !== 'UNAVAILABLE' && stored.added) await dropTextIfUnreferenced(deps.db, bodyHash);
    return outcome;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    if (stored.added) await dropTextIfUnreferenced(deps.db, bodyHash);
    return refused(problemBody('CONFLICT', `登记号 ${receiptNo} 已用于一份已登记的联名提案，请换一个登记号`, 'receiptNo'));
  }
}

export async function draftState(deps: AppDeps, draftId: string): Promise<JointDraftView | null> {
  try {
    return await bounded(deps, () => deps.proposals.client.workflow.getHandle(draftId).query(jointDraftQuery));
  } catch (err) {
    if (problemFromError(err).type === 'NOT_FOUND') return null;
    throw err;
  }
}

export interface LinkFound {
  claims: JointLinkClaims;
  view: JointDraftView;
}

/**
 * The co-signer's link: a valid signature names the draft and the signer even after the window
 * closed, so the workflow itself says the answer is late (409) instead of the link looking broken.
 */
export async function linkDraft(deps: AppDeps, token: string): Promise<Outcome<LinkFound>> {
  const claims = expiredClaims(jointLinksFrom(deps.feedbackLinks), token);
  if (!claims) return refused(problemBody('UNAUTHENTICATED', '链接无效：请使用邀请邮件中的完整链接'));
  const view = await draftState(deps, claims.draftId);
  if (!view || !view.signers.some((s) => s.position === claims.position && s.position > 0)) return refused(problemBody('NOT_FOUND', '没有找到这份联名邀请'));
  return { ok: true, value: { claims, view } };
}

export async function answerByLink(deps: AppDeps, token: string, body: z.infer<typeof answerSchema>): Promise<Outcome<JointDraftView>> {
  const found = await linkDraft(deps, token);
  if (!found.ok) return found;
  const { claims, view } = found.value;
  const signer = view.signers.find((s) => s.position === claims.position)!;
  const actor = { userId: 0, role: 'proposer' as const, unitId: null, proposerId: signer.proposerId, name: `${signer.name}（联名邀请链接）` };
  const request = { actor, position: claims.position, answer: body.answer, comment: body.comment ?? null };
  // The answer is part of the id: a double click is one answer, a changed mind is refused by the workflow.
  const updateId = `joint-answer:${claims.draftId}:${claims.position}:${body.answer}`;
  return toDraft(
    deps,
    claims.draftId,
    () => deps.proposals.client.workflow.getHandle(claims.draftId).executeUpdate(answerByLinkUpdate, { args: [request], updateId }),
    (ended) => void checkLinkAnswer(ended, request, Date.now()),
    '答复已提交，但流程暂时没有给出结果：请稍后再打开链接查看',
  );
}

export async function recordPaperAnswer(
  deps: AppDeps,
  user: UserRow,
  draftId: string,
  body: z.infer<typeof paperAnswerSchema>,
  key: string,
): Promise<Outcome<JointDraftView>> {
  const request = { actor: actorOf(user), position: body.position, answer: body.answer, comment: body.comment ?? null };
  const updateId = `joint-paper:${updateIdFor(key, payloadHash({ draftId, ...body }))}`;
  return toDraft(
    deps,
    draftId,
    () => deps.proposals.client.workflow.getHandle(draftId).executeUpdate(recordPaperAnswerUpdate, { args: [request], updateId }),
    (ended) => void checkPaperAnswer(ended, request, Date.now()),
    '回执已提交，但流程暂时没有给出结果：请稍后用相同的幂等键原样重试',
  );
}

export interface Submitted {
  draft: JointDraftView;
  proposal: ProposalView | null;
}

/**
 * 提交: the first signer hands the draft in; office or committee register it. Registration uses
 * the signers the workflow froze and an id from the draft, so a retry (or the office finishing an
 * interrupted one) registers the same proposal once.
 */
export async function submitJointDraft(deps: AppDeps, user: UserRow, draftId: string, body: z.infer<typeof submitSchema>, key: string): Promise<Outcome<Submitted>> {
  const actor = actorOf(user);
  const request = { actor, force: body.force === true };
  const updateId = `joint-submit:${updateIdFor(key, payloadHash({ draftId, userId: user.id, ...body }))}`;
  const submitted = await toDraft(
    deps,
    draftId,
    () => deps.proposals.client.workflow.getHandle(draftId).executeUpdate(submitJointUpdate, { args: [request], updateId }),
    (ended) => void checkSubmit(ended, request, Date.now()),
    '提交已发出，但流程暂时没有给出结果：请稍后用相同的幂等键原样重试',
  );
  if (!submitted.ok) return submitted;
  const draft = submitted.value;
  if (draft.status !== 'registering') return { ok: true, value: { draft, proposal: null } };
  const registration = {
    actor,
    sessionCode: draft.sessionCode,
    receiptNo: draft.receiptNo,
    title: draft.title,
    bodyHash: draft.bodyHash,
    topic: draft.topic,
    proposerKind: registeredKind(draft),
    proposers: signingProposers(draft),
    receivedDate: shanghaiDate(draft.submittedAt ?? new Date().toISOString()),
  };
  const registered = await attempt(
    () => deps.proposals.register(registration, `register:${draftId}`),
    '登记已提交，但办理流程暂时没有给出结果：请稍后在联名草案页面再次提交，不会重复登记',
  );
  if (!registered.ok) return registered;
  const proposalId = proposalWorkflowId(draft.sessionCode, draft.receiptNo);
  const recorded = await attempt(
    () =>
      bounded(deps, () =>
        deps.proposals.client.workflow
          .getHandle(draftId)
          .executeUpdate(recordRegistrationUpdate, { args: [{ actor, proposalWorkflowId: proposalId }], updateId: `joint-registered:${draftId}` }),
      ),
    '提案已登记，联名记录稍后更新：请稍后在联名草案页面再次提交',
  );
  if (!recorded.ok) return recorded;
  return { ok: true, value: { draft: recorded.value, proposal: registered.value } };
}

/** 撤回: the draft ends unregistered; invited co-signers are told by mail. */
export async function withdrawJointDraft(
  deps: AppDeps,
  user: UserRow,
  draftId: string,
  body: z.infer<typeof withdrawSchema>,
  key: string,
): Promise<Outcome<JointDraftView>> {
  const request = { actor: actorOf(user), reason: body.reason };
  const updateId = `joint-withdraw:${updateIdFor(key, payloadHash({ draftId, userId: user.id, ...body }))}`;
  return toDraft(
    deps,
    draftId,
    () => deps.proposals.client.workflow.getHandle(draftId).executeUpdate(withdrawJointUpdate, { args: [request], updateId }),
    (ended) => checkWithdraw(ended, request),
    '撤回已提交，但流程暂时没有给出结果：请稍后用相同的幂等键原样重试',
  );
}
