import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Actor, ProposerInput, ProposerKind } from '../shared/types.js';
import type { ActionInput, ActionName } from './machine.js';
import type { ProposalState } from './state.js';

// The proposal workflow's messages, shared by worker, client and tests: every name is written
// here once, and each action's payload type comes from its row in machine.ts.

export { TASK_QUEUE, proposalWorkflowId } from '../shared/ids.js';

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
  /**
   * Ids of the Updates earlier runs applied (the latest ones). Temporal de-duplicates an Update id
   * within one run only: a client retrying after the switch must get the answer, not a second step.
   */
  appliedUpdates?: string[];
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

/** An action's payload on the wire: its fields plus the authenticated actor the door adds. */
export type ActionPayload<K extends ActionName> = ActionInput<K> & { actor: Actor };

export const registerUpdate = defineUpdate<ProposalView, [RegisterInput]>('register');

const action = <K extends ActionName>(name: K) => defineUpdate<ProposalView, [ActionPayload<K>], K>(name);

/** One Update per human action, named as in the table; a missing row is a compile error. */
export const actionUpdates: { [K in ActionName]: UpdateDefinition<ProposalView, [ActionPayload<K>], K> } = {
  file: action('file'),
  assign: action('assign'),
  requestAdjustment: action('requestAdjustment'),
  decideAdjustment: action('decideAdjustment'),
  recordConsultation: action('recordConsultation'),
  recordNoConsultation: action('recordNoConsultation'),
  submitCoOpinion: action('submitCoOpinion'),
  waiveCoOpinion: action('waiveCoOpinion'),
  saveDraft: action('saveDraft'),
  overrideClass: action('overrideClass'),
  submitForSignOff: action('submitForSignOff'),
  signOff: action('signOff'),
  rate: action('rate'),
  proposePublication: action('proposePublication'),
  approvePublication: action('approvePublication'),
  close: action('close'),
  reportFollowUp: action('reportFollowUp'),
  withdraw: action('withdraw'),
  markKey: action('markKey'),
  orderRehandling: action('orderRehandling'),
  reassign: action('reassign'),
  requestExtension: action('requestExtension'),
  decideExtension: action('decideExtension'),
  recordOfficeConsultation: action('recordOfficeConsultation'),
};

export const stateQuery = defineQuery<ProposalView | null>('state');

/** Sent by a proposal merged into this one (并案): its proposers are answered and rate here too. */
export const mergedProposalSignal = defineSignal<[{ workflowId: string; proposerIds: number[] }]>('mergedProposal');

/** Sent after an administrator edits the calendar (or a policy): open deadlines are recomputed. */
export const deadlinesChangedSignal = defineSignal<[{ reason: string; reloadPolicy: boolean }]>('deadlinesChanged');
