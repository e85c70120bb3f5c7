import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { importRefusal, ImportRefusal, prepareImport, runImport, type ImportPreview, type ImportResult } from '../../../io/proposal-import.js';
import { XLSX_MIME } from '../../../io/xlsx-cells.js';
import { DEFAULT_HTTP_LIMITS } from '../../../settings.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { Button, Select } from '../fields.js';
import { readForm } from '../form-fields.js';
import { CsrfField, ErrorSummary, Layout, type ErrorItem } from '../layout.js';
import { PROPOSER_KIND_LABELS } from '../labels.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import { ImportPreviewView, ImportResultView } from './import-views.js';
import { stagedImport, stageImport } from './import-staging.js';
import { importTemplate } from './import-template.js';

// 导入: the office (or the committee) registers a session's proposals from a 登记表 (.xlsx).
// Upload → a preview that checks every row with the API's and the CLI's own code
// (client/io/proposal-import.ts) and writes nothing → "import" → every row registered, or none
// when any row has a problem. The preview names the row, the column and what to change.

const FILE_ID = 'import-file';
const SESSION_ID = 'import-session';
const MAX_SUMMARY = 10;

interface ImportPageProps {
  c: PageContext;
  pd: PagesDeps;
  sessions: { code: string; name: string }[];
  session: string | undefined;
  limitBytes: number;
  errors: ErrorItem[];
  errorTitle?: string;
  fieldErrors: { file?: string; session?: string };
  preview?: ImportPreview;
  stageId?: string;
  fileName?: string;
  result?: ImportResult;
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

function UploadForm(p: ImportPageProps) {
  return (
    <form method="post" action="/proposals/import" enctype="multipart/form-data" novalidate aria-labelledby="upload-heading">
      <h2 id="upload-heading">{p.result ? '导入另一个文件' : p.preview ? '重新上传' : '上传登记表'}</h2>
      <CsrfField token={p.c.get('csrf')} />
      <Select
        id={SESSION_ID}
        name="session"
        label="届次"
        required
        choices={p.sessions.map((s) => ({ value: s.code, label: s.name }))}
        selected={p.session}
        error={p.fieldErrors.session}
      />
      <div class={p.fieldErrors.file ? 'form-group form-group-error' : 'form-group'}>
        <label class="label" for={FILE_ID}>
          登记表文件（.xlsx）
        </label>
        <div class="hint" id={`${FILE_ID}-hint`}>
          第一行为表头（登记号、标题、正文、提案类型、提案者等），每件提案一行；文件不超过 {megabytes(p.limitBytes)}。
        </div>
        {p.fieldErrors.file ? (
          <p class="error-message" id={`${FILE_ID}-error`}>
            <span class="visually-hidden">错误：</span>
            {p.fieldErrors.file}
          </p>
        ) : null}
        <input
          class={`file-input${p.fieldErrors.file ? ' input-error' : ''}`}
          id={FILE_ID}
          name="file"
          type="file"
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-describedby={p.fieldErrors.file ? `${FILE_ID}-hint ${FILE_ID}-error` : `${FILE_ID}-hint`}
          aria-invalid={p.fieldErrors.file ? 'true' : undefined}
        />
      </div>
      <Button kind={p.preview?.ok ? 'secondary' : 'primary'}>预览（不会登记）</Button>
    </form>
  );
}

function ImportPage(p: ImportPageProps) {
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title="导入提案" wide>
      <ErrorSummary items={p.errors} title={p.errorTitle} />
      <h1>导入提案</h1>
      <p>
        从 Excel
        登记表批量登记一个届次的提案。先预览：系统逐行检查，指出哪一行、哪一列、要怎样改，这一步不登记任何提案；全部无误后再确认导入。只要有一行有问题，就一件也不登记。
      </p>
      <p>
        <a href="/proposals/import/template.xlsx" download>
          下载登记表模板（.xlsx）
        </a>
        <span class="hint"> 模板中的两行为示例，请替换为实际提案。</span>
      </p>
      {p.result ? <ImportResultView result={p.result} /> : null}
      {p.preview ? <ImportPreviewView preview={p.preview} csrf={p.c.get('csrf')} stageId={p.stageId} fileName={p.fileName} kinds={PROPOSER_KIND_LABELS} /> : null}
      <UploadForm {...p} />
    </Layout>
  );
}

