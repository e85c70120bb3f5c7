import type { NotificationIntent } from './notifications.js';
import type { ConsultationWay, PublicationMode, Satisfaction } from './types.js';

// The step-record contract: what one accepted step asks the database step to write (its event
// row, the rows it implies, and the mails it queues), keyed by workflow id + update id.

export interface StepRecord {
  step: string;
  unitId: string | null;
  summary: Record<string, unknown>;
  replyVersion?: { unitId: string; version: number; round: number; bodyHash: string; replyClass: string; changeNote: string | null };
  consultation?: { unitId: string; round: number; date: string; way: ConsultationWay; participants: string; summaryHash: string };
  rating?: { proposerId: number; round: number; attitude: Satisfaction; result: Satisfaction; comment: string | null; onBehalf: boolean };
  publication?: { mode: PublicationMode; reason: string | null; status: 'proposed' | 'approved' };
  notifications: NotificationIntent[];
}

/** The read-model row a step writes, derived from workflow state so the two never drift. */
export interface ProposalProjection {
  stage: string;
  proposalNo: string | null;
  filingOutcome: string | null;
  filingReason: string | null;
  mergedInto: string | null;
  handlingMode: string | null;
  leadUnitId: string | null;
  unitIds: string[];
  keyProposal: boolean;
  supervisingLeader: string | null;
  replyClass: string | null;
  replyVersion: number | null;
  replyDocNo: string | null;
  dispatchedAt: string | null;
  nextDueAt: string | null;
  nextDueKind: string | null;
  nextDueExplanation: string | null;
  nextDueConfirmed: boolean;
  policyVersion: number;
  rehandlingRound: number;
  closedAt: string | null;
}

export interface UnitTaskProjection {
  unitId: string;
  role: 'sole' | 'lead' | 'co' | 'split';
  status: string;
  round: number;
  assignedAt: string;
  dueAt: string | null;
  done: boolean;
  opinionHash: string | null;
  dueExplanation: string | null;
  extensionCount: number;
  extensionPendingTo: string | null;
  calendarConfirmed: boolean;
  /** While the unit's adjustment or extension request waits: the office's decision deadline. */
  decisionDueAt?: string | null;
}
