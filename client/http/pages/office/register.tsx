import type { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import { shanghaiDate } from '../../../../workflows/shared/dates.js';
import { doorIssues } from '../../problem.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { registerProposal } from '../../register-proposal.js';
import { registrationSchema } from '../../schemas.js';
import { fieldId, readForm, type FormFields } from '../form-fields.js';
import { Button, Choices, Select, TextArea, TextInput } from '../fields.js';
import { CsrfField, ErrorSummary, Layout, type ErrorItem } from '../layout.js';
import { PROPOSER_ENTITY_LABELS, PROPOSER_KIND_LABELS } from '../labels.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import type { InputIssue } from '../../../../workflows/proposal/parse.js';
import { SIMILAR_BUTTON, SimilarCheck, similarForDraft, type DraftSimilar } from './similar-check.js';

// 登记: the office (or the committee) enters one proposal. The form is the registration schema's
// shape (the API's body), proposers as rows; "add a proposer" is a submit button that shows the
// form again with one more row, so a joint proposal of any size needs no script. The parsed
// body goes through registerProposal, the same function as POST /api/proposals.

const MAX_ROWS = 200;
const PROPOSER_FIELDS = ['kind', 'name', 'email', 'phone', 'sector'] as const;

interface RegisterForm {
  values: Record<string, string>;
  rows: number;
  issues: InputIssue[];
}

const id = (field: string) => fieldId('reg', field);

const REQUIRED: Record<string, string> = { sessionCode: '届次', receiptNo: '登记号', title: '提案标题', body: '提案正文' };

function formBody(form: FormFields, rows: number): Record<string, unknown> {
  const proposers: Record<string, unknown>[] = [];
  for (let i = 0; i < rows; i++) {
    const row = Object.fromEntries(PROPOSER_FIELDS.map((f) => [f, (form.get(`proposers[${i}].${f}`) ?? '').trim()]));
    // A row left wholly empty is not a proposer; a half-filled one is, and the schema says what is missing.
    if (PROPOSER_FIELDS.every((f) => f === 'kind' || row[f] === '')) continue;
    proposers.push(
      Object.fromEntries(
        Object.entries(row)
          .filter(([k, v]) => v !== '' || k === 'name' || k === 'kind')
          .map(([k, v]) => [k, v === '' && k === 'kind' ? undefined : v]),
      ),
    );
  }
  const text = (name: string) => (form.get(name) ?? '').replace(/\r\n?/g, '\n');
  const optional = (name: string) => (text(name).trim() === '' ? undefined : text(name));
  return {
    sessionCode: text('sessionCode'),
    receiptNo: text('receiptNo'),
    title: text('title'),
    body: text('body'),
    topic: optional('topic'),
    proposerKind: optional('proposerKind'),
    proposers,
    receivedDate: optional('receivedDate'),
  };
}

function RegisterPage(p: {
  c: PageContext;
  pd: PagesDeps;
  sessions: { code: string; name: string }[];
  form: RegisterForm;
  summary: ErrorItem[];
  similar?: DraftSimilar;
}) {
  const { values, rows } = p.form;
  const errors: Record<string, string> = {};
  for (const i of p.form.issues) errors[i.field] ??= i.message;
  const kinds = Object.entries(PROPOSER_KIND_LABELS).map(([value, label]) => ({ value, label }));
  const entityKinds = Object.entries(PROPOSER_ENTITY_LABELS).map(([value, label]) => ({ value, label }));
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title="登记提案">
      <ErrorSummary items={p.summary} title={p.summary.length ? '提案没有登记' : undefined} />
      <h1>登记提案</h1>
      <form method="post" action="/proposals/new" novalidate class="register-form">
        <CsrfField token={p.c.get('csrf')} />
        <input type="hidden" name="_key" value={values._key ?? `page-${randomUUID()}`} />
        <input type="hidden" name="_rows" value={String(rows)} />
        <Select
          id={id('sessionCode')}
          name="sessionCode"
          label="届次"
          required
          choices={p.sessions.map((s) => ({ value: s.code, label: s.name }))}
          selected={values.sessionCode}
          error={errors.sessionCode}
        />
        <TextInput
          id={id('receiptNo')}
          name="receiptNo"
          label="登记号"
          required
          hint="字母、数字或连字符，最多30位，如 R0001"
          width="short"
          value={values.receiptNo}
          error={errors.receiptNo}
        />
        <TextInput id={id('title')} name="title" label="提案标题" required hint="如：关于……的建议" value={values.title} error={errors.title} maxLength={200} />
        <TextArea id={id('body')} name="body" label="提案正文" required hint="情况、分析和具体建议" rows={12} value={values.body} error={errors.body} />
        <SimilarCheck result={p.similar} />
        <TextInput id={id('topic')} name="topic" label="类别" hint="如：经济、教育" width="short" value={values.topic} error={errors.topic} />
        <TextInput
          id={id('receivedDate')}
          name="receivedDate"
          label="收到日期"
          type="date"
          hint="不填则为今天"
          width="short"
          value={values.receivedDate}
          error={errors.receivedDate}
        />
        <Choices
          id={id('proposerKind')}
          name="proposerKind"
          label="提案类型"
          required
          choices={kinds}
          selected={[values.proposerKind ?? '']}
          error={errors.proposerKind}
        />
        <fieldset class="fieldset proposers" aria-describedby={errors.proposers ? `${id('proposers')}-error` : undefined}>
          <legend class="legend legend-m">提案者（联名提案第一行为第一提案人）</legend>
          {errors.proposers ? (
            <p class="error-message" id={`${id('proposers')}-error`}>
              <span class="visually-hidden">错误：</span>
              {errors.proposers}
            </p>
          ) : null}
          <span id={id('proposers')} tabindex={-1}></span>
          {Array.from({ length: rows }, (_, i) => {
            const f = (name: string) => `proposers[${i}].${name}`;
            return (
              <div class="proposer-row">
                <h2 class="proposer-heading">第{i + 1}位提案者</h2>
                <Select id={id(f('kind'))} name={f('kind')} label="身份" choices={entityKinds} selected={values[f('kind')] ?? 'member'} error={errors[f('kind')]} />
                <TextInput id={id(f('name'))} name={f('name')} label="姓名或名称" value={values[f('name')]} error={errors[f('name')]} required={i === 0} />
                <TextInput
                  id={id(f('email'))}
                  name={f('email')}
                  label="邮箱"
                  type="email"
                  autocomplete="off"
                  hint="答复和征询意见表发送到这里"
                  value={values[f('email')]}
                  error={errors[f('email')]}
                />
                <TextInput id={id(f('phone'))} name={f('phone')} label="电话" type="tel" width="short" value={values[f('phone')]} error={errors[f('phone')]} />
                <TextInput id={id(f('sector'))} name={f('sector')} label="界别" width="short" value={values[f('sector')]} error={errors[f('sector')]} />
              </div>
            );
          })}
          {rows < MAX_ROWS ? (
            <Button kind="secondary" name="_addRow" value="1">
              再添加一名提案者
            </Button>
          ) : null}
        </fieldset>
        <Button>登记</Button>
      </form>
    </Layout>
  );
}

