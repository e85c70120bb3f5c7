import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from 'kysely';
import type { PolicyBody, SignOffChain } from '../workflows/shared/types.js';
import type { CreatedAt, Timestamp } from './column-types.js';
import type {
  LetterStyleTable,
  LetterOverrideTable,
  DocumentRenditionTable,
  PublicationTable,
  PublicationEntryTable,
  PublicationProfileTable,
  PublicationSequenceTable,
  UnitDocSequenceTable,
  DocNumberTable,
} from './schema-documents.js';
export type {
  LetterStyleTable,
  LetterOverrideTable,
  DocumentRenditionTable,
  PublicationTable,
  PublicationEntryTable,
  PublicationProfileTable,
  PublicationSequenceTable,
  UnitDocSequenceTable,
  DocNumberTable,
} from './schema-documents.js';
import type { StatisticsFactTable, StatisticsDirtyTable, StatisticsUnitCountTable, StatisticsItemCountTable } from './schema-statistics.js';
export type { StatisticsFactTable, StatisticsDirtyTable, StatisticsUnitCountTable, StatisticsItemCountTable } from './schema-statistics.js';
import type { JointDraftTable, JointSignerTable } from './schema-joint.js';

export interface SessionTable {
  code: string; // e.g. 十三届二次会议 → stored as given
  name: string;
  year: number;
  kind: 'plenary' | 'between_sessions';
  policy_version: number | null;
  created_at: CreatedAt;
}

export interface UnitTable {
  id: string;
  name: string; // 浙江省发展和改革委员会
  short_name: string; // 省发展改革委
  doc_prefix: string; // 浙发改 (reply numbers: 浙发改提〔2024〕263号)
  email: string;
  leader_email: string;
  principal_email: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  /** 职责: what the unit answers for, in words (智能分办 reads it); remit_tsv is the same, segmented. */
  remit: ColumnType<string | null, string | null | undefined, string | null>;
  remit_tsv: ColumnType<string | null, never, never>;
  /** The unit's sign-off chain (审签流程); null: as the policy says. */
  signoff_chain: ColumnType<SignOffChain | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export type Role = 'office' | 'committee' | 'liaison' | 'leader' | 'principal' | 'proposer' | 'admin';

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  unit_id: string | null;
  proposer_id: number | null;
  email: string | null;
  daily_digest: Generated<boolean>;
  disabled: Generated<boolean>;
  created_at: CreatedAt;
  /** Set by an administrator's reset: the person chooses a new password before anything else. */
  must_change_password: Generated<boolean>;
  password_changed_at: Timestamp | null;
}

export interface AuthSessionTable {
  token_hash: string;
  user_id: number;
  created_at: CreatedAt;
  /** The absolute end of the session, however active it is. */
  expires_at: Timestamp;
  /** 'page': the web pages' cookie (idle expiry, CSRF token); 'bearer': the API and the CLI. */
  kind: ColumnType<'bearer' | 'page', 'bearer' | 'page' | undefined, never>;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Page sessions end this long after the last request (null: no idle expiry). */
  idle_expires_at: Timestamp | null;
  /** The page session's synchronizer token, echoed by every form. */
  csrf_token: string | null;
  user_agent: string | null;
}

/** Failed sign-ins per key ('user:<name>' or 'addr:<address>') and the end of a lockout. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: Timestamp | null;
  updated_at: Timestamp;
}

export type ProposerKind = 'individual' | 'joint' | 'party' | 'organisation' | 'sector_group' | 'special_committee';

export interface ProposerTable {
  id: Generated<number>;
  kind: 'member' | 'party' | 'organisation' | 'sector_group' | 'special_committee';
  name: string;
  email: string | null;
  phone: string | null;
  sector: string | null;
  created_at: CreatedAt;
}

export interface TextBlobTable {
  hash: string; // sha256 hex of the UTF-8 content: blobs are content-addressed and immutable
  content: string;
  created_at: CreatedAt;
}

export interface ProposalTable {
  workflow_id: string;
  session_code: string;
  receipt_no: string;
  proposal_no: string | null; // 第224号 once filed
  title: string;
  body_hash: string;
  topic: string | null;
  proposer_kind: ProposerKind;
  received_date: string; // YYYY-MM-DD, Asia/Shanghai
  stage: string;
  filing_outcome: string | null;
  filing_reason: string | null;
  merged_into: string | null;
  handling_mode: string | null;
  lead_unit_id: string | null;
  unit_ids: string[];
  key_proposal: Generated<boolean>;
  supervising_leader: string | null;
  reply_class: string | null;
  reply_version: number | null;
  reply_doc_no: string | null;
  dispatched_at: Timestamp | null;
  next_due_at: Timestamp | null;
  next_due_kind: string | null;
  next_due_explanation: string | null;
  next_due_confirmed: Generated<boolean>;
  policy_version: number | null;
  rehandling_round: Generated<number>;
  closed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ProposalProposerTable {
  workflow_id: string;
  proposer_id: number;
  position: number; // 0 = 第一提案人 (or the sole/collective proposer)
}

export interface UnitTaskTable {
  id: Generated<number>;
  workflow_id: string;
  unit_id: string;
  role: 'sole' | 'lead' | 'co' | 'split';
  status: string;
  round: number;
  assigned_at: Timestamp;
  due_at: Timestamp | null;
  due_explanation: string | null;
  completed_at: Timestamp | null;
  opinion_hash: string | null;
  extension_count: Generated<number>;
  extension_pending_to: string | null;
  calendar_confirmed: Generated<boolean>;
  /** The due date first set for this task; due_at moves with approved extensions, this does not. */
  original_due_at: Timestamp | null;
  /** The A/B/C class of the reply the unit sent (at dispatch; a later override moves it). */
  final_class: string | null;
  /** While the unit's adjustment or extension request is pending: when the office must have decided. */
  decision_due_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface EventTable {
  id: Generated<string>;
  idempotency_key: string; // workflow id + update id (or step key for workflow-initiated steps)
  workflow_id: string;
  step: string;
  actor_user_id: number | null;
  actor_role: string | null;
  actor_unit_id: string | null;
  occurred_at: Timestamp;
  summary: JSONColumnType<Record<string, unknown>>;
}

