import type { Kysely } from 'kysely';
import type { Database, EventRow } from '../schema.js';

export interface NewEvent {
  idempotencyKey: string;
  workflowId: string;
  step: string;
  actorUserId: number | null;
  actorRole: string | null;
  actorUnitId: string | null;
  occurredAt: string;
  summary: Record<string, unknown>;
}

/** Appends the event unless its key is already there; false means the step was done before. */
export async function appendEvent(db: Kysely<Database>, event: NewEvent): Promise<boolean> {
  const inserted = await db
    .insertInto('events')
    .values({
      idempotency_key: event.idempotencyKey,
      workflow_id: event.workflowId,
      step: event.step,
      actor_user_id: event.actorUserId,
      actor_role: event.actorRole,
      actor_unit_id: event.actorUnitId,
      occurred_at: event.occurredAt,
      summary: JSON.stringify(event.summary),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function listEvents(db: Kysely<Database>, workflowId: string): Promise<EventRow[]> {
  return db.selectFrom('events').selectAll().where('workflow_id', '=', workflowId).orderBy('id').execute();
}
