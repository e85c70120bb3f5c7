import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CreatedAt, Timestamp } from './column-types.js';

// 联名 drafts and their signers' answers (migration 2026-12-02T1600, db/repositories/joint-consent.ts).

export type JointDraftStatus = 'open' | 'submitted' | 'registering' | 'registered' | 'withdrawn';
export type JointSignerStatus = 'first_signer' | 'invited' | 'accepted' | 'declined' | 'paper_accepted' | 'paper_declined' | 'expired';

export interface JointDraftTable {
  workflow_id: string;
  session_code: string;
  receipt_no: string;
  title: string;
  body_hash: string;
  topic: string | null;
  status: JointDraftStatus;
  consent_closed: Generated<boolean>;
  expires_at: Timestamp;
  expiry_explanation: string;
  calendar_confirmed: Generated<boolean>;
  opened_by_user_id: number | null;
  submitted_at: Timestamp | null;
  submitted_by_user_id: number | null;
  proposal_workflow_id: string | null;
  registered_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface JointSignerTable {
  id: Generated<number>;
  draft_workflow_id: string;
  /** 0 = 第一提案人; the co-signers follow in signing order. */
  position: number;
  proposer_id: number | null;
  name: string;
  email: string | null;
  phone: string | null;
  sector: string | null;
  status: JointSignerStatus;
  answered_at: Timestamp | null;
  /** The office user who entered a paper answer; null for an answer through the link. */
  answered_by_user_id: number | null;
  comment: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type JointDraftRow = Selectable<JointDraftTable>;
export type JointSignerRow = Selectable<JointSignerTable>;
