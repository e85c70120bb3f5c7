import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CoOpinionInput } from '../proposal/actions/co-opinion.js';
import type { Actor, ClockPolicy, Deadline } from '../shared/types.js';

// 会办任务: one child workflow per co-handling unit and handling round. It owns the unit's
// co-opinion deadline (reminders, escalation) and takes the unit's signed opinion or 无意见.

export interface CoTaskInput {
  parentWorkflowId: string;
  unitId: string;
  round: number;
  leadUnitId: string | null;
  title: string;
  proposalNo: string | null;
  keyProposal: boolean;
  /** The supervising leader's address (督办领导), copied on a key proposal's escalations. */
  supervisingLeaderEmail?: string | null;
  clock: ClockPolicy | undefined;
  deadline: Deadline;
}

export type CoTaskStatus = 'due' | 'submitted' | 'no_opinion' | 'waived' | 'removed';

export interface CoTaskView {
  parentWorkflowId: string;
  unitId: string;
  round: number;
  status: CoTaskStatus;
  /** The signed opinion's number (…提函〔year〕N号), once submitted. */
  docNo?: string | null;
  deadline: Deadline;
  keyProposal: boolean;
  /** The supervising leader's address (督办领导), copied on a key proposal's escalations. */
  supervisingLeaderEmail?: string | null;
  firedClock: string[];
}

export const submitCoOpinionUpdate = defineUpdate<CoTaskView, [CoOpinionInput & { actor: Actor }]>('submitCoOpinion');
export const coTaskQuery = defineQuery<CoTaskView>('coTask');

/** Parent → child: the office waived the opinion, the unit was taken off, or the proposal ended. */
export const coTaskClosedSignal = defineSignal<[{ status: 'waived' | 'removed'; reason: string }]>('coTaskClosed');
/** Parent → child: the deadline was recalculated or extended, or the proposal became a key proposal. */
export const coTaskDeadlineSignal = defineSignal<[{ deadline: Deadline; keyProposal: boolean; supervisingLeaderEmail?: string | null }]>('coTaskDeadline');
/** Child → parent: the co-unit answered. */
export const coOpinionReportedSignal = defineSignal<[{ unitId: string; round: number; kind: 'opinion' | 'no_opinion'; bodyHash: string | null }]>('coOpinionReported');
