import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { FailureType } from '../workflows/shared/failures.js';
import { appendEvent } from '../db/repositories/events.js';
import { enqueueNotification } from '../db/repositories/notifications.js';
import { recordFinalClass, writeProjection, writeTasks, type ProjectionFields, type TaskFields } from '../db/repositories/proposals.js';
import type { Database } from '../db/schema.js';
import type { NotificationIntent } from '../workflows/shared/notifications.js';
import type { StepRecord } from '../workflows/shared/step-record.js';
import type { Actor } from '../workflows/shared/types.js';
import { resolveRecipients } from './notifications/recipients.js';
import { withCalendarFlag } from './notifications/calendar-note.js';
import { renderNotification } from './notifications/templates.js';
import { indexProposalTexts } from './search/index-texts.js';

export interface RecordStepArgs {
  key: string;
  workflowId: string;
  actor: Actor | null;
  record: StepRecord;
  /** Absent for steps of a unit's child workflow, which leaves the proposal row to its parent. */
  projection?: ProjectionFields;
  tasks?: TaskFields[];
  now: string;
}

export interface RecordStepResult {
  notificationKeys: string[];
  alreadyRecorded: boolean;
}

export function notificationKey(stepKey: string, index: number, kind: string): string {
  return `${stepKey}#${index}:${kind}`;
}

export async function queueNotifications(
  trx: Kysely<Database>,
  stepKey: string,
  workflowId: string,
  intents: NotificationIntent[],
  startIndex = 0,
): Promise<string[]> {
  const keys: string[] = [];
  for (const [i, intent] of intents.entries()) {
    const key = notificationKey(stepKey, startIndex + i, intent.kind);
    const { subject, text, html } = renderNotification(intent.kind, await withCalendarFlag(trx, intent.params));
    await enqueueNotification(trx, {
      idempotencyKey: key,
      workflowId,
      kind: intent.kind,
      to: await resolveRecipients(trx, intent.to),
      cc: await resolveRecipients(trx, intent.cc),
      subject,
      bodyText: text,
      bodyHtml: html,
    });
    keys.push(key);
  }
  return keys;
}

/**
 * Writes one accepted step: its event row, the projection, unit tasks, side rows and queued
 * mail, all in one transaction. A retried step (same key) changes nothing and answers the same.
 */
export function makeRecordStep(db: Kysely<Database>) {
  return async function recordStep(args: RecordStepArgs): Promise<RecordStepResult> {
    const { record } = args;
    const keys = record.notifications.map((n, i) => notificationKey(args.key, i, n.kind));
    return db
      .transaction()
      .execute(async (trx) => recordInTransaction(trx, args, keys))
      .catch((err: unknown) => {
        throw asBusinessConflict(err, args) ?? err;
      });
  };
}

/** A business key clash found by PostgreSQL is the caller's to fix, not a reason to retry. */
function asBusinessConflict(err: unknown, args: RecordStepArgs): ApplicationFailure | null {
  const pg = err as { code?: string; constraint?: string };
  if (pg.code !== '23505') return null;
  if (pg.constraint === 'proposals_number_unique') {
    return ApplicationFailure.create({
      type: FailureType.CONFLICT,
      message: `提案编号「${args.projection?.proposalNo ?? ''}」已被本届次的其他提案使用，请核对编号`,
      details: [{ field: 'proposalNo' }],
      nonRetryable: true,
    });
  }
  return null;
}

async function recordInTransaction(trx: Kysely<Database>, args: RecordStepArgs, keys: string[]): Promise<RecordStepResult> {
  const { record } = args;
  const fresh = await appendEvent(trx, {
    idempotencyKey: args.key,
    workflowId: args.workflowId,
    step: record.step,
    actorUserId: args.actor?.userId ?? null,
    actorRole: args.actor?.role ?? null,
    actorUnitId: args.actor?.unitId ?? record.unitId,
    occurredAt: args.now,
    summary: record.summary,
  });
  if (!fresh) return { notificationKeys: keys, alreadyRecorded: true };

  if (args.projection) await writeProjection(trx, args.workflowId, args.projection, args.now);
  if (args.tasks) await writeTasks(trx, args.workflowId, args.tasks, args.now);
  // An override after dispatch moves the class the unit's reply counts as; before, dispatch sets it.
  if (record.step === 'overrideClass' && record.unitId && typeof record.summary.to === 'string') {
    const round = args.tasks?.find((t) => t.unitId === record.unitId)?.round;
    if (round !== undefined) await recordFinalClass(trx, args.workflowId, record.unitId, round, record.summary.to, 'sent');
  }
  if (record.replyVersion) {
    const v = record.replyVersion;
    await trx
      .insertInto('reply_versions')
      .values({
        workflow_id: args.workflowId,
        unit_id: v.unitId,
        version: v.version,
        round: v.round,
        body_hash: v.bodyHash,
        reply_class: v.replyClass,
        change_note: v.changeNote,
        author_user_id: args.actor?.userId ?? null,
      })
      .execute();
    await indexProposalTexts(trx, args.workflowId);
  }
  if (record.consultation) {
    const c = record.consultation;
    await trx
      .insertInto('consultations')
      .values({
        idempotency_key: args.key,
        workflow_id: args.workflowId,
        unit_id: c.unitId,
        round: c.round,
        contact_date: c.date,
        way: c.way,
        participants: c.participants,
        summary_hash: c.summaryHash,
      })
      .execute();
  }
  if (record.rating) {
    const r = record.rating;
    await trx
      .insertInto('ratings')
      .values({
        idempotency_key: args.key,
        workflow_id: args.workflowId,
        proposer_id: r.proposerId,
        round: r.round,
        attitude: r.attitude,
        result: r.result,
        comment: r.comment,
        entered_by_user_id: args.actor?.userId ?? null,
        on_behalf: r.onBehalf,
      })
      .execute();
  }
  if (record.publication) {
    const p = record.publication;
    await trx
      .insertInto('publications')
      .values({
        workflow_id: args.workflowId,
        mode: p.mode,
        reason: p.reason,
        status: p.status,
        proposed_by: p.status === 'proposed' ? (args.actor?.userId ?? null) : null,
        approved_by: p.status === 'approved' ? (args.actor?.userId ?? null) : null,
        updated_at: args.now,
      })
      .onConflict((oc) =>
        oc.column('workflow_id').doUpdateSet({
          mode: p.mode,
          reason: p.reason,
          status: p.status,
          ...(p.status === 'approved' ? { approved_by: args.actor?.userId ?? null } : { proposed_by: args.actor?.userId ?? null }),
          updated_at: args.now,
        }),
      )
      .execute();
  }
  await queueNotifications(trx, args.key, args.workflowId, record.notifications);
  return { notificationKeys: keys, alreadyRecorded: false };
}

/** Brings the proposal row and unit tasks up to date after a change reported by a child workflow. */
export function makeSyncProjection(db: Kysely<Database>) {
  return async function syncProjection(args: { workflowId: string; projection: ProjectionFields; tasks: TaskFields[]; now: string }): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await writeProjection(trx, args.workflowId, args.projection, args.now);
      await writeTasks(trx, args.workflowId, args.tasks, args.now);
    });
  };
}
