import type { Context } from 'hono';
import { z } from 'zod';
import { text } from '../../../workflows/proposal/inputs.js';
import {
  answerByLink,
  answerSchema,
  linkDraft,
  openDraftSchema,
  openJointDraft,
  paperAnswerSchema,
  recordPaperAnswer,
  submitJointDraft,
  submitSchema,
  withdrawJointDraft,
  withdrawSchema,
  type Outcome,
} from '../../joint-consent.js';
import { consentRecordOfProposal, listReadableDrafts, paperInvitations, readJointDraft } from '../../read/joint-consent.js';
import { paperFeedbackForms } from '../../read/paper-feedback.js';
import { NOT_VISIBLE_MESSAGE } from '../../read/visibility.js';
import { actorOf } from '../auth.js';
import type { AppDeps, AppEnv } from '../env.js';
import { idempotencyKeyOf } from '../idempotency.js';
import { problem } from '../problem.js';
import type { Routes } from '../route.js';

// 联名征集 over HTTP: the office's and the first signer's routes (sign-in), the co-signer's link
// (its signature is the authentication, like the feedback link), and the consent record of a
// registered proposal, under the proposal's own visibility rule.

const STAFF = ['office', 'committee'] as const;
const draftParams = z.object({ draftId: text('联名草案', 300).min(1) });
const idParams = z.object({ id: text('提案', 300).min(1) });
const tokenParams = z.object({ token: text('链接', 2000) });
const listQuery = z.object({
  session: text('届次', 60).optional(),
  status: z.enum(['open', 'submitted', 'registering', 'registered', 'withdrawn']).optional(),
});

const DRAFT_NOT_FOUND = '没有找到该联名草案，或你无权查看';

function answer<T>(c: Context<AppEnv>, outcome: Outcome<T>, ok: (value: T) => Response): Response {
  if (outcome.ok) return ok(outcome.value);
  if (outcome.retryAfterSeconds !== undefined) c.header('Retry-After', String(outcome.retryAfterSeconds));
  return c.json(outcome.problem, outcome.status);
}

