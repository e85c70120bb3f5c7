// 答复函: the reply letter as plain text in the official order (DOMAIN.md, "The reply letter").
// The .docx/HTML layouts belong to the documents issue; this text is what is mailed and stored.

import { chineseDate } from '../workflows/shared/dates.js';

export interface ReplyLetterData {
  docNo: string;
  replyClass: string;
  proposalNo: string | null;
  title: string;
  salutation: string; // "张永庆委员" or an organisation's name
  body: string;
  unitName: string;
  contactName: string | null;
  contactPhone: string | null;
  date: string; // YYYY-MM-DD (Asia/Shanghai)
  cc: string[];
  consolidatedFrom: string[]; // co-units whose opinions the reply weaves in
}

function numberOnly(proposalNo: string | null): string {
  return (proposalNo ?? '').replace(/^第|号$/g, '');
}

export function renderReplyLetter(data: ReplyLetterData): string {
  const n = numberOnly(data.proposalNo);
  const lines = [
    `${data.docNo}${' '.repeat(8)}${data.replyClass}`,
    '',
    `关于${n ? `第${n}号` : ''}提案的答复`,
    '',
    `${data.salutation}：`,
    `　　您提出的《${data.title}》${n ? `（第${n}号）` : ''}提案收悉，现答复如下：`,
  ];
  if (data.consolidatedFrom.length > 0) lines.push(`　　经综合${data.consolidatedFrom.join('、')}等单位意见，`);
  lines.push(...data.body.split(/\r?\n/).map((l) => (l.trim() ? `　　${l.trim()}` : '')));
  lines.push('　　感谢您对我们工作的关心和支持。', '');
  if (data.contactName || data.contactPhone) lines.push(`　　联系人：${data.contactName ?? ''}，电话：${data.contactPhone ?? ''}`, '');
  lines.push(`${' '.repeat(24)}${data.unitName}`, `${' '.repeat(24)}${chineseDate(data.date)}`, '');
  if (data.cc.length > 0) lines.push(`抄送：${data.cc.join('，')}。`);
  return lines.join('\n');
}
