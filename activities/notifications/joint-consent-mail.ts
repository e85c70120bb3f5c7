import { chineseDate, shanghaiDate } from '../../workflows/shared/dates.js';
import { renderContent, type Block, type RenderedMail } from './templates.js';

// The mail of 联名征集, rendered through the same blocks as every other mail (text and HTML from
// one source). These kinds are queued by the joint-consent activities themselves.

export type JointMailKind = 'joint_invitation' | 'joint_consent_closed' | 'joint_withdrawn';

function day(iso: string): string {
  return chineseDate(shanghaiDate(iso));
}

function shanghaiTime(iso: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

export function invitationMail(p: { name: string; firstSigner: string; title: string; expiresAt: string; link: string; coSignerCount: number }): RenderedMail {
  return renderContent({
    subject: `【联名邀请】${p.firstSigner}邀请您联名提出《${p.title}》`,
    greeting: `${p.name}委员`,
    blocks: [
      `${p.firstSigner}委员拟作为第一提案人提出提案《${p.title}》，邀请您作为附议人联名（本提案共邀请${p.coSignerCount}位附议人）。`,
      `请于${day(p.expiresAt)} ${shanghaiTime(p.expiresAt)}前通过下面的专属链接阅读提案全文，并选择同意联名或谢绝联名。`,
      { link: { label: '阅读提案并答复联名邀请', href: p.link } },
      { note: '逾期未答复的，视为不参加联名。此链接仅供您本人使用，请勿转发。' },
    ],
  });
}

export interface ClosedSummary {
  title: string;
  receiptNo: string;
  firstSigner: string;
  reason: 'expired' | 'all_answered';
  expiresAt: string;
  accepted: string[];
  declined: string[];
  unanswered: string[];
}

const names = (list: string[]) => (list.length > 0 ? list.join('、') : '无');

export function consentClosedMail(p: ClosedSummary): RenderedMail {
  const blocks: Block[] = [
    p.reason === 'expired'
      ? `联名提案《${p.title}》（登记号 ${p.receiptNo}）的联名答复期限已于${day(p.expiresAt)}届满。`
      : `联名提案《${p.title}》（登记号 ${p.receiptNo}）的附议人已全部答复。`,
    `同意联名：${names(p.accepted)}`,
    `谢绝联名：${names(p.declined)}`,
    `未答复：${names(p.unanswered)}`,
    p.accepted.length > 0
      ? '提案登记时，提案者为第一提案人和同意联名的附议人；谢绝或未答复的不列入联名，记录保留备查。'
      : '没有附议人同意联名：如提交，本提案将按第一提案人的个人提案登记。',
    { note: '请第一提案人提交提案，或由交办单位登记。' },
  ];
  return renderContent({ subject: `【联名答复结果】《${p.title}》`, greeting: `${p.firstSigner}委员`, blocks });
}

export function withdrawnMail(p: { title: string; firstSigner: string; reason: string }): RenderedMail {
  return renderContent({
    subject: `【联名撤回】《${p.title}》`,
    blocks: [`${p.firstSigner}委员邀请您联名的提案《${p.title}》已撤回，不再提出，您无需再答复。`, `撤回理由：${p.reason}`],
  });
}
