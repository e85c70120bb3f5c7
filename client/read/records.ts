import type { Kysely } from 'kysely';
import { listTaskRows } from '../../db/repositories/proposal-reads.js';
import { listDocuments, type DocumentSummary } from '../../db/repositories/documents.js';
import {
  listConsultations,
  listEventRecords,
  listRatings,
  listReplyVersions,
  type ConsultationRecord,
  type EventRecord,
  type RatingRecord,
  type ReplyVersionRecord,
} from '../../db/repositories/proposal-records.js';
import type { Database } from '../../db/schema.js';
import { audienceOf, type Viewer } from './visibility.js';

// What each reader may read back of a proposal they may see (visibility.ts decides that first).
// One table of rules, so the API, the pages and the exports agree:
//
//   record            staff  answering unit        co-unit               proposer
//   reply versions    all    its own               —                     the dispatched ones
//   co-opinions       all    all (lead reads them) its own               —
//   consultations     all    its own               its own               date, way, participants
//   ratings           all    all                   —                     their own
//   follow-ups        all    its own               —                     the reports
//   documents         all    its own letters,      its own opinion,      the letters sent
//                            the co-opinions       the letters (抄送)

/** How the viewer stands to this proposal. */
interface Standing {
  audience: 'staff' | 'unit' | 'proposer';
  unitId: string | null;
  /** The viewer's unit answers the proposal (sole, lead or split), in any round. */
  answering: boolean;
  /** The viewer's unit co-handles it (会办), in any round: the reply letters are copied to it. */
  coHandling: boolean;
  proposerId: number | null;
}

async function standingOf(db: Kysely<Database>, viewer: Viewer, workflowId: string): Promise<Standing> {
  const audience = audienceOf(viewer);
  if (audience !== 'unit' || !viewer.unitId) return { audience, unitId: null, answering: false, coHandling: false, proposerId: viewer.proposerId };
  const tasks = await listTaskRows(db, workflowId);
  const mine = tasks.filter((t) => t.unit_id === viewer.unitId);
  return { audience, unitId: viewer.unitId, answering: mine.some((t) => t.role !== 'co'), coHandling: mine.some((t) => t.role === 'co'), proposerId: null };
}

/** Units and versions whose reply went out (from the dispatch steps). */
function dispatchedVersions(events: EventRecord[]): Set<string> {
  return new Set(events.filter((e) => e.step === 'dispatch').map((e) => `${String(e.summary.unitId)}#${String(e.summary.version)}`));
}

export async function readReplyVersions(db: Kysely<Database>, viewer: Viewer, workflowId: string): Promise<ReplyVersionRecord[]> {
  const s = await standingOf(db, viewer, workflowId);
  const versions = await listReplyVersions(db, workflowId);
  if (s.audience === 'staff') return versions;
  if (s.audience === 'unit') return versions.filter((v) => v.unitId === s.unitId);
  const sent = dispatchedVersions(await listEventRecords(db, workflowId, ['dispatch']));
  return versions.filter((v) => sent.has(`${v.unitId}#${v.version}`)).map((v) => ({ ...v, changeNote: null, authorName: null }));
}

export interface CoOpinionView {
  unitId: string | null;
  kind: 'opinion' | 'no_opinion' | 'waived';
  docNo: string | null;
  signedBy: string | null;
  text: string | null;
  round: number | null;
  at: string;
}

function coOpinionView(e: EventRecord): CoOpinionView {
  const s = e.summary;
  if (e.step === 'waiveCoOpinion') {
    return {
      unitId: e.actorUnitId,
      kind: 'waived',
      docNo: null,
      signedBy: null,
      text: typeof s.reason === 'string' ? s.reason : null,
      round: null,
      at: e.occurredAt.toISOString(),
    };
  }
  return {
    unitId: e.actorUnitId,
    kind: s.kind === 'no_opinion' ? 'no_opinion' : 'opinion',
    docNo: typeof s.docNo === 'string' ? s.docNo : null,
    signedBy: typeof s.signedBy === 'string' ? s.signedBy : e.actorName,
    text: e.text,
    round: typeof s.round === 'number' ? s.round : null,
    at: e.occurredAt.toISOString(),
  };
}

