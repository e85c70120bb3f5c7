import type { ProposalState } from './state.js';

/** A co-unit's answer, reported by its 会办任务. */
export interface CoReport {
  unitId: string;
  round: number;
  kind: 'opinion' | 'no_opinion';
  bodyHash: string | null;
}

/**
 * A fact a signal told the proposal, with the number of lock acquisitions at its arrival. The
 * holder of the lock at that moment (if any) may be working from a snapshot taken before it.
 */
export interface SignalledFact {
  acquisitionsAtArrival: number;
  fact: SignalFact;
}

export type SignalFact = { kind: 'coReport'; report: CoReport } | { kind: 'merged'; proposerIds: number[]; workflowId?: string };

function withReport(state: ProposalState, report: CoReport): ProposalState {
  if (report.round !== state.round) return state;
  const due = (u: ProposalState['units'][number]) => u.unitId === report.unitId && u.coOpinion?.status === 'due';
  if (!state.units.some(due)) return state;
  return {
    ...state,
    units: state.units.map((u) =>
      due(u)
        ? {
            ...u,
            coOpinion: {
              ...u.coOpinion!,
              status: report.kind === 'opinion' ? ('submitted' as const) : ('no_opinion' as const),
              ...(report.bodyHash ? { hash: report.bodyHash } : {}),
            },
          }
        : u,
    ),
  };
}

function withMerged(state: ProposalState, proposerIds: number[], workflowId: string | undefined): ProposalState {
  const merged = [...new Set([...state.mergedProposerIds, ...proposerIds])];
  const next = merged.length === state.mergedProposerIds.length ? state : { ...state, mergedProposerIds: merged };
  // Which proposal each merged proposer came from: each is answered in a letter of its own.
  if (!workflowId || (state.mergedFrom ?? []).some((m) => m.workflowId === workflowId)) return next;
  return { ...next, mergedFrom: [...(state.mergedFrom ?? []), { workflowId, proposerIds }] };
}

/** The state with one signalled fact applied; a report for a past round or a unit no longer due changes nothing. */
export function applySignalled(state: ProposalState, fact: SignalFact): ProposalState {
  return fact.kind === 'coReport' ? withReport(state, fact.report) : withMerged(state, fact.proposerIds, fact.workflowId);
}

/**
 * A step reads the state, awaits its activities, then sets the state it computed; a signal that
 * landed in between would be undone (a co-unit's opinion shown as still due). So every state set
 * gets the facts laid over it again. Every step runs under the proposal's lock: once the lock has
 * been taken again after a fact arrived (or is free), no snapshot older than the fact is left, and
 * the fact is in the state for good.
 */
export function stillAtRisk(facts: readonly SignalledFact[], lock: { held: boolean; acquisitions: number }): SignalledFact[] {
  if (!lock.held) return [];
  return facts.filter((f) => f.acquisitionsAtArrival >= lock.acquisitions);
}
