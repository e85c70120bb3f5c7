import type { ReplyVersionRow } from '../../db/repositories/bulk-reads.js';
import { HANDLING_MODE_LABELS, PROPOSER_KIND_LABELS, TASK_STATUS_LABELS, UNIT_ROLE_LABELS, valueLabel } from '../http/pages/labels.js';
import type { ProposalView, UnitTaskView } from '../read/views.js';
import type { WorklistItem, WorklistKind } from '../read/worklists.js';
import type { SheetColumn, SheetSpec } from './xlsx-write.js';

// The columns of each export, in Chinese, from the views people read (client/read/views.ts)
// rather than from rows: what a role may not see in the API is not in its spreadsheet either.
// Codes are shown in the pages' words (client/http/pages/labels.ts).

export type UnitName = (id: string | null) => string;

// 轮次 counts as people do, from 1 (the first handling; 2 is the first re-handling), where the
// views count from 0.

const yesNo = (b: boolean | undefined) => (b === undefined ? null : b ? '是' : '否');
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

type Col<T> = SheetColumn<T>;
const text = <T>(header: string, width: number, value: Col<T>['value']): Col<T> => ({ header, width, kind: 'text', value });
const long = <T>(header: string, width: number, value: Col<T>['value']): Col<T> => ({ header, width, kind: 'longText', value });
const date = <T>(header: string, value: Col<T>['value']): Col<T> => ({ header, width: 12, kind: 'date', value });
const time = <T>(header: string, value: Col<T>['value']): Col<T> => ({ header, width: 17, kind: 'datetime', value });
const num = <T>(header: string, width: number, value: Col<T>['value']): Col<T> => ({ header, width, kind: 'number', value });

export interface ProposalLine {
  view: ProposalView;
  proposers: string[];
}

export function proposalSheet(rows: ProposalLine[], unit: UnitName): SheetSpec<ProposalLine> {
  return {
    name: '提案',
    rows,
    columns: [
      text('届次', 18, (r) => r.view.sessionCode),
      text('登记号', 12, (r) => r.view.receiptNo),
      text('提案编号', 12, (r) => r.view.proposalNo),
      long('标题', 44, (r) => r.view.title),
      text('提案类型', 14, (r) => PROPOSER_KIND_LABELS[r.view.proposerKind] ?? r.view.proposerKind),
      text('提案者', 24, (r) => r.proposers.join('、')),
      text('类别', 10, (r) => r.view.topic),
      date('收到日期', (r) => r.view.receivedDate),
      text('阶段', 12, (r) => r.view.stageLabel),
      text('审查结果', 14, (r) => r.view.filingOutcome && valueLabel('file', 'outcome', r.view.filingOutcome)),
      text('办理方式', 12, (r) => r.view.handlingMode && (HANDLING_MODE_LABELS[r.view.handlingMode] ?? r.view.handlingMode)),
      text('主办单位', 24, (r) => r.view.leadUnitId && unit(r.view.leadUnitId)),
      long('承办单位', 36, (r) => r.view.unitIds.map(unit).join('、')),
      text('重点提案', 8, (r) => yesNo(r.view.keyProposal)),
      text('督办领导', 12, (r) => r.view.supervisingLeader),
      text('答复分类', 8, (r) => r.view.replyClass),
      text('答复文号', 24, (r) => r.view.replyDocNo),
      time('答复时间', (r) => r.view.dispatchedAt),
      time('下一期限', (r) => r.view.nextDueAt),
      long('期限说明', 40, (r) => r.view.nextDueExplanation),
      time('办结时间', (r) => r.view.closedAt),
      time('登记时间', (r) => r.view.createdAt),
      text('流程编号', 36, (r) => r.view.workflowId),
    ],
  };
}

export interface TaskLine {
  proposal: ProposalView;
  task: UnitTaskView;
}

const PROGRESS: Record<UnitTaskView['progress'], string> = { open: '办理中', done: '已完成', ended: '已终止' };

export function taskSheet(rows: TaskLine[], unit: UnitName): SheetSpec<TaskLine> {
  return {
    name: '承办任务',
    rows,
    columns: [
      text('届次', 18, (r) => r.proposal.sessionCode),
      text('登记号', 12, (r) => r.proposal.receiptNo),
      text('提案编号', 12, (r) => r.proposal.proposalNo),
      long('标题', 44, (r) => r.proposal.title),
      text('承办单位', 24, (r) => unit(r.task.unitId)),
      text('承办方式', 10, (r) => UNIT_ROLE_LABELS[r.task.role] ?? r.task.role),
      num('轮次', 6, (r) => r.task.round + 1),
      text('进度', 8, (r) => PROGRESS[r.task.progress]),
      text('状态', 14, (r) => r.task.status && (TASK_STATUS_LABELS[r.task.status] ?? r.task.status)),
      time('交办时间', (r) => r.task.assignedAt),
      time('期限', (r) => r.task.dueAt),
      long('期限说明', 40, (r) => r.task.dueExplanation),
      num('延期次数', 8, (r) => r.task.extensionCount),
      time('完成时间', (r) => r.task.completedAt),
      text('流程编号', 36, (r) => r.proposal.workflowId),
    ],
  };
}

export interface ReplyLine {
  proposal: ProposalView;
  version: ReplyVersionRow;
}

export function replySheet(rows: ReplyLine[], unit: UnitName): SheetSpec<ReplyLine> {
  return {
    name: '答复及版本',
    rows,
    columns: [
      text('届次', 18, (r) => r.proposal.sessionCode),
      text('登记号', 12, (r) => r.proposal.receiptNo),
      text('提案编号', 12, (r) => r.proposal.proposalNo),
      long('标题', 40, (r) => r.proposal.title),
      text('答复单位', 24, (r) => unit(r.version.unit_id)),
      num('轮次', 6, (r) => r.version.round + 1),
      num('稿次', 6, (r) => r.version.version),
      text('答复分类', 8, (r) => r.version.reply_class),
      long('修改说明', 24, (r) => r.version.change_note),
      time('保存时间', (r) => iso(r.version.created_at)),
      text('提案答复文号', 24, (r) => r.proposal.replyDocNo),
      long('答复正文', 80, (r) => r.version.body),
      text('流程编号', 36, (r) => r.proposal.workflowId),
    ],
  };
}

export function worklistSheet(kind: WorklistKind, rows: WorklistItem[], unit: UnitName): SheetSpec<WorklistItem> {
  const overdue = kind === 'overdue';
  return {
    name: overdue ? '逾期清单' : '临期清单',
    rows,
    columns: [
      text('届次', 18, (r) => r.sessionCode),
      text('提案编号', 12, (r) => r.proposalNo),
      long('标题', 44, (r) => r.title),
      text('承办单位', 24, (r) => unit(r.unitId)),
      text('承办方式', 10, (r) => UNIT_ROLE_LABELS[r.role] ?? r.role),
      text('状态', 14, (r) => TASK_STATUS_LABELS[r.status] ?? r.status),
      text('重点提案', 8, (r) => yesNo(r.keyProposal)),
      date('期限', (r) => r.dueDate),
      overdue ? num('逾期工作日', 10, (r) => r.daysLate) : num('剩余工作日', 10, (r) => r.daysLeft),
      num('延期次数', 8, (r) => r.extensionCount),
      text('日历已确认', 10, (r) => yesNo(r.calendarConfirmed)),
      long('期限说明', 40, (r) => r.dueExplanation),
      text('流程编号', 36, (r) => r.workflowId),
    ],
  };
}
