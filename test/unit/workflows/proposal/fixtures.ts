import { ApplicationFailure } from '@temporalio/common';
import { expect } from 'vitest';
import { DEFAULT_POLICY } from '../../../../activities/policy/default-policy.js';
import type { FailureType } from '../../../../workflows/shared/failures.js';
import { ACTIONS, type ActionOutcome, type ActionSpec } from '../../../../workflows/proposal/actions/index.js';
import type { ActionInput, ActionName } from '../../../../workflows/proposal/machine.js';
import { syncDeadlines } from '../../../../workflows/proposal/clock.js';
import { initialState, type DueRequest, type ProposalState } from '../../../../workflows/proposal/state.js';
import type { Actor, DueDate, HandlingMode, PolicyBody, ProposerKind, Role } from '../../../../workflows/shared/types.js';

// Builders for the pure proposal state machine. Every state moves forward only through
// ACTIONS[name].check + .apply (plus `dispatchAll`, which mirrors what the workflow itself does
// after sign-off, since dispatch is not a human action).

export type ActionInputs = { [K in ActionName]: ActionInput<K> };
type ConsultationInput = ActionInput<'recordConsultation'>;
type DraftInput = ActionInput<'saveDraft'>;

// ------------------------------------------------------------------ clock
/** A timeline (UTC instants, all during the working day in Asia/Shanghai). */
export const T = {
  received: '2026-02-10T02:00:00.000Z',
  filed: '2026-02-12T02:00:00.000Z',
  assigned: '2026-02-20T02:00:00.000Z',
  withinWindow: '2026-02-25T02:00:00.000Z',
  consulted: '2026-03-02T02:00:00.000Z',
  drafted: '2026-03-05T02:00:00.000Z',
  coOpinion: '2026-03-10T02:00:00.000Z',
  signOff: '2026-03-20T02:00:00.000Z',
  dispatched: '2026-04-01T02:00:00.000Z',
  rated: '2026-04-08T02:00:00.000Z',
  afterFeedback: '2026-04-30T02:00:00.000Z',
  closed: '2026-05-01T02:00:00.000Z',
} as const;

function due(key: string, ruleKey: string, start: string, dueDate: string, explanation: string): DueDate {
  return { key, ruleKey, start, dueAt: `${dueDate}T15:59:59.999Z`, dueDate, explanation, calendarConfirmed: true };
}

/** What the calendar activity would answer for an assignment on T.assigned. */
export const DUES = {
  reply: due('reply', 'reply', T.assigned, '2026-05-20', '自交办之日起3个月'),
  adjustmentWindow: due('adjustmentWindow', 'adjustmentWindow', T.assigned, '2026-02-27', '自交办之日起5个工作日'),
  coOpinion: due('coOpinion', 'coOpinion', T.assigned, '2026-03-20', '自交办之日起1个月'),
  /** The latest date an extension may reach: 6 months from assignment. */
  extensionCeiling: due('extensionCeiling', 'extensionCeiling', T.assigned, '2026-08-20', '自交办之日起6个月'),
  /** `reply` computed with the `rehandling` rule. */
  rehandlingReply: due('reply', 'rehandling', T.rated, '2026-08-01', '重新办理3个月'),
  rehandlingCeiling: due('extensionCeiling', 'extensionCeiling', T.rated, '2026-10-08', '自重新交办之日起6个月'),
  /** A replacement unit's fresh clocks (decideAdjustment / reassign). */
  freshReply: due('reply', 'reply', T.withinWindow, '2026-06-25', '自调整之日起3个月'),
  freshWindow: due('adjustmentWindow', 'adjustmentWindow', T.withinWindow, '2026-03-04', '自调整之日起5个工作日'),
  freshCoOpinion: due('coOpinion', 'coOpinion', T.withinWindow, '2026-04-25', '自调整之日起1个月'),
  freshCeiling: due('extensionCeiling', 'extensionCeiling', T.withinWindow, '2026-08-25', '自调整之日起6个月'),
  feedback: due('feedback', 'feedbackWindow', T.dispatched, '2026-04-22', '自答复之日起15个工作日'),
} as const;

