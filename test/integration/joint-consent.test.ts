import { beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../client/http/auth.js';
import { SESSION_COOKIE } from '../../client/http/middleware/auth.js';
import type { Db } from '../../db/connection.js';
import type { CaughtMail } from '../../scripts/lib/mail-catcher.js';
import { eventually, mailMatching, temporalClient, uniq, type Org } from '../support/context.js';
import { maybeRecordHistory } from '../support/histories.js';
import type { Driver } from '../support/drive.js';
import { enc, type Api } from '../support/http.js';
import { useSuite } from '../support/suite.js';

// 联名 with consent, end to end: the real workflow on the dev server, the real activities on
// PostgreSQL, real mail through the catcher, and the HTTP routes people use. The session's
// policy shortens the invitation window to seconds, so the expiry is real too.

const WINDOW_SECONDS = 25;
const suite = useSuite({ policy: { durations: { jointConsent: { key: 'jointConsent', label: '联名确认期限', amount: WINDOW_SECONDS, unit: 'seconds' } } } });
let db: Db;
let api: Api;
let org: Org;
let d: Driver;
beforeAll(() => void ({ db, api, org, d } = suite));

const member = (name: string) => ({ name, email: `${uniq('cs')}@members.test`, sector: '科技界' });

function invitationFor(email: string): Promise<{ mail: CaughtMail; token: string }> {
  return eventually(async () => {
    const mail = mailMatching((m) => m.to.includes(email) && m.subject.includes('联名邀请'))[0];
    const token = mail ? /\/joint-consent\/([\w.-]+)/.exec(mail.text)?.[1] : undefined;
    return mail && token ? { mail, token } : null;
  });
}

async function openDraft(token: string, body: Record<string, unknown>, key = uniq('open-')) {
  return api.call(
    token,
    'POST',
    '/api/joint-drafts',
    { sessionCode: org.sessionCode, body: '一、基本情况……\n二、存在问题……\n三、具体建议：加大投入。', ...body },
    { 'idempotency-key': key },
  );
}

/** A page as a signed-in person's browser gets it. */
async function page(username: string, path: string): Promise<{ status: number; html: string }> {
  const user = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  const { token } = await createSession(db, user.id, 'page', 'joint-consent-test');
  const res = await fetch(`${api.server.url}${path}`, { headers: { accept: 'text/html', cookie: `${SESSION_COOKIE}=${token}` }, redirect: 'manual' });
  return { status: res.status, html: await res.text() };
}

/** The co-signer's browser, without JavaScript: open the link's page, post its form. */
async function answerByForm(token: string, answer: 'accept' | 'decline'): Promise<Response> {
  const url = `${api.server.url}/joint-consent/${token}`;
  const opened = await fetch(url, { headers: { accept: 'text/html' } });
  const cookie = opened.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await opened.text())?.[1] ?? '';
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrf, answer }).toString(),
  });
}

async function snapshot(draftId: string) {
  const [signers, events, mail] = await Promise.all([
    db.selectFrom('joint_signers').selectAll().where('draft_workflow_id', '=', draftId).orderBy('position').execute(),
    db.selectFrom('events').select('idempotency_key').where('workflow_id', '=', draftId).execute(),
    db.selectFrom('notifications').select('idempotency_key').where('workflow_id', '=', draftId).execute(),
  ]);
  return { signers, events: events.length, mail: mail.length };
}

