import type { ProposalView as ProposalState } from '../../workflows/proposal/definitions.js';
import { STAGE_LABELS } from '../../workflows/proposal/machine.js';
import type { ReplyTrack, UnitAssignment } from '../../workflows/proposal/state.js';
import type { HandlingMode, ProposerKind, PublicationMode, Satisfaction, Stage, UnitRole } from '../../workflows/shared/types.js';
import { audienceOf, type Viewer } from './visibility.js';

// The live workflow state as each audience may see it: what an action answers with and the
// `live` part of a proposal's detail. The carried state itself (policy body, clock bookkeeping,
// child workflow ids, text hashes, author ids) never leaves the server.

interface ProcessBase {
  workflowId: string;
  sessionCode: string;
  receiptNo: string;
  title: string;
  proposerKind: ProposerKind;
  stage: Stage;
  stageLabel: string;
  proposalNo: string | null;
  round: number;
  keyProposal: boolean;
  supervisingLeader: string | null;
  mode: HandlingMode | null;
  filing: ProposalState['filing'];
  feedbackDueAt: string | null;
}

export interface DraftView {
  version: number;
  replyClass: string;
  at: string;
  changeNote: string | null;
}

/** A unit's reply as the office and the unit itself follow it. */
export type TrackView = Omit<ReplyTrack, 'drafts'> & { drafts: DraftView[] };

/** Another unit's (or, for a proposer, any unit's) reply: only whether and when it went out. */
export interface ReplyOutline {
  unitId: string;
  status: 'in_progress' | 'dispatched';
  docNo: string | null;
  dispatchedAt: string | null;
  /** The class printed on the letter, once it went out. */
  replyClass: string | null;
}

type CoOpinionView = Omit<NonNullable<UnitAssignment['coOpinion']>, 'hash'>;
export type AssignmentView = Omit<UnitAssignment, 'coOpinion'> & { coOpinion: CoOpinionView | null };
export interface AssignmentOutline {
  unitId: string;
  role: UnitRole;
  coOpinion: { status: CoOpinionView['status']; dueAt: string | null } | null;
}

export interface StaffProcessView extends ProcessBase {
  audience: 'staff';
  proposerIds: number[];
  mergedProposerIds: number[];
  units: AssignmentView[];
  removedUnits: string[];
  tracks: TrackView[];
  unsatisfiedRounds: number;
  officeChairedConsultation: boolean;
  officeConsultationHeld: boolean;
  ratings: ProposalState['ratings'];
  publication: ProposalState['publication'];
  followUp: { dueDate: string; status: 'pending' | 'requested' | 'reported' } | null;
  /** 回头看 per promise: every answering unit's checkpoint. */
  followUps: FollowUpCheckpointView[];
  policyVersion: number;
}

export interface FollowUpCheckpointView {
  unitId: string;
  replyClass: string;
  promised: string | null;
  dueDate: string;
  status: 'pending' | 'reported';
  reportedAt: string | null;
}

export interface UnitProcessView extends ProcessBase {
  audience: 'unit';
  unitId: string | null;
  /** The viewer's unit was taken off this proposal; what it did stays on record. */
  removed: boolean;
  units: (AssignmentView | AssignmentOutline)[];
  tracks: (TrackView | ReplyOutline)[];
  officeChairedConsultation: boolean;
  officeConsultationHeld: boolean;
  ratings: { attitude: Satisfaction; result: Satisfaction; onBehalf: boolean }[];
  publication: ProposalState['publication'];
  followUp: { dueDate: string; status: 'pending' | 'requested' | 'reported' } | null;
  /** The viewer's own unit's checkpoint (回头看), if its reply promised anything. */
  followUps: FollowUpCheckpointView[];
}

export interface ProposerProcessView extends ProcessBase {
  audience: 'proposer';
  units: { unitId: string; role: UnitRole }[];
  tracks: ReplyOutline[];
  /** The viewer's own ratings; a co-signer's are theirs. */
  ratings: { attitude: Satisfaction; result: Satisfaction }[];
  publication: { mode: PublicationMode } | null;
}

export type ProcessView = StaffProcessView | UnitProcessView | ProposerProcessView;

