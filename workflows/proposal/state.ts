import { businessFailure, FailureType, invalidField } from '../shared/failures.js';
import type {
  Actor,
  AppliedExtension,
  Deadline,
  ConsultationWay,
  DueDate,
  HandlingMode,
  Policy,
  ProposerInput,
  ProposerKind,
  PublicationMode,
  Role,
  Satisfaction,
  Stage,
  UnitRole,
} from '../shared/types.js';
import { TERMINAL_STAGES } from '../shared/types.js';
import { actionRule, STAGE_LABELS, type ActionName } from './machine.js';
import type { SignOffProgress } from './signoff-chain.js';

// The proposal's carried state and the pure questions asked of it (who answers, who rates,
// what is due next). The table of actions and stages is machine.ts.

export interface UnitAssignment {
  unitId: string;
  role: UnitRole;
  assignedAt: string;
  adjustmentWindowEndsAt: string | null;
  adjustment: null | { status: 'requested' | 'refused'; reason: string; requestedAt: string; answer?: string };
  coOpinion: null | { status: 'due' | 'submitted' | 'no_opinion' | 'waived'; dueAt: string | null; hash?: string; waivedReason?: string };
}

export interface FollowUpCheckpoint {
  unitId: string;
  replyClass: string;
  promised: string | null;
  dueDate: string; // YYYY-MM-DD, the date the unit promised
  status: 'pending' | 'reported';
  reportHash?: string;
  reportedAt?: string;
}

export interface LetterReissue {
  /** 2 for the first letter issued again (the sent letter was 1). */
  issue: number;
  fromClass: string | null;
  toClass: string;
  reason: string;
  requestedAt: string;
  docNo: string | null;
}

export interface ReplyDraft {
  version: number;
  bodyHash: string;
  replyClass: string;
  authorUserId: number;
  at: string;
  changeNote: string | null;
}

export interface ReplyTrack {
  unitId: string;
  status: 'drafting' | 'signoff' | 'approved' | 'dispatched';
  consultations: number;
  faceToFace: number;
  noConsultationReason: string | null;
  drafts: ReplyDraft[];
  replyClass: string | null;
  classOverride: null | { replyClass: string; reason: string };
  /** Letters issued again after the class changed once the reply was sent; docNo is null until issued. */
  reissues?: LetterReissue[];
  promisedActions: string | null;
  followUpDate: string | null;
  signOffRounds: number;
  lastReturnReason: string | null;
  /** The reply commits money (承诺资金): the 主要负责人 signs. Absent before the question was asked. */
  commitsFunds?: boolean;
  /** Where the reply stands in its unit's sign-off chain while in 审签; absent in runs from before chains. */
  signOff?: SignOffProgress | null;
  dueAt: string | null;
  docNo: string | null;
  dispatchedAt: string | null;
}

export interface RatingRecord {
  proposerId: number;
  attitude: Satisfaction;
  result: Satisfaction;
  onBehalf: boolean;
}

export interface ProposalState {
  workflowId: string;
  sessionCode: string;
  receiptNo: string;
  title: string;
  bodyHash: string;
  proposerKind: ProposerKind;
  proposerIds: number[]; // position 0 is 第一提案人
  mergedProposerIds: number[]; // proposers of proposals merged into this one: answered and rate too
  /** The proposals merged into this one and their proposers (absent in runs from before it was kept). */
  mergedFrom?: { workflowId: string; proposerIds: number[] }[];
  stage: Stage;
  proposalNo: string | null;
  filing: null | { outcome: 'filed' | 'merged' | 'converted' | 'not_filed'; reasonCode?: string; reasonText?: string; mergedInto?: string };
  mode: HandlingMode | null;
  units: UnitAssignment[];
  removedUnits: string[];
  tracks: ReplyTrack[];
  keyProposal: boolean;
  supervisingLeader: string | null;
  /** Where the supervising leader (督办领导) is told of the proposal; absent in runs from before. */
  supervisingLeaderEmail?: string | null;
  round: number; // 0 = first handling; each re-handling adds one
  unsatisfiedRounds: number;
  officeChairedConsultation: boolean;
  /** Set once the office has chaired the face-to-face consultation this round requires. */
  officeConsultationHeld?: boolean;
  ratings: RatingRecord[];
  feedbackDueAt: string | null;
  publication: null | { mode: PublicationMode; reason: string | null; status: 'proposed' | 'approved'; summaryHash?: string | null };
  /** 公开: what the publish step made of the approved decision (absent in runs from before it existed). */
  published?: null | { status: 'published' | 'withheld' | 'refused'; indexNo: string | null; message?: string };
  followUp: null | { dueDate: string; status: 'pending' | 'requested' | 'reported'; reportHash?: string };
  /**
   * 回头看 per promise: each B/C reply's promised actions and date, one checkpoint per answering
   * unit, each with its own deadline (followUp:<unit>). Runs closed before this existed use `followUp`.
   */
  followUps?: Record<string, FollowUpCheckpoint>;
  policy: Policy;
  /** Every deadline this proposal has had, by key (reply:<unit>, coOpinion:<unit>, feedback). */
  deadlines: Record<string, Deadline>;
  /** Keys of reminders and escalations already sent: each goes out once. */
  firedClock: string[];
  /** Co-units' child workflows (会办任务), by unit. Absent in runs from before they existed. */
  coTasks?: Record<string, { workflowId: string; round: number }>;
  /** Answering units' child workflows (答复任务), by unit; they keep the reply deadline's clock. */
  replyTasks?: Record<string, { workflowId: string; round: number }>;
}

