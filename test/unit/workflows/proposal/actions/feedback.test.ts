import { describe, expect, it } from 'vitest';
import { FailureType } from '../../../../../workflows/shared/failures.js';
import { closeProposal } from '../../../../../workflows/proposal/actions/closing.js';
import { raters } from '../../../../../workflows/proposal/state.js';
import {
  act,
  actFull,
  approved,
  assignedState,
  check,
  checkRaw,
  closedState,
  committee,
  consultation,
  dispatchAll,
  dispatchedLeadState,
  dispatchedState,
  draftA,
  draftB,
  drafted,
  DUES,
  duesFor,
  expectFailure,
  HASH,
  inStage,
  leader,
  liaison,
  office,
  proposer,
  T,
} from '../fixtures.js';

// 征询意见, 重新办理, 公开, 办结, 回头看.

const satisfied = { attitude: 'satisfied', result: 'satisfied' } as const;
const unsatisfied = { attitude: 'basically_satisfied', result: 'unsatisfied' } as const;

describe('rate (征询意见)', () => {
  it('a proposer rates; the rating is recorded for this round; no re-handling', () => {
    const s = dispatchedState({ proposerIds: [11] });
    expect(duesFor(s, 'rate', proposer(11), satisfied, T.rated)).toEqual([]);
    const { state, record } = actFull(s, 'rate', proposer(11), { ...satisfied, comment: ' 办理认真 ' }, T.rated);
    expect(state.ratings).toEqual([{ proposerId: 11, attitude: 'satisfied', result: 'satisfied', onBehalf: false }]);
    expect(state.stage).toBe('dispatched');
    expect(state.round).toBe(0);
    expect(record.rating).toEqual({ proposerId: 11, round: 0, attitude: 'satisfied', result: 'satisfied', comment: '办理认真', onBehalf: false });
    expect(record.summary).toMatchObject({ proposerId: 11, rehandling: false });
    expect(record.notifications).toEqual([]);
  });

  it('empty comments are stored as null', () => {
    const s = dispatchedState();
    expect(actFull(s, 'rate', proposer(11), { ...satisfied, comment: '   ' }, T.rated).record.rating!.comment).toBeNull();
    expect(actFull(s, 'rate', proposer(11), satisfied, T.rated).record.rating!.comment).toBeNull();
  });

  it('rating twice is ALREADY_DONE', () => {
    const s = act(dispatchedState(), 'rate', proposer(11), satisfied, T.rated);
    expectFailure(() => check(s, 'rate', proposer(11), satisfied, T.rated), FailureType.ALREADY_DONE);
  });

  it("ratingBy 'all_proposers': each co-signer rates once", () => {
    let s = dispatchedState({ proposerIds: [11, 12, 13] });
    s = act(s, 'rate', proposer(12), { attitude: 'basically_satisfied', result: 'basically_satisfied' }, T.rated);
    s = act(s, 'rate', proposer(11), satisfied, T.rated);
    expect(s.ratings.map((r) => r.proposerId)).toEqual([12, 11]);
    expectFailure(() => check(s, 'rate', proposer(12), satisfied, T.rated), FailureType.ALREADY_DONE);
    expect(() => check(s, 'rate', proposer(13), satisfied, T.rated)).not.toThrow();
  });

  it("ratingBy 'first_proposer': only 第一提案人; the co-signer is NOT_THE_RATER", () => {
    const s = dispatchedState({ proposerIds: [11, 12], policy: { ratingBy: 'first_proposer' } });
    const f = expectFailure(() => check(s, 'rate', proposer(12), satisfied, T.rated), FailureType.NOT_THE_RATER);
    expect(f.message).toContain('第一提案人');
    expect(act(s, 'rate', proposer(11), satisfied, T.rated).ratings).toHaveLength(1);
  });

  it('proposers of a merged proposal rate too (also under first_proposer)', () => {
    const s = dispatchedState({ proposerIds: [11, 12], mergedProposerIds: [21], policy: { ratingBy: 'first_proposer' } });
    expect(raters(s)).toEqual([11, 21]);
    expect(act(s, 'rate', proposer(21), satisfied, T.rated).ratings[0]!.proposerId).toBe(21);
  });

  it('a proposer whose id is not among the raters is refused, also one without an id', () => {
    const s = dispatchedState({ proposerIds: [11, 12] });
    const f = expectFailure(() => check(s, 'rate', proposer(99), satisfied, T.rated), FailureType.NOT_THE_RATER);
    expect(f.message).toContain('提案者');
    expectFailure(() => check(s, 'rate', { ...proposer(11), proposerId: null }, satisfied, T.rated), FailureType.NOT_THE_RATER);
  });

  it("a proposer can't rate on behalf of another by naming a proposerId", () => {
    const s = dispatchedState({ proposerIds: [11, 12] });
    const next = act(s, 'rate', proposer(11), { ...satisfied, proposerId: 12 }, T.rated);
    expect(next.ratings).toEqual([{ proposerId: 11, attitude: 'satisfied', result: 'satisfied', onBehalf: false }]);
    expectFailure(() => check(dispatchedState({ proposerIds: [11] }), 'rate', proposer(99), { ...satisfied, proposerId: 11 }, T.rated), FailureType.NOT_THE_RATER);
  });

  it('the office enters a paper form with proposerId (onBehalf)', () => {
    const s = dispatchedState({ proposerIds: [11, 12] });
    const { state, record } = actFull(s, 'rate', office(), { ...satisfied, proposerId: 12 }, T.rated);
    expect(state.ratings).toEqual([{ proposerId: 12, attitude: 'satisfied', result: 'satisfied', onBehalf: true }]);
    expect(record.rating).toMatchObject({ proposerId: 12, onBehalf: true });
    expect(record.summary).toMatchObject({ proposerId: 12, onBehalf: true });
    // The member it spoke for has now rated.
    expectFailure(() => check(state, 'rate', proposer(12), satisfied, T.rated), FailureType.ALREADY_DONE);
    expectFailure(() => check(state, 'rate', office(), { ...satisfied, proposerId: 12 }, T.rated), FailureType.ALREADY_DONE);
  });

  it('the office must name the proposer, and only a rater', () => {
    const s = dispatchedState({ proposerIds: [11, 12], policy: { ratingBy: 'first_proposer' } });
    expectFailure(() => check(s, 'rate', office(), satisfied, T.rated), FailureType.INVALID_INPUT, 'proposerId');
    expectFailure(() => check(s, 'rate', office(), { ...satisfied, proposerId: 12 }, T.rated), FailureType.NOT_THE_RATER);
    expectFailure(() => check(s, 'rate', office(), { ...satisfied, proposerId: 99 }, T.rated), FailureType.NOT_THE_RATER);
  });

  it('after feedbackDueAt is DEADLINE_PASSED (the due instant itself is still in time)', () => {
    const s = dispatchedState();
    expect(() => check(s, 'rate', proposer(11), satisfied, DUES.feedback.dueAt)).not.toThrow();
    const f = expectFailure(() => check(s, 'rate', proposer(11), satisfied, '2026-04-22T16:00:00.000Z'), FailureType.DEADLINE_PASSED);
    expect(f.message).toContain('2026-04-22');
    expectFailure(() => check(s, 'rate', office(), { ...satisfied, proposerId: 11 }, T.afterFeedback), FailureType.DEADLINE_PASSED);
  });

  it('malformed attitude, result, comment', () => {
    const s = dispatchedState();
    expectFailure(() => checkRaw(s, 'rate', proposer(11), { attitude: 'happy', result: 'satisfied' }, T.rated), FailureType.INVALID_INPUT, 'attitude');
    expectFailure(() => checkRaw(s, 'rate', proposer(11), { attitude: 'satisfied' }, T.rated), FailureType.INVALID_INPUT, 'result');
    expectFailure(() => checkRaw(s, 'rate', proposer(11), { ...satisfied, comment: 42 }, T.rated), FailureType.INVALID_INPUT, 'comment');
    expectFailure(() => check(s, 'rate', proposer(11), { ...satisfied, comment: 'x'.repeat(2001) }, T.rated), FailureType.INVALID_INPUT, 'comment');
    expect(() => check(s, 'rate', proposer(11), { ...satisfied, comment: null }, T.rated)).not.toThrow();
  });

  it('not before dispatch (WRONG_STAGE), not by a liaison (FORBIDDEN_ROLE)', () => {
    expectFailure(() => check(approved(assignedState(), 'u1'), 'rate', proposer(11), satisfied, T.rated), FailureType.WRONG_STAGE);
    expectFailure(() => check(dispatchedState(), 'rate', liaison('u1'), satisfied, T.rated), FailureType.FORBIDDEN_ROLE);
  });

  it('an unsatisfied attitude alone does not start re-handling', () => {
    const s = act(dispatchedState(), 'rate', proposer(11), { attitude: 'unsatisfied', result: 'basically_satisfied' }, T.rated);
    expect(s.stage).toBe('dispatched');
    expect(s.unsatisfiedRounds).toBe(0);
  });
});

