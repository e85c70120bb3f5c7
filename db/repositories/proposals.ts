import { sql, type Kysely } from 'kysely';
import type { ProposalProjection, UnitTaskProjection } from '../../workflows/shared/step-record.js';
import type { Database, ProposalRow } from '../schema.js';

// The projection is derived from workflow state; its shape is defined once, beside that derivation.
export type ProjectionFields = ProposalProjection;
export type TaskFields = UnitTaskProjection;

function columns(p: ProjectionFields, now: string) {
  return {
    stage: p.stage,
    proposal_no: p.proposalNo,
    filing_outcome: p.filingOutcome,
    filing_reason: p.filingReason,
    merged_into: p.mergedInto,
    handling_mode: p.handlingMode,
    lead_unit_id: p.leadUnitId,
    unit_ids: p.unitIds,
    key_proposal: p.keyProposal,
    supervising_leader: p.supervisingLeader,
    reply_class: p.replyClass,
    reply_version: p.replyVersion,
    reply_doc_no: p.replyDocNo,
    dispatched_at: p.dispatchedAt,
    next_due_at: p.nextDueAt,
    next_due_kind: p.nextDueKind,
    next_due_explanation: p.nextDueExplanation,
    next_due_confirmed: p.nextDueConfirmed,
    policy_version: p.policyVersion,
    rehandling_round: p.rehandlingRound,
    updated_at: now,
  };
}

export async function insertProposal(
  db: Kysely<Database>,
  row: {
    workflowId: string;
    sessionCode: string;
    receiptNo: string;
    title: string;
    bodyHash: string;
    topic: string | null;
    proposerKind: string;
    receivedDate: string;
  },
  projection: ProjectionFields,
  now: string,
): Promise<void> {
  await db
    .insertInto('proposals')
    .values({
      workflow_id: row.workflowId,
      session_code: row.sessionCode,
      receipt_no: row.receiptNo,
      title: row.title,
      body_hash: row.bodyHash,
      topic: row.topic,
      proposer_kind: row.proposerKind as ProposalRow['proposer_kind'],
      received_date: row.receivedDate,
      ...columns(projection, now),
      closed_at: null,
    })
    .execute();
}

export async function writeProjection(db: Kysely<Database>, workflowId: string, projection: ProjectionFields, now: string): Promise<void> {
  await db
    .updateTable('proposals')
    .set({
      ...columns(projection, now),
      // closed_at keeps the first closing instant; re-handling clears it.
      closed_at: projection.closedAt ? sql<Date>`coalesce(closed_at, ${projection.closedAt}::timestamptz)` : null,
    })
    .where('workflow_id', '=', workflowId)
    .execute();
}

/**
 * The class a unit's sent reply counts as: set at dispatch, moved by an override afterwards
 * (`only: 'sent'`: an override before dispatch changes the draft's class, which dispatch records).
 */
export async function recordFinalClass(db: Kysely<Database>, workflowId: string, unitId: string, round: number, replyClass: string, only?: 'sent'): Promise<void> {
  let query = db
    .updateTable('unit_tasks')
    .set({ final_class: replyClass })
    .where('workflow_id', '=', workflowId)
    .where('unit_id', '=', unitId)
    .where('round', '=', round);
  if (only === 'sent') query = query.where('final_class', 'is not', null);
  await query.execute();
}

export async function writeTasks(db: Kysely<Database>, workflowId: string, tasks: TaskFields[], now: string): Promise<void> {
  const rounds = [...new Set(tasks.map((t) => t.round))];
  for (const t of tasks) {
    await db
      .insertInto('unit_tasks')
      .values({
        workflow_id: workflowId,
        unit_id: t.unitId,
        role: t.role,
        status: t.status,
        round: t.round,
        assigned_at: t.assignedAt,
        due_at: t.dueAt,
        original_due_at: t.dueAt,
        completed_at: t.done ? now : null,
        opinion_hash: t.opinionHash,
        due_explanation: t.dueExplanation,
        extension_count: t.extensionCount,
        extension_pending_to: t.extensionPendingTo,
        calendar_confirmed: t.calendarConfirmed,
        decision_due_at: t.decisionDueAt ?? null,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['workflow_id', 'unit_id', 'round']).doUpdateSet({
          role: t.role,
          status: t.status,
          due_at: t.dueAt,
          // The first due date a task had stays; a task that had none yet takes this one.
          original_due_at: sql<Date | null>`coalesce(unit_tasks.original_due_at, excluded.due_at)`,
          opinion_hash: t.opinionHash,
          due_explanation: t.dueExplanation,
          extension_count: t.extensionCount,
          extension_pending_to: t.extensionPendingTo,
          calendar_confirmed: t.calendarConfirmed,
          decision_due_at: t.decisionDueAt ?? null,
          completed_at: t.done ? sql<Date>`coalesce(unit_tasks.completed_at, ${now}::timestamptz)` : null,
          updated_at: now,
        }),
      )
      .execute();
  }
  // A unit taken off the proposal keeps its row for the record, marked removed.
  for (const round of rounds) {
    const active = tasks.filter((t) => t.round === round).map((t) => t.unitId);
    if (active.length === 0) continue;
    await db
      .updateTable('unit_tasks')
      .set({ status: 'removed', updated_at: now })
      .where('workflow_id', '=', workflowId)
      .where('round', '=', round)
      .where('unit_id', 'not in', active)
      .execute();
  }
}
