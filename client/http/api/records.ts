import { z } from 'zod';
import { getRendition, RENDITION_MIME } from '../../../db/repositories/documents.js';
import { readConsultations, readCoOpinions, readDocuments, readFollowUps, readRatings, readReplyVersions } from '../../read/records.js';
import { findVisibleProposal, NOT_VISIBLE_MESSAGE, type Viewer } from '../../read/visibility.js';
import { actorOf } from '../auth.js';
import type { AppDeps } from '../env.js';
import { problem } from '../problem.js';
import type { Routes } from '../route.js';
import { proposalParams } from '../schemas.js';

// What a proposal's steps stored, read back: reply versions with their texts, co-opinions,
// consultations, ratings, follow-up reports and documents. The proposal first passes the one
// visibility rule (404 when not), then each record kind its own (client/read/records.ts).

const documentParams = proposalParams.extend({
  documentId: z.coerce.number({ error: '文件编号应为数字' }).int('文件编号应为整数').positive('文件编号应为正整数').max(2_147_483_647, '文件编号过大'),
  format: z.enum(['docx', 'html'], { error: '格式只能是 docx 或 html' }),
});

type Reader = (db: AppDeps['db'], viewer: Viewer, workflowId: string) => Promise<unknown[]>;

const LISTS: { path: string; summary: string; read: Reader }[] = [
  { path: 'replies', summary: '答复稿各版本及正文（承办单位看本单位的；提案者看已发出的）', read: readReplyVersions },
  { path: 'co-opinions', summary: '会办意见（主办单位看全部会办单位的；会办单位看本单位的）', read: readCoOpinions },
  { path: 'consultations', summary: '沟通协商记录（提案者看时间、方式和参加人）', read: readConsultations },
  { path: 'ratings', summary: '提案者的评价（承办单位看对本单位答复的评价；提案者看自己的）', read: readRatings },
  { path: 'follow-ups', summary: '回头看：落实情况的要求与报告', read: readFollowUps },
  { path: 'documents', summary: '答复函、会办意见函等文件（按可见规则）', read: readDocuments },
];

export function recordRoutes(r: Routes, deps: AppDeps): void {
  const { db } = deps;

  for (const list of LISTS) {
    r.mount(
      {
        method: 'get',
        path: `/api/proposals/{id}/${list.path}`,
        summary: list.summary,
        tag: '提案',
        params: proposalParams,
        ok: { status: 200, description: '{ items: [...] }' },
        problems: [404],
      },
      async (c, { params }) => {
        const viewer = actorOf(c.get('user'));
        const row = await findVisibleProposal(db, viewer, params.id);
        if (!row) return problem(c, 'NOT_FOUND', NOT_VISIBLE_MESSAGE);
        return c.json({ items: await list.read(db, viewer, row.workflow_id) });
      },
    );
  }

  r.mount(
    {
      method: 'get',
      path: '/api/proposals/{id}/documents/{documentId}/{format}',
      summary: '下载一份文件（.docx 或 HTML），与寄出的字节相同',
      tag: '提案',
      params: documentParams,
      ok: { status: 200, description: '文件本身' },
      problems: [404],
    },
    async (c, { params }) => {
      const viewer = actorOf(c.get('user'));
      const row = await findVisibleProposal(db, viewer, params.id);
      if (!row) return problem(c, 'NOT_FOUND', NOT_VISIBLE_MESSAGE);
      const doc = (await readDocuments(db, viewer, row.workflow_id)).find((d) => d.id === params.documentId);
      const rendition = doc ? await getRendition(db, doc.id, params.format) : null;
      if (!doc || !rendition) return problem(c, 'NOT_FOUND', '没有找到该文件，或你无权查看');
      const filename = `${doc.title}.${params.format}`;
      return new Response(new Uint8Array(rendition.content), {
        status: 200,
        headers: {
          'Content-Type': RENDITION_MIME[params.format],
          'Content-Disposition': `${params.format === 'docx' ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(filename)}`,
          'Cache-Control': 'private, no-store',
        },
      });
    },
  );
}