function base(s: ProposalState): ProcessBase {
  return {
    workflowId: s.workflowId,
    sessionCode: s.sessionCode,
    receiptNo: s.receiptNo,
    title: s.title,
    proposerKind: s.proposerKind,
    stage: s.stage,
    stageLabel: STAGE_LABELS[s.stage],
    proposalNo: s.proposalNo,
    round: s.round,
    keyProposal: s.keyProposal,
    supervisingLeader: s.supervisingLeader,
    mode: s.mode,
    filing: s.filing,
    feedbackDueAt: s.feedbackDueAt,
  };
}

function trackView(t: ReplyTrack): TrackView {
  return { ...t, drafts: t.drafts.map((d) => ({ version: d.version, replyClass: d.replyClass, at: d.at, changeNote: d.changeNote })) };
}

function outline(t: ReplyTrack): ReplyOutline {
  const out = t.status === 'dispatched';
  return { unitId: t.unitId, status: out ? 'dispatched' : 'in_progress', docNo: t.docNo, dispatchedAt: t.dispatchedAt, replyClass: out ? t.replyClass : null };
}

function assignmentView(u: UnitAssignment): AssignmentView {
  if (!u.coOpinion) return { ...u, coOpinion: null };
  const { hash: _hash, ...coOpinion } = u.coOpinion;
  return { ...u, coOpinion };
}

function assignmentOutline(u: UnitAssignment): AssignmentOutline {
  return { unitId: u.unitId, role: u.role, coOpinion: u.coOpinion ? { status: u.coOpinion.status, dueAt: u.coOpinion.dueAt } : null };
}

function followUpView(s: ProposalState): StaffProcessView['followUp'] {
  return s.followUp ? { dueDate: s.followUp.dueDate, status: s.followUp.status } : null;
}

function checkpointViews(s: ProposalState, only?: string | null): FollowUpCheckpointView[] {
  return Object.values(s.followUps ?? {})
    .filter((c) => only === undefined || c.unitId === only)
    .map((c) => ({ unitId: c.unitId, replyClass: c.replyClass, promised: c.promised, dueDate: c.dueDate, status: c.status, reportedAt: c.reportedAt ?? null }));
}

export function processView(state: ProposalState, viewer: Viewer): ProcessView {
  switch (audienceOf(viewer)) {
    case 'staff':
      return {
        ...base(state),
        audience: 'staff',
        proposerIds: state.proposerIds,
        mergedProposerIds: state.mergedProposerIds,
        units: state.units.map(assignmentView),
        removedUnits: state.removedUnits,
        tracks: state.tracks.map(trackView),
        unsatisfiedRounds: state.unsatisfiedRounds,
        officeChairedConsultation: state.officeChairedConsultation,
        officeConsultationHeld: state.officeConsultationHeld ?? false,
        ratings: state.ratings,
        publication: state.publication,
        followUp: followUpView(state),
        followUps: checkpointViews(state),
        policyVersion: state.policy.version,
      };
    case 'unit': {
      const mine = (unitId: string) => unitId === viewer.unitId;
      return {
        ...base(state),
        audience: 'unit',
        unitId: viewer.unitId,
        removed: viewer.unitId !== null && state.removedUnits.includes(viewer.unitId),
        units: state.units.map((u) => (mine(u.unitId) ? assignmentView(u) : assignmentOutline(u))),
        tracks: state.tracks.map((t) => (mine(t.unitId) ? trackView(t) : outline(t))),
        officeChairedConsultation: state.officeChairedConsultation,
        officeConsultationHeld: state.officeConsultationHeld ?? false,
        ratings: state.ratings.map((r) => ({ attitude: r.attitude, result: r.result, onBehalf: r.onBehalf })),
        publication: state.publication,
        followUp: state.tracks.some((t) => mine(t.unitId)) ? followUpView(state) : null,
        followUps: checkpointViews(state, viewer.unitId),
      };
    }
    case 'proposer':
      return {
        ...base(state),
        audience: 'proposer',
        units: state.units.map((u) => ({ unitId: u.unitId, role: u.role })),
        tracks: state.tracks.map(outline),
        ratings: state.ratings.filter((r) => r.proposerId === viewer.proposerId).map((r) => ({ attitude: r.attitude, result: r.result })),
        publication: state.publication?.status === 'approved' ? { mode: state.publication.mode } : null,
      };
  }
}