export const ASSIGN_DUES: DueDate[] = [DUES.reply, DUES.adjustmentWindow, DUES.coOpinion, DUES.extensionCeiling];
export const FRESH_DUES: DueDate[] = [DUES.freshReply, DUES.freshWindow, DUES.freshCoOpinion, DUES.freshCeiling];
export const REHANDLING_DUES: DueDate[] = [DUES.rehandlingReply, DUES.rehandlingCeiling];

/** The end of a Beijing day as a UTC instant (what the calendar activity answers). */
export const endOfDay = (date: string): string => `${date}T15:59:59.999Z`;

/**
 * Answers a `dues()` request list the way the calendar activity would, from fixed dates: same
 * key, rule and start as asked; with approved extensions, the last extension's date.
 */
export function answerDues(requests: DueRequest[], _now?: string): DueDate[] {
  return requests.map((r) => {
    // A clock started after the assignment is a replacement unit's fresh one.
    const fresh = r.start > T.assigned;
    const base = ((): DueDate => {
      if (r.ruleKey === 'rehandling') return DUES.rehandlingReply;
      if (r.ruleKey === 'reply') return fresh ? DUES.freshReply : DUES.reply;
      if (r.ruleKey === 'adjustmentWindow') return fresh ? DUES.freshWindow : DUES.adjustmentWindow;
      if (r.ruleKey === 'coOpinion') return fresh ? DUES.freshCoOpinion : DUES.coOpinion;
      if (r.ruleKey === 'extensionCeiling') return r.start >= T.dispatched ? DUES.rehandlingCeiling : fresh ? DUES.freshCeiling : DUES.extensionCeiling;
      if (r.ruleKey === 'feedbackWindow') return DUES.feedback;
      throw new Error(`no fixture due for ${r.ruleKey}`);
    })();
    const last = r.extensions?.at(-1);
    const extended = last ? { dueAt: endOfDay(last.to), dueDate: last.to, explanation: `${base.explanation}；经批准延期至${last.to}` } : {};
    return { ...base, key: r.key, ruleKey: r.ruleKey, start: r.start, ...extended };
  });
}

// ------------------------------------------------------------------ policy and actors
export function policyBody(overrides: Partial<PolicyBody> = {}): PolicyBody {
  return { ...structuredClone(DEFAULT_POLICY), ...overrides };
}

let nextUserId = 1000;
export function actor(role: Role, extra: Partial<Actor> = {}): Actor {
  return { userId: nextUserId++, role, unitId: null, proposerId: null, name: `${role}-user`, ...extra };
}

export const office = (): Actor => actor('office', { name: '办公厅张科长' });
export const committee = (): Actor => actor('committee', { name: '提案委李主任' });
export const admin = (): Actor => actor('admin', { name: '管理员' });
export const liaison = (unitId: string): Actor => actor('liaison', { unitId, name: `${unitId}联络员` });
export const leader = (unitId: string): Actor => actor('leader', { unitId, name: `${unitId}分管领导` });
export const principal = (unitId: string): Actor => actor('principal', { unitId, name: `${unitId}主要负责人` });
export const proposer = (proposerId: number): Actor => actor('proposer', { proposerId, name: `委员${proposerId}` });

export const HASH = {
  body: 'a'.repeat(64),
  draft1: '1'.repeat(64),
  draft2: '2'.repeat(64),
  draft3: '3'.repeat(64),
  opinion: 'c'.repeat(64),
  summary: 'd'.repeat(64),
  followUp: 'f'.repeat(64),
} as const;

