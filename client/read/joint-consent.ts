import type { Kysely } from 'kysely';
import { getJointDraft, getJointSigners, jointDraftOfProposal, listJointDrafts, type JointDraftSummary } from '../../db/repositories/joint-consent.js';
import type { Database } from '../../db/schema.js';
import type { JointDraftRow, JointSignerRow } from '../../db/schema-joint.js';
import { SIGNER_STATUS_LABELS } from '../../workflows/joint-consent/rules.js';
import { findVisibleProposal, isStaff, type Viewer } from './visibility.js';

// 联名 as people read it: a draft in consent (the office; a member who signs it) and, once
// registered, the proposal's consent record (whoever may see the proposal, by the one visibility
// rule). Addresses are the office's business: others see names and answers only.

export interface SignerRecord {
  position: number;
  name: string;
  email?: string | null;
  phone?: string | null;
  status: JointSignerRow['status'];
  statusLabel: string;
  answeredAt: string | null;
  /** Entered by the office from a paper reply. */
  paper: boolean;
  comment: string | null;
}

export interface JointDraftRecord {
  draftId: string;
  sessionCode: string;
  receiptNo: string;
  title: string;
  status: JointDraftRow['status'];
  expiresAt: string;
  expiryExplanation: string;
  calendarConfirmed: boolean;
  consentClosed: boolean;
  submittedAt: string | null;
  registeredAt: string | null;
  proposalWorkflowId: string | null;
  signers: SignerRecord[];
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function recordOf(viewer: Viewer, draft: JointDraftRow, signers: JointSignerRow[]): JointDraftRecord {
  const staff = isStaff(viewer);
  return {
    draftId: draft.workflow_id,
    sessionCode: draft.session_code,
    receiptNo: draft.receipt_no,
    title: draft.title,
    status: draft.status,
    expiresAt: new Date(draft.expires_at).toISOString(),
    expiryExplanation: draft.expiry_explanation,
    calendarConfirmed: draft.calendar_confirmed,
    consentClosed: draft.consent_closed,
    submittedAt: iso(draft.submitted_at),
    registeredAt: iso(draft.registered_at),
    proposalWorkflowId: draft.proposal_workflow_id,
    signers: signers.map((s) => ({
      position: s.position,
      name: s.name,
      ...(staff ? { email: s.email, phone: s.phone } : {}),
      status: s.status,
      statusLabel: SIGNER_STATUS_LABELS[s.status],
      answeredAt: iso(s.answered_at),
      paper: s.status === 'paper_accepted' || s.status === 'paper_declined',
      comment: s.comment,
    })),
  };
}

/** Staff see every draft; a member sees the drafts they sign or are invited to; units none. */
function mayRead(viewer: Viewer, signers: JointSignerRow[]): boolean {
  if (isStaff(viewer)) return true;
  return viewer.role === 'proposer' && viewer.proposerId !== null && signers.some((s) => s.proposer_id === viewer.proposerId);
}

export async function readJointDraft(db: Kysely<Database>, viewer: Viewer, draftId: string): Promise<JointDraftRecord | null> {
  const draft = await getJointDraft(db, draftId);
  if (!draft) return null;
  const signers = await getJointSigners(db, draftId);
  return mayRead(viewer, signers) ? recordOf(viewer, draft, signers) : null;
}

export async function listReadableDrafts(
  db: Kysely<Database>,
  viewer: Viewer,
  filters: { sessionCode?: string; status?: JointDraftRow['status'] } = {},
): Promise<JointDraftRecord[]> {
  if (!isStaff(viewer) && (viewer.role !== 'proposer' || viewer.proposerId === null)) return [];
  const rows: JointDraftSummary[] = await listJointDrafts(db, { ...filters, ...(isStaff(viewer) ? {} : { signerProposerId: viewer.proposerId! }) });
  return rows.filter((d) => mayRead(viewer, d.signers)).map((d) => recordOf(viewer, d, d.signers));
}

/**
 * The consent record of a registered proposal, under the proposal's own visibility: `found` is
 * false exactly when the caller may not see the proposal; `record` is null for a proposal that
 * did not come through 联名征集 (registered directly).
 */
export async function consentRecordOfProposal(
  db: Kysely<Database>,
  viewer: Viewer,
  proposalId: string,
): Promise<{ found: false } | { found: true; record: JointDraftRecord | null }> {
  const proposal = await findVisibleProposal(db, viewer, proposalId);
  if (!proposal) return { found: false };
  const draft = await jointDraftOfProposal(db, proposalId);
  return { found: true, record: draft ? recordOf(viewer, draft, draft.signers) : null };
}

export interface PaperInvitation {
  draftId: string;
  title: string;
  receiptNo: string;
  firstSigner: string;
  expiresAt: string;
  position: number;
  name: string;
  phone: string | null;
}

/** 纸质邀请: co-signers without an address whose answer the office must collect and enter. */
export function paperInvitations(drafts: JointDraftRecord[]): PaperInvitation[] {
  return drafts
    .filter((d) => d.status === 'open' && !d.consentClosed)
    .flatMap((d) =>
      d.signers
        .filter((s) => s.position > 0 && s.status === 'invited' && !s.email)
        .map((s) => ({
          draftId: d.draftId,
          title: d.title,
          receiptNo: d.receiptNo,
          firstSigner: d.signers[0]?.name ?? '',
          expiresAt: d.expiresAt,
          position: s.position,
          name: s.name,
          phone: s.phone ?? null,
        })),
    );
}
