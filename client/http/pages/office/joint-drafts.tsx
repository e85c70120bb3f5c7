import type { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import {
  openDraftSchema,
  openJointDraft,
  paperAnswerSchema,
  recordPaperAnswer,
  submitJointDraft,
  submitSchema,
  withdrawJointDraft,
  withdrawSchema,
} from '../../../joint-consent.js';
import { listReadableDrafts, paperInvitations, readJointDraft, type JointDraftRecord } from '../../../read/joint-consent.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { Button, Choices, TextArea, TextInput } from '../fields.js';
import { readForm } from '../form-fields.js';
import { CsrfField, ErrorSummary, Layout, Notice, cnDateTime } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import { JointConsentRecord } from '../shared/joint-consent-record.js';
import { PaperInvitationLetter } from './joint-paper.js';

// 联名征集 for the office (and a member starting their own): the drafts in consent with the
// co-signers to invite on paper, a new draft, and one draft's page (paper answers, submission).
// Every form goes through the same functions as the API (client/joint-consent.ts).

const STAFF = ['office', 'committee'] as const;
const href = (draftId: string) => `/joint-drafts/${encodeURIComponent(draftId)}`;
const formKey = (form: { get(n: string): string | null }) => {
  const key = form.get('_key');
  return key && /^[\w.:-]{8,200}$/.test(key) ? key : `page-${randomUUID()}`;
};
const STATUS: Record<JointDraftRecord['status'], string> = {
  open: '征集联名中',
  submitted: '已提交，待登记',
  registering: '登记中',
  registered: '已登记',
  withdrawn: '已撤回',
};

/** One co-signer per line: 姓名，邮箱，电话，界别 (any of the last three may be empty). */
export function parseSignerLines(text: string): { name: string; email?: string; phone?: string; sector?: string }[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [name = '', email = '', phone = '', sector = ''] = line.split(/[,，\t]/).map((x) => x.trim());
      return { name, ...(email ? { email } : {}), ...(phone ? { phone } : {}), ...(sector ? { sector } : {}) };
    });
}

