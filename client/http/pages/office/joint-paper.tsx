import type { Hono } from 'hono';
import type { JointDraftRecord } from '../../../read/joint-consent.js';
import { paperFeedbackForms } from '../../../read/paper-feedback.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageEnv } from '../../middleware/session.js';
import { Layout, cnDate, cnDateTime } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';

// The office's paper: an invitation to co-sign for a co-signer without e-mail (printed from the
// draft's page), and the list of feedback forms (征询意见表) to print and enter for raters
// without e-mail once a reply went out. Entering a form is the proposal page's 评价 (代录).

export function PaperInvitationLetter(p: { draft: JointDraftRecord; position: number }) {
  const d = p.draft;
  const me = d.signers.find((s) => s.position === p.position);
  if (!me) return null;
  return (
    <article class="letter print-invitation" aria-label={`${me.name}的纸质邀请函`}>
      <h3>联名邀请函</h3>
      <p>{me.name}委员：</p>
      <p>
        {d.signers[0]?.name}委员拟作为第一提案人提出提案《{d.title}》（登记号 {d.receiptNo}），邀请您作为附议人联名。请于{cnDateTime(d.expiresAt)}
        前在本函回执栏勾选意见并签名，交回提案委员会办公室或交办单位。逾期未答复的，视为不参加联名。
      </p>
      <p>{'回执：□ 同意联名　□ 谢绝联名　　签名：＿＿＿＿＿＿　日期：＿＿＿＿＿＿'}</p>
    </article>
  );
}

export function paperFormRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const guard = [requireSignIn(), requireRole(['office', 'committee'], (c) => notFoundPage(c, pd.mailViewer))] as const;

  app.get('/feedback-forms/paper', ...guard, async (c) => {
    const forms = await paperFeedbackForms(deps.db, actorOf(c.get('user')));
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title="纸质征询意见表" wide>
        <h1>待代录的纸质征询意见表（{forms.length}）</h1>
        <p class="hint">
          答复寄发后，有邮箱的提案者收到专属评价链接；以下提案者（含联名提案中没有邮箱的附议人）收不到链接。请打印征询意见表送达，收回后在提案页“评价办理结果”中代录（记为纸质代录）。代录后该行自动消失。
        </p>
        {forms.length === 0 ? (
          <p>没有待代录的征询意见表。</p>
        ) : (
          <table class="table responsive">
            <thead>
              <tr>
                <th scope="col">提案</th>
                <th scope="col">提案者</th>
                <th scope="col">答复</th>
                <th scope="col">评价期限</th>
              </tr>
            </thead>
            <tbody>
              {forms.map((f) => (
                <tr>
                  <td data-label="提案">
                    <a href={`/proposals/${encodeURIComponent(f.workflowId)}#actions`}>{f.title}</a>
                    <div class="hint">{f.number}</div>
                  </td>
                  <td data-label="提案者">
                    {f.name}
                    {f.position === 0 ? '（第一提案人）' : '（附议人）'}
                    <div class="hint">{f.phone ?? '无电话'}</div>
                  </td>
                  <td data-label="答复">
                    {f.replyDocNo ?? '—'}
                    <div class="hint">{f.dispatchedAt ? cnDate(f.dispatchedAt) : ''}</div>
                  </td>
                  <td data-label="评价期限">{f.feedbackDueAt ? cnDate(f.feedbackDueAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Layout>,
    );
  });
}
