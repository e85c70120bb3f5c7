import type { ProposalState } from './state.js';
import type { Deadline } from '../shared/types.js';

// The office's own deadlines: a unit's adjustment or extension request waits for the office's
// decision, which DOMAIN.md expects within about 7 days. Each request gets a deadline record of
// its own, keyed by kind and unit; the record's start is the request's instant, so a second
// request after a refusal is a new deadline with its own reminders.

export type OfficeDecisionKind = 'adjustment' | 'extension';

export const DECISION_PREFIX = 'decision:';

export const DECISION_WHAT: Record<OfficeDecisionKind, string> = { adjustment: '调整申请的审批', extension: '延期申请的审批' };

export function decisionKey(kind: OfficeDecisionKind, unitId: string): string {
  return `${DECISION_PREFIX}${kind}:${unitId}`;
}

export function isDecisionKey(key: string): boolean {
  return key.startsWith(DECISION_PREFIX);
}

export function decisionKindOf(key: string): OfficeDecisionKind | null {
  if (!isDecisionKey(key)) return null;
  const kind = key.slice(DECISION_PREFIX.length).split(':')[0];
  return kind === 'adjustment' || kind === 'extension' ? kind : null;
}

/** The office's decision deadlines still waiting: the request is pending and the record is this request's. */
export function openDecisionDeadlines(state: ProposalState): { deadline: Deadline; unitId: string }[] {
  if (state.stage !== 'handling') return [];
  const open: { deadline: Deadline; unitId: string }[] = [];
  for (const unit of state.units) {
    const request = unit.adjustment?.status === 'requested' ? unit.adjustment : null;
    const deadline = state.deadlines[decisionKey('adjustment', unit.unitId)];
    if (request && deadline && deadline.start === request.requestedAt) open.push({ deadline, unitId: unit.unitId });
  }
  for (const track of state.tracks) {
    const request = track.status === 'dispatched' ? null : state.deadlines[`reply:${track.unitId}`]?.pendingExtension;
    const deadline = state.deadlines[decisionKey('extension', track.unitId)];
    if (request && deadline && deadline.start === request.requestedAt) open.push({ deadline, unitId: track.unitId });
  }
  return open;
}

/** When the office must have answered this unit's pending request, if a deadline was set for it. */
export function pendingDecisionDue(state: ProposalState, unitId: string): Deadline | null {
  return openDecisionDeadlines(state).find((d) => d.unitId === unitId)?.deadline ?? null;
}
