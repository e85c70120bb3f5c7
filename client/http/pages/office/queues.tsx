import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { readOfficeQueues, QUEUE_LIMIT, type QueueRow } from '../../../read/queues.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageEnv } from '../../middleware/session.js';
import { cnDate, cnDateTime, Layout } from '../layout.js';
import { valueLabel } from '../labels.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import { DueCell } from '../shared/proposal-view.js';

// The office's queues on one page: adjustment requests and extension requests waiting for its
// decision, publication proposals waiting for its approval, and the signed replies the system
// is dispatching by itself. Each row leads to the proposal's page, where the decision's form is.

/** A signed reply normally goes out within seconds; one still waiting after this is worth a look. */
const DISPATCH_SLOW_MS = 10 * 60_000;

const proposalHref = (workflowId: string) => `/proposals/${encodeURIComponent(workflowId)}#actions`;

interface Column<T> {
  header: string;
  cell: (row: T) => Child;
}

function QueueTable<T extends QueueRow>(p: { id: string; title: string; intro: Child; empty: string; rows: T[]; columns: Column<T>[] }) {
  return (
    <section class="queue" aria-labelledby={p.id}>
      <h2 id={p.id}>
        {p.title}
        <span class="queue-count">
          （{p.rows.length}
          {p.rows.length >= QUEUE_LIMIT ? '+' : ''}件）
        </span>
      </h2>
      <p class="hint">{p.intro}</p>
      {p.rows.length === 0 ? (
        <p>{p.empty}</p>
      ) : (
        <table class="table responsive">
          <caption class="visually-hidden">{p.title}</caption>
          <thead>
            <tr>
              <th scope="col">提案</th>
              <th scope="col">单位</th>
              {p.columns.map((c) => (
                <th scope="col">{c.header}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr>
                <td data-label="提案">
                  <a href={proposalHref(r.workflowId)}>{r.title}</a>
                  <div class="hint">{r.number}</div>
                </td>
                <td data-label="单位">{r.unitName}</td>
                {p.columns.map((c) => (
                  <td data-label={c.header}>{c.cell(r)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const since: Column<QueueRow> = { header: '申请时间', cell: (r) => cnDateTime(r.since) };
const reason: Column<QueueRow> = { header: '理由', cell: (r) => r.reason ?? '—' };
const decideBy: Column<QueueRow> = {
  header: '审批期限',
  cell: (r) => (r.decideBy ? <DueCell dueAt={r.decideBy} done={false} /> : '—'),
};

export function queueRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const guard = [requireSignIn(), requireRole(['office'], (c) => notFoundPage(c, pd.mailViewer))] as const;

  app.get('/queues', ...guard, async (c) => {
    const q = await readOfficeQueues(deps.db, actorOf(c.get('user')));
    const now = Date.now();
    const sections = [
      { id: 'q-adjust', label: '调整申请', n: q.adjustments.length },
      { id: 'q-extend', label: '延期申请', n: q.extensions.length },
      { id: 'q-publish', label: '公开审定', n: q.publications.length },
      { id: 'q-dispatch', label: '正在寄发', n: q.dispatching.length },
    ];
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title="待办队列" wide>
        <h1>待办队列</h1>
        <nav aria-label="队列" class="queue-nav">
          <ul>
            {sections.map((s) => (
              <li>
                <a href={`#${s.id}`}>
                  {s.label}（{s.n}）
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <QueueTable
          id="q-adjust"
          title="调整申请"
          intro="承办单位认为提案不属于本单位职责，申请调整。请在审批期限前，在提案页“审批调整申请”中同意（可指定接替单位）或不同意；到期前会提醒，逾期会告知提案委员会。"
          empty="没有待审批的调整申请。"
          rows={q.adjustments}
          columns={[since, decideBy, reason]}
        />
        <QueueTable
          id="q-extend"
          title="延期申请"
          intro="承办单位申请延长答复期限。请在审批期限前，在提案页“审批延期申请”中批准或不批准；到期前会提醒，逾期会告知提案委员会。"
          empty="没有待审批的延期申请。"
          rows={q.extensions}
          columns={[since, decideBy, { header: '期限', cell: (r) => `${r.from ? cnDate(r.from) : '—'} → ${cnDate(r.to)}` }, reason]}
        />
        <QueueTable
          id="q-publish"
          title="公开审定"
          intro="承办单位对答复的公开方式提出了意见。先看公开版本与寄发的答复函的对照，再在提案页“审定公开方式”中审定。"
          empty="没有待审定的公开意见。"
          rows={q.publications}
          columns={[
            { header: '提出时间', cell: (r) => cnDateTime(r.since) },
            { header: '建议方式', cell: (r) => valueLabel('proposePublication', 'mode', r.mode) },
            reason,
            { header: '公开版本', cell: (r) => <a href={`/proposals/${encodeURIComponent(r.workflowId)}/publication`}>预览与对照</a> },
          ]}
        />
        <QueueTable
          id="q-dispatch"
          title="正在寄发"
          intro="答复经领导签发后，系统自动编号、生成答复函并寄发给提案者，无需操作；这里列出已签发、尚未寄出的答复。超过10分钟仍未寄出的会标出，请打开提案页查看或联系管理员。"
          empty="没有等待寄发的答复。"
          rows={q.dispatching}
          columns={[
            {
              header: '签发时间',
              cell: (r) => (
                <>
                  {cnDateTime(r.since)}
                  {r.since && now - Date.parse(r.since) > DISPATCH_SLOW_MS ? <strong class="tag tag-late">寄发延迟</strong> : null}
                </>
              ),
            },
          ]}
        />
      </Layout>,
    );
  });
}
