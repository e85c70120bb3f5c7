import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

// 逾期清单 / 临期清单: open unit tasks of the current handling round, late or due within a window.

const OPEN_TASK_STATUSES = ['drafting', 'signoff', 'approved', 'due', 'adjustment_requested'];

export interface WorklistQuery {
  kind: 'overdue' | 'due-soon';
  now: Date;
  /** The window of due-soon, in days from now. */
  days: number;
  unitId?: string | undefined;
  sessionCode?: string | undefined;
  limit: number;
}

export type WorklistRow = Awaited<ReturnType<typeof listWorklist>>[number];

export async function listWorklist(db: Kysely<Database>, q: WorklistQuery) {
  let query = db
    .selectFrom('unit_tasks as t')
    .innerJoin('proposals as p', (j) => j.onRef('p.workflow_id', '=', 't.workflow_id').onRef('p.rehandling_round', '=', 't.round'))
    .select([
      't.workflow_id',
      't.unit_id',
      't.role',
      't.status',
      't.due_at',
      't.due_explanation',
      't.extension_count',
      't.calendar_confirmed',
      'p.session_code',
      'p.proposal_no',
      'p.title',
      'p.key_proposal',
    ])
    .where('t.status', 'in', OPEN_TASK_STATUSES)
    .where('p.stage', '=', 'handling')
    .where('t.due_at', 'is not', null);
  query =
    q.kind === 'overdue'
      ? query.where('t.due_at', '<', q.now)
      : query.where('t.due_at', '>=', q.now).where('t.due_at', '<', new Date(q.now.getTime() + q.days * 86_400_000));
  if (q.unitId !== undefined) query = query.where('t.unit_id', '=', q.unitId);
  if (q.sessionCode !== undefined) query = query.where('p.session_code', '=', q.sessionCode);
  return query.orderBy('p.key_proposal', 'desc').orderBy('t.due_at', 'asc').limit(q.limit).execute();
}