describe('联名 with consent', () => {
  const title = `关于${uniq('')}联名推进科技成果转化的建议`;
  const accepting = member(`王同意${uniq('')}`);
  const declining = member(`赵谢绝${uniq('')}`);
  const silent = member(`钱未复${uniq('')}`);
  let draftId = '';
  let receiptNo = '';
  let expiresAt = '';
  let declineToken = '';
  let silentToken = '';

  it('invites each co-signer with an e-mail by a signed link that expires with the policy’s window', async () => {
    receiptNo = uniq('LM');
    const res = await openDraft(d.tokens.office!, {
      receiptNo,
      title,
      firstSigner: {
        proposerId: (await db.selectFrom('users').select('proposer_id').where('username', '=', org.users.proposer!.username).executeTakeFirstOrThrow()).proposer_id,
      },
      coSigners: [accepting, declining, silent],
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    draftId = res.json.draft.workflowId;
    expiresAt = res.json.draft.expiresAt;
    expect(draftId).toBe(`joint:${org.sessionCode}:${receiptNo}`);
    expect(res.json.draft.signers.map((s: { status: string }) => s.status)).toEqual(['first_signer', 'invited', 'invited', 'invited']);
    expect(res.json.draft.expiryExplanation).toContain(`${WINDOW_SECONDS}秒`);
    const seconds = (Date.parse(expiresAt) - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(WINDOW_SECONDS - 10);
    expect(seconds).toBeLessThanOrEqual(WINDOW_SECONDS);

    const { mail, token } = await invitationFor(accepting.email);
    expect(mail.subject).toContain(title);
    expect(mail.text).toContain(`张永庆${org.prefix}`);
    declineToken = (await invitationFor(declining.email)).token;
    silentToken = (await invitationFor(silent.email)).token;
    expect(new Set([token, declineToken, silentToken]).size).toBe(3);

    // The page a browser gets, and the JSON a program gets, from the same link.
    const page = await fetch(`${api.server.url}/joint-consent/${token}`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(title);
    expect(html).toContain('同意联名');
    const status = await api.call(null, 'GET', `/joint-consent/${token}`);
    expect(status.json).toMatchObject({ title, answer: 'invited', status: 'open' });

    // A link altered by one character is nobody's.
    expect((await api.call(null, 'POST', `/joint-consent/${token.slice(0, -2)}xx`, { answer: 'accept' })).status).toBe(401);

    const accepted = await api.call(null, 'POST', `/joint-consent/${token}`, { answer: 'accept' });
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    // A double click is the same answer; a changed mind is refused, and the first answer stands.
    expect((await api.call(null, 'POST', `/joint-consent/${token}`, { answer: 'accept' })).status).toBe(200);
    const changed = await api.call(null, 'POST', `/joint-consent/${token}`, { answer: 'decline' });
    expect(changed.status).toBe(409);
    expect(changed.json.error).toBe('ALREADY_DONE');

    const declined = await api.call(null, 'POST', `/joint-consent/${declineToken}`, { answer: 'decline', comment: '本人另有提案' });
    expect(declined.status).toBe(200);
  });

  it('refuses to submit before everyone answered and before the expiry unless told not to wait', async () => {
    const early = await api.call(d.tokens.office!, 'POST', `/api/joint-drafts/${enc(draftId)}/submit`, {}, { 'idempotency-key': uniq('submit-') });
    expect(early.status).toBe(409);
    expect(early.json.error).toBe('PRECONDITION_FAILED');
    expect(early.json.message).toContain(silent.name);
    expect(early.json.field).toBe('force');
  });

  it(
    'marks whoever never answered as expired at the expiry and tells the first signer and the office',
    async () => {
      const closed = await eventually(
        async () => mailMatching((m) => m.to.includes(org.proposerEmails.first) && m.subject.includes('联名答复结果') && m.subject.includes(title))[0],
        (WINDOW_SECONDS + 30) * 1000,
      );
      expect(closed.text).toContain(`同意联名：${accepting.name}`);
      expect(closed.text).toContain(`谢绝联名：${declining.name}`);
      expect(closed.text).toContain(`未答复：${silent.name}`);
      expect(closed.cc.some((a) => a.endsWith('@staff.test'))).toBe(true);
      const { signers } = await snapshot(draftId);
      expect(signers.map((s) => s.status)).toEqual(['first_signer', 'accepted', 'declined', 'expired']);
      expect(signers[3]!.answered_at).toBeNull();
    },
    (WINDOW_SECONDS + 60) * 1000,
  );

  it('refuses an answer after the expiry with a typed error and writes nothing', async () => {
    const before = await snapshot(draftId);
    const late = await api.call(null, 'POST', `/joint-consent/${silentToken}`, { answer: 'accept' });
    expect(late.status).toBe(409);
    expect(late.json.error).toBe('DEADLINE_PASSED');
    expect(late.json.message).toContain('截止');
    expect(await snapshot(draftId)).toEqual(before);
  });

  it('registers the proposal with the first signer and the co-signers who accepted; its record shows who declined or never answered', async () => {
    const key = uniq('submit-');
    const res = await api.call(d.tokens.office!, 'POST', `/api/joint-drafts/${enc(draftId)}/submit`, {}, { 'idempotency-key': key });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.draft.status).toBe('registered');
    const proposalId = `proposal:${org.sessionCode}:${receiptNo}`;
    expect(res.json.draft.proposalWorkflowId).toBe(proposalId);
    expect(res.json.proposal.proposerKind).toBe('joint');
    // The same request again answers the same, and registers nothing twice.
    const again = await api.call(d.tokens.office!, 'POST', `/api/joint-drafts/${enc(draftId)}/submit`, {}, { 'idempotency-key': key });
    expect(again.status).toBe(200);

    const proposers = await db
      .selectFrom('proposal_proposers as pp')
      .innerJoin('proposers as p', 'p.id', 'pp.proposer_id')
      .select(['p.name', 'pp.position'])
      .where('pp.workflow_id', '=', proposalId)
      .orderBy('pp.position')
      .execute();
    expect(proposers.map((p) => p.name)).toEqual([`张永庆${org.prefix}`, accepting.name]);

    const record = await api.call(d.tokens.proposer!, 'GET', `/api/proposals/${enc(proposalId)}/joint-consent`);
    expect(record.status).toBe(200);
    expect(record.json.consent.signers.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      [`张永庆${org.prefix}`, 'first_signer'],
      [accepting.name, 'accepted'],
      [declining.name, 'declined'],
      [silent.name, 'expired'],
    ]);
    expect(record.json.consent.signers[2].comment).toBe('本人另有提案');
    // A member sees names and answers, not the others' addresses.
    expect(record.json.consent.signers[1].email).toBeUndefined();
    const forOffice = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(proposalId)}/joint-consent`);
    expect(forOffice.json.consent.signers[1].email).toBe(accepting.email);
    // Someone who may not see the proposal may not see its record either.
    expect((await api.call(d.tokens.otherLiaison!, 'GET', `/api/proposals/${enc(proposalId)}/joint-consent`)).status).toBe(404);

    const shown = await page(org.users.office!.username, `/proposals/${enc(proposalId)}`);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('联名情况');
    expect(shown.html).toContain(silent.name);
    expect(shown.html).toContain('未答复');

    // The number is spent: the same receipt cannot start a second round of invitations.
    const reopened = await openDraft(d.tokens.office!, { receiptNo, title, firstSigner: { name: '某委员' }, coSigners: [member('某附议人')] });
    expect(reopened.status, JSON.stringify(reopened.json)).toBe(409);
    expect(reopened.json.field).toBe('receiptNo');

    // After registration the window is over for good: an answer writes nothing.
    const before = await snapshot(draftId);
    const late = await api.call(null, 'POST', `/joint-consent/${declineToken}`, { answer: 'accept' });
    expect(late.status).toBe(409);
    expect(await snapshot(draftId)).toEqual(before);
    // A replay fixture of the whole consent round (invitations, answers, expiry, registration).
    const temporal = await temporalClient();
    await eventually(async () => (await temporal.workflow.getHandle(draftId).describe()).status.name === 'COMPLETED');
    await maybeRecordHistory(temporal, draftId, 'joint-consent');
    await temporal.connection.close();
  });
});

describe('联名 with a co-signer who has no e-mail', () => {
  it('invites a co-signer without an e-mail on paper: the office lists them and enters their paper answer', async () => {
    const title = `关于${uniq('')}完善基层医疗服务的建议`;
    const paper = { name: `孙纸质${uniq('')}`, phone: '0571-88000000' };
    const mailed = member(`周邮件${uniq('')}`);
    const res = await openDraft(d.tokens.committee!, {
      title,
      firstSigner: { name: `吴第一${uniq('')}`, email: `${uniq('f')}@members.test` },
      coSigners: [paper, mailed],
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const draftId = res.json.draft.workflowId as string;
    expect(res.json.draft.receiptNo).toMatch(/^LM[0-9A-F]{10}$/);

    const list = await api.call(d.tokens.office!, 'GET', `/api/joint-drafts?session=${enc(org.sessionCode)}`);
    expect(list.json.paperInvitations).toContainEqual(expect.objectContaining({ draftId, position: 1, name: paper.name, phone: paper.phone }));
    expect(list.json.paperInvitations.some((p: { name: string }) => p.name === mailed.name)).toBe(false);
    const officePage = await page(org.users.office!.username, '/joint-drafts');
    expect(officePage.html).toContain(paper.name);
    const draftPage = await page(org.users.office!.username, `/joint-drafts/${enc(draftId)}`);
    expect(draftPage.html).toContain('联名邀请函');
    expect(draftPage.html).toContain('录入纸质回执');
    await invitationFor(mailed.email);
    expect(mailMatching((m) => m.subject.includes('联名邀请') && m.text.includes(paper.name))).toEqual([]);

    // Only the office side enters paper; a member cannot.
    const byMember = await api.call(d.tokens.proposer!, 'POST', `/api/joint-drafts/${enc(draftId)}/paper-answers`, { position: 1, answer: 'accept' });
    expect(byMember.status).toBe(403);
    const entered = await api.call(
      d.tokens.office!,
      'POST',
      `/api/joint-drafts/${enc(draftId)}/paper-answers`,
      { position: 1, answer: 'accept', comment: '纸质回执已签字' },
      { 'idempotency-key': uniq('paper-') },
    );
    expect(entered.status, JSON.stringify(entered.json)).toBe(200);
    expect(entered.json.draft.signers[1].status).toBe('paper_accepted');

    // The office does not wait for the mailed co-signer: forced, they are recorded as never answered.
    const forced = await api.call(d.tokens.office!, 'POST', `/api/joint-drafts/${enc(draftId)}/submit`, { force: true }, { 'idempotency-key': uniq('submit-') });
    expect(forced.status, JSON.stringify(forced.json)).toBe(200);
    const proposalId = forced.json.draft.proposalWorkflowId as string;
    const record = (await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(proposalId)}/joint-consent`)).json.consent;
    expect(record.signers.map((s: { status: string; paper: boolean }) => [s.status, s.paper])).toEqual([
      ['first_signer', false],
      ['paper_accepted', true],
      ['expired', false],
    ]);

    // After the reply goes out, the co-signer without e-mail gets no link: the office's list of
    // paper feedback forms names them until their form is entered.
    await d.ok('committee', proposalId, 'file', { outcome: 'filed', proposalNo: `第${uniq('')}号` });
    await d.ok('office', proposalId, 'assign', { mode: 'sole', units: [org.units.lead] });
    await d.reply(proposalId);
    await d.stage(proposalId, 'dispatched');
    const forms = await api.call(d.tokens.office!, 'GET', `/api/feedback-forms/paper?session=${enc(org.sessionCode)}`);
    expect(forms.status).toBe(200);
    const mine = forms.json.items.filter((f: { workflowId: string }) => f.workflowId === proposalId);
    expect(mine.map((f: { name: string }) => f.name)).toEqual([paper.name]);
    expect((await api.call(d.tokens.leadLiaison!, 'GET', '/api/feedback-forms/paper')).status).toBe(403);
    expect((await page(org.users.office!.username, '/feedback-forms/paper')).html).toContain(paper.name);

    const proposerId = (await db.selectFrom('proposers').select('id').where('name', '=', paper.name).executeTakeFirstOrThrow()).id;
    await d.ok('office', proposalId, 'rate', { proposerId, attitude: 'satisfied', result: 'basically_satisfied' });
    const after = await api.call(d.tokens.office!, 'GET', `/api/feedback-forms/paper?session=${enc(org.sessionCode)}`);
    expect(after.json.items.some((f: { workflowId: string }) => f.workflowId === proposalId)).toBe(false);
  }, 180_000);

  it('lets a member start a draft as its first signer and hand it in; the office then registers it as an individual proposal when nobody accepted', async () => {
    const declining = member(`郑谢绝${uniq('')}`);
    const title = `关于${uniq('')}的建议`;
    const opened = await openDraft(d.tokens.proposer!, { title, coSigners: [declining] });
    expect(opened.status, JSON.stringify(opened.json)).toBe(201);
    const draftId = opened.json.draft.workflowId as string;
    // A member may not name someone else as first signer.
    const impostor = await openDraft(d.tokens.cosigner!, { title, firstSigner: { proposerId: opened.json.draft.signers[0].proposerId }, coSigners: [declining] });
    expect(impostor.status).toBe(403);
    // A member lists the drafts they sign, and nobody else's.
    const mine = await api.call(d.tokens.proposer!, 'GET', '/api/joint-drafts');
    expect(mine.json.items.map((i: { draftId: string }) => i.draftId)).toContain(draftId);
    expect((await api.call(d.tokens.cosigner!, 'GET', '/api/joint-drafts')).json.items.map((i: { draftId: string }) => i.draftId)).not.toContain(draftId);
    // Another member cannot see or submit the draft.
    expect((await api.call(d.tokens.cosigner!, 'GET', `/api/joint-drafts/${enc(draftId)}`)).status).toBe(404);

    const { token } = await invitationFor(declining.email);
    const posted = await answerByForm(token, 'decline');
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(`/joint-consent/${token}?done=1`);
    expect((await api.call(null, 'GET', `/joint-consent/${token}`)).json.answer).toBe('declined');
    // Everyone answered before the expiry: the first signer hears at once.
    const summary = await eventually(
      async () => mailMatching((m) => m.to.includes(org.proposerEmails.first) && m.subject.includes('联名答复结果') && m.subject.includes(title))[0],
    );
    expect(summary.text).toContain('已全部答复');
    const ownPage = await page(org.users.proposer!.username, `/joint-drafts/${enc(draftId)}`);
    expect(ownPage.status).toBe(200);
    expect(ownPage.html).toContain('提交联名提案');
    const handed = await api.call(d.tokens.proposer!, 'POST', `/api/joint-drafts/${enc(draftId)}/submit`, {}, { 'idempotency-key': uniq('submit-') });
    expect(handed.status, JSON.stringify(handed.json)).toBe(200);
    expect(handed.json.draft.status).toBe('submitted');
    expect(handed.json.proposal).toBeNull();

    const registered = await api.call(d.tokens.office!, 'POST', `/api/joint-drafts/${enc(draftId)}/submit`, {}, { 'idempotency-key': uniq('submit-') });
    expect(registered.status, JSON.stringify(registered.json)).toBe(200);
    expect(registered.json.proposal.proposerKind).toBe('individual');
    expect(registered.json.proposal.proposerIds).toHaveLength(1);
  });

  it('lets the first signer withdraw a draft before registration: invited co-signers are told, and a later answer is refused and writes nothing', async () => {
    const invited = member(`冯撤回${uniq('')}`);
    const title = `关于${uniq('')}撤回测试的建议`;
    const opened = await openDraft(d.tokens.proposer!, { title, coSigners: [invited] });
    expect(opened.status, JSON.stringify(opened.json)).toBe(201);
    const draftId = opened.json.draft.workflowId as string;
    const { token } = await invitationFor(invited.email);
    const noReason = await api.call(d.tokens.proposer!, 'POST', `/api/joint-drafts/${enc(draftId)}/withdraw`, { reason: '' });
    expect(noReason.status).toBe(422);
    const withdrawn = await api.call(
      d.tokens.proposer!,
      'POST',
      `/api/joint-drafts/${enc(draftId)}/withdraw`,
      { reason: '内容需要修改，暂不提出' },
      { 'idempotency-key': uniq('wd-') },
    );
    expect(withdrawn.status, JSON.stringify(withdrawn.json)).toBe(200);
    expect(withdrawn.json.draft.status).toBe('withdrawn');
    const told = await eventually(async () => mailMatching((m) => m.to.includes(invited.email) && m.subject.includes('联名撤回'))[0]);
    expect(told.text).toContain('内容需要修改');

    const before = await snapshot(draftId);
    const late = await eventually(async () => {
      const res = await api.call(null, 'POST', `/joint-consent/${token}`, { answer: 'accept' });
      return res.status === 409 ? res : null;
    });
    expect(late.json.error).toBe('DEADLINE_PASSED');
    const again = await api.call(d.tokens.office!, 'POST', `/api/joint-drafts/${enc(draftId)}/withdraw`, { reason: '再次撤回' }, { 'idempotency-key': uniq('wd-') });
    expect(again.status).toBe(409);
    expect(again.json.error).toBe('ALREADY_DONE');
    expect(await snapshot(draftId)).toEqual(before);
    expect((await api.call(d.tokens.office!, 'GET', `/api/joint-drafts/${enc(draftId)}`)).json.draft.status).toBe('withdrawn');
  });
});
