// Plain JSON types shared by workflows, activities and the client. No classes, no Dates.

export type Role = 'office' | 'committee' | 'liaison' | 'leader' | 'principal' | 'proposer' | 'admin';

/** Who acts: always taken from the authenticated caller, never from the request body. */
export interface Actor {
  userId: number;
  role: Role;
  unitId: string | null;
  proposerId: number | null;
  name: string;
  /** Set when the office enters a paper feedback form for a member (代录). */
  onBehalfOfProposerId?: number | null;
}

export type ProposerKind = 'individual' | 'joint' | 'party' | 'organisation' | 'sector_group' | 'special_committee';
export type ProposerEntityKind = 'member' | 'party' | 'organisation' | 'sector_group' | 'special_committee';

export interface ProposerInput {
  kind: ProposerEntityKind;
  name: string;
  email?: string | null;
  phone?: string | null;
  sector?: string | null;
}

export type Stage =
  | 'received' // 已登记
  | 'filed' // 已立案，待交办
  | 'handling' // 办理中
  | 'dispatched' // 已答复，待评价
  | 'closed' // 已办结
  | 'merged' // 已并案
  | 'converted' // 转为意见建议
  | 'not_filed' // 不予立案
  | 'withdrawn'; // 已撤案

export const TERMINAL_STAGES: readonly Stage[] = ['closed', 'merged', 'converted', 'not_filed', 'withdrawn'];

export type HandlingMode = 'sole' | 'lead' | 'split';
export type UnitRole = 'sole' | 'lead' | 'co' | 'split';
export type Satisfaction = 'satisfied' | 'basically_satisfied' | 'unsatisfied';
export type ConsultationWay = 'face_to_face' | 'phone' | 'letter' | 'site_visit' | 'forum';
export type PublicationMode = 'full' | 'summary' | 'none';

export interface DurationRule {
  key: string;
  label: string;
  amount: number;
  /** `seconds` exists so a deployment (or a test) can shorten every clock through policy alone. */
  unit: 'working_days' | 'calendar_days' | 'calendar_months' | 'seconds';
  rollToWorkingDay?: boolean;
}

export interface PolicyBody {
  name: string;
  proposalNumberFormat: string; // e.g. "第{n}号" or "第{year}{n4}号"
  replyClasses: string[]; // ["A","B","C"]
  classesNeedingFollowUp: string[]; // ["B","C"]
  ratingBy: 'first_proposer' | 'all_proposers';
  noFeedbackCountsAs: 'satisfied' | 'excluded';
  principalSignOffForKey: boolean;
  durations: {
    adjustmentWindow: DurationRule;
    coOpinion: DurationRule;
    reply: DurationRule;
    extensionCeiling: DurationRule;
    feedbackWindow: DurationRule;
    publication: DurationRule;
    rehandling: DurationRule;
    /** How long the office has to decide a unit's adjustment or extension request (absent in older policies: 7 days). */
    officeDecision?: DurationRule;
    /** How long a joint proposal's co-signers have to accept or decline the invitation (absent in older policies: 5 working days). */
    jointConsent?: DurationRule;
  };
  notFiledReasons: { code: string; label: string }[];
  clock: ClockPolicy;
  /**
   * A sent reply whose class the office changes is issued again: under the same number with a
   * correction note (default), or with a number suffix (…号B-2).
   */
  letterReissue?: 'correction_note' | 'number_suffix';
  /**
   * 并案: each merged proposal's proposers get a letter of their own, addressed to them about their
   * own proposal (own_letter, the default), or everyone is answered in the one letter (joint_letter).
   */
  mergedReplies?: 'own_letter' | 'joint_letter';
  /** Continue as new once a run's history reaches this many events (besides Temporal's own suggestion). */
  continueAsNewAfterEvents?: number;
}

/** Who signs at one step of a unit's sign-off chain: 处室审核 (the unit's office, its liaisons), 分管领导, 主要负责人. */
export type SignOffRole = 'liaison' | 'leader' | 'principal';

/**
 * A unit's sign-off chain (审签流程) as data: the steps for ordinary replies, for key proposals and
 * for replies that commit money, and how long a step may wait before its signer is reminded.
 * A unit without one signs as the policy says (分管领导; 主要负责人 for key proposals).
 */
export interface SignOffChain {
  ordinary: SignOffRole[];
  key?: SignOffRole[];
  funds?: SignOffRole[];
  remindAfter?: ClockOffset | null;
}

export interface ClockOffset {
  amount: number;
  unit: 'calendar_days' | 'seconds';
}

export type LadderRung = 'liaison' | 'leader' | 'principal' | 'office_committee';

/** Reminders before each deadline and the escalation ladder after it (督办). */
export interface ClockPolicy {
  reminderOffsets: ClockOffset[];
  escalation: { after: ClockOffset; notify: LadderRung }[];
  keyEscalation: { after: ClockOffset; notify: LadderRung }[];
}

export interface Policy {
  version: number;
  body: PolicyBody;
}

export interface DueDate {
  key: string;
  ruleKey: string;
  start: string; // ISO instant the clock started
  dueAt: string; // ISO instant: end of the due day in Asia/Shanghai
  dueDate: string; // YYYY-MM-DD
  explanation: string;
  calendarConfirmed: boolean;
}

export interface AppliedExtension {
  from: string;
  to: string; // YYYY-MM-DD
  reason: string;
  approvedAt: string;
}

/** One open or past deadline, with what it takes to recompute and explain it. */
export interface Deadline {
  key: string; // reply:<unit> | coOpinion:<unit> | feedback
  ruleKey: string;
  start: string;
  dueAt: string;
  dueDate: string;
  explanation: string;
  calendarConfirmed: boolean;
  extensions: AppliedExtension[];
  /** The latest date an extension may reach (6 months from assignment by default). */
  ceilingDate: string | null;
  pendingExtension: null | { to: string; reason: string; requestedAt: string; unitId: string };
}
