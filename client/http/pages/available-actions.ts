import { currentSigner } from '../../../workflows/proposal/signoff-chain.js';
import type { UserRow } from '../../../db/schema.js';
import type { ProposalView as ProposalState } from '../../../workflows/proposal/definitions.js';
import { ACTION_NAMES, actionRule, type ActionName } from '../../../workflows/proposal/machine.js';
import { activeUnit, raters, trackOf } from '../../../workflows/proposal/state.js';

// Which action forms a proposal's page offers this person: the table's answer (their role, the
// proposal's stage) narrowed by the live state to what can make sense now, so a co-unit is not
// offered the reply draft and a leader sees the sign-off only when a draft waits for it. The
// narrowing only hides forms; the workflow's validators still decide, and a refusal still
// reaches the person (a draft submitted before any consultation is offered, and refused).

type Narrow = (state: ProposalState, user: UserRow) => boolean;

const answering: Narrow = (s, u) => !!u.unit_id && !!trackOf(s, u.unit_id) && !!activeUnit(s, u.unit_id);
const drafting: Narrow = (s, u) => answering(s, u) && trackOf(s, u.unit_id!)!.status === 'drafting';

const NARROW: Partial<Record<ActionName, Narrow>> = {
  recordConsultation: answering,
  recordNoConsultation: (s, u) => answering(s, u) && trackOf(s, u.unit_id!)!.consultations === 0,
  saveDraft: drafting,
  submitForSignOff: drafting,
  // The signer of the chain's current step (审签流程); without a chain, the unit's leaders.
  signOff: (s, u) => {
    const track = answering(s, u) ? trackOf(s, u.unit_id!)! : null;
    if (track?.status !== 'signoff') return false;
    return track.signOff ? currentSigner(track.signOff) === u.role : u.role !== 'liaison';
  },
  requestExtension: answering,
  requestAdjustment: (s, u) => !!activeUnit(s, u.unit_id) && activeUnit(s, u.unit_id)!.adjustment?.status !== 'requested',
  submitCoOpinion: (s, u) => {
    const mine = activeUnit(s, u.unit_id);
    return mine?.role === 'co' && mine.coOpinion?.status === 'due';
  },
  proposePublication: answering,
  reportFollowUp: (s, u) => answering(s, u) && (s.followUp?.status === 'requested' || s.followUps?.[u.unit_id ?? '']?.status === 'pending'),
  decideAdjustment: (s) => s.units.some((x) => x.adjustment?.status === 'requested'),
  decideExtension: (s) => Object.values(s.deadlines).some((d) => d.pendingExtension !== null),
  waiveCoOpinion: (s) => s.units.some((x) => x.role === 'co' && x.coOpinion?.status === 'due'),
  overrideClass: (s) => s.tracks.some((t) => t.replyClass !== null),
  recordOfficeConsultation: (s) => s.officeChairedConsultation && !s.officeConsultationHeld,
  rate: (s, u) => u.role === 'office' || (u.proposer_id !== null && raters(s).includes(u.proposer_id) && !s.ratings.some((r) => r.proposerId === u.proposer_id)),
  approvePublication: (s) => s.publication?.status === 'proposed',
};

export function availableActions(state: ProposalState, user: UserRow): ActionName[] {
  return ACTION_NAMES.filter((name) => {
    const rule = actionRule(name);
    if (!rule.roles.includes(user.role) || !rule.from.includes(state.stage)) return false;
    return NARROW[name]?.(state, user) ?? true;
  });
}

/** The forms shown open: the step the person is most likely here for; the rest fold away. */
export const PRIMARY_ACTIONS: ReadonlySet<ActionName> = new Set([
  'file',
  'assign',
  'recordConsultation',
  'saveDraft',
  'submitForSignOff',
  'signOff',
  'submitCoOpinion',
  'rate',
]);