describe('re-handling after an unsatisfied result (重新办理)', () => {
  it('asks for a re-handling reply due', () => {
    expect(duesFor(dispatchedState(), 'rate', proposer(11), unsatisfied, T.rated)).toEqual([
      { key: 'reply', ruleKey: 'rehandling', start: T.rated },
      { key: 'extensionCeiling', ruleKey: 'extensionCeiling', start: T.rated },
    ]);
  });

  it('starts a new round: handling, fresh tracks, ratings and feedback clock cleared, units told', () => {
    const s = dispatchedLeadState({ proposerIds: [11] });
    const { state, record } = actFull(s, 'rate', proposer(11), { ...unsatisfied, comment: '答复空泛' }, T.rated);
    expect(state.stage).toBe('handling');
    expect(state.round).toBe(1);
    expect(state.unsatisfiedRounds).toBe(1);
    expect(state.officeChairedConsultation).toBe(false);
    expect(state.ratings).toEqual([]);
    expect(state.feedbackDueAt).toBeNull();
    expect(state.followUp).toBeNull();
    expect(state.tracks).toHaveLength(1);
    expect(state.tracks[0]).toMatchObject({
      unitId: 'u1',
      status: 'drafting',
      drafts: [],
      consultations: 0,
      signOffRounds: 0,
      docNo: null,
      dispatchedAt: null,
      dueAt: DUES.rehandlingReply.dueAt,
    });
    // Co-units are not asked again; no adjustment window in re-handling.
    expect(state.units.map((u) => [u.unitId, u.role, u.adjustmentWindowEndsAt, u.adjustment, u.coOpinion?.status ?? null])).toEqual([
      ['u1', 'lead', null, null, null],
      ['u2', 'co', null, null, 'waived'],
    ]);
    // The rating itself belongs to round 0.
    expect(record.rating).toMatchObject({ proposerId: 11, round: 0, result: 'unsatisfied', comment: '答复空泛' });
    expect(record.summary).toMatchObject({ rehandling: true });
    expect(record.notifications).toEqual([
      {
        kind: 'rehandling',
        to: { unitLiaisons: ['u1'] },
        cc: { office: true, committee: true },
        params: { title: s.title, proposalNo: '第224号', cause: '提案者对办理结果不满意', officeChaired: '否' },
      },
    ]);
  });

  it('the new round needs a new consultation before sign-off, not the co-units, and accepts no adjustment request', () => {
    let s = act(dispatchedLeadState(), 'rate', proposer(11), unsatisfied, T.rated);
    expectFailure(() => check(s, 'requestAdjustment', liaison('u1'), { reason: '不是我们的事' }, T.rated), FailureType.DEADLINE_PASSED);
    const { record } = actFull(s, 'saveDraft', liaison('u1'), draftA({ bodyHash: HASH.draft2 }), T.rated);
    expect(record.replyVersion).toMatchObject({ version: 1, round: 1 });
    s = act(s, 'saveDraft', liaison('u1'), draftA({ bodyHash: HASH.draft2 }), T.rated);
    expectFailure(() => check(s, 'submitForSignOff', liaison('u1'), {}, T.rated), FailureType.PRECONDITION_FAILED);
    const consulted = actFull(s, 'recordConsultation', liaison('u1'), consultation({ date: '2026-04-08' }), T.rated);
    expect(consulted.record.consultation!.round).toBe(1);
    s = act(consulted.state, 'submitForSignOff', liaison('u1'), {}, T.rated);
    expect(s.tracks[0]!.status).toBe('signoff');
  });

  it('after the new reply is dispatched, everybody rates again', () => {
    let s = act(dispatchedState({ proposerIds: [11, 12] }), 'rate', proposer(12), satisfied, T.rated);
    s = act(s, 'rate', proposer(11), unsatisfied, T.rated);
    expect(s.ratings).toEqual([]);
    s = dispatchAll(approved(s, 'u1'), '2026-05-10T02:00:00.000Z', '2026-06-01T15:59:59.999Z');
    expect(s.stage).toBe('dispatched');
    expect(() => check(s, 'rate', proposer(12), satisfied, '2026-05-12T02:00:00.000Z')).not.toThrow();
    expect(() => check(s, 'rate', proposer(11), satisfied, '2026-05-12T02:00:00.000Z')).not.toThrow();
  });

  it('a second unsatisfied result marks an office-chaired face-to-face consultation', () => {
    let s = act(dispatchedState(), 'rate', proposer(11), unsatisfied, T.rated);
    s = dispatchAll(approved(s, 'u1'), '2026-05-10T02:00:00.000Z', '2026-06-01T15:59:59.999Z');
    const { state, record } = actFull(s, 'rate', proposer(11), unsatisfied, '2026-05-12T02:00:00.000Z');
    expect(state).toMatchObject({ stage: 'handling', round: 2, unsatisfiedRounds: 2, officeChairedConsultation: true });
    expect(record.rating!.round).toBe(1);
    expect(record.notifications[0]!.params.officeChaired).toBe('是');
  });

  it('split handling: every answering unit starts again', () => {
    let s = assignedState('split', ['u1', 'u2']);
    s = dispatchAll(approved(approved(s, 'u1'), 'u2'));
    expect(s.stage).toBe('dispatched');
    s = act(s, 'rate', proposer(11), unsatisfied, T.rated);
    expect(s.tracks.map((t) => [t.unitId, t.status])).toEqual([
      ['u1', 'drafting'],
      ['u2', 'drafting'],
    ]);
  });
});