export function officeRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db } = deps;
  const guard = [requireSignIn(), requireRole(['office', 'committee'], (c) => notFoundPage(c, pd.mailViewer))] as const;
  const sessions = () => db.selectFrom('sessions').select(['code', 'name']).orderBy('created_at', 'desc').execute();

  app.get('/proposals/new', ...guard, async (c) => {
    const list = await sessions();
    const values: Record<string, string> = { receivedDate: shanghaiDate(new Date().toISOString()), ...(list[0] ? { sessionCode: list[0].code } : {}) };
    return render(c, <RegisterPage c={c} pd={pd} sessions={list} form={{ values, rows: 1, issues: [] }} summary={[]} />);
  });

  app.post('/proposals/new', ...guard, async (c) => {
    const form = (await readForm(c))!;
    const sentRows = Number(form.get('_rows') ?? '1');
    const rows = Number.isInteger(sentRows) && sentRows >= 1 && sentRows <= MAX_ROWS ? sentRows : 1;
    const values = Object.fromEntries(Object.entries(form.values()).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : v]));
    values._key = form.get('_key') ?? '';
    if (form.has('_addRow')) {
      return render(c, <RegisterPage c={c} pd={pd} sessions={await sessions()} form={{ values, rows: Math.min(rows + 1, MAX_ROWS), issues: [] }} summary={[]} />);
    }
    if (form.has(SIMILAR_BUTTON)) {
      const similar = await similarForDraft(db, c.get('user'), values);
      return render(c, <RegisterPage c={c} pd={pd} sessions={await sessions()} form={{ values, rows, issues: [] }} summary={[]} similar={similar} />);
    }
    const body = formBody(form, rows);
    const again = async (issues: InputIssue[], status: 409 | 422 | 403 | 503 | 500) => {
      const known = (field: string) =>
        field === 'proposers' ||
        /^proposers\[\d+\]\.\w+$/.test(field) ||
        ['sessionCode', 'receiptNo', 'title', 'body', 'topic', 'proposerKind', 'receivedDate'].includes(field);
      const summary = issues.map((i) => (known(i.field) ? { message: i.message, href: id(i.field) } : { message: i.message }));
      // An empty field is asked for in plain words, whatever rule its schema states.
      const empty = (field: string) => body[field] === '' || body[field] === undefined;
      const fixed = issues.map((i) =>
        i.field === 'proposerKind' && empty('proposerKind')
          ? { ...i, message: '请选择提案类型' }
          : REQUIRED[i.field] && empty(i.field)
            ? { ...i, message: `请填写${REQUIRED[i.field]}` }
            : i,
      );
      const shown = summary.map((s, n) => ({ ...s, message: fixed[n]!.message }));
      return render(c, <RegisterPage c={c} pd={pd} sessions={await sessions()} form={{ values, rows, issues: fixed }} summary={shown} />, status);
    };
    const parsed = registrationSchema.safeParse(body);
    if (!parsed.success) return again(doorIssues(parsed.error), 422);
    const key = form.get('_key');
    const outcome = await registerProposal(deps, c.get('user'), parsed.data, {
      key: key && /^[\w.:-]{8,200}$/.test(key) ? key : `page-${randomUUID()}`,
      fromClient: true,
    });
    if (outcome.ok) return c.redirect(`/proposals/${encodeURIComponent(outcome.state.workflowId)}?done=register`, 303);
    const problem = outcome.problem;
    const issues = (problem.issues as InputIssue[] | undefined) ?? [{ field: problem.field ?? '', message: problem.message }];
    return again(issues, outcome.status as 409 | 422 | 403 | 503 | 500);
  });
}
