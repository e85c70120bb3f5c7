import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { activePolicy, publishPolicy } from '../../../../db/repositories/reference.js';
import { durationOf } from '../../../../activities/policy/default-policy.js';
import { text } from '../../../../workflows/proposal/inputs.js';
import type { PolicyBody } from '../../../../workflows/shared/types.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { doorIssues } from '../../problem.js';
import { Button, Choices, Select, TextInput } from '../fields.js';
import { readForm, type FormFields } from '../form-fields.js';
import { CsrfField, ErrorSummary, Layout, Notice, type ErrorItem } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import { DURATION_UNITS, NO_FEEDBACK, PolicyView, RATING_BY } from './policy-view.js';

// The handling policy: the active version in Chinese, and a new version published from a form
// of what an administrator changes in practice (name, each duration, who rates, sign-off of key
// proposals). Everything else is carried over from the active version, which passed the API's
// schema when it was published. Publishing is what PUT /api/policies/active does: publishPolicy
// makes it the active version for new proposals, and, when asked, every running proposal is
// told to reload it and recompute its deadlines.

type DurationKey = keyof PolicyBody['durations'];
type DurationUnit = PolicyBody['durations']['reply']['unit'];
const UNIT_KEYS: DurationUnit[] = ['working_days', 'calendar_days', 'calendar_months', 'seconds'];
const DURATION_KEYS: DurationKey[] = [
  'adjustmentWindow',
  'coOpinion',
  'reply',
  'extensionCeiling',
  'feedbackWindow',
  'publication',
  'rehandling',
  'officeDecision',
  'jointConsent',
];

const formSchema = z.strictObject({
  name: text('规则名称', 100).trim().min(1, '请填写规则名称'),
  ratingBy: z.enum(['first_proposer', 'all_proposers'], { error: '请选择由谁评价' }),
  noFeedbackCountsAs: z.enum(['satisfied', 'excluded'], { error: '请选择期满未反馈如何计算' }),
  principalSignOffForKey: z.enum(['yes', 'no'], { error: '请选择重点提案由谁签发' }),
  applyToRunning: z.enum(['yes']).optional(),
});

const amountSchema = (label: string) =>
  z.coerce
    .number({ error: `${label}的时长必须是整数` })
    .int(`${label}的时长必须是整数`)
    .positive(`${label}的时长必须大于0`)
    .max(1200, `${label}的时长不能超过1200`);

const id = (field: string) => `policy-${field.replace(/\./g, '-')}`;

function PoliciesPage(p: {
  c: PageContext;
  pd: PagesDeps;
  active: { version: number; body: PolicyBody };
  values: Record<string, string>;
  errors: Record<string, string>;
  summary: ErrorItem[];
  notice?: string;
}) {
  const { body } = p.active;
  const v = p.values;
  const unitChoices = UNIT_KEYS.map((u) => ({ value: u, label: DURATION_UNITS[u] }));
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title="办理规则" wide>
      <ErrorSummary items={p.summary} title={p.summary.length ? '新版本没有发布' : undefined} />
      {p.notice ? <Notice kind="success">{p.notice}</Notice> : null}
      <h1>办理规则</h1>
      <h2>现行规则（第{p.active.version}版）</h2>
      <PolicyView version={p.active.version} body={body} />
      <h2 id="publish">发布新版本</h2>
      <p>新版本适用于此后登记的提案；勾选下方选项后，办理中的提案也改用新版本并重算期限。未列出的规则（编号格式、提醒、督办、不予立案理由）沿用现行版本。</p>
      <form method="post" action="/admin/policies" novalidate aria-labelledby="publish">
        <CsrfField token={p.c.get('csrf')} />
        <TextInput id={id('name')} name="name" label="规则名称" required value={v.name} error={p.errors.name} />
        <fieldset class="fieldset">
          <legend class="legend legend-m">办理期限</legend>
          {DURATION_KEYS.map((key) => [key, durationOf(body.durations, key)] as const).map(([key, d]) => (
            <div class="duration-row">
              <TextInput
                id={id(`durations.${key}.amount`)}
                name={`durations.${key}.amount`}
                label={`${d.label}：时长`}
                required
                inputmode="numeric"
                width="short"
                value={v[`durations.${key}.amount`]}
                error={p.errors[`durations.${key}.amount`]}
              />
              <Select
                id={id(`durations.${key}.unit`)}
                name={`durations.${key}.unit`}
                label={`${d.label}：单位`}
                required
                choices={unitChoices}
                selected={v[`durations.${key}.unit`]}
                error={p.errors[`durations.${key}.unit`]}
              />
            </div>
          ))}
        </fieldset>
        <Choices
          id={id('ratingBy')}
          name="ratingBy"
          label="征询意见由谁评价"
          required
          choices={Object.entries(RATING_BY).map(([value, label]) => ({ value, label }))}
          selected={[v.ratingBy ?? '']}
          error={p.errors.ratingBy}
        />
        <Choices
          id={id('noFeedbackCountsAs')}
          name="noFeedbackCountsAs"
          label="征询期满未反馈"
          required
          choices={Object.entries(NO_FEEDBACK).map(([value, label]) => ({ value, label }))}
          selected={[v.noFeedbackCountsAs ?? '']}
          error={p.errors.noFeedbackCountsAs}
        />
        <Choices
          id={id('principalSignOffForKey')}
          name="principalSignOffForKey"
          label="重点提案的答复"
          required
          choices={[
            { value: 'yes', label: '须由主要负责人签发' },
            { value: 'no', label: '由分管领导签发即可' },
          ]}
          selected={[v.principalSignOffForKey ?? '']}
          error={p.errors.principalSignOffForKey}
        />
        <Choices
          id={id('applyToRunning')}
          name="applyToRunning"
          label="办理中的提案"
          noOptionalMark
          multiple
          choices={[{ value: 'yes', label: '办理中的提案也改用新版本，并重算期限' }]}
          selected={v.applyToRunning ? ['yes'] : []}
        />
        <Button>发布新版本</Button>
      </form>
    </Layout>
  );
}