describe('orderRehandling (责成重新办理)', () => {
  it('the committee orders re-handling of a dispatched reply', () => {
    const s = dispatchedState();
    expect(duesFor(s, 'orderRehandling', committee(), { reason: 'x' }, T.rated)).toEqual([
      { key: 'reply', ruleKey: 'rehandling', start: T.rated },
      { key: 'extensionCeiling', ruleKey: 'extensionCeiling', start: T.rated },
    ]);
    const { state, record } = actFull(s, 'orderRehandling', committee(), { reason: ' 答复未逐条回应 ' }, T.rated);
    expect(state).toMatchObject({ stage: 'handling', round: 1, unsatisfiedRounds: 0, officeChairedConsultation: false, ratings: [], feedbackDueAt: null });
    expect(state.tracks[0]).toMatchObject({ unitId: 'u1', status: 'drafting', dueAt: DUES.rehandlingReply.dueAt });
    expect(record.summary).toMatchObject({ reason: '答复未逐条回应', round: 1 });
    expect(record.notifications).toEqual([
      {
        kind: 'rehandling',
        to: { unitLiaisons: ['u1'] },
        cc: { office: true, committee: true },
        params: { title: s.title, proposalNo: '第224号', cause: '答复未逐条回应', officeChaired: '否' },
      },
    ]);
  });

  it('the office may order it after closing; the follow-up is dropped', () => {
    const s = closedState({ draft: draftB() });
    expect(s.followUp).not.toBeNull();
    const next = act(s, 'orderRehandling', office(), { reason: '回头看发现未落实' }, T.closed);
    expect(next).toMatchObject({ stage: 'handling', round: 1, followUp: null });
  });

  it('needs a reason; not while handling; not by a liaison', () => {
    expectFailure(() => check(dispatchedState(), 'orderRehandling', committee(), { reason: ' ' }), FailureType.INVALID_INPUT, 'reason');
    expectFailure(() => check(assignedState(), 'orderRehandling', committee(), { reason: 'x' }), FailureType.WRONG_STAGE);
    expectFailure(() => check(dispatchedState(), 'orderRehandling', liaison('u1'), { reason: 'x' }), FailureType.FORBIDDEN_ROLE);
  });
});

