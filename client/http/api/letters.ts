import { z } from 'zod';
import { previewLetter, previewUnitLetter, saveLetterStyle, type Preview } from '../../../activities/documents/preview.js';
import { LetterStylePatchSchema } from '../../../activities/documents/letter-style.js';
import { RENDITION_MIME } from '../../../db/repositories/documents.js';
import { getUnits } from '../../../db/repositories/directory.js';
import { getStylePatches } from '../../../db/repositories/letter-settings.js';
import { failedNotifications } from '../../../db/repositories/notifications.js';
import { text } from '../../../workflows/proposal/inputs.js';
import type { AppDeps } from '../env.js';
import { invalidInput, problem } from '../problem.js';
import type { Routes } from '../route.js';
import { page } from '../schemas.js';

// Letters as data, the administrator's side: the deployment's and each unit's wording (a patch
// over the built-in style), always shown with the letter it makes and every problem by field
// before it is saved; and the office's list of mail that could not be delivered.

const unitParams = z.object({ unitId: text('单位', 100).min(1, '请指明单位') });
const previewQuery = z.object({ format: z.enum(['json', 'docx'], { message: 'format 必须是 json 或 docx' }).default('json') });
/** What a preview may try: either layer or both; the saved layers stand in for what is left out. */
const previewBody = z.strictObject({ deployment: z.unknown().optional(), unit: z.unknown().optional() });
const failedQuery = z.object({ limit: page(100, 500).limit });

/** The letter a style makes, for a person to read: text and standalone HTML, or the problems. */
function previewView(p: Preview) {
  return { problems: p.problems, text: p.text, html: p.html };
}

function docxAnswer(p: Preview, name: string): Response {
  return new Response(new Uint8Array(p.docx!), {
    status: 200,
    headers: { 'Content-Type': RENDITION_MIME.docx, 'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}` },
  });
}

export function letterRoutes(r: Routes, deps: AppDeps): void {
  const { db } = deps;
  const now = () => new Date().toISOString();

  r.mount(
    {
      method: 'get',
      roles: ['admin'],
      path: '/api/letter-style',
      summary: '全局答复函格式（在内置格式之上的修改）与其预览（管理员）',
      tag: '答复函格式',
      problems: [403],
    },
    async (c) => {
      const saved = await getStylePatches(db, null);
      return c.json({ deployment: saved.deployment ?? {}, preview: previewView(await previewLetter({ deployment: saved.deployment ?? {}, withDocx: false })) });
    },
  );

  r.mount(
    {
      method: 'put',
      path: '/api/letter-style',
      roles: ['admin'],
      summary: '保存全局答复函格式（管理员）；有问题时不保存，逐项说明',
      tag: '答复函格式',
      body: LetterStylePatchSchema,
      problems: [403],
    },
    async (c, { body }) => {
      const user = c.get('user');
      const saved = await saveLetterStyle(db, { unitId: null, patch: body, userId: user.id, now: now() });
      if (!saved.saved) return invalidInput(c, saved.problems);
      return c.json({ saved: true, deployment: body, preview: previewView(await previewLetter({ deployment: body, withDocx: false })) });
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/units/{unitId}/letter-style',
      roles: ['admin'],
      summary: '单位的答复函格式（全局格式之上的修改）与该单位答复函的预览（管理员）',
      tag: '答复函格式',
      params: unitParams,
      problems: [403, 404],
    },
    async (c, { params }) => {
      const [unit] = await getUnits(db, [params.unitId]);
      if (!unit) return problem(c, 'NOT_FOUND', `没有单位 ${params.unitId}`);
      const saved = await getStylePatches(db, unit.id);
      const preview = await previewUnitLetter(db, { unitId: unit.id, withDocx: false });
      return c.json({ unitId: unit.id, unitName: unit.name, deployment: saved.deployment ?? {}, unit: saved.unit ?? {}, preview: previewView(preview) });
    },
  );

  r.mount(
    {
      method: 'post',
      path: '/api/units/{unitId}/letter-style/preview',
      roles: ['admin'],
      summary: '预览修改后的单位答复函（不保存）：正文、HTML 与问题清单；?format=docx 下载 .docx（管理员）',
      tag: '答复函格式',
      params: unitParams,
      query: previewQuery,
      body: previewBody,
      ok: { status: 200, description: '{ problems: { field, message }[], text, html } 或 .docx' },
      problems: [403, 404],
    },
    async (c, { params, query, body }) => {
      const [unit] = await getUnits(db, [params.unitId]);
      if (!unit) return problem(c, 'NOT_FOUND', `没有单位 ${params.unitId}`);
      const preview = await previewUnitLetter(db, { unitId: unit.id, deployment: body.deployment, unit: body.unit, withDocx: query.format === 'docx' });
      if (query.format === 'docx') {
        if (preview.problems.length || !preview.docx) return invalidInput(c, preview.problems);
        return docxAnswer(preview, `${unit.short_name} 答复函预览.docx`);
      }
      return c.json(previewView(preview));
    },
  );

  r.mount(
    {
      method: 'put',
      path: '/api/units/{unitId}/letter-style',
      roles: ['admin'],
      summary: '保存单位的答复函格式（管理员）；预览有问题时不保存，逐项说明',
      tag: '答复函格式',
      params: unitParams,
      body: LetterStylePatchSchema,
      problems: [403, 404],
    },
    async (c, { params, body }) => {
      const user = c.get('user');
      const [unit] = await getUnits(db, [params.unitId]);
      if (!unit) return problem(c, 'NOT_FOUND', `没有单位 ${params.unitId}`);
      const saved = await saveLetterStyle(db, { unitId: unit.id, patch: body, userId: user.id, now: now() });
      if (!saved.saved) return invalidInput(c, saved.problems);
      const preview = await previewUnitLetter(db, { unitId: unit.id, withDocx: false });
      return c.json({ saved: true, unitId: unit.id, unit: body, preview: previewView(preview) });
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/notifications/failed',
      roles: ['office'],
      summary: '未能送达的邮件（重试用尽、被拒收或没有收件地址），最新的在前（交办单位）',
      tag: '通知',
      query: failedQuery,
      ok: { status: 200, description: '{ items: { key, workflowId, kind, to, cc, subject, attempts, lastError, createdAt }[] }' },
      problems: [403],
    },
    async (c, { query }) => {
      const rows = await failedNotifications(db, query.limit);
      return c.json({
        items: rows.map((n) => ({
          key: n.idempotency_key,
          workflowId: n.workflow_id,
          kind: n.kind,
          to: n.to_addrs,
          cc: n.cc_addrs,
          subject: n.subject,
          attempts: n.attempts,
          lastError: n.last_error,
          createdAt: n.created_at.toISOString(),
        })),
        limit: query.limit,
      });
    },
  );
}