function valuesOf(body: PolicyBody): Record<string, string> {
  const values: Record<string, string> = {
    name: body.name,
    ratingBy: body.ratingBy,
    noFeedbackCountsAs: body.noFeedbackCountsAs,
    principalSignOffForKey: body.principalSignOffForKey ? 'yes' : 'no',
  };
  for (const [key, d] of Object.entries(body.durations)) {
    values[`durations.${key}.amount`] = String(d.amount);
    values[`durations.${key}.unit`] = d.unit;
  }
  return values;
}

/** The new body, or every problem of the form by field name. */
function newBody(active: PolicyBody, form: FormFields): { body: PolicyBody; applyToRunning: boolean } | { issues: { field: string; message: string }[] } {
  const get = (name: string) => (form.get(name) ?? '').trim();
  const parsed = formSchema.safeParse(
    Object.fromEntries(['name', 'ratingBy', 'noFeedbackCountsAs', 'principalSignOffForKey', 'applyToRunning'].map((k) => [k, get(k) || undefined])),
  );
  const issues = parsed.success ? [] : doorIssues(parsed.error);
  const durations = { ...active.durations };
  for (const key of DURATION_KEYS) {
    const d = durationOf(active.durations, key);
    const amount = amountSchema(d.label).safeParse(get(`durations.${key}.amount`) || undefined);
    if (!amount.success) issues.push({ field: `durations.${key}.amount`, message: amount.error.issues[0]!.message });
    const unit = UNIT_KEYS.find((u) => u === get(`durations.${key}.unit`));
    if (!unit) issues.push({ field: `durations.${key}.unit`, message: `请选择${d.label}的单位` });
    if (amount.success && unit) durations[key] = { ...d, amount: amount.data, unit };
  }
  if (!parsed.success || issues.length > 0) return { issues };
  const f = parsed.data;
  return {
    body: {
      ...active,
      name: f.name,
      ratingBy: f.ratingBy,
      noFeedbackCountsAs: f.noFeedbackCountsAs,
      principalSignOffForKey: f.principalSignOffForKey === 'yes',
      durations,
    },
    applyToRunning: f.applyToRunning === 'yes',
  };
}

export function policyAdminRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db, proposals } = deps;
  const guard = [requireSignIn(), requireRole(['admin'], (c) => notFoundPage(c, pd.mailViewer))] as const;

  const show = async (
    c: PageContext,
    extra: { values?: Record<string, string>; issues?: { field: string; message: string }[]; notice?: string },
    status: ContentfulStatusCode = 200,
  ) => {
    const active = await activePolicy(db);
    if (!active) return notFoundPage(c, pd.mailViewer, '还没有发布过办理规则：请先通过 PUT /api/policies/active 发布第一版。');
    const errors: Record<string, string> = {};
    for (const i of extra.issues ?? []) errors[i.field] ??= i.message;
    const summary = Object.entries(errors).map(([f, message]) => ({ message, href: id(f) }));
    return render(
      c,
      <PoliciesPage c={c} pd={pd} active={active} values={extra.values ?? valuesOf(active.body)} errors={errors} summary={summary} notice={extra.notice} />,
      status,
    );
  };

  app.get('/admin/policies', ...guard, (c) => show(c, {}));

  app.post('/admin/policies', ...guard, async (c) => {
    const active = await activePolicy(db);
    if (!active) return show(c, {});
    const form = (await readForm(c))!;
    const values = Object.fromEntries(Object.entries(form.values()).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v)]));
    const next = newBody(active.body, form);
    if ('issues' in next) return show(c, { values, issues: next.issues }, 422);
    const user = c.get('user');
    const version = await publishPolicy(db, next.body.name, next.body, user.id);
    const signalled = next.applyToRunning ? await proposals.broadcastDeadlinesChanged(`${user.display_name}发布了办理规则第${version}版`, true) : 0;
    return show(c, { notice: `已发布第${version}版${next.applyToRunning ? `，已通知${signalled}件办理中的提案改用新版本并重算期限` : '，适用于此后登记的提案'}` });
  });
}
