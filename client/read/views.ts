import type { EventRow, ProposalRow, UserRow } from '../../db/schema.js';
import type { UnitTaskRow } from '../../db/repositories/proposal-reads.js';
import { ACTION_TABLE, isActionName, STAGE_LABELS, SYSTEM_STEPS } from '../../workflows/proposal/machine.js';
import type { ProposerKind, Role, Stage } from '../../workflows/shared/types.js';
import { audienceOf, type Viewer } from './visibility.js';

// What people read, per role, in place of raw rows: camelCase, no internal ids or hashes (the
// workflow id is the proposal's public key), and for each audience only what it may see.
// Proposers never see drafts, sign-off rounds or a unit's own notes; a unit does not see
// another unit's internals. The live workflow state has its own views (process-view.ts).

export interface ProposalView {
  workflowId: string;
  sessionCode: string;
  receiptNo: string;
  proposalNo: string | null;
  title: string;
  topic: string | null;
  proposerKind: ProposerKind;
  receivedDate: string;
  stage: string;
  stageLabel: string;
  filingOutcome: string | null;
  filingReason: string | null;
  mergedInto: string | null;
  handlingMode: string | null;
  leadUnitId: string | null;
  unitIds: string[];
  keyProposal: boolean;
  supervisingLeader: string | null;
  /** Only once dispatched for a proposer: before that it is a draft's class. */
  replyClass: string | null;
  /** Staff and units only: the draft version in the works. */
  replyVersion?: number | null;
  replyDocNo: string | null;
  dispatchedAt: string | null;
  nextDueAt: string | null;
  nextDueKind: string | null;
  nextDueExplanation: string | null;
  nextDueConfirmed: boolean;
  rehandlingRound: number;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface UnitTaskView {
  unitId: string;
  role: 'sole' | 'lead' | 'co' | 'split';
  round: number;
  /** open: the unit still owes something; done: it answered; ended: removed or cancelled. */
  progress: 'open' | 'done' | 'ended';
  assignedAt: string;
  dueAt: string | null;
  completedAt: string | null;
  /** The detail below is for staff and the task's own unit. */
  status?: string;
  dueExplanation?: string | null;
  extensionCount?: number;
  extensionPendingTo?: string | null;
  calendarConfirmed?: boolean;
  /** The task's first due date (an approved extension moves only `dueAt`). */
  originalDueAt?: string | null;
  /** The A/B/C class of the reply the unit sent, once sent. */
  finalClass?: string | null;
  /** While the unit's adjustment or extension request waits: when the office must have decided. */
  decisionDueAt?: string | null;
}

export interface EventView {
  step: string;
  label: string;
  at: string;
  actorRole: string | null;
  unitId: string | null;
  /** Who took the step, by name; only for readers who see the step in full. */
  actorName?: string | null;
  /** Absent where the viewer may know that it happened but not what was said. */
  summary?: Record<string, unknown>;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/** Deadlines carry the unit they belong to after a colon (reply:<unit>, co_opinion:<unit>). */
function dueConcerns(kind: string | null, unitId: string | null): boolean {
  if (kind === null) return true;
  const owner = kind.includes(':') ? kind.slice(kind.indexOf(':') + 1) : null;
  return owner === null || owner === unitId;
}

export function proposalView(row: ProposalRow, viewer: Viewer): ProposalView {
  const audience = audienceOf(viewer);
  const dispatched = row.dispatched_at !== null;
  const showDue =
    audience === 'staff' || (audience === 'unit' && dueConcerns(row.next_due_kind, viewer.unitId)) || (audience === 'proposer' && row.next_due_kind === 'feedback');
  return {
    workflowId: row.workflow_id,
    sessionCode: row.session_code,
    receiptNo: row.receipt_no,
    proposalNo: row.proposal_no,
    title: row.title,
    topic: row.topic,
    proposerKind: row.proposer_kind,
    receivedDate: row.received_date,
    stage: row.stage,
    stageLabel: STAGE_LABELS[row.stage as Stage] ?? row.stage,
    filingOutcome: row.filing_outcome,
    filingReason: row.filing_reason,
    mergedInto: row.merged_into,
    handlingMode: row.handling_mode,
    leadUnitId: row.lead_unit_id,
    unitIds: row.unit_ids,
    keyProposal: row.key_proposal,
    supervisingLeader: row.supervising_leader,
    replyClass: audience === 'proposer' && !dispatched ? null : row.reply_class,
    ...(audience === 'proposer' ? {} : { replyVersion: row.reply_version }),
    replyDocNo: row.reply_doc_no,
    dispatchedAt: iso(row.dispatched_at),
    nextDueAt: showDue ? iso(row.next_due_at) : null,
    nextDueKind: showDue ? row.next_due_kind : null,
    nextDueExplanation: showDue ? row.next_due_explanation : null,
    nextDueConfirmed: showDue ? row.next_due_confirmed : false,
    rehandlingRound: row.rehandling_round,
    closedAt: iso(row.closed_at),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

const ENDED = new Set(['removed', 'cancelled']);

export function unitTaskView(row: UnitTaskRow, viewer: Viewer): UnitTaskView {
  const audience = audienceOf(viewer);
  const detail = audience === 'staff' || (audience === 'unit' && row.unit_id === viewer.unitId);
  const base: UnitTaskView = {
    unitId: row.unit_id,
    role: row.role,
    round: row.round,
    progress: ENDED.has(row.status) ? 'ended' : row.completed_at !== null ? 'done' : 'open',
    assignedAt: iso(row.assigned_at)!,
    dueAt: iso(row.due_at),
    completedAt: iso(row.completed_at),
  };
  if (!detail) return base;
  return {
    ...base,
    status: row.status,
    dueExplanation: row.due_explanation,
    extensionCount: row.extension_count,
    extensionPendingTo: row.extension_pending_to,
    calendarConfirmed: row.calendar_confirmed,
    originalDueAt: iso(row.original_due_at),
    finalClass: row.final_class,
    decisionDueAt: iso(row.decision_due_at),
  };
}

/** Steps a proposer may know happened (what was said inside a unit stays there). */
const PUBLIC_STEPS = new Set([
  'register',
  'file',
  'withdraw',
  'markKey',
  'assign',
  'reassign',
  'recordConsultation',
  'recordOfficeConsultation',
  'dispatch',
  'rate',
  'feedbackWindowClosed',
  'orderRehandling',
  'close',
  'approvePublication',
  'followUpRequested',
  'reportFollowUp',
]);

export function stepLabel(step: string): string {
  if (isActionName(step)) return ACTION_TABLE[step].label;
  return Object.hasOwn(SYSTEM_STEPS, step) ? SYSTEM_STEPS[step as keyof typeof SYSTEM_STEPS].label : step;
}

/** Hashes are references into the text store, not something a reader can use. */
function readableSummary(summary: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(summary).filter(([key]) => !key.endsWith('Hash')));
}

/** The audit trail as this viewer may read it: null means the event is not theirs to see. */
export function eventView(row: EventRow & { actor_name?: string | null }, viewer: Viewer): EventView | null {
  const audience = audienceOf(viewer);
  const ownUnit = audience === 'unit' && (row.actor_unit_id === null || row.actor_unit_id === viewer.unitId);
  const full = audience === 'staff' || ownUnit;
  if (!full && !PUBLIC_STEPS.has(row.step)) return null;
  return {
    step: row.step,
    label: stepLabel(row.step),
    at: iso(row.occurred_at)!,
    actorRole: row.actor_role,
    unitId: row.actor_unit_id,
    ...(full ? { summary: readableSummary(row.summary), actorName: row.actor_name ?? null } : {}),
  };
}

export function eventViews(rows: (EventRow & { actor_name?: string | null })[], viewer: Viewer): EventView[] {
  return rows.flatMap((row) => eventView(row, viewer) ?? []);
}

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  proposerId: number | null;
  dailyDigest: boolean;
}

export function userView(user: UserRow): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role: user.role,
    unitId: user.unit_id,
    proposerId: user.proposer_id,
    dailyDigest: user.daily_digest,
  };
}
