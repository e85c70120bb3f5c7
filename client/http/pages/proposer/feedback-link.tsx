import type { Hono, MiddlewareHandler } from 'hono';
import type { AppDeps } from '../../env.js';
import type { PageContext, PageEnv } from '../../middleware/session.js';
import { linkStatus, rateByLink } from '../../rate-by-link.js';
import { actionSpecs } from '../action-forms.js';
import { bodyFromForm, fieldId, pageIssues, readForm, type FieldSpec } from '../form-fields.js';
import { Button, Choices, TextArea } from '../fields.js';
import { CsrfField, ErrorSummary, errorItems, Layout, Notice, Paragraphs, cnDate } from '../layout.js';
import { replyLetters, type Letter } from '../shared/proposal-data.js';
import { valueLabel } from '../labels.js';
import { isFormPost, through, wantsHtml } from '../negotiate.js';
import { errorPage, pageInfo, render, type PagesDeps } from '../render.js';
import type { InputIssue } from '../../../../workflows/proposal/parse.js';
import type { ProposalView as ProposalState } from '../../../../workflows/proposal/definitions.js';

// The proposer's emailed link (征询意见表) as a page: the same address answers JSON to a program
// (api/feedback.ts) and this page to a browser. The link alone says who rates; the rating goes
// through rateByLink, the same function as the JSON route. No account and no sign-in needed.

const FIELDS = ['attitude', 'result', 'comment'] as const;

function RatingPage(p: {
  c: PageContext;
  pd: PagesDeps;
  token: string;
  state: ProposalState;
  dueAt: string;
  rated: boolean;
  values: Record<string, string | string[]>;
  issues: InputIssue[];
  refusal: string | null;
  done: boolean;
  letters: Letter[];
}) {
  const specs = actionSpecs('rate', { role: 'proposer' }).filter((s) => (FIELDS as readonly string[]).includes(s.name));
  const errors = Object.fromEntries(p.issues.map((i) => [i.field, i.message]));
  const summary = p.refusal
    ? [{ message: p.refusal }]
    : errorItems(
        p.issues,
        (f) => fieldId('rate', f),
        (f) => specs.some((s) => s.name === f),
      );
  const choice = (spec: FieldSpec) => (
    <Choices
      id={fieldId('rate', spec.name)}
      name={spec.name}
      label={spec.label}
      required={spec.required}
      choices={spec.options.map((o) => ({ value: o, label: valueLabel('rate', spec.name, o) }))}
      selected={[String(p.values[spec.name] ?? '')]}
      error={errors[spec.name]}
      inline
    />
  );
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title="征询意见">
      <div class="narrow">
        <ErrorSummary items={summary} title={p.refusal ? '评价没有提交' : undefined} />
        <span class="caption">征询意见表 {p.state.proposalNo ?? ''}</span>
        <h1>{p.state.title}</h1>
        {p.done ? (
          <Notice kind="success">
            <strong>感谢您的评价，已经提交。</strong>
            <p>评价结果已记入本提案的办理记录。</p>
          </Notice>
        ) : p.rated ? (
          <Notice>您已评价过本轮办理结果，评价提交后不能更改。</Notice>
        ) : null}
        {p.letters.length > 0 ? (
          <details class="letter-details" open={!p.done && !p.rated}>
            <summary>
              <h2 class="inline-heading">答复</h2>
            </summary>
            {p.letters.map((l) => (
              <article class="letter" aria-label={l.title}>
                <h3>{l.title}</h3>
                <Paragraphs text={l.text} />
              </article>
            ))}
          </details>
        ) : null}
        {p.done || p.rated ? null : (
          <>
            <p>承办单位已就您的提案作出答复。请在 {cnDate(p.dueAt)} 前，对办理态度和办理结果分别作出评价。</p>
            <form method="post" action={`/feedback/${p.token}`} novalidate>
              <CsrfField token={p.c.get('csrf')} />
              {specs.map((spec) =>
                spec.kind === 'enum' ? (
                  choice(spec)
                ) : (
                  <TextArea
                    id={fieldId('rate', spec.name)}
                    name={spec.name}
                    label={spec.label}
                    value={String(p.values[spec.name] ?? '')}
                    error={errors[spec.name]}
                    maxLength={spec.maxLength}
                  />
                ),
              )}
              <Button>提交评价</Button>
            </form>
          </>
        )}
      </div>
    </Layout>
  );
}

export function feedbackLinkRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps, middleware: MiddlewareHandler<PageEnv>[]): void {
  const invalidLink = (c: PageContext, message: string) =>
    errorPage(c, pd.mailViewer, 404, '链接无法使用', `${message}。如需评价，请联系交办单位或登录系统后在“我的提案”中评价。`);

  app.get('/feedback/:token', async (c, next) => {
    if (!wantsHtml(c)) return next();
    return through(c, middleware as MiddlewareHandler[], async () => {
      const token = c.req.param('token');
      const found = await linkStatus(deps, token);
      if (!found.ok) return invalidLink(c, found.problem.message);
      const { state, rated, claims } = found.status;
      const done = c.req.query('done') === '1';
      return render(
        c,
        <RatingPage
          c={c}
          pd={pd}
          token={token}
          state={state}
          dueAt={claims.expiresAt}
          rated={rated}
          values={{}}
          issues={[]}
          refusal={null}
          done={done && rated}
          letters={await replyLetters(deps.db, claims.workflowId)}
        />,
      );
    });
  });

  app.post('/feedback/:token', async (c, next) => {
    if (!isFormPost(c)) return next();
    return through(c, middleware as MiddlewareHandler[], async () => {
      const token = c.req.param('token');
      const found = await linkStatus(deps, token);
      if (!found.ok) return invalidLink(c, found.problem.message);
      const form = (await readForm(c))!;
      const specs = actionSpecs('rate', { role: 'proposer' }).filter((s) => (FIELDS as readonly string[]).includes(s.name));
      const body = bodyFromForm(specs, form);
      const outcome = await rateByLink(deps, token, body);
      if (outcome.ok) return c.redirect(`/feedback/${token}?done=1`, 303);
      const problem = outcome.problem;
      const raw = (problem.issues as InputIssue[] | undefined) ?? (problem.field ? [{ field: problem.field, message: problem.message }] : []);
      const issues = pageIssues(specs, raw, body);
      const { state, rated, claims } = found.status;
      return render(
        c,
        <RatingPage
          c={c}
          pd={pd}
          token={token}
          state={state}
          dueAt={claims.expiresAt}
          rated={rated}
          values={form.values()}
          issues={issues}
          refusal={issues.length === 0 ? problem.message : null}
          done={false}
          letters={await replyLetters(deps.db, claims.workflowId)}
        />,
        outcome.status,
      );
    });
  });
}