// ------------------------------------------------------------------ freezing and acting
export function deepFreeze<V>(value: V): V {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

function spec<K extends ActionName>(name: K): ActionSpec<ActionInputs[K]> {
  return ACTIONS[name];
}

/** Runs only the guard on a deep-frozen state (a guard that writes would throw). */
export function check<K extends ActionName>(state: ProposalState, name: K, who: Actor, input: ActionInputs[K], now: string = T.consulted): void {
  const before = JSON.stringify(state);
  deepFreeze(state);
  try {
    spec(name).check(state, who, input, now);
  } finally {
    expect(JSON.stringify(state)).toBe(before);
  }
}

/** `check` with a deliberately malformed input. */
export function checkRaw(state: ProposalState, name: ActionName, who: Actor, input: unknown, now: string = T.consulted): void {
  check(state, name, who, input as never, now);
}

export function duesFor<K extends ActionName>(state: ProposalState, name: K, who: Actor, input: ActionInputs[K], now: string): DueRequest[] {
  return spec(name).dues?.(state, who, input, now) ?? [];
}

/**
 * check, then apply, on a deep-frozen state, then `syncDeadlines` with the same dues (as the
 * workflow does). `dues` defaults to what the calendar would answer for the action's own
 * `dues()` requests.
 */
export function actFull<K extends ActionName>(
  state: ProposalState,
  name: K,
  who: Actor,
  input: ActionInputs[K],
  now: string = T.consulted,
  dues?: DueDate[],
): ActionOutcome {
  const before = JSON.stringify(state);
  deepFreeze(state);
  spec(name).check(state, who, input, now);
  const ctxDues = dues ?? answerDues(duesFor(state, name, who, input, now), now);
  const applied = spec(name).apply(state, who, input, { now, dues: ctxDues });
  expect(JSON.stringify(state)).toBe(before);
  expect(applied.state).not.toBe(state);
  // As the workflow's generic handler does: the step's due dates land on their deadlines.
  return { ...applied, state: syncDeadlines(applied.state, ctxDues) };
}

export function act<K extends ActionName>(
  state: ProposalState,
  name: K,
  who: Actor,
  input: ActionInputs[K],
  now: string = T.consulted,
  dues?: DueDate[],
): ProposalState {
  return actFull(state, name, who, input, now, dues).state;
}

/** Captures the typed failure thrown by `fn`. */
export function failureOf(fn: () => unknown): ApplicationFailure {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }
  throw new Error('expected a business failure, but nothing was thrown');
}

export function expectFailure(fn: () => unknown, type: FailureType, field?: string): ApplicationFailure {
  const failure = failureOf(fn);
  expect({ type: failure.type, message: failure.message }).toMatchObject({ type });
  expect(failure.nonRetryable).toBe(true);
  if (field !== undefined) expect((failure.details?.[0] as { field?: string } | undefined)?.field).toBe(field);
  return failure;
}

// ------------------------------------------------------------------ states
export interface BaseOptions {
  proposerIds?: number[];
  mergedProposerIds?: number[];
  proposerKind?: ProposerKind;
  policy?: Partial<PolicyBody>;
  policyVersion?: number;
}

export function receivedState(opts: BaseOptions = {}): ProposalState {
  const state = initialState({
    workflowId: 'proposal:十四届四次会议:R0001',
    sessionCode: '十四届四次会议',
    receiptNo: 'R0001',
    title: '关于加快发展县域养老服务的建议',
    bodyHash: HASH.body,
    proposerKind: opts.proposerKind ?? ((opts.proposerIds?.length ?? 1) > 1 ? 'joint' : 'individual'),
    policy: { version: opts.policyVersion ?? 1, body: policyBody(opts.policy) },
  });
  return { ...state, proposerIds: opts.proposerIds ?? [11], mergedProposerIds: opts.mergedProposerIds ?? [] };
}

export function filedState(opts: BaseOptions = {}): ProposalState {
  return act(receivedState(opts), 'file', committee(), { outcome: 'filed', proposalNo: '第224号' }, T.filed);
}

export function assignedState(mode: HandlingMode = 'sole', units: string[] = mode === 'sole' ? ['u1'] : ['u1', 'u2'], opts: BaseOptions = {}): ProposalState {
  return act(filedState(opts), 'assign', office(), { mode, units }, T.assigned, ASSIGN_DUES);
}

export const consultation = (over: Partial<ConsultationInput> = {}): ConsultationInput => ({
  date: '2026-03-01',
  way: 'face_to_face',
  participants: '张委员、办公室王主任',
  summaryHash: HASH.summary,
  ...over,
});