const OPEN_STAGES: readonly Stage[] = ['received', 'filed', 'handling', 'dispatched'];

export function isTerminal(stage: Stage): boolean {
  return TERMINAL_STAGES.includes(stage) && stage !== 'closed';
}

export function isOpen(stage: Stage): boolean {
  return OPEN_STAGES.includes(stage);
}

/** Role and stage gate shared by every action; unit checks follow in each action's own guard. */
export function assertActionAllowed(state: ProposalState, action: ActionName, actor: Actor): void {
  const rule = actionRule(action);
  if (!rule.roles.includes(actor.role)) {
    throw businessFailure(FailureType.FORBIDDEN_ROLE, `「${rule.label}」只能由${rule.roles.map(roleLabel).join('或')}办理，当前身份是${roleLabel(actor.role)}`);
  }
  if (!rule.from.includes(state.stage)) {
    throw businessFailure(
      FailureType.WRONG_STAGE,
      `提案当前处于「${STAGE_LABELS[state.stage]}」阶段，不能「${rule.label}」（允许的阶段：${rule.from.map((s) => STAGE_LABELS[s]).join('、')}）`,
    );
  }
}

export function roleLabel(role: Role): string {
  return {
    office: '交办单位（办公厅）',
    committee: '提案委员会',
    liaison: '承办单位联络员',
    leader: '承办单位分管领导',
    principal: '承办单位主要负责人',
    proposer: '提案者',
    admin: '系统管理员',
  }[role];
}

export function activeUnit(state: ProposalState, unitId: string | null): UnitAssignment | undefined {
  return unitId ? state.units.find((u) => u.unitId === unitId) : undefined;
}

/** The unit that answers the proposer: sole and lead units, and every unit in split handling. */
export function answeringUnits(state: ProposalState): UnitAssignment[] {
  return state.units.filter((u) => u.role !== 'co');
}

export function trackOf(state: ProposalState, unitId: string): ReplyTrack | undefined {
  return state.tracks.find((t) => t.unitId === unitId);
}

export function requireUnit(state: ProposalState, actor: Actor): UnitAssignment {
  const unit = activeUnit(state, actor.unitId);
  if (!unit) throw businessFailure(FailureType.NOT_YOUR_UNIT, '本提案未交由你所在单位办理，不能操作');
  return unit;
}

export function requireTrack(state: ProposalState, actor: Actor): ReplyTrack {
  const unit = requireUnit(state, actor);
  const track = trackOf(state, unit.unitId);
  if (!track) throw businessFailure(FailureType.NOT_YOUR_UNIT, '你所在单位是会办单位：请提交会办意见，答复由主办单位负责');
  return track;
}

export function newTrack(unitId: string, dueAt: string | null): ReplyTrack {
  return {
    unitId,
    status: 'drafting',
    consultations: 0,
    faceToFace: 0,
    noConsultationReason: null,
    drafts: [],
    replyClass: null,
    classOverride: null,
    promisedActions: null,
    followUpDate: null,
    signOffRounds: 0,
    lastReturnReason: null,
    dueAt,
    docNo: null,
    dispatchedAt: null,
  };
}

export function initialState(input: {
  workflowId: string;
  sessionCode: string;
  receiptNo: string;
  title: string;
  bodyHash: string;
  proposerKind: ProposerKind;
  policy: Policy;
}): ProposalState {
  return {
    ...input,
    proposerIds: [],
    mergedProposerIds: [],
    stage: 'received',
    proposalNo: null,
    filing: null,
    mode: null,
    units: [],
    removedUnits: [],
    tracks: [],
    keyProposal: false,
    supervisingLeader: null,
    round: 0,
    unsatisfiedRounds: 0,
    officeChairedConsultation: false,
    ratings: [],
    feedbackDueAt: null,
    publication: null,
    followUp: null,
    deadlines: {},
    firedClock: [],
  };
}

export function validateProposers(kind: ProposerKind, proposers: ProposerInput[]): void {
  if (proposers.length === 0) throw invalidField('proposers', '至少需要一名提案者');
  if (kind === 'individual' && proposers.length !== 1) throw invalidField('proposers', '个人提案只能有一名提案者；联名提案请选择“联名”');
  if (kind === 'joint' && proposers.length < 2) throw invalidField('proposers', '联名提案至少需要两名提案者（第一提案人和附议人）');
  const memberKinds = kind === 'individual' || kind === 'joint';
  for (const [i, p] of proposers.entries()) {
    if (memberKinds && p.kind !== 'member') throw invalidField(`proposers[${i}].kind`, '个人或联名提案的提案者必须是委员');
    if (!memberKinds && p.kind === 'member') throw invalidField(`proposers[${i}].kind`, '集体提案的提案者应是党派、团体、界别或专委会');
  }
}

