import { sql, type RawBuilder } from 'kysely';
import type { ProposalScope } from '../../../db/repositories/proposal-reads.js';

// Who finds what in the archive. It follows the one visibility rule (client/read/visibility.ts)
// for the proposals, and adds which of a visible proposal's texts a reader may search in:
//
//   staff      every text
//   unit       the proposal's own text, and the replies and co-opinions of their own unit
//   proposer   the proposal's own text and its published reply
//   public     published replies only (the public version, as on the disclosure site)

export type SearchScope = ProposalScope | { kind: 'public' };

/** The condition on proposals `p` (a row the reader may see at all). */
export function proposalCondition(scope: SearchScope): RawBuilder<boolean> {
  switch (scope.kind) {
    case 'all':
      return sql<boolean>`true`;
    case 'unit':
      return sql<boolean>`exists (select 1 from unit_tasks t where t.workflow_id = p.workflow_id and t.unit_id = ${scope.unitId})`;
    case 'proposer':
      return sql<boolean>`exists (select 1 from proposal_proposers pp where pp.workflow_id = p.workflow_id and pp.proposer_id = ${scope.proposerId})`;
    case 'public':
      return sql<boolean>`exists (select 1 from publications pub where pub.workflow_id = p.workflow_id and pub.published_at is not null
                                   and pub.index_no is not null and pub.mode in ('full', 'summary'))`;
    case 'none':
      return sql<boolean>`false`;
  }
}

/** The condition on index rows `s` (a text the reader may search in). */
export function textCondition(scope: SearchScope): RawBuilder<boolean> {
  switch (scope.kind) {
    case 'all':
      return sql<boolean>`true`;
    case 'unit':
      return sql<boolean>`(s.kind = 'proposal' or s.unit_id = ${scope.unitId})`;
    case 'proposer':
      return sql<boolean>`s.kind in ('proposal', 'public')`;
    case 'public':
      return sql<boolean>`s.kind = 'public'`;
    case 'none':
      return sql<boolean>`false`;
  }
}