export const draftA = (over: Partial<DraftInput> = {}): DraftInput => ({ bodyHash: HASH.draft1, replyClass: 'A', ...over });
export const draftB = (over: Partial<DraftInput> = {}): DraftInput => ({
  bodyHash: HASH.draft1,
  replyClass: 'B',
  promisedActions: '2026年底前出台县域养老服务设施建设方案',
  followUpDate: '2026-12-31',
  ...over,
});

/** Consults and drafts (class A unless given) for `unitId`, leaving the track in drafting. */
export function drafted(state: ProposalState, unitId: string, draft: DraftInput = draftA()): ProposalState {
  let s = act(state, 'recordConsultation', liaison(unitId), consultation(), T.consulted);
  s = act(s, 'saveDraft', liaison(unitId), draft, T.drafted);
  return s;
}

/** Submits co-opinions for every co-unit still due. */
export function coOpinionsIn(state: ProposalState): ProposalState {
  let s = state;
  for (const u of state.units) {
    if (u.role === 'co' && u.coOpinion?.status === 'due') s = act(s, 'submitCoOpinion', liaison(u.unitId), { kind: 'opinion', bodyHash: HASH.opinion }, T.coOpinion);
  }
  return s;
}

/** Drafts, submits and has the leader (or principal) approve the reply of `unitId`. */
export function approved(state: ProposalState, unitId: string, draft: DraftInput = draftA()): ProposalState {
  let s = drafted(state, unitId, draft);
  s = act(s, 'submitForSignOff', liaison(unitId), {}, T.signOff);
  const signer = s.keyProposal && s.policy.body.principalSignOffForKey ? principal(unitId) : leader(unitId);
  return act(s, 'signOff', signer, { decision: 'approve' }, T.signOff);
}

/**
 * What the workflow does after sign-off (it is not a human action): marks approved tracks
 * dispatched and, once all are, moves to `dispatched` with the feedback deadline (synced onto
 * `deadlines.feedback`, as the workflow's dispatch does).
 */
export function dispatchAll(state: ProposalState, now: string = T.dispatched, feedbackDueAt: string = DUES.feedback.dueAt): ProposalState {
  const tracks = state.tracks.map((t, i) =>
    t.status === 'approved' ? { ...t, status: 'dispatched' as const, dispatchedAt: now, docNo: `浙发改提〔2026〕${263 + i}号` } : t,
  );
  const allDone = tracks.every((t) => t.status === 'dispatched');
  const dues: DueDate[] = allDone
    ? [{ ...DUES.feedback, start: now, dueAt: feedbackDueAt, dueDate: new Date(Date.parse(feedbackDueAt) + 8 * 3600_000).toISOString().slice(0, 10) }]
    : [];
  return syncDeadlines({ ...state, tracks, stage: allDone ? 'dispatched' : state.stage, feedbackDueAt: allDone ? feedbackDueAt : state.feedbackDueAt }, dues);
}

/** A sole-unit proposal answered and dispatched, awaiting feedback. */
export function dispatchedState(opts: BaseOptions & { draft?: DraftInput } = {}): ProposalState {
  return dispatchAll(approved(assignedState('sole', ['u1'], opts), 'u1', opts.draft ?? draftA()));
}

/** Lead + co-handling, all answered and dispatched. */
export function dispatchedLeadState(opts: BaseOptions = {}): ProposalState {
  const s = coOpinionsIn(assignedState('lead', ['u1', 'u2'], opts));
  return dispatchAll(approved(s, 'u1'));
}

export function closedState(opts: BaseOptions & { draft?: DraftInput } = {}): ProposalState {
  let s = dispatchedState(opts);
  for (const p of [...s.proposerIds, ...s.mergedProposerIds]) {
    if (s.stage !== 'dispatched') break;
    if (s.policy.body.ratingBy === 'first_proposer' && p !== s.proposerIds[0] && !s.mergedProposerIds.includes(p)) continue;
    s = act(s, 'rate', proposer(p), { attitude: 'satisfied', result: 'satisfied' }, T.rated);
  }
  return act(s, 'close', office(), {}, T.closed);
}

/** Forces a stage, for table-driven guard tests only (not a reachable state in general). */
export function inStage(state: ProposalState, stage: ProposalState['stage']): ProposalState {
  return { ...structuredClone(state), stage };
}