describe('publication (公开)', () => {
  it('the answering unit proposes full publication; the office is told', () => {
    const s = dispatchedState();
    const { state, record } = actFull(s, 'proposePublication', liaison('u1'), { mode: 'full' }, T.rated);
    expect(state.publication).toEqual({ mode: 'full', reason: null, status: 'proposed' });
    expect(record.publication).toEqual({ mode: 'full', reason: null, status: 'proposed' });
    expect(record.notifications).toEqual([{ kind: 'publication_proposed', to: { office: true }, params: { title: s.title, proposalNo: '第224号', mode: 'full' } }]);
  });

  it('none and summary need a reason', () => {
    const s = dispatchedState();
    expectFailure(() => check(s, 'proposePublication', liaison('u1'), { mode: 'none' }), FailureType.INVALID_INPUT, 'reason');
    expectFailure(() => check(s, 'proposePublication', liaison('u1'), { mode: 'summary', reason: '  ' }), FailureType.INVALID_INPUT, 'reason');
    const next = act(s, 'proposePublication', liaison('u1'), { mode: 'none', reason: ' 涉及国家秘密 ' });
    expect(next.publication).toEqual({ mode: 'none', reason: '涉及国家秘密', status: 'proposed' });
  });

  it('a co-unit or stranger may not propose (NOT_YOUR_UNIT); bad mode; handling stage', () => {
    const s = dispatchedLeadState();
    expectFailure(() => check(s, 'proposePublication', liaison('u2'), { mode: 'full' }), FailureType.NOT_YOUR_UNIT);
    expectFailure(() => check(s, 'proposePublication', liaison('u9'), { mode: 'full' }), FailureType.NOT_YOUR_UNIT);
    expectFailure(() => checkRaw(s, 'proposePublication', liaison('u1'), { mode: 'partial' }), FailureType.INVALID_INPUT, 'mode');
    expectFailure(() => check(assignedState(), 'proposePublication', liaison('u1'), { mode: 'full' }), FailureType.WRONG_STAGE);
    expectFailure(() => check(s, 'proposePublication', leader('u1'), { mode: 'full' }), FailureType.FORBIDDEN_ROLE);
  });

  it('a proposal may be revised until approved', () => {
    let s = act(dispatchedState(), 'proposePublication', liaison('u1'), { mode: 'full' });
    s = act(s, 'proposePublication', liaison('u1'), { mode: 'summary', reason: '内容复杂' });
    expect(s.publication).toEqual({ mode: 'summary', reason: '内容复杂', status: 'proposed' });
  });

  it('the office approves as proposed', () => {
    const s = act(dispatchedState(), 'proposePublication', liaison('u1'), { mode: 'summary', reason: '内容复杂' });
    const { state, record } = actFull(s, 'approvePublication', office(), {});
    expect(state.publication).toEqual({ mode: 'summary', reason: '内容复杂', status: 'approved' });
    expect(record.publication).toEqual({ mode: 'summary', reason: '内容复杂', status: 'approved' });
    expect(record.notifications).toEqual([]);
  });

  it('the office may change the mode; not full needs a reason from someone', () => {
    const full = act(dispatchedState(), 'proposePublication', liaison('u1'), { mode: 'full' });
    expectFailure(() => check(full, 'approvePublication', office(), { mode: 'none' }), FailureType.INVALID_INPUT, 'reason');
    expect(act(full, 'approvePublication', office(), { mode: 'none', reason: ' 涉密 ' }).publication).toEqual({ mode: 'none', reason: '涉密', status: 'approved' });
    const summary = act(dispatchedState(), 'proposePublication', liaison('u1'), { mode: 'summary', reason: '内容复杂' });
    expect(act(summary, 'approvePublication', office(), { mode: 'none' }).publication).toEqual({ mode: 'none', reason: '内容复杂', status: 'approved' });
    expect(act(summary, 'approvePublication', office(), { mode: 'full' }).publication!.mode).toBe('full');
    expectFailure(() => checkRaw(summary, 'approvePublication', office(), { mode: 'secret' }), FailureType.INVALID_INPUT, 'mode');
  });

  it('approval before a proposal is PRECONDITION_FAILED; twice is ALREADY_DONE, also for a new proposal', () => {
    expectFailure(() => check(dispatchedState(), 'approvePublication', office(), {}), FailureType.PRECONDITION_FAILED);
    let s = act(dispatchedState(), 'proposePublication', liaison('u1'), { mode: 'full' });
    s = act(s, 'approvePublication', office(), {});
    expectFailure(() => check(s, 'approvePublication', office(), {}), FailureType.ALREADY_DONE);
    expectFailure(() => check(s, 'proposePublication', liaison('u1'), { mode: 'full' }), FailureType.ALREADY_DONE);
    expectFailure(() => check(s, 'approvePublication', committee(), {}), FailureType.FORBIDDEN_ROLE);
  });

  it('works after closing too', () => {
    let s = closedState();
    s = act(s, 'proposePublication', liaison('u1'), { mode: 'full' }, T.closed);
    s = act(s, 'approvePublication', office(), {}, T.closed);
    expect(s).toMatchObject({ stage: 'closed', publication: { status: 'approved' } });
  });
});

