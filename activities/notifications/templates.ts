import { chineseDate, isValidIsoDate, shanghaiDate } from '../../workflows/shared/dates.js';
import type { NotificationKind, NotificationParams } from '../../workflows/shared/notifications.js';
import { escapeHtml } from '../documents/render-html.js';

// Chinese mail for everything that concerns someone, one template per kind. Each template says
// what happened in blocks; the plain-text and the HTML part are both made from those blocks, so
// the two parts cannot say different things. TEMPLATES is keyed by every kind: a kind a workflow
// step can name but nobody wrote a template for does not compile.

/** Mail queued by activities themselves rather than named by a workflow step. */
export type ActivityMailKind = 'reply' | 'reply_reissued' | 'feedback_request' | 'published';
export type MailKind = NotificationKind | ActivityMailKind;

type Params = NotificationParams;

export type Block =
  | string
  | { link: { label: string; href: string } }
  /** A document shown in the mail: its own text and HTML renderings. */
  | { document: { text: string; html: string } }
  | { note: string };

export interface MailContent {
  subject: string;
  /** Whom the mail addresses (张三委员 / 承办单位), when it names someone. */
  greeting?: string;
  blocks: Block[];
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const ROLE_LABEL: Record<string, string> = { sole: '单独办理', lead: '主办', co: '会办', split: '分办' };
const RUNG: Record<string, string> = {
  liaison: '承办单位联络员',
  leader: '承办单位分管领导',
  principal: '承办单位主要负责人',
  office_committee: '交办单位和提案委员会',
};

const str = (value: string | number | null | undefined): string => (value === null || value === undefined ? '' : String(value));

function ref(p: Params): string {
  return p.proposalNo ? `第${str(p.proposalNo).replace(/^第|号$/g, '')}号提案《${str(p.title)}》` : `提案《${str(p.title)}》`;
}

function dateOnly(date: string | number | null | undefined): string {
  return typeof date === 'string' && isValidIsoDate(date) ? chineseDate(date) : '（未定）';
}

/** An instant shown as its Beijing date. */
function day(iso: string | number | null | undefined): string {
  return typeof iso === 'string' && !Number.isNaN(Date.parse(iso)) ? chineseDate(shanghaiDate(iso)) : '（未定）';
}

const mail = (subject: string, ...blocks: Block[]): MailContent => ({ subject, blocks });

/** 日历未确认: the date was estimated by the weekday rule, the year's holidays not being loaded. */
const unconfirmedNote = (p: Params): Block[] =>
  p.calendarConfirmed === '否' ? [{ note: '注意：该年度节假日安排尚未确认（日历未确认），日期为估算，载入后可能调整。' }] : [];

/** The office's own deadline for a unit's request (older steps carry none: the policy's usual 7 days). */
const decideByNote = (p: Params): Block => ({ note: p.decideBy ? `请于${dateOnly(p.decideBy)}前审批（交办单位审批期限）。` : '请在7日内审批。' });

export const TEMPLATES: { readonly [K in MailKind]: (p: Params) => MailContent } = {
  assigned: (p) =>
    mail(
      `【提案交办】${ref(p)}`,
      `${ref(p)}已交由你单位${ROLE_LABEL[str(p.role)] ?? ''}。请先与提案者沟通协商，再起草答复，答复截止日期为${day(p.dueAt)}。`,
      ...unconfirmedNote(p),
      { note: '如认为不属于你单位职责，请在规定期限内提出调整申请，不得自行转办。' },
    ),
  assigned_co: (p) =>
    mail(
      `【会办通知】${ref(p)}`,
      `${ref(p)}请你单位会办。请于${day(p.dueAt)}前向主办单位提交加盖公章的会办意见；如无意见也请明确提交“无意见”。`,
      ...unconfirmedNote(p),
    ),
  not_filed: (p) =>
    mail(
      `【提案审查】${ref(p)}未予立案`,
      `您提出的${ref(p)}经审查不予立案，理由：${str(p.reason)}。`,
      ...(p.detail ? [`说明：${str(p.detail)}`] : []),
      '感谢您对政府工作的关心和支持。',
    ),
  merged: (p) => mail(`【提案审查】${ref(p)}已并案办理`, `您提出的${ref(p)}与其他提案内容相近，已并案办理。承办单位答复时将一并答复您，您可单独评价。`),
  converted: (p) =>
    mail(`【提案审查】${ref(p)}转为意见建议`, `您提出的${ref(p)}经审查转为意见建议，转送有关部门参考。`, ...(p.reason ? [`说明：${str(p.reason)}`] : [])),
  withdrawn: (p) => mail(`【撤案】${ref(p)}`, `${ref(p)}已撤案。理由：${str(p.reason)}`),
  withdrawn_unit: (p) => mail(`【撤案通知】${ref(p)}`, `${ref(p)}已撤案，你单位的办理任务已取消，无需继续办理。理由：${str(p.reason)}`),
  adjustment_requested: (p) => mail(`【调整申请】${ref(p)}`, `承办单位 ${str(p.unitId)} 申请调整${ref(p)}的承办单位。理由：${str(p.reason)}`, decideByNote(p)),
  adjustment_refused: (p) => mail(`【调整申请未同意】${ref(p)}`, `你单位关于${ref(p)}的调整申请未获同意，请继续办理。`, `意见：${str(p.answer)}`),
  adjustment_accepted: (p) => mail(`【调整申请已同意】${ref(p)}`, `你单位关于${ref(p)}的调整申请已同意，办理任务已转交其他单位。`, `意见：${str(p.answer)}`),
  unit_removed: (p) => mail(`【承办单位调整】${ref(p)}`, `交办单位已调整${ref(p)}的承办单位，你单位无需继续办理。理由：${str(p.reason)}`),
  co_opinion_received: (p) =>
    mail(`【会办意见】${ref(p)}`, `会办单位 ${str(p.coUnit)} 已就${ref(p)}提交${p.kind === 'no_opinion' ? '“无意见”' : '会办意见'}，请在答复中综合吸收。`),
  signoff_requested: (p) =>
    mail(
      `【待审签】${ref(p)}答复稿（第${str(p.version)}稿）`,
      `${ref(p)}的答复稿（第${str(p.version)}稿）已送审签${p.step ? `，现在${str(p.step)}` : ''}，请审阅后签发或退回。`,
    ),
  signoff_reminder: (p) =>
    mail(
      `【审签提醒】${ref(p)}答复稿（第${str(p.version)}稿）待您审签`,
      `${ref(p)}的答复稿（第${str(p.version)}稿）自${day(p.since)}送审，目前在${str(p.step)}，尚未审签。请审阅后签发或退回。`,
    ),
  signoff_returned: (p) => mail(`【审签退回】${ref(p)}`, `${ref(p)}的答复稿被${p.by ? str(p.by) : ''}退回修改。`, `退回理由：${str(p.reason)}`),
  rehandling: (p) =>
    mail(
      `【重新办理】${ref(p)}`,
      `${ref(p)}需要重新办理：${str(p.cause)}。请重新与提案者沟通协商后再次答复。`,
      ...(p.officeChaired === '是' ? ['本次由交办单位主持面商。'] : []),
    ),
  publication_proposed: (p) => mail(`【公开审定】${ref(p)}`, `主办单位就${ref(p)}的答复提出公开方式：${str(p.mode)}，请审定。`),
  key_proposal: (p) => mail(`【重点提案督办】${ref(p)}`, `${ref(p)}已确定为重点提案，由${str(p.leader)}领衔督办。答复须由单位主要负责人签发。`),
  supervision_assigned: (p) =>
    mail(
      `【督办】${ref(p)}已确定为重点提案，请您督办`,
      `${str(p.leader)}：${ref(p)}已确定为重点提案，由您领衔督办。`,
      '办理中如有逾期，督办通知将抄送您；承办单位的答复发出时，也将抄送您。',
    ),
  follow_up_due: (p) => mail(`【回头看】${ref(p)}承诺事项落实情况`, `${ref(p)}答复中承诺的事项已到回访日期，请报告落实情况。`, `承诺内容：${str(p.promised)}`),
  follow_up_reported: (p) => mail(`【回头看】${ref(p)}已报告落实情况`, `承办单位已报告${ref(p)}承诺事项的落实情况。`),
  deadline_reminder: (p) =>
    mail(
      `【到期提醒】${ref(p)}${str(p.what)}将于${dateOnly(p.dueDate)}到期`,
      `${ref(p)}的${str(p.what)}期限为${dateOnly(p.dueDate)}，请抓紧办理。`,
      { note: `期限说明：${str(p.explanation)}` },
      ...unconfirmedNote(p),
    ),
  deadline_escalation: (p) =>
    mail(
      `【逾期催办】${ref(p)}${str(p.what)}已超过${dateOnly(p.dueDate)}的期限`,
      `${ref(p)}的${str(p.what)}已逾期（期限${dateOnly(p.dueDate)}）。本通知按催办程序发送给${RUNG[str(p.rung)] ?? ''}。`,
      { note: `期限说明：${str(p.explanation)}` },
    ),
  supervision_notice: (p) =>
    mail(
      `【重点提案督办通知】${ref(p)}${str(p.what)}逾期`,
      `重点提案${ref(p)}的${str(p.what)}已逾期（期限${dateOnly(p.dueDate)}）。请单位主要负责人督促办理，并向督办领导报告进展。`,
      { note: `期限说明：${str(p.explanation)}` },
    ),
  extension_requested: (p) =>
    mail(`【延期申请】${ref(p)}`, `承办单位 ${str(p.unitId)} 申请将${ref(p)}的答复期限延至${dateOnly(p.to)}。理由：${str(p.reason)}`, decideByNote(p)),
  extension_approved: (p) => mail(`【延期已批准】${ref(p)}`, `${ref(p)}的答复期限已延至${dateOnly(p.to)}。`, `意见：${str(p.answer)}`),
  extension_refused: (p) => mail(`【延期未批准】${ref(p)}`, `${ref(p)}的延期申请未获批准，请按原期限答复。`, `意见：${str(p.answer)}`),
  extension_proposer: (p) => mail(`【办理期限调整】${ref(p)}`, `您的${ref(p)}经批准延期办理，承办单位将于${dateOnly(p.to)}前答复。`),

  // 答复: the letter itself, to the proposer and every co-signer; the .docx rides as an attachment.
  reply: (p) => ({
    subject: `【提案答复】${str(p.docNo)} 关于${ref(p)}的答复`,
    greeting: str(p.salutation) || undefined,
    blocks: [
      `${str(p.unitName)}已对${ref(p)}作出答复（${str(p.docNo)}），答复函全文如下，正式文件（.docx）见附件。`,
      { document: { text: str(p.letterText), html: str(p.letterHtml) } },
      ...(p.feedbackDue
        ? [{ note: `请于${day(p.feedbackDue)}前对办理态度和办理结果分别评价（满意／基本满意／不满意）。征询意见表将另行发送给每位提案者本人。` }]
        : []),
    ],
  }),
  // 答复函更正: the class of a sent reply changed; the new letter replaces the old one.
  reply_reissued: (p) => ({
    subject: `【答复函更正】${str(p.docNo)} 关于${ref(p)}的答复（替代${str(p.sentDocNo)}）`,
    greeting: str(p.salutation) || undefined,
    blocks: [
      `${str(p.unitName)}关于${ref(p)}的答复函已更正重发（${str(p.docNo)}），替代此前寄发的${str(p.sentDocNo)}。更正后的答复函全文如下，正式文件（.docx）见附件。`,
      { note: str(p.note) },
      { document: { text: str(p.letterText), html: str(p.letterHtml) } },
    ],
  }),
  // 征询意见: one per rater, with a link signed for that rater alone.
  feedback_request: (p) => ({
    subject: `【征询意见】请评价${ref(p)}的办理情况`,
    greeting: str(p.name),
    blocks: [
      `${str(p.unitName)}已就您的提案作出答复（${str(p.docNo)}）。请于${day(p.feedbackDue)}前通过下面的专属链接，对办理态度和办理结果分别评价。`,
      { link: { label: '填写征询意见表', href: str(p.link) } },
      { note: '此链接仅供您本人使用，请勿转给承办单位代填。' },
    ],
  }),
  // 公开: the reply is on the public site.
  published: (p) =>
    mail(
      `【答复已公开】${ref(p)}`,
      `${ref(p)}的答复（${str(p.docNo)}）已于${dateOnly(p.publishedOn)}在政府信息公开平台公开，索引号：${str(p.indexNo)}。`,
      ...(p.url ? [{ link: { label: '查看公开页面', href: str(p.url) } }] : []),
    ),
};

const FOOTER = '本邮件由提案办理系统自动发送，请勿直接回复。';

function blockText(block: Block): string {
  if (typeof block === 'string') return block;
  if ('link' in block) return `${block.link.label}：${block.link.href}`;
  if ('document' in block) return `${'—'.repeat(20)}\n${block.document.text.trimEnd()}\n${'—'.repeat(20)}`;
  return block.note;
}

function blockHtml(block: Block): string {
  if (typeof block === 'string') return `<p style="margin:0 0 12px">${escapeHtml(block)}</p>`;
  if ('link' in block) return `<p style="margin:0 0 12px"><a href="${escapeHtml(block.link.href)}" style="color:#0b57d0">${escapeHtml(block.link.label)}</a></p>`;
  if ('document' in block) return `<div style="margin:16px 0;padding:24px 16px;border:1px solid #ccc;background:#fff">${block.document.html}</div>`;
  return `<p style="margin:0 0 12px;color:#555">${escapeHtml(block.note)}</p>`;
}

export function renderContent(content: MailContent): RenderedMail {
  const text = [...(content.greeting ? [`${content.greeting}：`] : []), ...content.blocks.map(blockText), '', FOOTER].join('\n');
  const html = [
    '<!doctype html>',
    `<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>`,
    `<body style="margin:0;padding:16px;font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;font-size:15px;line-height:1.7;color:#1a1a1a">`,
    ...(content.greeting ? [`<p style="margin:0 0 12px">${escapeHtml(content.greeting)}：</p>`] : []),
    ...content.blocks.map(blockHtml),
    `<p style="margin:24px 0 0;color:#888;font-size:13px">${escapeHtml(FOOTER)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: content.subject, text, html };
}

export function renderMail(kind: MailKind, params: Params): RenderedMail {
  return renderContent(TEMPLATES[kind](params));
}

/** The name the outbox step has always called; now with the HTML part beside the text. */
export const renderNotification = renderMail;
