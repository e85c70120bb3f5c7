import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  ApprovePublicationInput,
  AssignInput,
  CloseInput,
  CoOpinionInput,
  ConsultationInput,
  DecideAdjustmentInput,
  DraftInput,
  FileInput,
  FollowUpReportInput,
  MarkKeyInput,
  NoConsultationInput,
  OrderRehandlingInput,
  OverrideClassInput,
  ProposePublicationInput,
  RateInput,
  ReassignInput,
  RequestExtensionInput,
  DecideExtensionInput,
  OfficeConsultationInput,
  RequestAdjustmentInput,
  SignOffInput,
  SubmitForSignOffInput,
  WaiveCoOpinionInput,
  WithdrawInput,
} from './actions.js';
import type { ActionName, ProposalState } from './state.js';
import type { Actor, ProposerInput, ProposerKind } from '../shared/types.js';

// Shared by worker, client and tests: every message name is written here once.

export const TASK_QUEUE = 'banli-proposals';

/** 十三届二次会议 + R0001 → proposal:十三届二次会议:R0001 (business keys, never random). */
export function proposalWorkflowId(sessionCode: string, receiptNo: string): string {
  return `proposal:${sessionCode}:${receiptNo}`;
}

export interface ProposalWorkflowInput {
  sessionCode: string;
  receiptNo: string;
  /** Set when a run continues as new: everything the next run needs to go on where this one stopped. */
  carried?: CarriedRun;
}

export interface ChildTaskSent {
  dueAt: string;
  keyProposal: boolean;
  closed: boolean;
}

export interface CarriedRun {
  state: ProposalState;
  outbox: string[];
  pendingMerges: { target: string; proposerIds: number[] }[];
  feedbackNotedRound: number | null;
  recalculation: { reason: string; reloadPolicy: boolean } | null;
  coProjectionStale: boolean;
  coSent: Record<string, ChildTaskSent>;
  replySent: Record<string, ChildTaskSent>;
}

export interface RegisterInput {
  actor: Actor;
  sessionCode: string;
  receiptNo: string;
  title: string;
  bodyHash: string;
  topic: string | null;
  proposerKind: ProposerKind;
  proposers: ProposerInput[];
  receivedDate: string;
}

/** What an action returns: the proposal as it now stands. */
export type ProposalView = ProposalState;

export type WithActor<T> = T & { actor: Actor };

export const registerUpdate = defineUpdate<ProposalView, [RegisterInput]>('register');

// One Update per human action; the name is the action's name in ACTION_RULES.
export const actionUpdates = {
  file: defineUpdate<ProposalView, [WithActor<FileInput>]>('file'),
  assign: defineUpdate<ProposalView, [WithActor<AssignInput>]>('assign'),
  requestAdjustment: defineUpdate<ProposalView, [WithActor<RequestAdjustmentInput>]>('requestAdjustment'),
  decideAdjustment: defineUpdate<ProposalView, [WithActor<DecideAdjustmentInput>]>('decideAdjustment'),
  recordConsultation: defineUpdate<ProposalView, [WithActor<ConsultationInput>]>('recordConsultation'),
  recordNoConsultation: defineUpdate<ProposalView, [WithActor<NoConsultationInput>]>('recordNoConsultation'),
  submitCoOpinion: defineUpdate<ProposalView, [WithActor<CoOpinionInput>]>('submitCoOpinion'),
  waiveCoOpinion: defineUpdate<ProposalView, [WithActor<WaiveCoOpinionInput>]>('waiveCoOpinion'),
  saveDraft: defineUpdate<ProposalView, [WithActor<DraftInput>]>('saveDraft'),
  overrideClass: defineUpdate<ProposalView, [WithActor<OverrideClassInput>]>('overrideClass'),
  submitForSignOff: defineUpdate<ProposalView, [WithActor<SubmitForSignOffInput>]>('submitForSignOff'),
  signOff: defineUpdate<ProposalView, [WithActor<SignOffInput>]>('signOff'),
  rate: defineUpdate<ProposalView, [WithActor<RateInput>]>('rate'),
  proposePublication: defineUpdate<ProposalView, [WithActor<ProposePublicationInput>]>('proposePublication'),
  approvePublication: defineUpdate<ProposalView, [WithActor<ApprovePublicationInput>]>('approvePublication'),
  close: defineUpdate<ProposalView, [WithActor<CloseInput>]>('close'),
  reportFollowUp: defineUpdate<ProposalView, [WithActor<FollowUpReportInput>]>('reportFollowUp'),
  withdraw: defineUpdate<ProposalView, [WithActor<WithdrawInput>]>('withdraw'),
  markKey: defineUpdate<ProposalView, [WithActor<MarkKeyInput>]>('markKey'),
  orderRehandling: defineUpdate<ProposalView, [WithActor<OrderRehandlingInput>]>('orderRehandling'),
  reassign: defineUpdate<ProposalView, [WithActor<ReassignInput>]>('reassign'),
  requestExtension: defineUpdate<ProposalView, [WithActor<RequestExtensionInput>]>('requestExtension'),
  decideExtension: defineUpdate<ProposalView, [WithActor<DecideExtensionInput>]>('decideExtension'),
  recordOfficeConsultation: defineUpdate<ProposalView, [WithActor<OfficeConsultationInput>]>('recordOfficeConsultation'),
} satisfies Record<ActionName, unknown>;

export const stateQuery = defineQuery<ProposalView | null>('state');

/** Sent by a proposal merged into this one (并案): its proposers are answered and rate here too. */
export const mergedProposalSignal = defineSignal<[{ workflowId: string; proposerIds: number[] }]>('mergedProposal');

/** Sent after an administrator edits the calendar (or a policy): open deadlines are recomputed. */
export const deadlinesChangedSignal = defineSignal<[{ reason: string; reloadPolicy: boolean }]>('deadlinesChanged');
