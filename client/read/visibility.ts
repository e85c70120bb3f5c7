import type { Kysely } from 'kysely';
import { findProposalRow, listProposalRows, type ListedProposalRow, type ProposalFilters, type ProposalScope } from '../../db/repositories/proposal-reads.js';
import type { Database, ProposalRow } from '../../db/schema.js';
import type { Actor, Role } from '../../workflows/shared/types.js';

// THE rule for who may see a proposal. Every route that touches one asks here, so a page, the
// API and an action agree, and a proposal someone may not see looks exactly like one that does
// not exist (404), whatever the route.
//
//   staff (office, committee, admin)   every proposal
//   unit (liaison, leader, principal)  proposals their unit has, or had, a task in
//   proposer                           proposals they signed (proposal_proposers)

export type Viewer = Pick<Actor, 'role' | 'unitId' | 'proposerId'>;
export type Audience = 'staff' | 'unit' | 'proposer';

const AUDIENCE: Record<Role, Audience> = {
  office: 'staff',
  committee: 'staff',
  admin: 'staff',
  liaison: 'unit',
  leader: 'unit',
  principal: 'unit',
  proposer: 'proposer',
};

export function audienceOf(viewer: Pick<Viewer, 'role'>): Audience {
  return AUDIENCE[viewer.role];
}

export function isStaff(viewer: Pick<Viewer, 'role'>): boolean {
  return audienceOf(viewer) === 'staff';
}

/** A unit user without a unit, or a proposer login without a proposer, sees nothing. */
export function scopeOf(viewer: Viewer): ProposalScope {
  switch (audienceOf(viewer)) {
    case 'staff':
      return { kind: 'all' };
    case 'unit':
      return viewer.unitId ? { kind: 'unit', unitId: viewer.unitId } : { kind: 'none' };
    case 'proposer':
      return viewer.proposerId !== null ? { kind: 'proposer', proposerId: viewer.proposerId } : { kind: 'none' };
  }
}

export function findVisibleProposal(db: Kysely<Database>, viewer: Viewer, workflowId: string): Promise<ProposalRow | null> {
  return findProposalRow(db, scopeOf(viewer), workflowId);
}

export function listVisibleProposals(db: Kysely<Database>, viewer: Viewer, filters: ProposalFilters): Promise<ListedProposalRow[]> {
  return listProposalRows(db, scopeOf(viewer), filters);
}

export const NOT_VISIBLE_MESSAGE = '没有找到该提案，或你无权查看';