export function jointConsentRoutes(r: Routes, deps: AppDeps): void {
  r.mount(
    {
      method: 'post',
      path: '/api/joint-drafts',
      summary: '发起联名提案（邀请附议人）',
      tag: '联名',
      roles: ['office', 'committee', 'proposer'],
      body: openDraftSchema,
      ok: { status: 201, description: '{ draft }：联名草案，附议人已收到邀请' },
      problems: [409, 503],
    },
    async (c, { body }) => {
      const key = idempotencyKeyOf(c);
      if (key instanceof Response) return key;
      const outcome = await openJointDraft(deps, c.get('user'), body, key.key);
      return answer(c, outcome, (draft) => c.json({ draft }, 201));
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/joint-drafts',
      summary: '联名草案列表（含待纸质邀请的附议人）',
      tag: '联名',
      roles: ['office', 'committee', 'admin', 'proposer'],
      query: listQuery,
    },
    async (c, { query }) => {
      const viewer = actorOf(c.get('user'));
      const items = await listReadableDrafts(deps.db, viewer, {
        ...(query.session ? { sessionCode: query.session } : {}),
        ...(query.status ? { status: query.status } : {}),
      });
      return c.json({ items, paperInvitations: viewer.role === 'proposer' ? [] : paperInvitations(items) });
    },
  );

  r.mount({ method: 'get', path: '/api/joint-drafts/{draftId}', summary: '联名草案及各联名人的答复', tag: '联名', params: draftParams }, async (c, { params }) => {
    const record = await readJointDraft(deps.db, actorOf(c.get('user')), params.draftId);
    return record ? c.json({ draft: record }) : problem(c, 'NOT_FOUND', DRAFT_NOT_FOUND);
  });

  r.mount(
    {
      method: 'post',
      path: '/api/joint-drafts/{draftId}/paper-answers',
      summary: '录入附议人的纸质联名回执',
      tag: '联名',
      roles: STAFF,
      params: draftParams,
      body: paperAnswerSchema,
      problems: [404, 409, 503],
    },
    async (c, { params, body }) => {
      const key = idempotencyKeyOf(c);
      if (key instanceof Response) return key;
      if (!(await readJointDraft(deps.db, actorOf(c.get('user')), params.draftId))) return problem(c, 'NOT_FOUND', DRAFT_NOT_FOUND);
      return answer(c, await recordPaperAnswer(deps, c.get('user'), params.draftId, body, key.key), (draft) => c.json({ draft }));
    },
  );

  r.mount(
    {
      method: 'post',
      path: '/api/joint-drafts/{draftId}/submit',
      summary: '提交联名提案（交办单位、提案委员会提交即登记）',
      tag: '联名',
      roles: ['office', 'committee', 'proposer'],
      params: draftParams,
      body: submitSchema,
      ok: { status: 200, description: '{ draft, proposal }：登记后 proposal 为提案，第一提案人提交时为 null' },
      problems: [404, 409, 503],
    },
    async (c, { params, body }) => {
      const key = idempotencyKeyOf(c);
      if (key instanceof Response) return key;
      // A member may submit only a draft they can see (they sign it); others' look absent.
      if (!(await readJointDraft(deps.db, actorOf(c.get('user')), params.draftId))) return problem(c, 'NOT_FOUND', DRAFT_NOT_FOUND);
      return answer(c, await submitJointDraft(deps, c.get('user'), params.draftId, body, key.key), (v) => c.json({ draft: v.draft, proposal: v.proposal }));
    },
  );

  r.mount(
    {
      method: 'post',
      path: '/api/joint-drafts/{draftId}/withdraw',
      summary: '撤回联名草案（登记前）',
      tag: '联名',
      roles: ['office', 'committee', 'proposer'],
      params: draftParams,
      body: withdrawSchema,
      problems: [404, 409, 503],
    },
    async (c, { params, body }) => {
      const key = idempotencyKeyOf(c);
      if (key instanceof Response) return key;
      if (!(await readJointDraft(deps.db, actorOf(c.get('user')), params.draftId))) return problem(c, 'NOT_FOUND', DRAFT_NOT_FOUND);
      return answer(c, await withdrawJointDraft(deps, c.get('user'), params.draftId, body, key.key), (draft) => c.json({ draft }));
    },
  );

  r.mount(
    { method: 'get', path: '/api/proposals/{id}/joint-consent', summary: '联名记录：谁同意、谢绝或未答复', tag: '联名', params: idParams },
    async (c, { params }) => {
      const found = await consentRecordOfProposal(deps.db, actorOf(c.get('user')), params.id);
      if (!found.found) return problem(c, 'NOT_FOUND', NOT_VISIBLE_MESSAGE);
      return c.json({ consent: found.record });
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/feedback-forms/paper',
      summary: '待纸质代录的征询意见表（无邮箱的提案者）',
      tag: '征询意见',
      roles: [...STAFF, 'admin'],
      query: z.object({ session: text('届次', 60).optional() }),
    },
    async (c, { query }) => c.json({ items: await paperFeedbackForms(deps.db, actorOf(c.get('user')), query.session ? { sessionCode: query.session } : {}) }),
  );

  r.mount(
    {
      method: 'get',
      path: '/joint-consent/{token}',
      summary: '联名邀请链接：提案与本人的答复状态',
      tag: '联名',
      public: true,
      params: tokenParams,
      problems: [401, 404],
    },
    async (c, { params }) => {
      const found = await linkDraft(deps, params.token);
      if (!found.ok) return c.json(found.problem, found.status);
      const { claims, view } = found.value;
      const me = view.signers.find((s) => s.position === claims.position)!;
      return c.json({ title: view.title, firstSigner: view.signers[0]!.name, expiresAt: view.expiresAt, status: view.status, answer: me.status });
    },
  );

  r.mount(
    {
      method: 'post',
      path: '/joint-consent/{token}',
      summary: '通过联名邀请链接同意或谢绝联名',
      tag: '联名',
      public: true,
      params: tokenParams,
      body: answerSchema,
      ok: { status: 200, description: '{ ok: true, answer }' },
      problems: [401, 404, 409, 503],
    },
    async (c, { params, body }) => {
      const outcome = await answerByLink(deps, params.token, body);
      return answer(c, outcome, (view) => c.json({ ok: true, answer: body.answer, status: view.status }));
    },
  );
}
