import type { PageContext } from '../../middleware/session.js';
import { Layout, Notice } from '../layout.js';
import { pageInfo, type PagesDeps } from '../render.js';
import type { BatchJob } from './assign-batch.js';

// A 交办 batch's page: while it runs, how far it is (the page reloads itself every few seconds,
// without script); once done, every proposal with 已交办 or 未交办 and the workflow's reason.

const REFRESH_SECONDS = 3;

export function BatchPage(p: { c: PageContext; pd: PagesDeps; job: BatchJob }) {
  const { job } = p;
  const running = job.finishedAt === null;
  const assigned = job.results.filter((r) => r.status === 'assigned').length;
  const refused = job.results.filter((r) => r.status === 'refused');
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title={running ? '正在交办' : '交办结果'} wide {...(running ? { refreshSeconds: REFRESH_SECONDS } : {})}>
      <h1>{running ? '正在交办' : '交办结果'}</h1>
      {running ? (
        <>
          <p role="status">
            已处理 {job.done} / {job.total} 件。本页每{REFRESH_SECONDS}秒自动刷新，完成后显示每件提案的结果；离开本页不会中断交办。
          </p>
          <progress class="batch-progress" max={job.total} value={job.done} aria-label="交办进度">
            {job.done} / {job.total}
          </progress>
          <p>
            <a href={`/proposals/assign/batches/${encodeURIComponent(job.id)}`}>立即刷新</a>
          </p>
        </>
      ) : job.failure ? (
        <Notice kind="warning">批次没有全部完成（{job.failure}）。已交办的不受影响；请回到批量交办页，仍待交办的提案会继续列出，可再次交办。</Notice>
      ) : (
        <Notice kind={refused.length > 0 ? 'warning' : 'success'}>
          共{job.total}件：已交办{assigned}件{refused.length > 0 ? `，未交办${refused.length}件（原因见下表，改正后可在批量交办页重新交办）` : ''}。
        </Notice>
      )}
      {!running && job.results.length > 0 ? (
        <table class="table responsive">
          <caption class="visually-hidden">每件提案的交办结果</caption>
          <thead>
            <tr>
              <th scope="col">提案</th>
              <th scope="col">结果</th>
            </tr>
          </thead>
          <tbody>
            {job.results.map((r) => (
              <tr>
                <td data-label="提案">
                  <a href={`/proposals/${encodeURIComponent(r.workflowId)}`}>{r.title}</a>
                </td>
                <td data-label="结果">
                  {r.status === 'assigned' ? <strong class="tag tag-handling">已交办</strong> : <span class="batch-refused">未交办：{r.message}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p>
        <a href="/proposals/assign">返回批量交办</a>
      </p>
    </Layout>
  );
}