export async function readCoOpinions(db: Kysely<Database>, viewer: Viewer, workflowId: string): Promise<CoOpinionView[]> {
  const s = await standingOf(db, viewer, workflowId);
  if (s.audience === 'proposer') return [];
  const events = await listEventRecords(db, workflowId, ['submitCoOpinion', 'waiveCoOpinion']);
  // A waiver is the office's step: the unit it concerns is in the event's unit column.
  const views = events.map(coOpinionView);
  if (s.audience === 'staff' || s.answering) return views;
  return views.filter((v) => v.unitId === s.unitId);
}

export type ConsultationView = Omit<ConsultationRecord, 'summary' | 'recordedAt'> & { summary?: string | null; recordedAt: string };

export async function readConsultations(db: Kysely<Database>, viewer: Viewer, workflowId: string): Promise<ConsultationView[]> {
  const s = await standingOf(db, viewer, workflowId);
  const rows = (await listConsultations(db, workflowId)).map((c) => ({ ...c, recordedAt: c.recordedAt.toISOString() }));
  if (s.audience === 'staff') return rows;
  if (s.audience === 'unit') return rows.filter((c) => c.unitId === s.unitId);
  // The member was at the table; the unit's note of what was said stays the unit's.
  return rows.map(({ summary: _summary, ...rest }) => rest);
}

export type RatingView = Omit<RatingRecord, 'ratedAt'> & { ratedAt: string };

export async function readRatings(db: Kysely<Database>, viewer: Viewer, workflowId: string): Promise<RatingView[]> {
  const s = await standingOf(db, viewer, workflowId);
  const rows = (await listRatings(db, workflowId)).map((r) => ({ ...r, ratedAt: r.ratedAt.toISOString() }));
  if (s.audience === 'staff') return rows;
  if (s.audience === 'unit') return s.answering ? rows : [];
  return rows.filter((r) => r.proposerId === s.proposerId);
}

export interface FollowUpView {
  step: 'followUpRequested' | 'reportFollowUp';
  unitId: string | null;
  at: string;
  byName: string | null;
  report: string | null;
}

export async function readFollowUps(db: Kysely<Database>, viewer: Viewer, workflowId: string): Promise<FollowUpView[]> {
  const s = await standingOf(db, viewer, workflowId);
  const events = await listEventRecords(db, workflowId, ['followUpRequested', 'reportFollowUp']);
  const views = events.map((e): FollowUpView => ({
    step: e.step === 'reportFollowUp' ? 'reportFollowUp' : 'followUpRequested',
    unitId: e.actorUnitId,
    at: e.occurredAt.toISOString(),
    byName: e.actorName,
    report: e.text,
  }));
  if (s.audience === 'staff') return views;
  if (s.audience === 'unit') return s.answering ? views.filter((v) => v.unitId === null || v.unitId === s.unitId) : [];
  return views.filter((v) => v.step === 'reportFollowUp').map((v) => ({ ...v, byName: null }));
}

/** Documents this viewer may open: which rows, decided from the steps that made them. */
export async function readDocuments(db: Kysely<Database>, viewer: Viewer, workflowId: string): Promise<DocumentSummary[]> {
  const s = await standingOf(db, viewer, workflowId);
  const docs = await listDocuments(db, workflowId);
  if (s.audience === 'staff') return docs;
  const events = await listEventRecords(db, workflowId, ['dispatch', 'reissueLetter', 'mergedReply', 'submitCoOpinion']);
  // A letter issued again (答复函更正) reaches whoever the sent one reached; a merged proposal's
  // own letter (并案) is its proposers'.
  const letters = events.filter(
    (e) =>
      (e.step === 'dispatch' || e.step === 'reissueLetter' || e.step === 'mergedReply') && (s.audience === 'proposer' || s.coHandling || e.actorUnitId === s.unitId),
  );
  const letterIds = new Set(letters.map((e) => e.summary.documentId));
  // A signed opinion's document carries its 提函 number in its title.
  const opinionNos = events
    .filter((e) => e.step === 'submitCoOpinion' && s.audience === 'unit' && (s.answering || e.actorUnitId === s.unitId))
    .flatMap((e) => (typeof e.summary.docNo === 'string' ? [e.summary.docNo] : []));
  return docs.filter((d) => (d.kind === 'reply_letter' && letterIds.has(d.id)) || (d.kind === 'co_opinion' && opinionNos.some((no) => d.title.includes(no))));
}
