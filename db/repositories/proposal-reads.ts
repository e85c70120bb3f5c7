import { sql, type ExpressionBuilder, type Kysely, type SqlBool, type Expression } from 'kysely';
import type { Database, ProposalRow } from '../schema.js';

// What people read about proposals, always through a scope: the HTTP layer decides who sees
// what (client/read/visibility.ts) and hands the decision here as data.

export type ProposalScope =
  | { kind: 'all' }
  | { kind: 'unit'; unitId: string } // a unit sees proposals it has (or had) a task in
  | { kind: 'proposer'; proposerId: number } // a proposer sees the proposals they signed
  | { kind: 'none' };

function inScope(scope: ProposalScope) {
  return (eb: ExpressionBuilder<Database, 'proposals'>): Expression<SqlBool> => {
    switch (scope.kind) {
      case 'all':
        return sql<SqlBool>`true`;
      case 'unit':
        return eb.exists(
          eb
            .selectFrom('unit_tasks')
            .select('unit_tasks.id')
            .whereRef('unit_tasks.workflow_id', '=', 'proposals.workflow_id')
            .where('unit_tasks.unit_id', '=', scope.unitId),
        );
      case 'proposer':
        return eb.exists(
          eb
            .selectFrom('proposal_proposers')
            .select('proposal_proposers.proposer_id')
            .whereRef('proposal_proposers.workflow_id', '=', 'proposals.workflow_id')
            .where('proposal_proposers.proposer_id', '=', scope.proposerId),
        );
      case 'none':
        return sql<SqlBool>`false`;
    }
  };
}

export interface ProposalFilters {
  sessionCode?: string | undefined;
  stage?: string | undefined;
  limit: number;
  offset: number;
  /** Keyset: the rows after this one in the list's order (newest first, then by id); createdAt exact, as PostgreSQL wrote it. */
  after?: { createdAt: string; workflowId: string } | undefined;
}

/** A listed row with its position in the list's order, exact to the microsecond, for the next page's keyset. */
export type ListedProposalRow = ProposalRow & { list_key: string };

export async function listProposalRows(db: Kysely<Database>, scope: ProposalScope, filters: ProposalFilters): Promise<ListedProposalRow[]> {
  let query = db
    .selectFrom('proposals')
    .selectAll()
    .select(sql<string>`created_at::text`.as('list_key'))
    .where(inScope(scope));
  if (filters.sessionCode !== undefined) query = query.where('session_code', '=', filters.sessionCode);
  if (filters.stage !== undefined) query = query.where('stage', '=', filters.stage);
  const after = filters.after;
  if (after) query = query.where(sql<SqlBool>`(created_at, workflow_id) < (${after.createdAt}::timestamptz, ${after.workflowId})`);
  return query.orderBy('created_at', 'desc').orderBy('workflow_id', 'desc').limit(filters.limit).offset(filters.offset).execute();
}

/** The proposal if it exists and the scope includes it; "not there" and "not yours" look the same. */
export async function findProposalRow(db: Kysely<Database>, scope: ProposalScope, workflowId: string): Promise<ProposalRow | null> {
  const row = await db.selectFrom('proposals').selectAll().where('workflow_id', '=', workflowId).where(inScope(scope)).executeTakeFirst();
  return row ?? null;
}

export type UnitTaskRow = Awaited<ReturnType<typeof listTaskRows>>[number];

export async function listTaskRows(db: Kysely<Database>, workflowId: string) {
  return db.selectFrom('unit_tasks').selectAll().where('workflow_id', '=', workflowId).orderBy('round').orderBy('id').execute();
}
