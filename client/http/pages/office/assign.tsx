import type { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ProposalRow } from '../../../../db/schema.js';
import { listVisibleProposals } from '../../../read/visibility.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { Button, Choices, Select, type Choice } from '../fields.js';
import { readForm } from '../form-fields.js';
import { cnDate, CsrfField, ErrorSummary, Layout, type ErrorItem } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import { allUnits } from '../shared/proposal-data.js';
import { batchJob, checkBatch, startBatch } from './assign-batch.js';
import { BatchPage } from './assign-result.js';

// 交办会 on a page: the office filters the filed proposals by session, ticks many, sets the
// handling mode with the lead and the co-units once for all of them, and sends. Each proposal's
// own workflow takes or refuses its assignment (assign-batch.ts); the batch's page lists every
// proposal with its result and, while a long batch is still running, refreshes itself.

/** A session brings up to ~900 filed proposals here; the page lists this many at a time. */
const LIST_LIMIT = 1000;
/** How long the form's answer waits for the batch before showing its progress page instead. */
const WAIT_MS = 8000;
const BATCH_ID = /^page-[0-9a-f-]{36}$/;

const MODES: Choice[] = [
  { value: 'sole', label: '单独办理', hint: '一个单位办理并答复' },
  { value: 'lead', label: '主办＋会办', hint: '主办单位答复；会办单位向主办单位提交会办意见' },
  { value: 'split', label: '分别办理（分办）', hint: '每个单位各自答复其负责的部分' },
];

interface Values {
  ids: string[];
  mode: string;
  lead: string;
  co: string[];
}

interface AssignPageProps {
  c: PageContext;
  pd: PagesDeps;
  sessions: { code: string; name: string }[];
  session: string | undefined;
  rows: ProposalRow[];
  more: boolean;
  units: { id: string; name: string }[];
  values: Values;
  errors: ErrorItem[];
  fieldErrors: Record<string, string>;
}