export interface ReplyVersionTable {
  id: Generated<number>;
  workflow_id: string;
  unit_id: string;
  version: number;
  round: number;
  body_hash: string;
  reply_class: string;
  change_note: string | null;
  author_user_id: number | null;
  created_at: CreatedAt;
}

export interface DocumentTable {
  id: Generated<number>;
  workflow_id: string;
  kind: string; // reply_letter, co_opinion, feedback_form …
  title: string;
  mime: string;
  content_hash: string;
  reply_version: number | null;
  created_at: CreatedAt;
}

export interface NotificationTable {
  id: Generated<number>;
  idempotency_key: string;
  workflow_id: string | null;
  kind: string;
  to_addrs: string[];
  cc_addrs: string[];
  subject: string;
  body_text: string;
  /** The HTML part; null for mail queued before there was one. */
  body_html: string | null;
  attachments: ColumnType<MailAttachment[], string | undefined, string>;
  status: 'pending' | 'sent' | 'failed';
  message_id: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

/** A stored rendition sent with a mail, by reference: the outbox row stays small. */
export interface MailAttachment {
  documentId: number;
  format: 'docx' | 'html';
  filename: string;
}

export interface ConsultationTable {
  id: Generated<number>;
  idempotency_key: string;
  workflow_id: string;
  unit_id: string;
  round: number;
  contact_date: string;
  way: string;
  participants: string;
  summary_hash: string;
  created_at: CreatedAt;
}

export interface RatingTable {
  id: Generated<number>;
  idempotency_key: string;
  workflow_id: string;
  proposer_id: number;
  round: number;
  attitude: string;
  result: string;
  comment: string | null;
  entered_by_user_id: number | null;
  on_behalf: boolean;
  created_at: CreatedAt;
}

export interface CalendarDayTable {
  date: string; // YYYY-MM-DD
  year: number;
  kind: 'holiday' | 'makeup_workday';
  name: string | null;
  source: 'builtin' | 'admin';
}

export interface CalendarYearTable {
  year: number;
  source: 'builtin' | 'admin';
  updated_at: Timestamp;
}

export interface PolicyTable {
  version: Generated<number>;
  name: string;
  body: JSONColumnType<PolicyBody>;
  active: boolean;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface ProposalNumberSequenceTable {
  session_code: string;
  last_serial: number;
}

export interface ProposalNumberAllocationTable {
  idempotency_key: string;
  session_code: string;
  serial: number;
  proposal_no: string;
}

/** One searchable text of a proposal, segmented by jieba (activities/search/). */
export interface SearchTextTable {
  workflow_id: string;
  kind: 'proposal' | 'reply' | 'co_opinion' | 'public';
  unit_id: ColumnType<string, string | undefined, never>; // '' for the proposal's own text
  text_hash: string;
  tsv: ColumnType<string, never, never>; // written only through SQL (to_tsvector)
  created_at: CreatedAt;
}

export interface Database {
  sessions: SessionTable;
  units: UnitTable;
  users: UserTable;
  auth_sessions: AuthSessionTable;
  login_throttle: LoginThrottleTable;
  proposers: ProposerTable;
  text_blobs: TextBlobTable;
  proposals: ProposalTable;
  proposal_proposers: ProposalProposerTable;
  unit_tasks: UnitTaskTable;
  events: EventTable;
  reply_versions: ReplyVersionTable;
  documents: DocumentTable;
  notifications: NotificationTable;
  publications: PublicationTable;
  publication_entries: PublicationEntryTable;
  statistics_facts: StatisticsFactTable;
  statistics_dirty: StatisticsDirtyTable;
  statistics_unit_counts: StatisticsUnitCountTable;
  statistics_item_counts: StatisticsItemCountTable;
  joint_drafts: JointDraftTable;
  joint_signers: JointSignerTable;
  unit_doc_sequences: UnitDocSequenceTable;
  doc_numbers: DocNumberTable;
  consultations: ConsultationTable;
  ratings: RatingTable;
  calendar_days: CalendarDayTable;
  calendar_years: CalendarYearTable;
  policies: PolicyTable;
  proposal_number_sequences: ProposalNumberSequenceTable;
  proposal_number_allocations: ProposalNumberAllocationTable;
  letter_styles: LetterStyleTable;
  letter_overrides: LetterOverrideTable;
  document_renditions: DocumentRenditionTable;
  publication_profiles: PublicationProfileTable;
  publication_sequences: PublicationSequenceTable;
  search_texts: SearchTextTable;
}

export type ProposalRow = Selectable<ProposalTable>;
export type NewProposalRow = Insertable<ProposalTable>;
export type ProposalRowUpdate = Updateable<ProposalTable>;
export type UserRow = Selectable<UserTable>;
export type UnitRow = Selectable<UnitTable>;
export type EventRow = Selectable<EventTable>;
export type NotificationRow = Selectable<NotificationTable>;
