import type { Hono, MiddlewareHandler } from 'hono';
import { getText } from '../../../../db/repositories/blobs.js';
import type { JointDraftView } from '../../../../workflows/joint-consent/definitions.js';
import { SIGNER_STATUS_LABELS } from '../../../../workflows/joint-consent/rules.js';
import { answerByLink, answerSchema, linkDraft } from '../../../joint-consent.js';
import type { AppDeps } from '../../env.js';
import type { PageContext, PageEnv } from '../../middleware/session.js';
import { Button, Choices, TextArea } from '../fields.js';
import { CsrfField, ErrorSummary, Layout, Notice, Paragraphs, cnDateTime } from '../layout.js';
import { isFormPost, through, wantsHtml } from '../negotiate.js';
import { readForm } from '../form-fields.js';
import { errorPage, pageInfo, render, type PagesDeps } from '../render.js';

// 联名邀请 as a page: the address in the invitation mail answers JSON to a program
// (api/joint-consent.ts) and this page to a browser. The link alone says who answers; the answer
// goes through answerByLink, the same function as the JSON route. No account needed.

const FORM = 'joint-answer';

function AnswerPage(p: {
  c: PageContext;
  pd: PagesDeps;
  token: string;
  view: JointDraftView;
  position: number;
  body: string | null;
  values: { answer?: string; comment?: string };
  errors: Record<string, string>;
  refusal: string | null;
  done: boolean;
}) {
  const me = p.view.signers.find((s) => s.position === p.position)!;
  const first = p.view.signers[0]!;
  const others = p.view.signers.filter((s) => s.position > 0 && s.position !== p.position).map((s) => s.name);
  const answerable = p.view.status === 'open' && me.status === 'invited' && !p.view.consentClosed && Date.parse(p.view.expiresAt) >= Date.now();
  const summary = p.refusal ? [{ message: p.refusal }] : Object.entries(p.errors).map(([field, message]) => ({ message, href: `${FORM}-${field}` }));
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title="联名邀请">
      <div class="narrow">
        <ErrorSummary items={summary} title={p.refusal ? '答复没有提交' : undefined} />
        <span class="caption">联名邀请 · 登记号 {p.view.receiptNo}</span>
        <h1>{p.view.title}</h1>
        <p>
          第一提案人：{first.name}
          {others.length > 0 ? `；同时邀请的附议人：${others.join('、')}` : ''}
        </p>
        {p.done ? (
          <Notice kind="success">
            <strong>您的答复已记录：{SIGNER_STATUS_LABELS[me.status]}。</strong>
            <p>提案登记时将按各位附议人的答复确定联名人。</p>
          </Notice>
        ) : me.status !== 'invited' ? (
          <Notice>您的答复：{SIGNER_STATUS_LABELS[me.status]}。答复后不能更改，如需更改请联系交办单位。</Notice>
        ) : !answerable ? (
          <Notice kind="warning">联名答复已于 {cnDateTime(p.view.expiresAt)} 截止（或提案已提交），不再接受答复。</Notice>
        ) : null}
        <details class="letter-details" open={answerable}>
          <summary>
            <h2 class="inline-heading">提案全文</h2>
          </summary>
          <article class="letter" aria-label="提案全文">
            <Paragraphs text={p.body} />
          </article>
        </details>
        {answerable && !p.done ? (
          <>
            <p>请在 {cnDateTime(p.view.expiresAt)} 前答复。逾期未答复的，视为不参加联名。</p>
            <form method="post" action={`/joint-consent/${p.token}`} novalidate>
              <CsrfField token={p.c.get('csrf')} />
              <Choices
                id={`${FORM}-answer`}
                name="answer"
                label="是否同意联名"
                required
                choices={[
                  { value: 'accept', label: '同意联名' },
                  { value: 'decline', label: '谢绝联名' },
                ]}
                selected={[p.values.answer ?? '']}
                error={p.errors.answer}
                inline
              />
              <TextArea id={`${FORM}-comment`} name="comment" label="说明" value={p.values.comment ?? ''} error={p.errors.comment} maxLength={500} />
              <Button>提交答复</Button>
            </form>
          </>
        ) : null}
      </div>
    </Layout>
  );
}

export function jointConsentLinkRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps, middleware: MiddlewareHandler<PageEnv>[]): void {
  const invalidLink = (c: PageContext, message: string) =>
    errorPage(c, pd.mailViewer, 404, '链接无法使用', `${message}。如需答复联名邀请，请联系第一提案人或交办单位。`);

  const show = async (
    c: PageContext,
    token: string,
    extra: { values?: { answer?: string; comment?: string }; errors?: Record<string, string>; refusal?: string | null; status?: 200 | 409 | 422 | 503 } = {},
  ) => {
    const found = await linkDraft(deps, token);
    if (!found.ok) return invalidLink(c, found.problem.message);
    const { view, claims } = found.value;
    return render(
      c,
      <AnswerPage
        c={c}
        pd={pd}
        token={token}
        view={view}
        position={claims.position}
        body={await getText(deps.db, view.bodyHash)}
        values={extra.values ?? {}}
        errors={extra.errors ?? {}}
        refusal={extra.refusal ?? null}
        done={c.req.query('done') === '1' && !extra.refusal}
      />,
      extra.status ?? 200,
    );
  };

  app.get('/joint-consent/:token', async (c, next) => {
    if (!wantsHtml(c)) return next();
    return through(c, middleware as MiddlewareHandler[], () => show(c, c.req.param('token')));
  });

  app.post('/joint-consent/:token', async (c, next) => {
    if (!isFormPost(c)) return next();
    return through(c, middleware as MiddlewareHandler[], async () => {
      const token = c.req.param('token');
      const form = (await readForm(c))!;
      const values = { answer: form.get('answer') ?? undefined, comment: form.get('comment') ?? undefined };
      const parsed = answerSchema.safeParse({ ...(values.answer ? { answer: values.answer } : {}), ...(values.comment?.trim() ? { comment: values.comment } : {}) });
      if (!parsed.success) {
        const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? 'answer'), i.message]));
        return show(c, token, { values, errors, status: 422 });
      }
      const outcome = await answerByLink(deps, token, parsed.data);
      if (outcome.ok) return c.redirect(`/joint-consent/${token}?done=1`, 303);
      if (outcome.status === 401 || outcome.status === 404) return invalidLink(c, outcome.problem.message);
      return show(c, token, { values, refusal: outcome.problem.message, status: outcome.status === 503 ? 503 : outcome.status === 422 ? 422 : 409 });
    });
  });
}
