import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../../db/schema.js';
import { STAGE_LABELS } from '../../../../workflows/proposal/machine.js';
import type { Stage } from '../../../../workflows/shared/types.js';
import { scopeOf } from '../../../read/visibility.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { Button, Select, TextInput } from '../fields.js';
import { Layout, StageTag } from '../layout.js';
import { TASK_STATUS_LABELS, UNIT_ROLE_LABELS } from '../labels.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import { PendingRequest } from '../shared/pending-request.js';
import { DueCell } from '../shared/proposal-view.js';

// The unit's inbox (本单位待办): every task of the viewer's unit, the soonest due first, each
// due date coloured by how near it is, with the reason for the date (the read model's
// explanation, the same words the deadlines route gives). Filters and sort are a GET form. The
// unit comes from the one visibility rule (scopeOf): a unit sees the proposals it has a task in.

const OPEN = ['drafting', 'signoff', 'approved', 'due', 'adjustment_requested'];

const inboxQuery = z.object({
  show: z.enum(['open', 'all']).default('open'),
  role: z.enum(['sole', 'lead', 'co', 'split']).optional().catch(undefined),
  q: z.string().max(100).optional(),
  sort: z.enum(['due', 'due-desc', 'assigned']).default('due'),
});
type InboxQuery = z.infer<typeof inboxQuery>;

export interface InboxRow {
  workflowId: string;
  title: string;
  proposalNo: string | null;
  stage: string;
  keyProposal: boolean;
  role: string;
  status: string;
  dueAt: string | null;
  dueExplanation: string | null;
  calendarConfirmed: boolean;
  assignedAt: string;
  done: boolean;
  extensionPendingTo: string | null;
  decisionDueAt: string | null;
}

export async function unitTasks(db: Kysely<Database>, unitId: string, q: Pick<InboxQuery, 'show' | 'role' | 'sort'> & { statuses?: string[] }): Promise<InboxRow[]> {
  let query = db
    .selectFrom('unit_tasks as t')
    .innerJoin('proposals as p', (j) => j.onRef('p.workflow_id', '=', 't.workflow_id').onRef('p.rehandling_round', '=', 't.round'))
    .select([
      't.workflow_id',
      't.role',
      't.status',
      't.due_at',
      't.due_explanation',
      't.calendar_confirmed',
      't.assigned_at',
      't.completed_at',
      't.extension_pending_to',
      't.decision_due_at',
      'p.title',
      'p.proposal_no',
      'p.stage',
      'p.key_proposal',
    ])
    .where('t.unit_id', '=', unitId);
  if (q.statuses) query = query.where('t.status', 'in', q.statuses);
  else if (q.show === 'open') query = query.where('t.status', 'in', OPEN);
  if (q.role) query = query.where('t.role', '=', q.role);
  query =
    q.sort === 'assigned'
      ? query.orderBy('t.assigned_at', 'desc')
      : query.orderBy((eb) => eb.fn.coalesce('t.due_at', eb.val(new Date('2999-01-01'))), q.sort === 'due-desc' ? 'desc' : 'asc');
  const rows = await query.orderBy('t.id').limit(1000).execute();
  return rows.map((r) => ({
    workflowId: r.workflow_id,
    title: r.title,
    proposalNo: r.proposal_no,
    stage: r.stage,
    keyProposal: r.key_proposal,
    role: r.role,
    status: r.status,
    dueAt: r.due_at ? new Date(r.due_at).toISOString() : null,
    dueExplanation: r.due_explanation,
    calendarConfirmed: r.calendar_confirmed,
    assignedAt: new Date(r.assigned_at).toISOString(),
    done: r.completed_at !== null,
    extensionPendingTo: r.extension_pending_to,
    decisionDueAt: r.decision_due_at ? new Date(r.decision_due_at).toISOString() : null,
  }));
}

