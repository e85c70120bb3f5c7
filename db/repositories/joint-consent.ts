import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { JointDraftRow, JointDraftStatus, JointSignerRow, JointSignerStatus } from '../schema-joint.js';

// 联名 drafts and their signers: written by the joint-consent activities (the caller owns the
// transaction), read by the office's pages and the proposal's consent record.

export interface NewJointDraft {
  workflowId: string;
  sessionCode: string;
  receiptNo: string;
  title: string;
  bodyHash: string;
  topic: string | null;
  expiresAt: string;
  expiryExplanation: string;
  calendarConfirmed: boolean;
  openedByUserId: number | null;
  now: string;
}

export interface NewJointSigner {
  position: number;
  proposerId: number | null;
  name: string;
  email: string | null;
  phone: string | null;
  sector: string | null;
  status: JointSignerStatus;
}

/** Inserts the draft and its signers; false when the draft was there already (a retried step). */
export async function insertJointDraft(db: Kysely<Database>, d: NewJointDraft, signers: NewJointSigner[]): Promise<boolean> {
  const inserted = await db
    .insertInto('joint_drafts')
    .values({
      workflow_id: d.workflowId,
      session_code: d.sessionCode,
      receipt_no: d.receiptNo,
      title: d.title,
      body_hash: d.bodyHash,
      topic: d.topic,
      status: 'open',
      expires_at: d.expiresAt,
      expiry_explanation: d.expiryExplanation,
      calendar_confirmed: d.calendarConfirmed,
      opened_by_user_id: d.openedByUserId,
      created_at: d.now,
      updated_at: d.now,
    })
    .onConflict((oc) => oc.column('workflow_id').doNothing())
    .returning('workflow_id')
    .executeTakeFirst();
  if (!inserted) return false;
  await db
    .insertInto('joint_signers')
    .values(
      signers.map((s) => ({
        draft_workflow_id: d.workflowId,
        position: s.position,
        proposer_id: s.proposerId,
        name: s.name,
        email: s.email,
        phone: s.phone,
        sector: s.sector,
        status: s.status,
        updated_at: d.now,
      })),
    )
    .execute();
  return true;
}

export async function getJointDraft(db: Kysely<Database>, workflowId: string): Promise<JointDraftRow | undefined> {
  return db.selectFrom('joint_drafts').selectAll().where('workflow_id', '=', workflowId).executeTakeFirst();
}

export async function getJointSigners(db: Kysely<Database>, workflowId: string): Promise<JointSignerRow[]> {
  return db.selectFrom('joint_signers').selectAll().where('draft_workflow_id', '=', workflowId).orderBy('position').execute();
}

export async function setSignerAnswer(
  db: Kysely<Database>,
  a: { workflowId: string; position: number; status: JointSignerStatus; comment: string | null; byUserId: number | null; now: string },
): Promise<void> {
  await db
    .updateTable('joint_signers')
    .set({ status: a.status, comment: a.comment, answered_at: a.now, answered_by_user_id: a.byUserId, updated_at: a.now })
    .where('draft_workflow_id', '=', a.workflowId)
    .where('position', '=', a.position)
    .where('status', '=', 'invited')
    .execute();
}

/** Whoever is still invited never answered: recorded as such, with no answer time. */
export async function expireInvited(db: Kysely<Database>, workflowId: string, now: string): Promise<void> {
  await db
    .updateTable('joint_signers')
    .set({ status: 'expired', updated_at: now })
    .where('draft_workflow_id', '=', workflowId)
    .where('status', '=', 'invited')
    .execute();
}

export async function updateJointDraft(
  db: Kysely<Database>,
  workflowId: string,
  fields: {
    status?: JointDraftStatus;
    consentClosed?: boolean;
    submittedAt?: string;
    submittedByUserId?: number | null;
    proposalWorkflowId?: string;
    registeredAt?: string;
    now: string;
  },
): Promise<void> {
  await db
    .updateTable('joint_drafts')
    .set({
      ...(fields.status ? { status: fields.status } : {}),
      ...(fields.consentClosed !== undefined ? { consent_closed: fields.consentClosed } : {}),
      ...(fields.submittedAt ? { submitted_at: sql<Date>`coalesce(submitted_at, ${fields.submittedAt}::timestamptz)` } : {}),
      ...(fields.submittedByUserId !== undefined ? { submitted_by_user_id: sql<number | null>`coalesce(submitted_by_user_id, ${fields.submittedByUserId})` } : {}),
      ...(fields.proposalWorkflowId ? { proposal_workflow_id: fields.proposalWorkflowId } : {}),
      ...(fields.registeredAt ? { registered_at: fields.registeredAt } : {}),
      updated_at: fields.now,
    })
    .where('workflow_id', '=', workflowId)
    .execute();
}

export interface JointDraftSummary extends JointDraftRow {
  signers: JointSignerRow[];
}

/** The office's list: drafts not yet registered first (soonest expiry first), then recent registrations. */
export async function listJointDrafts(
  db: Kysely<Database>,
  filters: { sessionCode?: string; status?: JointDraftStatus; signerProposerId?: number; limit?: number },
): Promise<JointDraftSummary[]> {
  let q = db.selectFrom('joint_drafts').selectAll();
  if (filters.sessionCode) q = q.where('session_code', '=', filters.sessionCode);
  if (filters.status) q = q.where('status', '=', filters.status);
  const signer = filters.signerProposerId;
  if (signer !== undefined) {
    q = q.where((eb) =>
      eb.exists(
        eb.selectFrom('joint_signers as s').select('s.id').whereRef('s.draft_workflow_id', '=', 'joint_drafts.workflow_id').where('s.proposer_id', '=', signer),
      ),
    );
  }
  const drafts = await q
    .orderBy(sql`case when status = 'registered' then 1 else 0 end`)
    .orderBy('expires_at')
    .orderBy('workflow_id')
    .limit(filters.limit ?? 500)
    .execute();
  if (drafts.length === 0) return [];
  const signers = await db
    .selectFrom('joint_signers')
    .selectAll()
    .where(
      'draft_workflow_id',
      'in',
      drafts.map((d) => d.workflow_id),
    )
    .orderBy('position')
    .execute();
  return drafts.map((d) => ({ ...d, signers: signers.filter((s) => s.draft_workflow_id === d.workflow_id) }));
}

/** The draft a proposal was registered from, if it came through 联名征集. */
export async function jointDraftOfProposal(db: Kysely<Database>, proposalWorkflowId: string): Promise<JointDraftSummary | null> {
  const draft = await db.selectFrom('joint_drafts').selectAll().where('proposal_workflow_id', '=', proposalWorkflowId).executeTakeFirst();
  if (!draft) return null;
  return { ...draft, signers: await getJointSigners(db, draft.workflow_id) };
}
