import { z } from 'zod';
import { getUnits } from '../../../db/repositories/directory.js';
import { getPublicationProfile, putPublicationProfile } from '../../../db/repositories/publications.js';
import { text } from '../../../workflows/proposal/inputs.js';
import { reviewPublication } from '../../read/publication-preview.js';
import { findVisibleProposal, NOT_VISIBLE_MESSAGE } from '../../read/visibility.js';
import { actorOf } from '../auth.js';
import type { AppDeps } from '../env.js';
import { problem } from '../problem.js';
import { ORG_CODE } from '../public/entry.js';
import type { Routes } from '../route.js';
import { proposalParams } from '../schemas.js';

// 公开, the office's side: the public version beside the letter as sent, with the line diff and
// what was removed, before the office approves (the same code makes what the publish step later
// stores); and each unit's publishing profile (the 索引号's organisation code, the 发布机构, the
// 组配分类), kept by an administrator.

const previewQuery = z.object({
  mode: z.enum(['full', 'summary'], { message: 'mode 必须是 full（全文）或 summary（摘要）' }).optional(),
  summary: text('摘要', 4000).trim().optional(),
});

const unitParams = z.object({ unitId: text('单位', 100).min(1, '请指明单位') });

export const profileBody = z.strictObject({
  orgCode: z.string({ message: '请填写组织机构代码' }).trim().regex(ORG_CODE, '组织机构代码只能由字母、数字和连字符组成，最多40位（索引号的第一段，如 002482031）'),
  organ: text('发布机构', 100).trim().min(1, '请填写发布机构（如 省发展改革委）'),
  classification: text('组配分类', 60).trim().min(1, '组配分类不能为空').optional(),
});

function profileView(row: { unit_id: string; org_code: string; organ: string; classification: string; updated_at: Date }) {
  return { unitId: row.unit_id, orgCode: row.org_code, organ: row.organ, classification: row.classification, updatedAt: row.updated_at.toISOString() };
}

export function publicationRoutes(r: Routes, deps: AppDeps): void {
  const { db, proposals } = deps;

  r.mount(
    {
      method: 'get',
      path: '/api/proposals/{id}/publication/preview',
      roles: ['office', 'committee'],
      summary: '公开版本预览：寄发的答复函与公开版本并列，逐行差异及删去的个人信息（交办单位、提案委员会）',
      tag: '公开',
      params: proposalParams,
      query: previewQuery,
      ok: {
        status: 200,
        description:
          '{ mode, decision, published, entries, internal: string[], public: string[], diff: { op, text }[], redactions, letters: [{ unitId, docNo, internal, public, diff, redactions }] }',
      },
      problems: [403, 404, 409],
    },
    async (c, { params, query }) => {
      const viewer = actorOf(c.get('user'));
      const row = await findVisibleProposal(db, viewer, params.id);
      if (!row) return problem(c, 'NOT_FOUND', NOT_VISIBLE_MESSAGE);

      const review = await reviewPublication(db, proposals, row.workflow_id, query);
      if (!review.preview) return problem(c, 'INVALID_INPUT', '摘要公开的预览需要摘要：承办单位尚未提供，可在 summary 中填写', 'summary');
      return c.json({
        workflowId: row.workflow_id,
        mode: review.mode,
        decision: review.decision,
        // The first published letter (a split proposal publishes one per unit: all in entries).
        published: review.published[0] ?? null,
        entries: review.published,
        ...review.preview,
      });
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/units/{unitId}/publication-profile',
      roles: ['admin'],
      summary: '单位的公开信息：组织机构代码（索引号第一段）、发布机构、组配分类（管理员）',
      tag: '公开',
      params: unitParams,
      ok: { status: 200, description: '{ unitId, unitName, profile: { orgCode, organ, classification, updatedAt } | null }' },
      problems: [403, 404],
    },
    async (c, { params }) => {
      const [unit] = await getUnits(db, [params.unitId]);
      if (!unit) return problem(c, 'NOT_FOUND', `没有单位 ${params.unitId}`);
      const profile = await getPublicationProfile(db, unit.id);
      return c.json({ unitId: unit.id, unitName: unit.name, profile: profile ? profileView(profile) : null });
    },
  );

  r.mount(
    {
      method: 'put',
      path: '/api/units/{unitId}/publication-profile',
      roles: ['admin'],
      summary: '保存单位的公开信息（管理员）；之后公开的答复按此编索引号',
      tag: '公开',
      params: unitParams,
      body: profileBody,
      ok: { status: 200, description: '{ unitId, unitName, profile }' },
      problems: [403, 404],
    },
    async (c, { params, body }) => {
      const [unit] = await getUnits(db, [params.unitId]);
      if (!unit) return problem(c, 'NOT_FOUND', `没有单位 ${params.unitId}`);
      await putPublicationProfile(db, {
        unitId: unit.id,
        orgCode: body.orgCode,
        organ: body.organ,
        classification: body.classification,
        now: new Date().toISOString(),
      });
      const saved = await getPublicationProfile(db, unit.id);
      return c.json({ unitId: unit.id, unitName: unit.name, profile: saved ? profileView(saved) : null });
    },
  );
}