export function TaskTable(p: { rows: InboxRow[]; caption: string }) {
  if (p.rows.length === 0) return <p>没有符合条件的任务。</p>;
  return (
    <table class="table responsive">
      <caption class="visually-hidden">{p.caption}</caption>
      <thead>
        <tr>
          <th scope="col">提案</th>
          <th scope="col">任务</th>
          <th scope="col">进度</th>
          <th scope="col">期限</th>
        </tr>
      </thead>
      <tbody>
        {p.rows.map((r) => (
          <tr>
            <td data-label="提案">
              <a href={`/proposals/${encodeURIComponent(r.workflowId)}`}>{r.title}</a>
              <div class="hint">
                {r.proposalNo ?? ''} <StageTag stage={r.stage} label={STAGE_LABELS[r.stage as Stage] ?? r.stage} />
                {r.keyProposal ? <strong class="tag tag-key">重点提案</strong> : null}
              </div>
            </td>
            <td data-label="任务">{UNIT_ROLE_LABELS[r.role] ?? r.role}</td>
            <td data-label="进度">
              {TASK_STATUS_LABELS[r.status] ?? r.status}
              {r.done ? null : <PendingRequest status={r.status} extensionPendingTo={r.extensionPendingTo} decisionDueAt={r.decisionDueAt} />}
            </td>
            <td data-label="期限">
              <DueCell dueAt={r.dueAt} done={r.done} explanation={r.dueExplanation} calendarConfirmed={r.calendarConfirmed} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function liaisonRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const refuse = (c: PageContext) => notFoundPage(c, pd.mailViewer);

  app.get('/inbox', requireSignIn(), requireRole(['liaison', 'leader', 'principal'], refuse), async (c) => {
    const scope = scopeOf(actorOf(c.get('user')));
    if (scope.kind !== 'unit') return notFoundPage(c, pd.mailViewer, '您的账户没有所属单位，请联系系统管理员。');
    const parsed = inboxQuery.safeParse(c.req.query());
    const q = parsed.success ? parsed.data : inboxQuery.parse({});
    const words = q.q?.trim();
    const rows = (await unitTasks(deps.db, scope.unitId, q)).filter((r) => !words || r.title.includes(words) || r.proposalNo === words);
    const unit = await deps.db.selectFrom('units').select('name').where('id', '=', scope.unitId).executeTakeFirst();
    const overdue = rows.filter((r) => !r.done && r.dueAt && Date.parse(r.dueAt) < Date.now()).length;
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title="本单位待办" wide>
        <span class="caption">{unit?.name}</span>
        <h1>本单位待办</h1>
        {overdue > 0 ? (
          <p class="due due-overdue">
            <strong>有{overdue}项任务已逾期</strong>，请尽快办理或申请延期。
          </p>
        ) : null}
        <form method="get" action="/inbox" class="filters" role="search" aria-label="筛选和排序">
          <Select
            noOptionalMark
            id="i-show"
            name="show"
            label="范围"
            choices={[
              { value: 'open', label: '待办' },
              { value: 'all', label: '全部（含已完成）' },
            ]}
            selected={q.show}
            placeholder="待办"
          />
          <Select
            noOptionalMark
            id="i-role"
            name="role"
            label="任务"
            choices={Object.entries(UNIT_ROLE_LABELS).map(([value, label]) => ({ value, label }))}
            selected={q.role}
            placeholder="全部任务"
          />
          <TextInput noOptionalMark id="i-q" name="q" label="标题或编号" value={words} />
          <Select
            noOptionalMark
            id="i-sort"
            name="sort"
            label="排序"
            choices={[
              { value: 'due', label: '期限由近到远' },
              { value: 'due-desc', label: '期限由远到近' },
              { value: 'assigned', label: '最新交办在前' },
            ]}
            selected={q.sort}
            placeholder="期限由近到远"
          />
          <Button kind="secondary">筛选</Button>
        </form>
        <p class="legend-due">
          <span class="due due-overdue">红色：已逾期</span>
          <span class="due due-soon">橙色：7天内到期</span>
          <span class="due due-ok">绿色：未到期</span>
        </p>
        <TaskTable rows={rows} caption="本单位的任务" />
      </Layout>,
    );
  });
}
