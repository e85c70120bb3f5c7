import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isStaff, type Viewer } from './visibility.js';

// The handling office's queues, read from the read model: what waits for the office's decision
// (a unit's request to be taken off a proposal, a unit's request for more time, a unit's
// proposal on how to publish its reply), and the replies that were signed and are on their way
// out (dispatch is automatic once the leader approves: numbering, letter, mail). Each row says
// which proposal and unit, since when, and what was asked, in the requester's own words (from
// the event log). Only staff have queues; anyone else gets empty lists.

export interface QueueRow {
  workflowId: string;
  title: string;
  /** 第224号 once filed, else the receipt number. */
  number: string;
  unitId: string;
  unitName: string;
  /** When the request was made (or the reply signed), ISO. */
  since: string | null;
  /** The requester's reason, as written. */
  reason: string | null;
  /** For a request: when the office must have decided (交办单位审批期限), ISO; null for older requests. */
  decideBy: string | null;
}

export interface ExtensionRow extends QueueRow {
  from: string | null;
  to: string;
}

export interface PublicationRow extends QueueRow {
  mode: 'full' | 'summary' | 'none';
}

export interface OfficeQueues {
  adjustments: QueueRow[];
  extensions: ExtensionRow[];
  dispatching: QueueRow[];
  publications: PublicationRow[];
}

/** A queue is worked oldest first; a page never needs more than this many rows of one. */
export const QUEUE_LIMIT = 500;

const EMPTY: OfficeQueues = { adjustments: [], extensions: [], dispatching: [], publications: [] };

interface LatestEvent {
  at: string;
  summary: Record<string, unknown>;
}

/** The latest event of `step` per (proposal, unit), for the rows in a queue. */
async function latestEvents(db: Kysely<Database>, step: string, workflowIds: string[]): Promise<Map<string, LatestEvent>> {
  if (workflowIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('events')
    .select(['workflow_id', 'actor_unit_id', 'occurred_at', 'summary'])
    .where('step', '=', step)
    .where('workflow_id', 'in', workflowIds)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
  const out = new Map<string, LatestEvent>();
  for (const r of rows) out.set(`${r.workflow_id}|${r.actor_unit_id ?? ''}`, { at: new Date(r.occurred_at).toISOString(), summary: r.summary });
  return out;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

export async function readOfficeQueues(db: Kysely<Database>, viewer: Viewer): Promise<OfficeQueues> {
  if (!isStaff(viewer)) return EMPTY;
  const base = db
    .selectFrom('unit_tasks as t')
    .innerJoin('proposals as p', 'p.workflow_id', 't.workflow_id')
    .innerJoin('units as u', 'u.id', 't.unit_id')
    // A task of an earlier round (before 重新办理) is history, not a request waiting now.
    .whereRef('t.round', '=', 'p.rehandling_round')
    .select([
      't.workflow_id',
      't.unit_id',
      't.updated_at',
      't.due_at',
      't.extension_pending_to',
      't.decision_due_at',
      'p.title',
      'p.proposal_no',
      'p.receipt_no',
      'u.name as unit_name',
    ]);
  const [adjusting, extending, signed, publishing] = await Promise.all([
    base.where('t.status', '=', 'adjustment_requested').where('p.stage', '=', 'handling').orderBy('t.updated_at').limit(QUEUE_LIMIT).execute(),
    base.where('t.extension_pending_to', 'is not', null).where('p.stage', '=', 'handling').orderBy('t.updated_at').limit(QUEUE_LIMIT).execute(),
    base.where('t.status', '=', 'approved').orderBy('t.updated_at').limit(QUEUE_LIMIT).execute(),
    db
      .selectFrom('publications as pub')
      .innerJoin('proposals as p', 'p.workflow_id', 'pub.workflow_id')
      .leftJoin('units as u', 'u.id', 'pub.unit_id')
      .select([
        'pub.workflow_id',
        'pub.mode',
        'pub.reason',
        'pub.updated_at',
        'pub.unit_id',
        'p.title',
        'p.proposal_no',
        'p.receipt_no',
        'p.lead_unit_id',
        'u.name as unit_name',
      ])
      .where('pub.status', '=', 'proposed')
      .orderBy('pub.updated_at')
      .limit(QUEUE_LIMIT)
      .execute(),
  ]);
  const ids = (rows: { workflow_id: string }[]) => [...new Set(rows.map((r) => r.workflow_id))];
  const [adjustEvents, extendEvents, signEvents] = await Promise.all([
    latestEvents(db, 'requestAdjustment', ids(adjusting)),
    latestEvents(db, 'requestExtension', ids(extending)),
    latestEvents(db, 'signOff', ids(signed)),
  ]);
  const row = (
    r: {
      workflow_id: string;
      unit_id: string;
      unit_name: string;
      title: string;
      proposal_no: string | null;
      receipt_no: string;
      updated_at: Date;
      decision_due_at: Date | null;
    },
    e: LatestEvent | undefined,
  ): QueueRow => ({
    workflowId: r.workflow_id,
    title: r.title,
    number: r.proposal_no ?? r.receipt_no,
    unitId: r.unit_id,
    unitName: r.unit_name,
    since: e?.at ?? new Date(r.updated_at).toISOString(),
    reason: text(e?.summary.reason),
    decideBy: r.decision_due_at ? new Date(r.decision_due_at).toISOString() : null,
  });
  const leadNames = new Map((await db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.id, u.name]));
  return {
    adjustments: adjusting.map((r) => row(r, adjustEvents.get(`${r.workflow_id}|${r.unit_id}`))),
    extensions: extending.map((r) => {
      const e = extendEvents.get(`${r.workflow_id}|${r.unit_id}`);
      return { ...row(r, e), from: text(e?.summary.from), to: r.extension_pending_to ?? '' };
    }),
    dispatching: signed.map((r) => ({ ...row(r, signEvents.get(`${r.workflow_id}|${r.unit_id}`)), reason: null })),
    publications: publishing.map((r) => {
      const unitId = r.unit_id ?? r.lead_unit_id ?? '';
      return {
        workflowId: r.workflow_id,
        title: r.title,
        number: r.proposal_no ?? r.receipt_no,
        unitId,
        unitName: r.unit_name ?? leadNames.get(unitId) ?? unitId,
        since: new Date(r.updated_at).toISOString(),
        reason: r.reason,
        decideBy: null,
        mode: r.mode,
      };
    }),
  };
}
