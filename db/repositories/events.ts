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

/** A proposal's audit trail, oldest first, with the display name of whoever took each step. */
export async function listEvents(db: Kysely<Database>, workflowId: string): Promise<EventWithActor[]> {
  return db
    .selectFrom('events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .selectAll('e')
    .select('u.display_name as actor_name')
    .where('e.workflow_id', '=', workflowId)
    .orderBy('e.id')
    .execute();
}

export type EventWithActor = EventRow & { actor_name: string | null };

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * The idempotency keys of a proposal's events that begin with `${workflowId}:${prefix}`. Steps
 * taken by an Update are keyed workflow id + update id, so this finds what an update id family
 * (one client key, several payloads) has already written.
 */
export async function eventKeysWithPrefix(db: Kysely<Database>, workflowId: string, prefix: string): Promise<string[]> {
  const rows = await db
    .selectFrom('events')
    .select('idempotency_key')
    .where('workflow_id', '=', workflowId)
    .where('idempotency_key', 'like', `${escapeLike(`${workflowId}:${prefix}`)}%`)
    .limit(20)
    .execute();
  return rows.map((r) => r.idempotency_key);
}
