import { chineseDate, isValidIsoDate, shanghaiDate } from '../../workflows/shared/dates.js';

// Chinese-first mail texts per notification kind. Params arrive from the workflow step.

type Params = Record<string, string | number | null>;

const ROLE_LABEL: Record<string, string> = { sole: '单独办理', lead: '主办', co: '会办', split: '分办' };

function ref(p: Params): string {
  return p.proposalNo ? `第${String(p.proposalNo).replace(/^第|号$/g, '')}号提案《${p.title}》` : `提案《${p.title}》`;
}

const RUNG: Record<string, string> = { liaison: '承办单位联络员', leader: '承办单位分管领导', principal: '承办单位主要负责人', office_committee: '交办单位和提案委员会' };

function dateOnly(date: string | number | null | undefined): string {
  return typeof date === 'string' && isValidIsoDate(date) ? chineseDate(date) : '（未定）';
}

/** An instant shown as its Beijing date. */
function day(iso: string | number | null | undefined): string {
  return typeof iso === 'string' && !Number.isNaN(Date.parse(iso)) ? chineseDate(shanghaiDate(iso)) : '（未定）';
}

export function renderNotification(kind: string, p: Params): { subject: string; text: string } {
  switch (kind) {
    case 'assigned':
      return {
        subject: `【提案交办】${ref(p)}`,
        text: `${ref(p)}已交由你单位${ROLE_LABEL[String(p.role)] ?? ''}。请先与提案者沟通协商，再起草答复，答复截止日期为${day(p.dueAt)}。\n如认为不属于你单位职责，请在规定期限内提出调整申请，不得自行转办。`,
      };
    case 'assigned_co':
      return {
        subject: `【会办通知】${ref(p)}`,
        text: `${ref(p)}请你单位会办。请于${day(p.dueAt)}前向主办单位提交加盖公章的会办意见；如无意见也请明确提交“无意见”。`,
      };
    case 'not_filed':
      return { subject: `【提案审查】${ref(p)}未予立案`, text: `您提出的${ref(p)}经审查不予立案，理由：${p.reason}。${p.detail ? `\n说明：${p.detail}` : ''}\n感谢您对政府工作的关心和支持。` };
    case 'merged':
      return { subject: `【提案审查】${ref(p)}已并案办理`, text: `您提出的${ref(p)}与其他提案内容相近，已并案办理。承办单位答复时将一并答复您，您可单独评价。` };
    case 'converted':
      return { subject: `【提案审查】${ref(p)}转为意见建议`, text: `您提出的${ref(p)}经审查转为意见建议，转送有关部门参考。${p.reason ? `\n说明：${p.reason}` : ''}` };
    case 'withdrawn':
      return { subject: `【撤案】${ref(p)}`, text: `${ref(p)}已撤案。理由：${p.reason}` };
    case 'withdrawn_unit':
      return { subject: `【撤案通知】${ref(p)}`, text: `${ref(p)}已撤案，你单位的办理任务已取消，无需继续办理。理由：${p.reason}` };
    case 'adjustment_requested':
      return { subject: `【调整申请】${ref(p)}`, text: `承办单位 ${p.unitId} 申请调整${ref(p)}的承办单位。理由：${p.reason}\n请在7日内审批。` };
    case 'adjustment_refused':
      return { subject: `【调整申请未同意】${ref(p)}`, text: `你单位关于${ref(p)}的调整申请未获同意，请继续办理。意见：${p.answer}` };
    case 'adjustment_accepted':
      return { subject: `【调整申请已同意】${ref(p)}`, text: `你单位关于${ref(p)}的调整申请已同意，办理任务已转交其他单位。意见：${p.answer}` };
    case 'unit_removed':
      return { subject: `【承办单位调整】${ref(p)}`, text: `交办单位已调整${ref(p)}的承办单位，你单位无需继续办理。理由：${p.reason}` };
    case 'co_opinion_received':
      return { subject: `【会办意见】${ref(p)}`, text: `会办单位 ${p.coUnit} 已就${ref(p)}提交${p.kind === 'no_opinion' ? '“无意见”' : '会办意见'}，请在答复中综合吸收。` };
    case 'signoff_requested':
      return { subject: `【待审签】${ref(p)}答复稿（第${p.version}稿）`, text: `${ref(p)}的答复稿（第${p.version}稿）已送审签，请审阅后签发或退回。` };
    case 'signoff_returned':
      return { subject: `【审签退回】${ref(p)}`, text: `${ref(p)}的答复稿被退回修改。退回理由：${p.reason}` };
    case 'rehandling':
      return { subject: `【重新办理】${ref(p)}`, text: `${ref(p)}需要重新办理：${p.cause}。请重新与提案者沟通协商后再次答复。${p.officeChaired === '是' ? '\n本次由交办单位主持面商。' : ''}` };
    case 'publication_proposed':
      return { subject: `【公开审定】${ref(p)}`, text: `主办单位就${ref(p)}的答复提出公开方式：${p.mode}，请审定。` };
    case 'key_proposal':
      return { subject: `【重点提案督办】${ref(p)}`, text: `${ref(p)}已确定为重点提案，由${p.leader}领衔督办。答复须由单位主要负责人签发。` };
    case 'follow_up_due':
      return { subject: `【回头看】${ref(p)}承诺事项落实情况`, text: `${ref(p)}答复中承诺的事项已到回访日期，请报告落实情况。承诺内容：${p.promised}` };
    case 'follow_up_reported':
      return { subject: `【回头看】${ref(p)}已报告落实情况`, text: `承办单位已报告${ref(p)}承诺事项的落实情况。` };
    case 'deadline_reminder':
      return {
        subject: `【到期提醒】${ref(p)}${p.what}将于${dateOnly(p.dueDate)}到期`,
        text: `${ref(p)}的${p.what}期限为${dateOnly(p.dueDate)}，请抓紧办理。\n期限说明：${p.explanation}${p.calendarConfirmed === '否' ? '\n注意：该年度节假日安排尚未确认，日期为估算。' : ''}`,
      };
    case 'deadline_escalation':
      return {
        subject: `【逾期催办】${ref(p)}${p.what}已超过${dateOnly(p.dueDate)}的期限`,
        text: `${ref(p)}的${p.what}已逾期（期限${dateOnly(p.dueDate)}）。本通知按催办程序发送给${RUNG[String(p.rung)] ?? ''}。\n期限说明：${p.explanation}`,
      };
    case 'supervision_notice':
      return {
        subject: `【重点提案督办通知】${ref(p)}${p.what}逾期`,
        text: `重点提案${ref(p)}的${p.what}已逾期（期限${dateOnly(p.dueDate)}）。请单位主要负责人督促办理，并向督办领导报告进展。\n期限说明：${p.explanation}`,
      };
    case 'extension_requested':
      return { subject: `【延期申请】${ref(p)}`, text: `承办单位 ${p.unitId} 申请将${ref(p)}的答复期限延至${dateOnly(p.to)}。理由：${p.reason}` };
    case 'extension_approved':
      return { subject: `【延期已批准】${ref(p)}`, text: `${ref(p)}的答复期限已延至${dateOnly(p.to)}。意见：${p.answer}` };
    case 'extension_refused':
      return { subject: `【延期未批准】${ref(p)}`, text: `${ref(p)}的延期申请未获批准，请按原期限答复。意见：${p.answer}` };
    case 'extension_proposer':
      return { subject: `【办理期限调整】${ref(p)}`, text: `您的${ref(p)}经批准延期办理，承办单位将于${dateOnly(p.to)}前答复。` };
    default:
      return { subject: `【提案办理】${ref(p)}`, text: `${ref(p)}有新的办理动态（${kind}）。` };
  }
}
