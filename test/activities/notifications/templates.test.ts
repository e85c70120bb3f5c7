import { describe, expect, it } from 'vitest';
import { renderMail, TEMPLATES, type MailContent, type MailKind } from '../../../activities/notifications/templates.js';
import { NOTIFICATION_KINDS, type NotificationParams } from '../../../workflows/shared/notifications.js';

// Every kind a step can name has a Chinese template with a text and an HTML part. The table is
// typed by kind, so a kind without a template is a compile error; the test shows it.

type Table = { readonly [K in MailKind]: (p: NotificationParams) => MailContent };
const { published: _left, ...withoutOne } = TEMPLATES;
// @ts-expect-error a template table that lacks a kind does not compile
const incomplete: Table = withoutOne;
void incomplete;

const PARAMS: NotificationParams = {
  title: '关于<加快>推进数字经济的建议',
  proposalNo: '第224号',
  role: 'lead',
  dueAt: '2026-06-02T15:59:59.999Z',
  dueDate: '2026-06-02',
  reason: '不属于本单位职责',
  detail: '详见说明',
  answer: '同意',
  unitId: 'u1',
  coUnit: '省科技厅',
  kind: 'opinion',
  version: 2,
  cause: '提案者不满意',
  officeChaired: '是',
  mode: '全文公开',
  leader: '王副省长',
  promised: '年底前出台办法',
  what: '答复',
  explanation: '自交办之日起3个月',
  calendarConfirmed: '否',
  rung: 'leader',
  to: '2026-08-01',
  docNo: '浙发改提〔2026〕1号',
  unitName: '浙江省发展和改革委员会',
  letterText: '浙发改提〔2026〕1号\n关于第224号提案的答复',
  letterHtml: '<article class="letter"><p>浙发改提〔2026〕1号</p><p>关于第224号提案的答复</p></article>',
  feedbackDue: '2026-03-25T15:59:59.999Z',
  name: '张永庆',
  link: 'http://banli.test/feedback/abc.def',
  publishedOn: '2026-04-01',
  indexNo: '002482031/2026-00001',
  url: 'http://banli.test/public/replies/1',
  decideBy: '2026-03-12',
  step: '第2步（共2步）：分管领导',
  since: '2026-03-10T02:00:00.000Z',
  by: '分管领导',
  sentDocNo: '浙发改提〔2026〕1号',
  note: '更正说明：经审定，本答复的分类由A类调整为B类（承诺事项尚在推进）。',
};

const KINDS = [...NOTIFICATION_KINDS, 'reply', 'reply_reissued', 'feedback_request', 'published'] as const satisfies readonly MailKind[];

describe('mail templates', () => {
  it('cover every kind, each table key a kind and each kind a key', () => {
    expect(Object.keys(TEMPLATES).sort()).toEqual([...KINDS].sort());
  });

  it.each(KINDS)('%s: a Chinese subject, a text part and an HTML part saying the same, nothing left unfilled', (kind) => {
    const mail = renderMail(kind, PARAMS);
    expect(mail.subject).toMatch(/^【.+】/);
    expect(mail.text).toMatch(/[\u4e00-\u9fff]/);
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/undefined|null|NaN|\[object/);
    expect(mail.html.startsWith('<!doctype html>')).toBe(true);
    // Every sentence of the text part is in the HTML part (escaped), so the parts cannot drift.
    for (const line of mail.text.split('\n').filter((l) => l && !l.startsWith('—') && !l.startsWith('<'))) {
      const escaped = line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
      const linkLabel = /^(.+)：http/.exec(line)?.[1];
      expect(mail.html).toContain(linkLabel ?? escaped);
    }
    // What a person typed never becomes markup.
    expect(mail.html).not.toContain('<加快>');
  });

  it("the office's decision date, the sign-off step and the reissued letter's reason are in their mails", () => {
    expect(renderMail('extension_requested', PARAMS).text).toContain('请于2026年3月12日前审批（交办单位审批期限）');
    expect(renderMail('extension_requested', { ...PARAMS, decideBy: null }).text).toContain('请在7日内审批');
    expect(renderMail('signoff_reminder', PARAMS).text).toContain('目前在第2步（共2步）：分管领导');
    expect(renderMail('signoff_returned', PARAMS).text).toContain('被分管领导退回修改');
    const reissued = renderMail('reply_reissued', PARAMS);
    expect(reissued.subject).toContain('替代浙发改提〔2026〕1号');
    expect(reissued.text).toContain('由A类调整为B类');
  });

  it('the reply shows the letter in both parts and the feedback request links the personal form', () => {
    const reply = renderMail('reply', PARAMS);
    expect(reply.text).toContain('关于第224号提案的答复');
    expect(reply.html).toContain('<article class="letter">');
    const request = renderMail('feedback_request', PARAMS);
    expect(request.text).toContain('http://banli.test/feedback/abc.def');
    expect(request.html).toContain('<a href="http://banli.test/feedback/abc.def"');
  });
});
