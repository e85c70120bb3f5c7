import type { ImportPreview, ImportResult } from '../../../io/proposal-import.js';
import { Button } from '../fields.js';
import { cnDate, CsrfField, Notice } from '../layout.js';

// What an import page shows: the preview (the rows to fix, the rows that would be registered,
// and the confirm button only when there is nothing to fix) and the result with links.

/** A session has hundreds of rows; the page lists this many and counts the rest. */
const SHOWN_ROWS = 300;

const proposalHref = (workflowId: string) => `/proposals/${encodeURIComponent(workflowId)}`;

export function ImportPreviewView(p: {
  preview: ImportPreview;
  csrf: string;
  stageId: string | undefined;
  fileName: string | undefined;
  kinds: Record<string, string>;
}) {
  const { preview } = p;
  const news = preview.rows.filter((r) => !r.existing).length;
  return (
    <section aria-labelledby="preview-heading">
      <h2 id="preview-heading">预览{p.fileName ? `：${p.fileName}` : ''}</h2>
      <p>
        届次「{preview.sessionCode}」，工作表“{preview.sheet}”共{preview.total}行：{preview.valid}行无误
        {preview.errors.length > 0 ? `，${preview.errors.length}处需要修改` : ''}。预览没有登记任何提案。
      </p>
      {preview.ignoredColumns.length > 0 ? <p class="hint">以下列不属于登记表，导入时不读取：{preview.ignoredColumns.join('、')}</p> : null}
      {preview.errors.length > 0 ? (
        <>
          <h3 id="import-errors" tabindex={-1}>
            需要修改的行
          </h3>
          <p>请在 Excel 中改好这些行，保存后重新上传；改好之前，其他各行也不会登记。</p>
          <table class="table responsive">
            <caption class="visually-hidden">需要修改的行</caption>
            <thead>
              <tr>
                <th scope="col">行</th>
                <th scope="col">列</th>
                <th scope="col">问题与修改方法</th>
              </tr>
            </thead>
            <tbody>
              {preview.errors.map((e, i) => (
                <tr id={preview.errors.findIndex((x) => x.row === e.row) === i ? `import-error-${e.row}` : undefined} tabindex={-1}>
                  <td data-label="行">第{e.row}行</td>
                  <td data-label="列">{e.column || '整行'}</td>
                  <td data-label="问题">{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <Notice kind="info">
          全部{preview.total}行检查无误：将登记{news}件新提案{news < preview.rows.length ? `，另有${preview.rows.length - news}件此前已登记（不会重复登记）` : ''}。
        </Notice>
      )}
      {preview.ok && p.stageId ? (
        <form method="post" action="/proposals/import/confirm" class="confirm-import">
          <CsrfField token={p.csrf} />
          <input type="hidden" name="stage" value={p.stageId} />
          <Button>确认导入{preview.rows.length}件提案</Button>
        </form>
      ) : null}
      {preview.rows.length > 0 ? (
        <>
          <h3>{preview.ok ? '将要登记的提案' : '检查无误的行'}</h3>
          <table class="table responsive">
            <caption class="visually-hidden">{preview.ok ? '将要登记的提案' : '检查无误的行'}</caption>
            <thead>
              <tr>
                <th scope="col">行</th>
                <th scope="col">登记号</th>
                <th scope="col">标题</th>
                <th scope="col">类型与提案者</th>
                <th scope="col">收到日期</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.slice(0, SHOWN_ROWS).map((r) => (
                <tr>
                  <td data-label="行">第{r.row}行</td>
                  <td data-label="登记号">{r.receiptNo}</td>
                  <td data-label="标题">
                    {r.title}
                    {r.existing ? <span class="hint">（已登记）</span> : null}
                  </td>
                  <td data-label="类型与提案者">
                    {p.kinds[r.proposerKind] ?? r.proposerKind}：{r.proposers.join('、')}
                  </td>
                  <td data-label="收到日期">{r.receivedDate ? cnDate(r.receivedDate) : '今天'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.rows.length > SHOWN_ROWS ? (
            <p class="hint">
              只列出前{SHOWN_ROWS}行，其余{preview.rows.length - SHOWN_ROWS}行同样会登记。
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

export function ImportResultView(p: { result: ImportResult }) {
  const { result } = p;
  const titles = new Map(result.rows.map((r) => [r.receiptNo, r.title]));
  const failed = result.results.filter((r) => r.status === 'failed');
  return (
    <section aria-labelledby="result-heading">
      <h2 id="result-heading">导入结果</h2>
      <Notice kind={failed.length > 0 ? 'warning' : 'success'}>
        届次「{result.sessionCode}」：新登记{result.created}件，此前已登记{result.existing}件
        {failed.length > 0 ? `，${failed.length}件未能登记（办理流程服务没有及时响应）：请稍后重新上传同一文件补齐，已登记的不会重复登记` : ''}。
      </Notice>
      <table class="table responsive">
        <caption class="visually-hidden">导入的提案</caption>
        <thead>
          <tr>
            <th scope="col">行</th>
            <th scope="col">登记号</th>
            <th scope="col">提案</th>
            <th scope="col">结果</th>
          </tr>
        </thead>
        <tbody>
          {result.results.map((r) => (
            <tr>
              <td data-label="行">第{r.row}行</td>
              <td data-label="登记号">{r.receiptNo}</td>
              <td data-label="提案">
                {r.status === 'failed' ? titles.get(r.receiptNo) : <a href={proposalHref(r.workflowId)}>{titles.get(r.receiptNo) ?? r.workflowId}</a>}
              </td>
              <td data-label="结果">{r.status === 'created' ? '已登记' : r.status === 'existing' ? '此前已登记' : `未能登记：${r.error?.message ?? ''}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        登记后由提案委员会审查立案；立案后可在<a href="/proposals/assign">批量交办</a>中交办。
      </p>
    </section>
  );
}