describe('close (办结)', () => {
  it('refused while feedback is still open and someone has not rated', () => {
    const s = act(dispatchedState({ proposerIds: [11, 12] }), 'rate', proposer(11), satisfied, T.rated);
    const f = expectFailure(() => check(s, 'close', office(), {}, T.rated), FailureType.PRECONDITION_FAILED);
    expect(f.message).toContain('2026-04-22');
    expectFailure(() => check(s, 'close', office(), {}, DUES.feedback.dueAt), FailureType.PRECONDITION_FAILED);
  });

  it('allowed once every rater has rated, before the window ends', () => {
    let s = dispatchedState({ proposerIds: [11, 12] });
    s = act(s, 'rate', proposer(11), satisfied, T.rated);
    s = act(s, 'rate', proposer(12), satisfied, T.rated);
    const { state, record } = actFull(s, 'close', office(), { note: '按期办结' }, T.rated);
    expect(state.stage).toBe('closed');
    expect(state.followUp).toBeNull();
    expect(record).toMatchObject({ step: 'close', unitId: null, summary: { note: '按期办结', noFeedbackFrom: [], followUpDate: null }, notifications: [] });
  });

  it('allowed after the window without feedback; the silent proposers are listed', () => {
    const s = act(dispatchedState({ proposerIds: [11, 12] }), 'rate', proposer(11), satisfied, T.rated);
    const { state, record } = actFull(s, 'close', office(), {}, T.afterFeedback);
    expect(state.stage).toBe('closed');
    expect(record.summary).toMatchObject({ noFeedbackFrom: [12], note: null });
  });

  it("under 'first_proposer' the co-signer's silence does not hold it up", () => {
    const s = act(dispatchedState({ proposerIds: [11, 12], policy: { ratingBy: 'first_proposer' } }), 'rate', proposer(11), satisfied, T.rated);
    expect(act(s, 'close', office(), {}, T.rated).stage).toBe('closed');
  });

  it('B/C replies with a follow-up date leave a pending follow-up (回头看)', () => {
    let s = dispatchedState({ draft: draftB({ followUpDate: '2026-11-30' }) });
    s = act(s, 'rate', proposer(11), satisfied, T.rated);
    const { state, record } = actFull(s, 'close', office(), {}, T.closed);
    expect(state.followUp).toEqual({ dueDate: '2026-11-30', status: 'pending' });
    expect(record.summary).toMatchObject({ followUpDate: '2026-11-30' });
  });

  it('closeProposal: an A reply (even one overridden from B) needs no follow-up', () => {
    let s = dispatchedState({ draft: draftB() });
    s = act(s, 'overrideClass', office(), { unitId: 'u1', replyClass: 'A', reason: '已解决' }, T.rated);
    expect(closeProposal(s, { by: 'system' }).state.followUp).toBeNull();
    const c = closeProposal(dispatchedState({ draft: draftB({ replyClass: 'C' }) }), { by: 'system' });
    expect(c.state.followUp).toEqual({ dueDate: '2026-12-31', status: 'pending' });
    expect(c.record.summary).toMatchObject({ by: 'system', noFeedbackFrom: [11], followUpDate: '2026-12-31' });
  });

  it('not before dispatch, not twice, not by a liaison', () => {
    expectFailure(() => check(assignedState(), 'close', office(), {}, T.closed), FailureType.WRONG_STAGE);
    expectFailure(() => check(closedState(), 'close', office(), {}, T.closed), FailureType.WRONG_STAGE);
    expectFailure(() => check(dispatchedState(), 'close', liaison('u1'), {}, T.afterFeedback), FailureType.FORBIDDEN_ROLE);
  });
});

