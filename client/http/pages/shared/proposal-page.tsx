import type { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { actionRule, isActionName } from '../../../../workflows/proposal/machine.js';
import { audienceOf, findVisibleProposal } from '../../../read/visibility.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { performAction } from '../../perform-action.js';
import { requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { ActionForm, actionBodyFromForm, actionSpecs, issueFieldId, type FormContext, type FormState } from '../action-forms.js';
import { availableActions, PRIMARY_ACTIONS } from '../available-actions.js';
import { pageIssues, readForm } from '../form-fields.js';
import { ErrorSummary, errorItems, Layout, Notice, Paragraphs } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import { loadProposalPage, type ProposalPageData } from './proposal-data.js';
import { Facts, Letters, TasksTable, Timeline, UnitWork } from './proposal-view.js';
import { loadSearchPanels, SimilarPanel, SuggestPanel, type SearchPanels } from './similar-panels.js';
import { VersionDiffLink } from './version-diff.js';
import { JointConsentRecord, loadJointConsentRecord } from './joint-consent-record.js';

// A proposal's page: what it is, who has it and by when (and why that date), the text, the
// unit's work, the timeline, and a form for each action the person may take now. A form posts
// to /proposals/{id}/act/{action}, which runs the action exactly as the API's action route does
// (performAction: the same door schema, the same visibility rule, the same ProposalClient call)
// and either goes back to the page with a note of what was done, or shows the page again with
// the refusal in the error summary, the field's message beside it and what was typed kept.

const KEY = /^[A-Za-z0-9_.:-]{8,200}$/;

function ProposalPage(p: {
  c: PageContext;
  deps: PagesDeps;
  data: ProposalPageData;
  form: FormState | null;
  done: string | null;
  panels?: SearchPanels;
  joint?: Awaited<ReturnType<typeof loadJointConsentRecord>>;
}) {
  const { c, data } = p;
  const user = c.get('user');
  const audience = audienceOf(actorOf(user));
  const actions = data.state ? availableActions(data.state, user) : [];
  const policy = data.state?.policy.body;
  const ctx: FormContext = {
    workflowId: data.row.workflow_id,
    csrf: c.get('csrf'),
    user,
    units: data.units,
    proposalUnits: data.row.unit_ids,
    replyClasses: policy?.replyClasses ?? ['A', 'B', 'C'],
    notFiledReasons: policy?.notFiledReasons ?? [],
    prefill: data.latestDraft ? { saveDraft: { body: data.latestDraft.text ?? '' } } : {},
  };
  const formErrors = p.form
    ? errorItems(
        p.form.issues.length > 0 ? p.form.issues : [{ field: p.form.problem?.field ?? '', message: p.form.problem?.message ?? '操作没有完成' }],
        (field) => issueFieldId(p.form!.action, field),
        (field) => field !== '' && !field.includes('-Key'),
      )
    : [];
  return (
    <Layout page={pageInfo(c, p.deps.mailViewer)} title={data.view.title} wide>
      <ErrorSummary items={formErrors} title={p.form ? `「${actionRule(p.form.action).label}」没有完成` : undefined} />
      {p.done ? <Notice kind="success">已完成：「{p.done}」。</Notice> : null}
      <span class="caption">
        {data.view.sessionCode} · {data.view.proposalNo ?? data.view.receiptNo}
      </span>
      <h1>{data.view.title}</h1>
      <div class="columns">
        <div class="column-main">
          <Facts data={data} />
          <JointConsentRecord record={p.joint ?? null} />
          <h2 id="units">承办单位与期限</h2>
          <TasksTable data={data} />
          <details class="proposal-text" open={audience !== 'staff' || data.view.stage === 'received'}>
            <summary>
              <h2 class="inline-heading">提案全文</h2>
            </summary>
            <Paragraphs text={data.body} />
          </details>
          {audience !== 'proposer' ? <UnitWork data={data} /> : null}
          {audience !== 'proposer' ? <VersionDiffLink data={data} /> : null}
          {(user.role === 'office' || user.role === 'committee') && (data.view.stage === 'dispatched' || data.view.stage === 'closed') ? (
            <p>
              <a href={`/proposals/${encodeURIComponent(data.row.workflow_id)}/publication`}>公开版本预览（与寄发的答复函对照）</a>
            </p>
          ) : null}
          <SimilarPanel panels={p.panels} unitNames={data.unitNames} />
          <Letters data={data} />
        </div>
        <div class="column-side">
          <h2 id="actions">办理</h2>
          {data.state === null ? <Notice kind="warning">办理流程服务暂时没有响应，现在不能办理；请稍后刷新。</Notice> : null}
          {data.state !== null && actions.length === 0 ? <p>现阶段您没有需要办理的事项。</p> : null}
          <SuggestPanel panels={p.panels} unitNames={data.unitNames} />
          {actions.map((action) => {
            const open = PRIMARY_ACTIONS.has(action) || p.form?.action === action;
            const form = <ActionForm action={action} ctx={ctx} state={p.form} />;
            return open ? (
              <section class="action" aria-labelledby={`h-${action}`}>
                <h3 id={`h-${action}`}>{actionRule(action).label}</h3>
                {form}
              </section>
            ) : (
              <details class="action">
                <summary>{actionRule(action).label}</summary>
                {form}
              </details>
            );
          })}
          <h2 id="timeline">办理记录</h2>
          <Timeline events={data.events} unitNames={data.unitNames} />
        </div>
      </div>
    </Layout>
  );
}

export function proposalPageRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const signedIn = requireSignIn();

  async function show(c: PageContext, id: string, form: FormState | null, status: ContentfulStatusCode = 200) {
    const user = c.get('user');
    const row = await findVisibleProposal(deps.db, actorOf(user), id);
    if (!row) return notFoundPage(c, pd.mailViewer, '没有找到该提案，或您无权查看。');
    const done = c.req.query('done');
    const data = await loadProposalPage(deps, user, row);
    const panels = await loadSearchPanels(deps.db, user, row);
    return render(
      c,
      <ProposalPage
        c={c}
        deps={pd}
        data={data}
        form={form}
        panels={panels}
        joint={await loadJointConsentRecord(deps.db, actorOf(user), row.workflow_id)}
        done={form || !done ? null : isActionName(done) ? actionRule(done).label : done === 'register' ? '登记提案' : null}
      />,
      status,
    );
  }

  app.get('/proposals/:id', signedIn, (c) => show(c, c.req.param('id'), null));

  app.post('/proposals/:id/act/:action', signedIn, async (c) => {
    const id = c.req.param('id');
    const action = c.req.param('action');
    if (!isActionName(action)) return notFoundPage(c, pd.mailViewer);
    const user = c.get('user');
    const row = await findVisibleProposal(deps.db, actorOf(user), id);
    if (!row) return notFoundPage(c, pd.mailViewer, '没有找到该提案，或您无权查看。');
    const form = (await readForm(c))!;
    const sentKey = form.get('_key');
    const key = sentKey && KEY.test(sentKey) ? sentKey : `page-${randomUUID()}`;
    const body = actionBodyFromForm(action, form, user);
    const outcome = await performAction(deps, user, row, action, body, { key, fromClient: true });
    if (outcome.ok) return c.redirect(`/proposals/${encodeURIComponent(id)}?done=${action}`, 303);
    const problem = outcome.problem;
    // The door names every issue; the workflow names at most one field, with its own words.
    const raw = (problem.issues as { field: string; message: string }[] | undefined) ?? (problem.field ? [{ field: problem.field, message: problem.message }] : []);
    const issues = pageIssues(actionSpecs(action, user), raw, body);
    const state: FormState = { action, values: form.values(), issues, problem };
    return show(c, id, state, outcome.status);
  });
}