function AssignPage(p: AssignPageProps) {
  const { values } = p;
  const unitChoices = p.units.map((u) => ({ value: u.id, label: u.name }));
  const query = (extra: Record<string, string>) => `/proposals/assign?${new URLSearchParams({ ...(p.session ? { session: p.session } : {}), ...extra }).toString()}`;
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title="批量交办" wide>
      <ErrorSummary items={p.errors} title={p.errors.length ? '没有交办任何提案' : undefined} />
      <h1>批量交办</h1>
      <p>选择已立案的提案，设定办理方式和承办单位后一次交办；每件提案由其办理流程分别核验，结果逐件列出。</p>
      <form method="get" action="/proposals/assign" class="filters" role="search" aria-label="筛选待交办提案">
        <Select
          noOptionalMark
          id="f-session"
          name="session"
          label="届次"
          choices={p.sessions.map((s) => ({ value: s.code, label: s.name }))}
          selected={p.session}
          placeholder="全部届次"
        />
        <Button kind="secondary">筛选</Button>
      </form>
      {p.rows.length === 0 ? (
        <p>没有待交办（已立案）的提案。</p>
      ) : (
        <form method="post" action="/proposals/assign" novalidate>
          <CsrfField token={p.c.get('csrf')} />
          <input type="hidden" name="_batch" value={`page-${randomUUID()}`} />
          <input type="hidden" name="session" value={p.session ?? ''} />
          <div class={p.fieldErrors.ids ? 'form-group form-group-error' : 'form-group'}>
            <fieldset class="fieldset" aria-describedby={p.fieldErrors.ids ? 'assign-ids-error' : undefined}>
              <legend class="legend legend-m">待交办的提案（已立案，{p.rows.length}件）</legend>
              {p.fieldErrors.ids ? (
                <p class="error-message" id="assign-ids-error">
                  <span class="visually-hidden">错误：</span>
                  {p.fieldErrors.ids}
                </p>
              ) : null}
              <p>
                <a href={query({ all: '1' })}>全部选中</a> · <a href={query({})}>全部取消</a>
              </p>
              {p.more ? <p class="hint">只列出前{LIST_LIMIT}件，请按届次筛选。</p> : null}
              <table class="table responsive assign-table">
                <caption class="visually-hidden">待交办的提案</caption>
                <thead>
                  <tr>
                    <th scope="col">选择</th>
                    <th scope="col">编号</th>
                    <th scope="col">标题</th>
                    <th scope="col">收到日期</th>
                  </tr>
                </thead>
                <tbody>
                  {p.rows.map((r, i) => (
                    <tr>
                      <td data-label="选择">
                        <input
                          class="choice-input batch-check"
                          type="checkbox"
                          name="ids"
                          value={r.workflow_id}
                          id={i === 0 ? 'assign-ids' : `assign-ids-${i + 1}`}
                          checked={values.ids.includes(r.workflow_id)}
                          aria-label={`选择：${r.title}`}
                        />
                      </td>
                      <td data-label="编号">{r.proposal_no ?? r.receipt_no}</td>
                      <td data-label="标题">
                        <a href={`/proposals/${encodeURIComponent(r.workflow_id)}`}>{r.title}</a>
                      </td>
                      <td data-label="收到日期">{cnDate(r.received_date)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </fieldset>
          </div>
          <h2>办理方式与承办单位</h2>
          <Choices id="assign-mode" name="mode" label="办理方式" required choices={MODES} selected={[values.mode]} error={p.fieldErrors.mode} />
          <Select
            id="assign-lead"
            name="lead"
            label="主办单位"
            required
            hint="单独办理时只选这一个单位；主办＋会办时它负责答复"
            choices={unitChoices}
            selected={values.lead}
            error={p.fieldErrors.lead}
          />
          <Choices
            id="assign-co"
            name="co"
            label="会办或分办单位"
            hint="单独办理时不选"
            choices={unitChoices}
            selected={values.co}
            multiple
            error={p.fieldErrors.co}
          />
          <Button>交办所选提案</Button>
        </form>
      )}
    </Layout>
  );
}

/** Which form field a checked-row problem is about: units[0] is the lead, the rest co-units. */
function fieldOf(field: string): string {
  if (field === 'units' || field === 'units[0]') return 'lead';
  if (field.startsWith('units[')) return 'co';
  if (field === 'workflowId') return 'ids';
  return field;
}

const FIELD_IDS: Record<string, string> = { ids: 'assign-ids', mode: 'assign-mode', lead: 'assign-lead', co: 'assign-co' };

export function assignRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db } = deps;
  const guard = [requireSignIn(), requireRole(['office'], (c) => notFoundPage(c, pd.mailViewer))] as const;

  const show = async (c: PageContext, session: string | undefined, values: Values, issues: { field: string; message: string }[], status: ContentfulStatusCode) => {
    const viewer = actorOf(c.get('user'));
    const [sessions, units, rows] = await Promise.all([
      db.selectFrom('sessions').select(['code', 'name']).orderBy('created_at', 'desc').execute(),
      allUnits(db),
      listVisibleProposals(db, viewer, { sessionCode: session, stage: 'filed', limit: LIST_LIMIT + 1, offset: 0 }),
    ]);
    const fieldErrors: Record<string, string> = {};
    for (const i of issues) fieldErrors[fieldOf(i.field)] ??= i.message;
    const errors = Object.entries(fieldErrors).map(([f, message]) => ({ message, href: FIELD_IDS[f] ?? 'assign-ids' }));
    return render(
      c,
      <AssignPage
        c={c}
        pd={pd}
        sessions={sessions}
        session={session}
        rows={rows.slice(0, LIST_LIMIT)}
        more={rows.length > LIST_LIMIT}
        units={units}
        values={values}
        errors={errors}
        fieldErrors={fieldErrors}
      />,
      status,
    );
  };

  app.get('/proposals/assign', ...guard, async (c) => {
    const session = c.req.query('session') || undefined;
    const all = c.req.query('all') === '1';
    const rows = all ? await listVisibleProposals(db, actorOf(c.get('user')), { sessionCode: session, stage: 'filed', limit: LIST_LIMIT, offset: 0 }) : [];
    return show(c, session, { ids: rows.map((r) => r.workflow_id), mode: '', lead: '', co: [] }, [], 200);
  });

  app.post('/proposals/assign', ...guard, async (c) => {
    const form = (await readForm(c))!;
    const session = form.get('session') || undefined;
    const lead = (form.get('lead') ?? '').trim();
    const values: Values = { ids: form.getAll('ids'), mode: form.get('mode') ?? '', lead, co: form.getAll('co').filter((u) => u && u !== lead) };
    if (values.ids.length === 0) return show(c, session, values, [{ field: 'ids', message: '请至少选择一件提案' }], 422);
    const sent = form.get('_batch') ?? '';
    const batchId = BATCH_ID.test(sent) ? sent : `page-${randomUUID()}`;
    const request = { batchId, workflowIds: values.ids, mode: values.mode, units: [...(lead ? [lead] : []), ...values.co] };
    const checked = await checkBatch(db, c.get('user'), request);
    // A missing mode or unit is the form's to fix, said once: nothing is sent to any workflow.
    if (checked.errors.length > 0) {
      const issues = checked.errors.map((e) => ({
        field: e.field,
        message: e.field === 'mode' && !values.mode ? '请选择办理方式' : e.field === 'units' && !lead ? '请选择主办单位' : e.message,
      }));
      return show(c, session, values, issues, 422);
    }
    const job = await startBatch(deps, c.get('user'), batchId, checked.rows, WAIT_MS);
    return c.redirect(`/proposals/assign/batches/${encodeURIComponent(job.id)}`, 303);
  });

  app.get('/proposals/assign/batches/:id', ...guard, async (c) => {
    const job = batchJob(c.req.param('id'), c.get('user').id);
    if (!job) return notFoundPage(c, pd.mailViewer, '没有找到这个交办批次：批次结果只保留2小时，且只有发起人可以查看；各件提案的交办情况请在提案页查看。');
    return render(c, <BatchPage c={c} pd={pd} job={job} />);
  });
}
