import type { ProposalState } from './proposal-state.js';
import { nextDue } from './proposal-state.js';

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
}

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
    replyDocNo: state.tracks.map((t) => t.docNo).filter(Boolean).join('；') || null,
    dispatchedAt: main?.dispatchedAt ?? null,
    nextDueAt: due?.at ?? null,
    nextDueKind: due?.kind ?? null,
    policyVersion: state.policy.version,
    rehandlingRound: state.round,
    closedAt: state.stage === 'closed' ? now : null,
  };
}

export function unitTasksOf(state: ProposalState): UnitTaskProjection[] {
  return state.units.map((u) => {
    const track = state.tracks.find((t) => t.unitId === u.unitId);
    const status =
      state.stage === 'withdrawn'
        ? 'cancelled'
        : u.role === 'co'
          ? u.coOpinion?.status ?? 'due'
          : track?.status ?? 'drafting';
    const done = status === 'dispatched' || status === 'submitted' || status === 'no_opinion' || status === 'waived';
    return {
      unitId: u.unitId,
      role: u.role,
      status: u.adjustment?.status === 'requested' && status !== 'cancelled' ? 'adjustment_requested' : status,
      round: state.round,
      assignedAt: u.assignedAt,
      dueAt: u.role === 'co' ? u.coOpinion?.dueAt ?? null : track?.dueAt ?? null,
      done,
      opinionHash: u.coOpinion?.hash ?? null,
    };
  });
}
