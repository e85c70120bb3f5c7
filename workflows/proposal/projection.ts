import type { ProposalState } from './state.js';
import { nextDue } from './state.js';
import { pendingDecisionDue } from './office-decisions.js';
import type { ProposalProjection, UnitTaskProjection } from '../shared/step-record.js';

// The read-model rows a step writes, derived from workflow state so the two never drift.

export function projectionOf(state: ProposalState, now: string): ProposalProjection {
  const main = state.tracks[0] ?? null;
  const due = nextDue(state);
  return {
    stage: state.stage,
    proposalNo: state.proposalNo,
    filingOutcome: state.filing?.outcome ?? null,
    filingReason: state.filing?.reasonCode ?? state.filing?.reasonText ?? null,
    mergedInto: state.filing?.mergedInto ?? null,
    handlingMode: state.mode,
    leadUnitId: state.units.find((u) => u.role === 'lead' || u.role === 'sole')?.unitId ?? state.units[0]?.unitId ?? null,
    unitIds: state.units.map((u) => u.unitId),
    keyProposal: state.keyProposal,
    supervisingLeader: state.supervisingLeader,
    replyClass: main?.replyClass ?? null,
    replyVersion: main && main.drafts.length > 0 ? main.drafts.length : null,
    replyDocNo:
      state.tracks
        .map((t) => t.docNo)
        .filter(Boolean)
        .join('；') || null,
    dispatchedAt: main?.dispatchedAt ?? null,
    nextDueAt: due?.at ?? null,
    nextDueKind: due?.kind ?? null,
    nextDueExplanation: due ? (dueRecord(state, due.kind)?.explanation ?? null) : null,
    nextDueConfirmed: due ? (dueRecord(state, due.kind)?.calendarConfirmed ?? true) : true,
    policyVersion: state.policy.version,
    rehandlingRound: state.round,
    closedAt: state.stage === 'closed' ? now : null,
  };
}

/** nextDue's kind ("reply:<unit>", "co_opinion:<unit>", "feedback") → its deadline record. */
function dueRecord(state: ProposalState, kind: string) {
  const [what, unit] = kind.split(':');
  if (what === 'reply') return state.deadlines[`reply:${unit}`];
  if (what === 'co_opinion') return state.deadlines[`coOpinion:${unit}`];
  if (what === 'feedback') return state.deadlines.feedback;
  if (what === 'publication') return state.deadlines.publication;
  if (what === 'follow_up' && unit) return state.deadlines[`followUp:${unit}`];
  return undefined;
}

export function unitTasksOf(state: ProposalState): UnitTaskProjection[] {
  return state.units.map((u) => {
    const track = state.tracks.find((t) => t.unitId === u.unitId);
    const status = state.stage === 'withdrawn' ? 'cancelled' : u.role === 'co' ? (u.coOpinion?.status ?? 'due') : (track?.status ?? 'drafting');
    const deadline = state.deadlines[u.role === 'co' ? `coOpinion:${u.unitId}` : `reply:${u.unitId}`];
    const done = status === 'dispatched' || status === 'submitted' || status === 'no_opinion' || status === 'waived';
    return {
      unitId: u.unitId,
      role: u.role,
      status: u.adjustment?.status === 'requested' && status !== 'cancelled' ? 'adjustment_requested' : status,
      round: state.round,
      assignedAt: u.assignedAt,
      dueAt: u.role === 'co' ? (u.coOpinion?.dueAt ?? null) : (track?.dueAt ?? null),
      done,
      opinionHash: u.coOpinion?.hash ?? null,
      dueExplanation: u.role === 'co' && !u.coOpinion?.dueAt ? null : (deadline?.explanation ?? null),
      extensionCount: deadline?.extensions.length ?? 0,
      extensionPendingTo: done ? null : (deadline?.pendingExtension?.to ?? null),
      calendarConfirmed: deadline?.calendarConfirmed ?? true,
      decisionDueAt: status === 'cancelled' ? null : (pendingDecisionDue(state, u.unitId)?.dueAt ?? null),
    };
  });
}
