// Business keys: every workflow id is built here from session + number, never at random.

export const TASK_QUEUE = 'banli-proposals';

/** 十三届二次会议 + R0001 → proposal:十三届二次会议:R0001 */
export function proposalWorkflowId(sessionCode: string, receiptNo: string): string {
  return `proposal:${sessionCode}:${receiptNo}`;
}

/** 会办任务: one per co-unit and handling round. */
export function coTaskWorkflowId(parentWorkflowId: string, unitId: string, round: number): string {
  return `${parentWorkflowId}:co:${unitId}:r${round}`;
}

/** 答复任务: one per answering unit and handling round. */
export function replyTaskWorkflowId(parentWorkflowId: string, unitId: string, round: number): string {
  return `${parentWorkflowId}:reply:${unitId}:r${round}`;
}
