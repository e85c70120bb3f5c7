import type { Kysely } from 'kysely';
import { getText } from '../../../../db/repositories/blobs.js';
import type { DocumentSummary } from '../../../../db/repositories/documents.js';
import { listEvents } from '../../../../db/repositories/events.js';
import { listTaskRows } from '../../../../db/repositories/proposal-reads.js';
import type { Database, ProposalRow, UserRow } from '../../../../db/schema.js';
import type { ProposalView as ProposalState } from '../../../../workflows/proposal/definitions.js';
import { processView, type ProcessView } from '../../../read/process-view.js';
import { readDocuments, readFollowUps, type FollowUpView } from '../../../read/records.js';
import { eventViews, proposalView, unitTaskView, type EventView, type ProposalView, type UnitTaskView } from '../../../read/views.js';
import { audienceOf } from '../../../read/visibility.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';

// Everything a proposal's page shows, read for one viewer. The row was found through the
// visibility rule; what is read here about it follows the same audiences as the API's views:
// staff see all; a unit its own consultations, drafts and (the lead) the co-opinions sent to it;
// a proposer the letters that went out to them.

export interface Consultation {
  date: string;
  way: string;
  participants: string;
  summary: string | null;
  unitId: string;
}

export interface Draft {
  unitId: string;
  version: number;
  replyClass: string;
  changeNote: string | null;
  at: string;
}

export interface Letter {
  title: string;
  text: string | null;
  at: string;
}

export interface ProposalPageData {
  row: ProposalRow;
  view: ProposalView;
  /** The live workflow state (for deciding which forms make sense); null when Temporal is away. */
  state: ProposalState | null;
  live: ProcessView | null;
  tasks: UnitTaskView[];
  events: EventView[];
  body: string | null;
  unitNames: Map<string, string>;
  units: { id: string; name: string }[];
  consultations: Consultation[];
  coOpinions: { unitId: string; text: string | null; at: string | null }[];
  drafts: Draft[];
  latestDraft: { unitId: string; version: number; text: string | null } | null;
  letters: Letter[];
  /** Documents this reader may download (the one rule in client/read/records.ts). */
  documents: DocumentSummary[];
  /** 回头看: requests and the units' reports, as this reader may see them. */
  followUpReports: FollowUpView[];
}

export async function allUnits(db: Kysely<Database>): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('units').select(['id', 'name']).orderBy('name').execute();
}

/** The proposal's reply letters (答复函) as stored at dispatch, oldest first. */
export async function replyLetters(db: Kysely<Database>, workflowId: string): Promise<Letter[]> {
  const docs = await db
    .selectFrom('documents')
    .select(['title', 'content_hash', 'created_at'])
    .where('workflow_id', '=', workflowId)
    .where('kind', '=', 'reply_letter')
    .orderBy('id')
    .execute();
  return Promise.all(docs.map(async (d) => ({ title: d.title, text: await getText(db, d.content_hash), at: new Date(d.created_at).toISOString() })));
}

export async function loadProposalPage(deps: AppDeps, user: UserRow, row: ProposalRow): Promise<ProposalPageData> {
  const { db } = deps;
  const viewer = actorOf(user);
  const audience = audienceOf(viewer);
  const ownUnit = audience === 'unit' ? viewer.unitId : null;
  const [state, taskRows, eventRows, body, units] = await Promise.all([
    deps.proposals.state(row.workflow_id).catch(() => null),
    listTaskRows(db, row.workflow_id),
    listEvents(db, row.workflow_id),
    getText(db, row.body_hash),
    allUnits(db),
  ]);

  let consultations: Consultation[] = [];
  let drafts: Draft[] = [];
  let latestDraft: ProposalPageData['latestDraft'] = null;
  let coOpinions: ProposalPageData['coOpinions'] = [];
  if (audience !== 'proposer') {
    let cq = db.selectFrom('consultations').selectAll().where('workflow_id', '=', row.workflow_id).where('round', '=', row.rehandling_round);
    if (ownUnit) cq = cq.where('unit_id', '=', ownUnit);
    const crows = await cq.orderBy('contact_date').orderBy('id').execute();
    consultations = await Promise.all(
      crows.map(async (r) => ({ date: r.contact_date, way: r.way, participants: r.participants, summary: await getText(db, r.summary_hash), unitId: r.unit_id })),
    );
    let dq = db.selectFrom('reply_versions').selectAll().where('workflow_id', '=', row.workflow_id).where('round', '=', row.rehandling_round);
    if (ownUnit) dq = dq.where('unit_id', '=', ownUnit);
    const drows = await dq.orderBy('unit_id').orderBy('version').execute();
    drafts = drows.map((r) => ({
      unitId: r.unit_id,
      version: r.version,
      replyClass: r.reply_class,
      changeNote: r.change_note,
      at: new Date(r.created_at).toISOString(),
    }));
    const last = drows.filter((r) => !ownUnit || r.unit_id === ownUnit).at(-1);
    if (last) latestDraft = { unitId: last.unit_id, version: last.version, text: await getText(db, last.body_hash) };
    // A co-unit's opinion goes to the lead unit (and the office), never to another co-unit.
    const leadsHere = ownUnit !== null && taskRows.some((t) => t.unit_id === ownUnit && t.role === 'lead' && t.round === row.rehandling_round);
    if (audience === 'staff' || leadsHere) {
      const co = taskRows.filter((t) => t.role === 'co' && t.round === row.rehandling_round && t.opinion_hash);
      coOpinions = await Promise.all(
        co.map(async (t) => ({ unitId: t.unit_id, text: await getText(db, t.opinion_hash!), at: t.completed_at ? new Date(t.completed_at).toISOString() : null })),
      );
    }
  }

  // A proposer reads a letter once it went out to them; units and staff as soon as it is stored.
  const documents = await readDocuments(db, viewer, row.workflow_id);
  // 并案: a merged proposal has no dispatch of its own; its proposers read the letter sent to them.
  const answered = row.dispatched_at !== null || documents.some((d) => d.kind === 'reply_letter');
  const letters = answered || audience !== 'proposer' ? await replyLetters(db, row.workflow_id) : [];
  const followUpReports = row.stage === 'closed' ? await readFollowUps(db, viewer, row.workflow_id) : [];

  return {
    row,
    view: proposalView(row, viewer),
    state,
    live: state ? processView(state, viewer) : null,
    tasks: taskRows.map((t) => unitTaskView(t, viewer)),
    events: eventViews(eventRows, viewer),
    body,
    unitNames: new Map(units.map((u) => [u.id, u.name])),
    units,
    consultations,
    coOpinions,
    drafts,
    followUpReports,
    latestDraft,
    letters,
    documents,
  };
}