function DraftsPage(p: { c: PageContext; pd: PagesDeps; drafts: JointDraftRecord[] }) {
  const staff = (STAFF as readonly string[]).includes(p.c.get('user').role);
  const paper = staff ? paperInvitations(p.drafts) : [];
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title="联名提案" wide>
      <h1>联名提案</h1>
      <p>
        <a href="/joint-drafts/new">发起联名</a>
        {staff ? (
          <>
            {' · '}
            <a href="/feedback-forms/paper">待代录的纸质征询意见表</a>
          </>
        ) : null}
      </p>
      {staff ? (
        <section aria-labelledby="paper-invitations">
          <h2 id="paper-invitations">待纸质邀请的附议人（{paper.length}）</h2>
          <p class="hint">这些附议人没有邮箱，收不到邀请邮件。请打开联名草案页打印纸质邀请函，收回后在该页录入其答复。</p>
          {paper.length === 0 ? (
            <p>没有需要纸质邀请的附议人。</p>
          ) : (
            <ul>
              {paper.map((x) => (
                <li>
                  <a href={`${href(x.draftId)}#paper-${x.position}`}>{x.name}</a>（{x.phone ?? '无电话'}）——《{x.title}》，第一提案人{x.firstSigner}，
                  {cnDateTime(x.expiresAt)}前答复
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      <h2>联名草案</h2>
      {p.drafts.length === 0 ? (
        <p>没有联名草案。</p>
      ) : (
        <table class="table responsive">
          <thead>
            <tr>
              <th scope="col">提案</th>
              <th scope="col">第一提案人</th>
              <th scope="col">答复</th>
              <th scope="col">期限</th>
              <th scope="col">状态</th>
            </tr>
          </thead>
          <tbody>
            {p.drafts.map((d) => {
              const co = d.signers.filter((s) => s.position > 0);
              const n = (...st: string[]) => co.filter((s) => st.includes(s.status)).length;
              return (
                <tr>
                  <td data-label="提案">
                    <a href={href(d.draftId)}>{d.title}</a>
                    <div class="hint">
                      {d.sessionCode} · {d.receiptNo}
                    </div>
                  </td>
                  <td data-label="第一提案人">{d.signers[0]?.name}</td>
                  <td data-label="答复">
                    同意{n('accepted', 'paper_accepted')} / 谢绝{n('declined', 'paper_declined')} / 待答复{n('invited')} / 未答复{n('expired')}
                  </td>
                  <td data-label="期限">{cnDateTime(d.expiresAt)}</td>
                  <td data-label="状态">{STATUS[d.status]}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

function NewDraftPage(p: { c: PageContext; pd: PagesDeps; values: Record<string, string>; errors: { field: string; message: string }[] }) {
  const staff = (STAFF as readonly string[]).includes(p.c.get('user').role);
  const err = (f: string) => p.errors.find((e) => e.field === f || e.field.startsWith(`${f}.`) || e.field.startsWith(`${f}[`))?.message;
  const v = (f: string) => p.values[f] ?? '';
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title="发起联名">
      <div class="narrow">
        <ErrorSummary items={p.errors.map((e) => ({ message: e.field ? `${e.field}：${e.message}` : e.message }))} />
        <h1>发起联名提案</h1>
        <p>附议人有邮箱的，系统发送带专属链接的邀请邮件；没有邮箱的，由交办单位打印纸质邀请函。答复期限按本届次办理规则中的“联名确认期限”计算。</p>
        <form method="post" action="/joint-drafts/new" novalidate>
          <CsrfField token={p.c.get('csrf')} />
          <input type="hidden" name="_key" value={v('_key') || `page-${randomUUID()}`} />
          <TextInput id="jd-sessionCode" name="sessionCode" label="届次" required value={v('sessionCode')} error={err('sessionCode')} />
          {staff ? <TextInput id="jd-receiptNo" name="receiptNo" label="登记号" hint="不填则由系统生成" value={v('receiptNo')} error={err('receiptNo')} /> : null}
          <TextInput id="jd-title" name="title" label="提案标题" required value={v('title')} error={err('title')} />
          <TextArea id="jd-body" name="body" label="提案正文" required rows={12} value={v('body')} error={err('body')} />
          {staff ? (
            <>
              <TextInput id="jd-firstName" name="firstName" label="第一提案人姓名" required value={v('firstName')} error={err('firstSigner')} />
              <TextInput id="jd-firstEmail" name="firstEmail" label="第一提案人邮箱" type="email" value={v('firstEmail')} />
            </>
          ) : (
            <p>第一提案人：{p.c.get('user').display_name}（本人）</p>
          )}
          <TextArea
            id="jd-coSigners"
            name="coSigners"
            label="附议人"
            hint="每行一位：姓名，邮箱，电话，界别（邮箱、电话、界别可空）"
            required
            rows={6}
            value={v('coSigners')}
            error={err('coSigners')}
          />
          <Button>发出联名邀请</Button>
        </form>
      </div>
    </Layout>
  );
}

function DraftPage(p: { c: PageContext; pd: PagesDeps; draft: JointDraftRecord; refusal: string | null; done: string | null }) {
  const d = p.draft;
  const user = p.c.get('user');
  const staff = (STAFF as readonly string[]).includes(user.role);
  const invited = d.signers.filter((s) => s.position > 0 && s.status === 'invited');
  const mayHandIn = user.role === 'proposer' && d.status === 'open';
  const mayRegister = staff && d.status !== 'registered';
  const key = `page-${randomUUID()}`;
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title={d.title} wide>
      <ErrorSummary items={p.refusal ? [{ message: p.refusal }] : []} title={p.refusal ? '没有完成' : undefined} />
      {p.done ? <Notice kind="success">已完成：{p.done}。</Notice> : null}
      <span class="caption">
        联名草案 · {d.sessionCode} · {d.receiptNo} · {STATUS[d.status]}
      </span>
      <h1>{d.title}</h1>
      {d.proposalWorkflowId ? (
        <p>
          已登记为提案：<a href={`/proposals/${encodeURIComponent(d.proposalWorkflowId)}`}>打开提案</a>
        </p>
      ) : null}
      <JointConsentRecord record={d} />
      {staff && invited.length > 0 && d.status === 'open' ? (
        <section aria-labelledby="paper">
          <h2 id="paper">录入纸质回执</h2>
          {invited.map((s) => (
            <details class="action" id={`paper-${s.position}`} open={!s.email}>
              <summary>
                {s.name}
                {s.email ? '' : '（无邮箱，纸质邀请）'}
              </summary>
              {!s.email ? <PaperInvitationLetter draft={d} position={s.position} /> : null}
              <form method="post" action={`${href(d.draftId)}/paper`} novalidate>
                <CsrfField token={p.c.get('csrf')} />
                <input type="hidden" name="_key" value={`${key}-${s.position}`} />
                <input type="hidden" name="position" value={String(s.position)} />
                <Choices
                  id={`paper-answer-${s.position}`}
                  name="answer"
                  label="回执意见"
                  required
                  choices={[
                    { value: 'accept', label: '同意联名' },
                    { value: 'decline', label: '谢绝联名' },
                  ]}
                  selected={[]}
                  inline
                />
                <TextArea id={`paper-comment-${s.position}`} name="comment" label="说明" maxLength={500} />
                <Button kind="secondary">录入回执</Button>
              </form>
            </details>
          ))}
        </section>
      ) : null}
      {mayHandIn || mayRegister ? (
        <section aria-labelledby="submit">
          <h2 id="submit">{staff ? '登记' : '提交'}</h2>
          <p class="hint">
            {staff ? '登记后提案者为第一提案人和同意联名的附议人。' : '提交后由交办单位登记。'}
            {invited.length > 0 ? `还有${invited.length}位附议人待答复，期限到${cnDateTime(d.expiresAt)}。` : ''}
          </p>
          <form method="post" action={`${href(d.draftId)}/submit`} novalidate>
            <CsrfField token={p.c.get('csrf')} />
            <input type="hidden" name="_key" value={`${key}-submit`} />
            {invited.length > 0 && d.status === 'open' ? (
              <Choices
                id="submit-force"
                name="force"
                label="未答复的附议人"
                choices={[{ value: 'true', label: '不再等待未答复的附议人（记为未答复，不列入联名）' }]}
                selected={[]}
                multiple
              />
            ) : null}
            <Button>{staff ? '登记提案' : '提交联名提案'}</Button>
          </form>
        </section>
      ) : null}
      {(staff || user.role === 'proposer') && (d.status === 'open' || d.status === 'submitted') ? (
        <details class="action" id="withdraw">
          <summary>撤回联名草案</summary>
          <form method="post" action={`${href(d.draftId)}/withdraw`} novalidate>
            <CsrfField token={p.c.get('csrf')} />
            <input type="hidden" name="_key" value={`${key}-withdraw`} />
            <TextArea id="withdraw-reason" name="reason" label="撤回理由" required maxLength={500} />
            <Button kind="warning">撤回</Button>
          </form>
        </details>
      ) : null}
    </Layout>
  );
}

export function jointDraftRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const notFound = (c: PageContext) => notFoundPage(c, pd.mailViewer, '没有找到该联名草案，或您无权查看。');
  const staffOnly = [requireSignIn(), requireRole([...STAFF], notFound)] as const;
  const starters = [requireSignIn(), requireRole([...STAFF, 'proposer'], notFound)] as const;
  const NEW_DRAFT_FIELDS = ['sessionCode', 'receiptNo', 'title', 'body', 'firstName', 'firstEmail', 'coSigners'];

  // A member sees the drafts they sign; the office every draft and whom to invite on paper.
  app.get('/joint-drafts', ...starters, async (c) => render(c, <DraftsPage c={c} pd={pd} drafts={await listReadableDrafts(deps.db, actorOf(c.get('user')))} />));

  app.get('/joint-drafts/new', ...starters, (c) => render(c, <NewDraftPage c={c} pd={pd} values={{}} errors={[]} />));

  app.post('/joint-drafts/new', ...starters, async (c) => {
    const form = await readForm(c);
    if (!form) return notFound(c);
    // One value per field (a field sent twice counts once): what the page shows back and parses.
    const values: Record<string, string> = Object.fromEntries(NEW_DRAFT_FIELDS.map((name) => [name, form.get(name) ?? '']));
    values._key = form.get('_key') ?? '';
    const first = values.firstName?.trim() ? { name: values.firstName.trim(), ...(values.firstEmail?.trim() ? { email: values.firstEmail.trim() } : {}) } : undefined;
    const parsed = openDraftSchema.safeParse({
      sessionCode: values.sessionCode ?? '',
      ...(values.receiptNo?.trim() ? { receiptNo: values.receiptNo } : {}),
      title: values.title ?? '',
      body: (values.body ?? '').replace(/\r\n?/g, '\n'),
      ...(first ? { firstSigner: first } : {}),
      coSigners: parseSignerLines(values.coSigners ?? ''),
    });
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
      return render(c, <NewDraftPage c={c} pd={pd} values={values} errors={errors} />, 422);
    }
    const outcome = await openJointDraft(deps, c.get('user'), parsed.data, formKey(form));
    if (outcome.ok) return c.redirect(`${href(outcome.value.workflowId)}?done=invited`, 303);
    return render(
      c,
      <NewDraftPage c={c} pd={pd} values={values} errors={[{ field: outcome.problem.field ?? '', message: outcome.problem.message }]} />,
      outcome.status,
    );
  });

  const showDraft = async (c: PageContext, refusal: string | null = null, status: 200 | 409 | 422 | 403 | 503 = 200) => {
    const draft = await readJointDraft(deps.db, actorOf(c.get('user')), c.req.param('id')!);
    if (!draft) return notFound(c);
    const done = { invited: '联名邀请已发出', paper: '纸质回执已录入', submitted: '已提交', withdrawn: '已撤回' }[c.req.query('done') ?? ''] ?? null;
    return render(c, <DraftPage c={c} pd={pd} draft={draft} refusal={refusal} done={refusal ? null : done} />, status);
  };
  const statusOf = (s: number) => (s === 409 || s === 422 || s === 403 || s === 503 ? s : 409);

  app.get('/joint-drafts/:id', requireSignIn(), (c) => showDraft(c));

  app.post('/joint-drafts/:id/paper', ...staffOnly, async (c) => {
    const id = c.req.param('id');
    if (!(await readJointDraft(deps.db, actorOf(c.get('user')), id))) return notFound(c);
    const form = await readForm(c);
    if (!form) return notFound(c);
    const parsed = paperAnswerSchema.safeParse({
      position: Number(form.get('position')),
      ...(form.get('answer') ? { answer: form.get('answer') } : {}),
      ...(form.get('comment')?.trim() ? { comment: form.get('comment') } : {}),
    });
    if (!parsed.success) return showDraft(c, parsed.error.issues[0]?.message ?? '请选择回执意见', 422);
    const outcome = await recordPaperAnswer(deps, c.get('user'), id, parsed.data, formKey(form));
    if (outcome.ok) return c.redirect(`${href(id)}?done=paper`, 303);
    return showDraft(c, outcome.problem.message, statusOf(outcome.status));
  });

  app.post('/joint-drafts/:id/withdraw', ...starters, async (c) => {
    const id = c.req.param('id');
    if (!(await readJointDraft(deps.db, actorOf(c.get('user')), id))) return notFound(c);
    const form = await readForm(c);
    if (!form) return notFound(c);
    const parsed = withdrawSchema.safeParse({ reason: form.get('reason') ?? '' });
    if (!parsed.success) return showDraft(c, parsed.error.issues[0]?.message ?? '请写明撤回理由', 422);
    const outcome = await withdrawJointDraft(deps, c.get('user'), id, parsed.data, formKey(form));
    if (outcome.ok) return c.redirect(`${href(id)}?done=withdrawn`, 303);
    return showDraft(c, outcome.problem.message, statusOf(outcome.status));
  });

  app.post('/joint-drafts/:id/submit', ...starters, async (c) => {
    const id = c.req.param('id');
    if (!(await readJointDraft(deps.db, actorOf(c.get('user')), id))) return notFound(c);
    const form = await readForm(c);
    if (!form) return notFound(c);
    const parsed = submitSchema.parse({ force: form.get('force') === 'true' });
    const outcome = await submitJointDraft(deps, c.get('user'), id, parsed, formKey(form));
    if (!outcome.ok) return showDraft(c, outcome.problem.message, statusOf(outcome.status));
    const proposalId = outcome.value.draft.proposalWorkflowId;
    return c.redirect(proposalId ? `/proposals/${encodeURIComponent(proposalId)}?done=register` : `${href(id)}?done=submitted`, 303);
  });
}