/** The checkpoints (回头看) a unit has not reported yet. */
export function openFollowUps(state: ProposalState): FollowUpCheckpoint[] {
  return state.stage === 'closed' ? Object.values(state.followUps ?? {}).filter((c) => c.status !== 'reported') : [];
}

/** Everyone who receives the reply letter: the proposer(s), co-signers and merged proposals' proposers. */
export function replyRecipients(state: ProposalState): number[] {
  return [...new Set([...state.proposerIds, ...state.mergedProposerIds])];
}

/**
 * 并案: who is answered in the proposal's own letter, and which merged proposals get a letter of
 * their own (policy mergedReplies: own_letter by default; joint_letter answers everyone in one).
 */
export function letterAddressees(state: ProposalState): { own: number[]; merged: { workflowId: string; proposerIds: number[] }[] } {
  if (state.policy.body.mergedReplies === 'joint_letter') return { own: replyRecipients(state), merged: [] };
  const merged = state.mergedFrom ?? [];
  const separately = new Set(merged.flatMap((m) => m.proposerIds));
  return { own: replyRecipients(state).filter((p) => !separately.has(p) || state.proposerIds.includes(p)), merged };
}

/** Who may rate, per policy: the 第一提案人 alone or every co-signer (merged proposals rate separately). */
export function raters(state: ProposalState): number[] {
  const own = state.policy.body.ratingBy === 'first_proposer' ? state.proposerIds.slice(0, 1) : state.proposerIds;
  return [...new Set([...own, ...state.mergedProposerIds])];
}

export function coOpinionsOutstanding(state: ProposalState): UnitAssignment[] {
  return state.units.filter((u) => u.role === 'co' && u.coOpinion?.status === 'due');
}

export function signOffNeedsPrincipal(state: ProposalState): boolean {
  return state.keyProposal && state.policy.body.principalSignOffForKey;
}

export interface NextDue {
  at: string;
  kind: string;
}

/** The earliest open deadline, for the worklists and the BanliNextDue search attribute. */
export function nextDue(state: ProposalState): NextDue | null {
  const candidates: NextDue[] = [];
  if (state.stage === 'handling') {
    for (const u of state.units) {
      if (u.coOpinion?.status === 'due' && u.coOpinion.dueAt) candidates.push({ at: u.coOpinion.dueAt, kind: `co_opinion:${u.unitId}` });
    }
    for (const t of state.tracks) if (t.status !== 'dispatched' && t.dueAt) candidates.push({ at: t.dueAt, kind: `reply:${t.unitId}` });
  }
  if (state.stage === 'dispatched' && state.feedbackDueAt) candidates.push({ at: state.feedbackDueAt, kind: 'feedback' });
  const publication = state.deadlines?.publication;
  if ((state.stage === 'dispatched' || state.stage === 'closed') && publication && state.publication?.status !== 'approved') {
    candidates.push({ at: publication.dueAt, kind: 'publication' });
  }
  if (state.stage === 'closed' && state.followUp && state.followUp.status !== 'reported') {
    candidates.push({ at: `${state.followUp.dueDate}T15:59:59.999Z`, kind: 'follow_up' });
  }
  if (state.stage === 'closed') {
    for (const c of Object.values(state.followUps ?? {})) {
      if (c.status !== 'reported') candidates.push({ at: `${c.dueDate}T15:59:59.999Z`, kind: `follow_up:${c.unitId}` });
    }
  }
  candidates.sort((a, b) => a.at.localeCompare(b.at));
  return candidates[0] ?? null;
}

/** Due dates an action needs before it can be recorded; the workflow asks the calendar activity. */
export interface DueRequest {
  key: string;
  ruleKey: keyof Policy['body']['durations'];
  start: string; // ISO instant
  extensions?: AppliedExtension[];
}

export function dueByKey(dues: DueDate[], key: string): DueDate {
  const found = dues.find((d) => d.key === key);
  if (!found) throw new TypeError(`due date ${key} was not computed`);
  return found;
}

export const CONSULTATION_WAYS: Record<ConsultationWay, string> = {
  face_to_face: '面商',
  phone: '电话',
  letter: '信函',
  site_visit: '走访调研',
  forum: '座谈会',
};

export const SATISFACTION_LABELS: Record<Satisfaction, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
};

export function assertNotTerminal(state: ProposalState): void {
  if (!isOpen(state.stage) && state.stage !== 'closed') {
    throw businessFailure(FailureType.WRONG_STAGE, `提案已「${STAGE_LABELS[state.stage]}」，不再办理`);
  }
}
