import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

// What a proposal's steps stored, read back with its texts and the names of the people behind
// it. Who may read which row is decided by the caller (client/read/records.ts), not here.

export interface ReplyVersionRecord {
  unitId: string;
  unitName: string;
  round: number;
  version: number;
  replyClass: string;
  changeNote: string | null;
  body: string | null;
  authorName: string | null;
  createdAt: Date;
}

export async function listReplyVersions(db: Kysely<Database>, workflowId: string): Promise<ReplyVersionRecord[]> {
  const rows = await db
    .selectFrom('reply_versions as v')
    .innerJoin('units as u', 'u.id', 'v.unit_id')
    .leftJoin('text_blobs as t', 't.hash', 'v.body_hash')
    .leftJoin('users as a', 'a.id', 'v.author_user_id')
    .select(['v.unit_id', 'u.name as unit_name', 'v.round', 'v.version', 'v.reply_class', 'v.change_note', 't.content', 'a.display_name', 'v.created_at'])
    .where('v.workflow_id', '=', workflowId)
    .orderBy('v.unit_id')
    .orderBy('v.version')
    .execute();
  return rows.map((r) => ({
    unitId: r.unit_id,
    unitName: r.unit_name,
    round: r.round,
    version: r.version,
    replyClass: r.reply_class,
    changeNote: r.change_note,
    body: r.content,
    authorName: r.display_name,
    createdAt: new Date(r.created_at),
  }));
}

/** An event of the audit trail, with the name of the person who took it and the text it refers to (if any). */
export interface EventRecord {
  id: string;
  step: string;
  occurredAt: Date;
  actorRole: string | null;
  actorUnitId: string | null;
  actorName: string | null;
  summary: Record<string, unknown>;
  text: string | null;
}

export async function listEventRecords(db: Kysely<Database>, workflowId: string, steps?: readonly string[]): Promise<EventRecord[]> {
  let query = db
    .selectFrom('events as e')
    .leftJoin('users as a', 'a.id', 'e.actor_user_id')
    // A step that stored a text names it by its hash; the text store is content-addressed.
    .leftJoin('text_blobs as t', (join) => join.on(sql`t.hash`, '=', sql`e.summary->>'bodyHash'`))
    .select(['e.id', 'e.step', 'e.occurred_at', 'e.actor_role', 'e.actor_unit_id', 'a.display_name', 'e.summary', 't.content'])
    .where('e.workflow_id', '=', workflowId);
  if (steps) query = query.where('e.step', 'in', [...steps]);
  const rows = await query.orderBy('e.id').execute();
  return rows.map((r) => ({
    id: String(r.id),
    step: r.step,
    occurredAt: new Date(r.occurred_at),
    actorRole: r.actor_role,
    actorUnitId: r.actor_unit_id,
    actorName: r.display_name,
    summary: r.summary,
    text: r.content,
  }));
}

export interface ConsultationRecord {
  unitId: string;
  unitName: string;
  round: number;
  date: string;
  way: string;
  participants: string;
  summary: string | null;
  recordedAt: Date;
}

export async function listConsultations(db: Kysely<Database>, workflowId: string): Promise<ConsultationRecord[]> {
  const rows = await db
    .selectFrom('consultations as c')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .leftJoin('text_blobs as t', 't.hash', 'c.summary_hash')
    .select(['c.unit_id', 'u.name as unit_name', 'c.round', 'c.contact_date', 'c.way', 'c.participants', 't.content', 'c.created_at'])
    .where('c.workflow_id', '=', workflowId)
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({
    unitId: r.unit_id,
    unitName: r.unit_name,
    round: r.round,
    date: r.contact_date,
    way: r.way,
    participants: r.participants,
    summary: r.content,
    recordedAt: new Date(r.created_at),
  }));
}

export interface RatingRecord {
  proposerId: number;
  proposerName: string;
  round: number;
  attitude: string;
  result: string;
  comment: string | null;
  /** Entered by the office from a paper form, and by whom. */
  onBehalf: boolean;
  enteredByName: string | null;
  ratedAt: Date;
}

export async function listRatings(db: Kysely<Database>, workflowId: string): Promise<RatingRecord[]> {
  const rows = await db
    .selectFrom('ratings as r')
    .innerJoin('proposers as p', 'p.id', 'r.proposer_id')
    .leftJoin('users as e', 'e.id', 'r.entered_by_user_id')
    .select(['r.proposer_id', 'p.name', 'r.round', 'r.attitude', 'r.result', 'r.comment', 'r.on_behalf', 'e.display_name', 'r.created_at'])
    .where('r.workflow_id', '=', workflowId)
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({
    proposerId: r.proposer_id,
    proposerName: r.name,
    round: r.round,
    attitude: r.attitude,
    result: r.result,
    comment: r.comment,
    onBehalf: r.on_behalf,
    enteredByName: r.on_behalf ? r.display_name : null,
    ratedAt: new Date(r.created_at),
  }));
}
