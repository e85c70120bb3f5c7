import { z } from 'zod';
import { text } from '../../../workflows/proposal/inputs.js';
import { searchArchive } from '../../read/search/archive.js';
import { similarToProposal, suggestionForDraft, suggestionForProposal, SIMILAR_SHOWN } from '../../read/search/for-proposal.js';
import type { Role } from '../../../workflows/shared/types.js';
import { similarProposals } from '../../read/search/similar.js';
import { findVisibleProposal, NOT_VISIBLE_MESSAGE, scopeOf } from '../../read/visibility.js';
import { actorOf } from '../auth.js';
import type { AppDeps } from '../env.js';
import { problem } from '../problem.js';
import type { Routes } from '../route.js';
import { listQuery, page, proposalParams } from '../schemas.js';

// 档案检索 over HTTP: the archive search for a signed-in person (what the visibility rule lets
// them see), the same search over published replies for anyone, the proposals most like a text
// or a proposal, and the unit suggestion for a proposal being assigned.

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const words = text('检索词', 100)
  .trim()
  .refine((v) => /[\p{L}\p{N}]/u.test(v), '请输入要检索的字词（至少一个汉字、字母或数字）');

export const searchQuery = z.object({
  q: words,
  session: z.preprocess(blank, text('届次', 60).optional()),
  unit: z.preprocess(blank, text('承办单位', 100).optional()),
  class: z.preprocess(blank, z.enum(['A', 'B', 'C', 'D'], { message: '答复类别应为 A、B、C 或 D' }).optional()),
  stage: z.preprocess(blank, listQuery.shape.stage),
  ...page(20, 100),
});

const publicQuery = z.object({
  q: words,
  session: z.preprocess(blank, text('届次', 60).optional()),
  unit: z.preprocess(blank, text('承办单位', 100).optional()),
  ...page(20, 100),
});

const draftBody = z.strictObject({
  title: text('提案标题', 200).trim().min(1, '请填写提案标题'),
  body: text('提案正文', 100_000).optional(),
  limit: z.number({ message: 'limit 必须是整数' }).int('limit 必须是整数').min(1, 'limit 最小为1').max(50, 'limit 最大为50').optional(),
});

// The office and the committee assign, so they see suggestions and check a text before registering it;
// staff and units work with precedents; a proposer's pages are about their own proposals.
const ASSIGNERS: readonly Role[] = ['office', 'committee'];
const PRECEDENT_READERS: readonly Role[] = ['office', 'committee', 'admin', 'liaison', 'leader', 'principal'];

export function searchRoutes(r: Routes, deps: AppDeps): void {
  const { db } = deps;

  r.mount(
    { method: 'get', path: '/api/search', summary: '档案检索：提案、答复和会办意见全文检索（按相关度，含高亮摘要）', tag: '检索', query: searchQuery },
    async (c, { query }) => {
      const viewer = actorOf(c.get('user'));
      const result = await searchArchive(
        db,
        scopeOf(viewer),
        query.q,
        { sessionCode: query.session, unitId: query.unit, replyClass: query.class, stage: query.stage },
        { limit: query.limit, offset: query.offset },
      );
      return c.json(result);
    },
  );

  r.mount(
    { method: 'get', path: '/api/public/search', summary: '公开答复全文检索（无需登录，只检索已公开的答复）', tag: '检索', public: true, query: publicQuery },
    async (c, { query }) => {
      const result = await searchArchive(
        db,
        { kind: 'public' },
        query.q,
        { sessionCode: query.session, unitId: query.unit },
        { limit: query.limit, offset: query.offset },
      );
      return c.json(result);
    },
  );

  r.mount(
    {
      method: 'post',
      path: '/api/search/similar',
      summary: '相似提案：与一份尚未登记的提案（标题和正文）最相似的已有提案，及其答复类别和评价',
      tag: '检索',
      roles: ASSIGNERS,
      body: draftBody,
    },
    async (c, { body }) => {
      const viewer = actorOf(c.get('user'));
      const draft = { title: body.title, body: body.body ?? '' };
      const [items, suggestion] = await Promise.all([
        similarProposals(db, scopeOf(viewer), draft, { limit: body.limit ?? SIMILAR_SHOWN }),
        suggestionForDraft(db, draft),
      ]);
      return c.json({ items, suggestion });
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/proposals/{id}/similar',
      summary: '与该提案最相似的其他提案（在您可见的范围内），及其答复类别和评价',
      tag: '检索',
      roles: PRECEDENT_READERS,
      params: proposalParams,
      problems: [404],
    },
    async (c, { params }) => {
      const viewer = actorOf(c.get('user'));
      const row = await findVisibleProposal(db, viewer, params.id);
      if (!row) return problem(c, 'NOT_FOUND', NOT_VISIBLE_MESSAGE);
      return c.json({ workflowId: row.workflow_id, items: await similarToProposal(db, viewer, row) });
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/proposals/{id}/unit-suggestions',
      summary: '智能分办：按最相似的已交办提案建议主办和会办单位，附理由；只供参考，不会自动交办',
      tag: '检索',
      roles: ASSIGNERS,
      params: proposalParams,
      problems: [404],
    },
    async (c, { params }) => {
      const row = await findVisibleProposal(db, actorOf(c.get('user')), params.id);
      if (!row) return problem(c, 'NOT_FOUND', NOT_VISIBLE_MESSAGE);
      return c.json({ workflowId: row.workflow_id, ...(await suggestionForProposal(db, row)) });
    },
  );
}
