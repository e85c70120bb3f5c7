import type { Context } from 'hono';
import { z } from 'zod';
import { cachedCalendarLoader } from '../../../activities/deadlines/calendar-cache.js';
import { text } from '../../../workflows/proposal/inputs.js';
import { buildExport, EXPORT_KINDS, EXPORT_LABELS, ExportRefusal, type ExportKind } from '../../io/exports.js';
import { importRefusal, ImportRefusal, prepareImport, runImport } from '../../io/proposal-import.js';
import { XLSX_MIME } from '../../io/xlsx-cells.js';
import { actorOf } from '../auth.js';
import type { AppDeps, AppEnv } from '../env.js';
import { problem } from '../problem.js';
import type { Routes } from '../route.js';

// Spreadsheets in and out. POST /api/imports/proposals takes a session's 登记表 as .xlsx (the
// file itself, or a form upload with a `file` field) and previews it (dryRun=true, the default)
// or imports it, all rows or none; GET /api/exports/{kind}.xlsx gives what the caller may see.

const importQuery = z.object({
  session: text('届次', 60).trim().min(1, '需要 session 参数（导入到哪个届次）'),
  dryRun: z.enum(['true', 'false'], { message: 'dryRun 必须是 true 或 false' }).default('true'),
});

const binary = z.string().meta({ format: 'binary', description: '.xlsx 工作簿（登记表）' });

const exportQuery = z.object({
  session: text('届次', 60).optional(),
  unit: text('承办单位', 100).optional(),
  days: z.coerce.number({ message: 'days 必须是整数' }).int('days 必须是整数').min(1, 'days 最小为1').max(90, 'days 最大为90').optional(),
});

const exportDocParams = z.object({ kind: z.enum(EXPORT_KINDS, { message: `导出类型应为：${EXPORT_KINDS.join('、')}` }) });
const exportParams = z.object({ file: text('导出文件', 100) });

/** The workbook's bytes from a raw .xlsx body or a multipart form's `file`, or the refusal to send. */
async function uploadedWorkbook(c: Context<AppEnv>): Promise<Uint8Array | Response> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === XLSX_MIME || type === 'application/octet-stream') return new Uint8Array(await c.req.arrayBuffer());
  if (type === 'multipart/form-data') {
    const form = await c.req.parseBody().catch(() => null);
    const file = form?.file;
    if (!(file instanceof File)) return problem(c, 'INVALID_INPUT', '表单中没有名为 file 的 .xlsx 文件', 'file');
    return new Uint8Array(await file.arrayBuffer());
  }
  return problem(c, 'UNSUPPORTED_MEDIA_TYPE', `请上传 .xlsx 文件：Content-Type 应为 ${XLSX_MIME} 或 multipart/form-data${type ? `，收到的是 ${type}` : ''}`);
}

function contentDisposition(filename: string, ascii: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function ioRoutes(r: Routes, deps: AppDeps): void {
  const { db, proposals } = deps;
  const calendarNow = cachedCalendarLoader(db);

  r.mount(
    {
      method: 'post',
      path: '/api/imports/proposals',
      roles: ['office', 'committee', 'admin'],
      summary: '从 .xlsx 导入一个届次的提案：dryRun=true（默认）只预览逐行检查结果；dryRun=false 在每一行都无误时全部登记，否则一件也不登记',
      tag: '导入导出',
      query: importQuery,
      bodyMedia: { [XLSX_MIME]: binary, 'multipart/form-data': z.object({ file: binary }) },
      ok: {
        status: 200,
        description: '预览：{ ok, total, valid, errors: [{ row, column, field, message }], rows }；导入：另有 { imported, created, existing, failed, results }',
      },
      problems: [403, 503],
    },
    async (c, { query }) => {
      const user = c.get('user');
      const dryRun = query.dryRun === 'true';
      const refused = importRefusal(user, dryRun);
      if (refused) return problem(c, refused.type, refused.message);
      const bytes = await uploadedWorkbook(c);
      if (bytes instanceof Response) return bytes;
      if (bytes.byteLength === 0) return problem(c, 'INVALID_INPUT', '没有收到文件内容', 'file');
      let prepared;
      try {
        prepared = await prepareImport(db, query.session, bytes);
      } catch (err) {
        if (err instanceof ImportRefusal) return problem(c, err.type, err.message, err.field || undefined);
        throw err;
      }
      const { preview } = prepared;
      if (dryRun) return c.json({ dryRun: true, ...preview });
      if (!preview.ok) {
        const first = preview.errors[0]!;
        return problem(
          c,
          'INVALID_INPUT',
          `有${preview.errors.length}处问题（第一处：第${first.row}行「${first.column || '整行'}」：${first.message}），未登记任何提案：请修改后重新导入`,
          'file',
          {
            issues: preview.errors.map((e) => ({ field: `第${e.row}行 ${e.column}`.trim(), message: e.message })),
            preview,
          },
        );
      }
      const result = await runImport({ db, proposals }, user, prepared);
      if (result.failed > 0) {
        const failure = result.results.find((x) => x.status === 'failed')!.error!;
        const message = `${result.failed}行未能登记（${failure.message}）；其余已登记。请稍后重新提交同一文件补齐，已登记的不会重复登记`;
        return problem(c, failure.error, message, 'file', { result });
      }
      return c.json({ dryRun: false, ...result });
    },
  );

  // Documented with the kind in the path; served by one route that reads the file name.
  r.doc.add({
    method: 'get',
    path: '/api/exports/{kind}.xlsx',
    summary: `导出 .xlsx（${EXPORT_KINDS.map((k) => `${k}：${EXPORT_LABELS[k]}`).join('；')}），按届次（session）和承办单位（unit）筛选；承办单位只能导出本单位的`,
    tag: '导入导出',
    params: exportDocParams,
    query: exportQuery,
    ok: { status: 200, description: `${XLSX_MIME}：中文表头、首行冻结、日期为 Excel 日期（北京时间）` },
    problems: [403, 404],
  });

  r.mount(
    { method: 'get', path: '/api/exports/{file}', summary: '导出 .xlsx', tag: '导入导出', params: exportParams, query: exportQuery, undocumented: true },
    async (c, { params, query }) => {
      const kind = /^(.+)\.xlsx$/.exec(params.file)?.[1];
      if (!kind || !(EXPORT_KINDS as readonly string[]).includes(kind)) {
        return problem(c, 'NOT_FOUND', `没有这种导出：可导出 ${EXPORT_KINDS.map((k) => `${k}.xlsx`).join('、')}`);
      }
      try {
        const file = await buildExport({ db, calendarNow }, actorOf(c.get('user')), { kind: kind as ExportKind, ...query });
        return c.body(new Uint8Array(file.bytes), 200, {
          'content-type': XLSX_MIME,
          'content-disposition': contentDisposition(file.filename, file.asciiFilename),
          'x-banli-rows': String(file.rows),
        });
      } catch (err) {
        if (err instanceof ExportRefusal) return problem(c, err.type, err.message, err.field);
        throw err;
      }
    },
  );
}
