import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ClockPolicy, Deadline } from '../shared/types.js';

// 答复任务: one child workflow per answering unit (sole, lead, split) and handling round.

export interface ReplyTaskInput {
  parentWorkflowId: string;
  unitId: string;
  round: number;
  title: string;
  proposalNo: string | null;
  keyProposal: boolean;
  /** The supervising leader's address (督办领导), copied on a key proposal's escalations. */
  supervisingLeaderEmail?: string | null;
  clock: ClockPolicy | undefined;
  deadline: Deadline;
}

export interface ReplyTaskView {
  parentWorkflowId: string;
  unitId: string;
  round: number;
  status: 'open' | 'answered' | 'removed';
  deadline: Deadline;
  keyProposal: boolean;
  /** The supervising leader's address (督办领导), copied on a key proposal's escalations. */
  supervisingLeaderEmail?: string | null;
  firedClock: string[];
}

export const replyTaskQuery = defineQuery<ReplyTaskView>('replyTask');
/** Parent → child: the unit's reply went out, the unit was taken off, or the proposal ended. */
export const replyTaskClosedSignal = defineSignal<[{ status: 'answered' | 'removed' }]>('replyTaskClosed');
/** Parent → child: the deadline moved (extension, recalculation) or the proposal became key. */
export const replyTaskDeadlineSignal = defineSignal<[{ deadline: Deadline; keyProposal: boolean; supervisingLeaderEmail?: string | null }]>('replyTaskDeadline');
