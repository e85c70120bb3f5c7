// 智能分办: which units to assign a new proposal to, from how its most similar earlier
// proposals were assigned and from the units' remits (职责) as data. Each earlier proposal votes
// with its similarity: the full score for the unit that led (or answered alone, or one of a
// split), half for each co-handling unit; a unit whose remit holds the proposal's words votes for
// itself with how well they match. The office sees every vote as a reason and decides; nothing
// here assigns anything.

export interface Precedent {
  workflowId: string;
  title: string;
  sessionCode: string;
  proposalNo: string | null;
  handlingMode: string | null;
  leadUnitId: string | null;
  unitIds: string[];
  /** Similarity to the new proposal (any positive scale; only the order and ratios matter). */
  score: number;
}

export interface Reason {
  workflowId: string;
  title: string;
  sessionCode: string;
  proposalNo: string | null;
  role: 'lead' | 'co';
  score: number;
}

/** A unit whose remit holds the proposal's words: how well (0–1, as ts_rank) and which words. */
export interface RemitMatch {
  unitId: string;
  score: number;
  words: string[];
}

export interface UnitSuggestion {
  unitId: string;
  /** The unit's share of all the votes, 0–1. */
  weight: number;
  reasons: Reason[];
  /** Its remit's match, when it has one. */
  remit: RemitMatch | null;
}

export interface Suggestion {
  lead: UnitSuggestion[];
  co: UnitSuggestion[];
}

const CO_WEIGHT = 0.5;
/** A remit's match beside one earlier proposal's similarity (both 0–1 ranks). */
export const REMIT_WEIGHT = 1;

type Part = { unitId: string; role: 'lead' | 'co' };

function rolesOf(p: Precedent): Part[] {
  if (p.handlingMode === 'split') return p.unitIds.map((unitId) => ({ unitId, role: 'lead' }));
  const lead = p.leadUnitId ?? p.unitIds[0];
  if (!lead) return [];
  const co = p.unitIds.filter((u) => u !== lead).map((unitId): Part => ({ unitId, role: 'co' }));
  return [{ unitId: lead, role: 'lead' }, ...co];
}

function tally(precedents: Precedent[], want: 'lead' | 'co'): Map<string, Reason[]> {
  const byUnit = new Map<string, Reason[]>();
  for (const p of precedents) {
    for (const { unitId, role } of rolesOf(p)) {
      // A co-unit suggestion counts both ways a unit took part; a lead suggestion only leading.
      if (want === 'lead' && role !== 'lead') continue;
      const reasons = byUnit.get(unitId) ?? [];
      reasons.push({ workflowId: p.workflowId, title: p.title, sessionCode: p.sessionCode, proposalNo: p.proposalNo, role, score: p.score });
      byUnit.set(unitId, reasons);
    }
  }
  return byUnit;
}

function ranked(byUnit: Map<string, Reason[]>, vote: (r: Reason) => number, remits: Map<string, RemitMatch>, remitWeight: number, top: number): UnitSuggestion[] {
  const units = new Set([...byUnit.keys(), ...remits.keys()]);
  const scored = [...units].map((unitId) => {
    const reasons = byUnit.get(unitId) ?? [];
    const remit = remits.get(unitId) ?? null;
    return { unitId, reasons, remit, total: reasons.reduce((sum, r) => sum + vote(r), 0) + (remit ? remit.score * remitWeight : 0) };
  });
  const all = scored.reduce((sum, s) => sum + s.total, 0);
  return scored
    .filter((s) => s.total > 0)
    .sort((a, b) => b.total - a.total || b.reasons.length - a.reasons.length || a.unitId.localeCompare(b.unitId))
    .slice(0, top)
    .map((s) => ({ unitId: s.unitId, weight: all > 0 ? s.total / all : 0, reasons: s.reasons.sort((a, b) => b.score - a.score), remit: s.remit }));
}

/** Up to `top` lead units and `top` co-units (not the first lead), each with its reasons. */
export function suggestUnits(precedents: Precedent[], top = 3, remitMatches: RemitMatch[] = [], remitWeight = REMIT_WEIGHT): Suggestion {
  const remits = new Map(remitMatches.filter((m) => m.score > 0).map((m) => [m.unitId, m]));
  const lead = ranked(tally(precedents, 'lead'), (r) => r.score, remits, remitWeight, top);
  const first = lead[0]?.unitId;
  const coVotes = tally(precedents, 'co');
  const coRemits = new Map(remits);
  if (first) {
    coVotes.delete(first);
    coRemits.delete(first);
  }
  const co = ranked(coVotes, (r) => (r.role === 'lead' ? r.score : r.score * CO_WEIGHT), coRemits, remitWeight * CO_WEIGHT, top);
  return { lead, co };
}