describe('reportFollowUp (回头看)', () => {
  it('the answering unit reports; the office is told; once only', () => {
    const s = closedState({ draft: draftB() });
    const { state, record } = actFull(s, 'reportFollowUp', liaison('u1'), { bodyHash: HASH.followUp }, '2026-12-20T02:00:00.000Z');
    expect(state.followUp).toEqual({ dueDate: '2026-12-31', status: 'reported', reportHash: HASH.followUp });
    expect(state.stage).toBe('closed');
    expect(record).toMatchObject({ step: 'reportFollowUp', unitId: 'u1', summary: { bodyHash: HASH.followUp } });
    expect(record.notifications).toEqual([{ kind: 'follow_up_reported', to: { office: true }, params: { title: s.title, proposalNo: '第224号' } }]);
    expectFailure(() => check(state, 'reportFollowUp', liaison('u1'), { bodyHash: HASH.followUp }), FailureType.ALREADY_DONE);
  });

  it('a requested follow-up can be reported', () => {
    const s = closedState({ draft: draftB() });
    const requested = { ...s, followUp: { ...s.followUp!, status: 'requested' as const } };
    expect(act(requested, 'reportFollowUp', liaison('u1'), { bodyHash: HASH.followUp }).followUp!.status).toBe('reported');
  });

  it('refusals: nothing promised, bad body, another unit, not closed', () => {
    expectFailure(() => check(closedState(), 'reportFollowUp', liaison('u1'), { bodyHash: HASH.followUp }), FailureType.PRECONDITION_FAILED);
    const s = closedState({ draft: draftB() });
    expectFailure(() => check(s, 'reportFollowUp', liaison('u1'), { bodyHash: 'nope' }), FailureType.INVALID_INPUT, 'body');
    expectFailure(() => check(s, 'reportFollowUp', liaison('u9'), { bodyHash: HASH.followUp }), FailureType.NOT_YOUR_UNIT);
    expectFailure(() => check(inStage(s, 'dispatched'), 'reportFollowUp', liaison('u1'), { bodyHash: HASH.followUp }), FailureType.WRONG_STAGE);
    expectFailure(() => check(s, 'reportFollowUp', office(), { bodyHash: HASH.followUp }), FailureType.FORBIDDEN_ROLE);
  });
});