/** A row problem as a line of the summary: 第3行「邮箱」：…, leading to its row in the table. */
function rowItems(preview: ImportPreview): ErrorItem[] {
  const items: ErrorItem[] = preview.errors.slice(0, MAX_SUMMARY).map((e) => ({
    message: `第${e.row}行${e.column ? `「${e.column}」` : ''}：${e.message}`,
    href: `import-error-${e.row}`,
  }));
  if (preview.errors.length > MAX_SUMMARY) items.push({ message: `另有${preview.errors.length - MAX_SUMMARY}处问题，见下方“需要修改的行”`, href: 'import-errors' });
  return items;
}

export function importRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db, proposals } = deps;
  const guard = [requireSignIn(), requireRole(['office', 'committee'], (c) => notFoundPage(c, pd.mailViewer))] as const;
  // The upload takes the batch limit (client/http/app.ts), like the API's import.
  const limitBytes = { ...DEFAULT_HTTP_LIMITS, ...deps.limits }.batchBodyLimitBytes;
  const sessions = () => db.selectFrom('sessions').select(['code', 'name']).orderBy('created_at', 'desc').execute();

  const show = async (c: PageContext, props: Partial<ImportPageProps>, status: ContentfulStatusCode = 200) => {
    const list = await sessions();
    return render(
      c,
      <ImportPage c={c} pd={pd} sessions={list} session={props.session ?? list[0]?.code} limitBytes={limitBytes} errors={[]} fieldErrors={{}} {...props} />,
      status,
    );
  };
  const refused = (c: PageContext, session: string | undefined, field: 'file' | 'session', message: string) =>
    show(c, { session, errors: [{ message, href: field === 'file' ? FILE_ID : SESSION_ID }], errorTitle: '没有预览', fieldErrors: { [field]: message } }, 422);

  app.get('/proposals/import', ...guard, (c) => show(c, {}));

  app.get('/proposals/import/template.xlsx', ...guard, async (c) => {
    const bytes = await importTemplate(c.get('user').display_name);
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': XLSX_MIME,
      'content-disposition': `attachment; filename="import-template.xlsx"; filename*=UTF-8''${encodeURIComponent('提案登记表模板.xlsx')}`,
    });
  });

  app.post('/proposals/import', ...guard, async (c) => {
    const form = (await readForm(c))!;
    const session = (form.get('session') ?? '').trim() || undefined;
    // readForm keeps the text fields; the file is in the same parsed body (hono caches it).
    const file = c.req.header('content-type')?.startsWith('multipart/form-data') ? (await c.req.formData()).get('file') : null;
    if (!session) return refused(c, undefined, 'session', '请选择届次');
    if (!(file instanceof File) || file.size === 0) return refused(c, session, 'file', '请选择要导入的 .xlsx 文件');
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      const { preview } = await prepareImport(db, session, bytes);
      const stageId = preview.ok ? stageImport(c.get('user').id, session, file.name, bytes) : undefined;
      const errors = preview.ok ? [] : rowItems(preview);
      return show(
        c,
        { session, preview, fileName: file.name, errors, errorTitle: `有${preview.errors.length}处问题，没有登记任何提案`, ...(stageId ? { stageId } : {}) },
        preview.ok ? 200 : 422,
      );
    } catch (err) {
      if (err instanceof ImportRefusal) return refused(c, session, err.field === 'session' ? 'session' : 'file', err.message);
      throw err;
    }
  });

  app.post('/proposals/import/confirm', ...guard, async (c) => {
    const form = (await readForm(c))!;
    const user = c.get('user');
    const refusal = importRefusal(user, false);
    if (refusal) return show(c, { errors: [{ message: refusal.message }] }, 403);
    const staged = stagedImport(form.get('stage') ?? '', user.id);
    if (!staged) return refused(c, undefined, 'file', '预览已过期（超过30分钟或系统已重启），没有登记任何提案：请重新选择文件预览');
    // Checked again: another import or a registration may have happened since the preview.
    const prepared = await prepareImport(db, staged.sessionCode, staged.bytes).catch((err: unknown) => {
      if (err instanceof ImportRefusal) return err;
      throw err;
    });
    if (prepared instanceof ImportRefusal) return refused(c, staged.sessionCode, 'file', prepared.message);
    if (!prepared.preview.ok) {
      return show(
        c,
        {
          session: staged.sessionCode,
          preview: prepared.preview,
          fileName: staged.fileName,
          errors: rowItems(prepared.preview),
          errorTitle: '预览后情况有变化，没有登记任何提案',
        },
        409,
      );
    }
    const result = await runImport({ db, proposals }, user, prepared);
    return show(c, { session: staged.sessionCode, result }, result.failed > 0 ? 503 : 200);
  });
}
