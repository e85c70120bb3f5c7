import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isStaff, type Viewer } from './visibility.js';

// 纸质征询意见表: after a reply is dispatched every rater gets a personal link by mail, except
// raters without an address (a co-signer of a joint proposal, often). The office prints their
// form, collects it and enters it on the proposal's page (rate, 代录). This is the office's list
// of those forms: dispatched proposals, current round, raters without e-mail who have not rated.

export interface PaperFeedbackForm {
  workflowId: string;
  title: string;
  /** 第224号 once filed, else the receipt number. */
  number: string;
  replyDocNo: string | null;
  dispatchedAt: string | null;
  /** When the feedback window closes, when the proposal's next due date is it. */
  feedbackDueAt: string | null;
  proposerId: number;
  name: string;
  phone: string | null;
  /** 0 = 第一提案人. */
  position: number;
  round: number;
}

export const PAPER_FORMS_LIMIT = 500;

export async function paperFeedbackForms(db: Kysely<Database>, viewer: Viewer, filters: { sessionCode?: string } = {}): Promise<PaperFeedbackForm[]> {
  if (!isStaff(viewer)) return [];
  let q = db
    .selectFrom('proposals as p')
    .innerJoin('proposal_proposers as pp', 'pp.workflow_id', 'p.workflow_id')
    .innerJoin('proposers as pr', 'pr.id', 'pp.proposer_id')
    .leftJoin('policies as pol', 'pol.version', 'p.policy_version')
    .select([
      'p.workflow_id',
      'p.title',
      'p.proposal_no',
      'p.receipt_no',
      'p.reply_doc_no',
      'p.dispatched_at',
      'p.next_due_at',
      'p.next_due_kind',
      'p.rehandling_round',
      'pr.id as proposer_id',
      'pr.name',
      'pr.phone',
      'pp.position',
    ])
    .where('p.stage', '=', 'dispatched')
    .where((eb) => eb.or([eb('pr.email', 'is', null), eb(sql`trim(pr.email)`, '=', '')]))
    // The policy says who rates: the first proposer alone, or every co-signer.
    .where((eb) => eb.or([eb('pp.position', '=', 0), eb(sql`coalesce(pol.body->>'ratingBy', 'all_proposers')`, '=', 'all_proposers')]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('ratings as r')
            .select('r.id')
            .whereRef('r.workflow_id', '=', 'p.workflow_id')
            .whereRef('r.proposer_id', '=', 'pp.proposer_id')
            .whereRef('r.round', '=', 'p.rehandling_round'),
        ),
      ),
    );
  if (filters.sessionCode) q = q.where('p.session_code', '=', filters.sessionCode);
  const rows = await q.orderBy('p.dispatched_at').orderBy('p.workflow_id').orderBy('pp.position').limit(PAPER_FORMS_LIMIT).execute();
  return rows.map((r) => ({
    workflowId: r.workflow_id,
    title: r.title,
    number: r.proposal_no ?? r.receipt_no,
    replyDocNo: r.reply_doc_no,
    dispatchedAt: r.dispatched_at ? new Date(r.dispatched_at).toISOString() : null,
    feedbackDueAt: r.next_due_kind === 'feedback' && r.next_due_at ? new Date(r.next_due_at).toISOString() : null,
    proposerId: r.proposer_id,
    name: r.name,
    phone: r.phone,
    position: r.position,
    round: r.rehandling_round,
  }));
}