describe('a whole proposal, lead + co-handling, start to finish', () => {
  it('file → assign → co-opinion → consult → draft → sign-off (returned once) → dispatch → rate → publish → close → follow-up', () => {
    let s = act(
      act(assignedState('lead', ['u1', 'u2'], { proposerIds: [11, 12], mergedProposerIds: [21] }), 'markKey', committee(), { supervisingLeader: '王副主席' }),
      'submitCoOpinion',
      liaison('u2'),
      { kind: 'opinion', bodyHash: HASH.opinion },
      T.coOpinion,
    );
    s = drafted(s, 'u1', draftB());
    s = act(s, 'submitForSignOff', liaison('u1'), {}, T.signOff);
    s = act(s, 'signOff', { ...leader('u1'), role: 'principal' }, { decision: 'return', reason: '请写明经费来源' }, T.signOff);
    s = act(s, 'saveDraft', liaison('u1'), draftB({ bodyHash: HASH.draft2 }), T.signOff);
    s = act(s, 'submitForSignOff', liaison('u1'), {}, T.signOff);
    s = act(s, 'signOff', { ...leader('u1'), role: 'principal' }, { decision: 'approve' }, T.signOff);
    s = dispatchAll(s);
    expect(s.stage).toBe('dispatched');
    for (const p of [11, 21, 12]) s = act(s, 'rate', proposer(p), satisfied, T.rated);
    s = act(s, 'proposePublication', liaison('u1'), { mode: 'full' }, T.rated);
    s = act(s, 'approvePublication', office(), {}, T.rated);
    s = act(s, 'close', office(), {}, T.rated);
    expect(s).toMatchObject({
      stage: 'closed',
      round: 0,
      keyProposal: true,
      followUp: { status: 'pending', dueDate: '2026-12-31' },
      publication: { status: 'approved' },
    });
    expect(s.tracks[0]).toMatchObject({ status: 'dispatched', signOffRounds: 2, drafts: [{ version: 1 }, { version: 2 }] });
    s = act(s, 'reportFollowUp', liaison('u1'), { bodyHash: HASH.followUp }, '2026-12-01T02:00:00.000Z');
    expect(s.followUp!.status).toBe('reported');
  });
});
