import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../shared/types.js';

// 联名征集: one workflow per joint draft, from the invitations to its co-signers (附议人) until the
// proposal is registered with the signers who accepted. The client, the tests and the workflow
// import these handles; no message name is typed twice.

/** 联名草案 of session + receipt number: joint:十四届三次会议:LM0001. The proposal keeps the receipt number. */
export function jointDraftWorkflowId(sessionCode: string, receiptNo: string): string {
  return `joint:${sessionCode}:${receiptNo}`;
}

export const JOINT_WORKFLOW_PREFIX = 'joint:';

export type SignerStatus = 'first_signer' | 'invited' | 'accepted' | 'declined' | 'paper_accepted' | 'paper_declined' | 'expired';
export type JointDraftStatus = 'open' | 'submitted' | 'registering' | 'registered' | 'withdrawn';

/** A signer as the starter names them: an existing proposer by id, or a name with optional contact. */
export interface SignerInput {
  proposerId?: number | null;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  sector?: string | null;
}

export interface JointSigner {
  /** 0 = 第一提案人; co-signers follow in signing order. */
  position: number;
  proposerId: number | null;
  name: string;
  email: string | null;
  phone: string | null;
  sector: string | null;
  status: SignerStatus;
  answeredAt: string | null;
  comment: string | null;
}

export interface JointDraftView {
  workflowId: string;
  sessionCode: string;
  receiptNo: string;
  title: string;
  bodyHash: string;
  topic: string | null;
  status: JointDraftStatus;
  /** The invitation window: answers are taken until this instant (or until the draft is submitted). */
  expiresAt: string;
  expiryExplanation: string;
  calendarConfirmed: boolean;
  /** Set once the window closed (expiry, everyone answered, or a forced submission). */
  consentClosed: boolean;
  signers: JointSigner[];
  submittedAt: string | null;
  proposalWorkflowId: string | null;
}

export interface JointDraftWorkflowInput {
  sessionCode: string;
  receiptNo: string;
}

export interface OpenJointDraftInput {
  actor: Actor;
  sessionCode: string;
  receiptNo: string;
  title: string;
  bodyHash: string;
  topic: string | null;
  firstSigner: SignerInput;
  coSigners: SignerInput[];
}

export type JointAnswer = 'accept' | 'decline';

/** Through the co-signer's signed link: the client has verified the link and names the signer from it. */
export interface LinkAnswerInput {
  actor: Actor;
  position: number;
  answer: JointAnswer;
  comment?: string | null;
}

/** 纸质回执: the office enters an answer given on paper (a signer without e-mail, or a letter). */
export interface PaperAnswerInput {
  actor: Actor;
  position: number;
  answer: JointAnswer;
  comment?: string | null;
}

export interface SubmitJointInput {
  actor: Actor;
  /** Submit while co-signers may still answer: they are recorded as never having answered. */
  force?: boolean;
}

/** 撤回: the first signer or the office gives the draft up before it is registered. */
export interface WithdrawJointInput {
  actor: Actor;
  reason: string;
}

export interface RecordRegistrationInput {
  actor: Actor;
  proposalWorkflowId: string;
}

export const openJointDraftUpdate = defineUpdate<JointDraftView, [OpenJointDraftInput]>('openJointDraft');
export const answerByLinkUpdate = defineUpdate<JointDraftView, [LinkAnswerInput]>('answerJointInvitation');
export const recordPaperAnswerUpdate = defineUpdate<JointDraftView, [PaperAnswerInput]>('recordPaperJointAnswer');
export const submitJointUpdate = defineUpdate<JointDraftView, [SubmitJointInput]>('submitJointDraft');
export const withdrawJointUpdate = defineUpdate<JointDraftView, [WithdrawJointInput]>('withdrawJointDraft');
export const recordRegistrationUpdate = defineUpdate<JointDraftView, [RecordRegistrationInput]>('recordJointRegistration');
export const jointDraftQuery = defineQuery<JointDraftView | null>('jointDraft');
