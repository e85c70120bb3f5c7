import { describe, expect, it } from 'vitest';
import { FailureType } from '../../../../workflows/shared/failures.js';
import type { ConsultationWay } from '../../../../workflows/shared/types.js';
import {
  act,
  actFull,
  approved,
  assignedState,
  check,
  checkRaw,
  coOpinionsIn,
  committee,
  consultation,
  dispatchAll,
  draftA,
  draftB,
  drafted,
  duesFor,
  expectFailure,
  HASH,
  inStage,
  leader,
  liaison,
  office,
  principal,
  T,
} from './fixtures.js';

// 沟通协商, 会办意见, 答复起草, 分类, 审签.

describe('recordConsultation (沟通协商)', () => {
  it('counts consultations; face to face, site visits and forums count as met in person', () => {
    let s = assignedState();
    const ways: [ConsultationWay, number][] = [
      ['phone', 0],
      ['letter', 0],
      ['face_to_face', 1],
      ['site_visit', 2],
      ['forum', 3],
    ];
    for (const [i, [way, faceToFace]] of ways.entries()) {
      s = act(s, 'recordConsultation', liaison('u1'), consultation({ way }));
      expect(s.tracks[0]!.consultations).toBe(i + 1);
      expect(s.tracks[0]!.faceToFace).toBe(faceToFace);
    }
  });

  it('records the contact with the round for the consultations table', () => {
    const s = assignedState();
    const { record } = actFull(s, 'recordConsultation', liaison('u1'), consultation({ participants: ' 张委员 ' }));
    expect(record).toEqual({
      step: 'recordConsultation',
      unitId: 'u1',
      summary: { date: '2026-03-01', way: 'face_to_face', participants: '张委员' },
      consultation: { unitId: 'u1', round: 0, date: '2026-03-01', way: 'face_to_face', participants: '张委员', summaryHash: HASH.summary },
      notifications: [],
    });
  });

  it('today is allowed, a future date is INVALID_INPUT on date', () => {
    const s = assignedState();
    expect(() => check(s, 'recordConsultation', liaison('u1'), consultation({ date: '2026-03-02' }), T.consulted)).not.toThrow();
    expectFailure(() => check(s, 'recordConsultation', liaison('u1'), consultation({ date: '2026-03-03' }), T.consulted), FailureType.INVALID_INPUT, 'date');
  });

  it('malformed date, way, participants, summary', () => {
    const s = assignedState();
    const l = liaison('u1');
    for (const date of ['2026/03/01', '1 March', '2026-13-45', '', undefined]) {
      expectFailure(() => checkRaw(s, 'recordConsultation', l, { ...consultation(), date }), FailureType.INVALID_INPUT, 'date');
    }
    for (const way of ['email', 'wechat', '', undefined, 'FACE_TO_FACE']) {
      expectFailure(() => checkRaw(s, 'recordConsultation', l, { ...consultation(), way }), FailureType.INVALID_INPUT, 'way');
    }
    expectFailure(() => check(s, 'recordConsultation', l, consultation({ participants: ' ' })), FailureType.INVALID_INPUT, 'participants');
    expectFailure(() => check(s, 'recordConsultation', l, consultation({ participants: 'x'.repeat(501) })), FailureType.INVALID_INPUT, 'participants');
    expectFailure(() => check(s, 'recordConsultation', l, consultation({ summaryHash: 'not-a-hash' })), FailureType.INVALID_INPUT, 'summary');
    expectFailure(() => check(s, 'recordConsultation', l, consultation({ summaryHash: 'A'.repeat(64) })), FailureType.INVALID_INPUT, 'summary');
  });

  it('a co-unit has no reply track (NOT_YOUR_UNIT); a stranger neither', () => {
    const s = assignedState('lead', ['u1', 'u2']);
    expectFailure(() => check(s, 'recordConsultation', liaison('u2'), consultation()), FailureType.NOT_YOUR_UNIT);
    expectFailure(() => check(s, 'recordConsultation', liaison('u9'), consultation()), FailureType.NOT_YOUR_UNIT);
  });

  it('not while the reply is in sign-off (WRONG_STAGE), again after a return', () => {
    let s = act(drafted(assignedState(), 'u1'), 'submitForSignOff', liaison('u1'), {}, T.signOff);
    expectFailure(() => check(s, 'recordConsultation', liaison('u1'), consultation(), T.signOff), FailureType.WRONG_STAGE);
    expectFailure(() => check(s, 'recordNoConsultation', liaison('u1'), { reason: 'x' }, T.signOff), FailureType.WRONG_STAGE);
    s = act(s, 'signOff', leader('u1'), { decision: 'return', reason: '请补充面商' }, T.signOff);
    expect(act(s, 'recordConsultation', liaison('u1'), consultation(), T.signOff).tracks[0]!.consultations).toBe(2);
  });

  it('not before assignment (WRONG_STAGE)', () => {
    expectFailure(() => check(inStage(assignedState(), 'filed'), 'recordConsultation', liaison('u1'), consultation()), FailureType.WRONG_STAGE);
  });
});

describe('recordNoConsultation', () => {
  it('stores the trimmed reason and needs one', () => {
    const s = assignedState();
    const next = act(s, 'recordNoConsultation', liaison('u1'), { reason: ' 提案者长期在外，多次联系未果 ' });
    expect(next.tracks[0]!.noConsultationReason).toBe('提案者长期在外，多次联系未果');
    expectFailure(() => check(s, 'recordNoConsultation', liaison('u1'), { reason: '' }), FailureType.INVALID_INPUT, 'reason');
    expectFailure(() => check(s, 'recordNoConsultation', liaison('u1'), { reason: 'x'.repeat(1001) }), FailureType.INVALID_INPUT, 'reason');
    expectFailure(() => check(assignedState('lead', ['u1', 'u2']), 'recordNoConsultation', liaison('u2'), { reason: 'x' }), FailureType.NOT_YOUR_UNIT);
  });
});

describe('submitCoOpinion / waiveCoOpinion (会办意见)', () => {
  it('a co-unit sends its opinion; the lead is told', () => {
    const s = assignedState('lead', ['u1', 'u2', 'u3']);
    const { state, record } = actFull(s, 'submitCoOpinion', liaison('u2'), { kind: 'opinion', bodyHash: HASH.opinion }, T.coOpinion);
    expect(state.units[1]!.coOpinion).toEqual({ status: 'submitted', dueAt: s.units[1]!.coOpinion!.dueAt, hash: HASH.opinion });
    expect(state.units[2]!.coOpinion!.status).toBe('due');
    expect(record.unitId).toBe('u2');
    expect(record.notifications).toEqual([
      { kind: 'co_opinion_received', to: { unitLiaisons: ['u1'] }, params: { title: s.title, proposalNo: '第224号', coUnit: 'u2', kind: 'opinion' } },
    ]);
  });

  it('"no opinion" needs no body; leaders and principals may submit too', () => {
    const s = assignedState('lead', ['u1', 'u2', 'u3']);
    const a = act(s, 'submitCoOpinion', leader('u2'), { kind: 'no_opinion' }, T.coOpinion);
    expect(a.units[1]!.coOpinion).toEqual({ status: 'no_opinion', dueAt: s.units[1]!.coOpinion!.dueAt });
    const b = act(a, 'submitCoOpinion', principal('u3'), { kind: 'opinion', bodyHash: HASH.opinion }, T.coOpinion);
    expect(b.units[2]!.coOpinion!.status).toBe('submitted');
  });

  it('twice is ALREADY_DONE', () => {
    const s = act(assignedState('lead', ['u1', 'u2']), 'submitCoOpinion', liaison('u2'), { kind: 'opinion', bodyHash: HASH.opinion }, T.coOpinion);
    expectFailure(() => check(s, 'submitCoOpinion', liaison('u2'), { kind: 'opinion', bodyHash: HASH.opinion }, T.coOpinion), FailureType.ALREADY_DONE);
    expectFailure(() => check(s, 'submitCoOpinion', liaison('u2'), { kind: 'no_opinion' }, T.coOpinion), FailureType.ALREADY_DONE);
  });

  it('the lead, a split unit or a stranger cannot submit one (NOT_YOUR_UNIT)', () => {
    const s = assignedState('lead', ['u1', 'u2']);
    expectFailure(() => check(s, 'submitCoOpinion', liaison('u1'), { kind: 'no_opinion' }), FailureType.NOT_YOUR_UNIT);
    expectFailure(() => check(s, 'submitCoOpinion', liaison('u9'), { kind: 'no_opinion' }), FailureType.NOT_YOUR_UNIT);
    expectFailure(() => check(assignedState('split', ['u1', 'u2']), 'submitCoOpinion', liaison('u2'), { kind: 'no_opinion' }), FailureType.NOT_YOUR_UNIT);
    expectFailure(() => check(s, 'submitCoOpinion', office(), { kind: 'no_opinion' }), FailureType.FORBIDDEN_ROLE);
  });

  it('bad kind or missing body hash', () => {
    const s = assignedState('lead', ['u1', 'u2']);
    expectFailure(() => checkRaw(s, 'submitCoOpinion', liaison('u2'), { kind: 'maybe' }), FailureType.INVALID_INPUT, 'kind');
    expectFailure(() => check(s, 'submitCoOpinion', liaison('u2'), { kind: 'opinion' }), FailureType.INVALID_INPUT, 'body');
    expectFailure(() => check(s, 'submitCoOpinion', liaison('u2'), { kind: 'opinion', bodyHash: 'abc' }), FailureType.INVALID_INPUT, 'body');
  });

  it('the office may waive an outstanding co-opinion, once, with a reason', () => {
    const s = assignedState('lead', ['u1', 'u2']);
    const { state, record } = actFull(s, 'waiveCoOpinion', office(), { unitId: 'u2', reason: ' 会办单位机构改革 ' });
    expect(state.units[1]!.coOpinion).toEqual({ status: 'waived', dueAt: s.units[1]!.coOpinion!.dueAt, waivedReason: '会办单位机构改革' });
    expect(record).toMatchObject({ step: 'waiveCoOpinion', unitId: 'u2', notifications: [] });
    expectFailure(() => check(state, 'waiveCoOpinion', office(), { unitId: 'u2', reason: 'x' }), FailureType.ALREADY_DONE);
    expectFailure(() => check(state, 'submitCoOpinion', liaison('u2'), { kind: 'no_opinion' }), FailureType.ALREADY_DONE);
    expectFailure(() => check(s, 'waiveCoOpinion', office(), { unitId: 'u1', reason: 'x' }), FailureType.INVALID_INPUT, 'unitId');
    expectFailure(() => check(s, 'waiveCoOpinion', office(), { unitId: 'u9', reason: 'x' }), FailureType.INVALID_INPUT, 'unitId');
    expectFailure(() => check(s, 'waiveCoOpinion', office(), { unitId: 'u2', reason: '' }), FailureType.INVALID_INPUT, 'reason');
    expectFailure(() => check(s, 'waiveCoOpinion', committee(), { unitId: 'u2', reason: 'x' }), FailureType.FORBIDDEN_ROLE);
  });

  it('an already submitted opinion cannot be waived', () => {
    const s = coOpinionsIn(assignedState('lead', ['u1', 'u2']));
    expectFailure(() => check(s, 'waiveCoOpinion', office(), { unitId: 'u2', reason: 'x' }), FailureType.ALREADY_DONE);
  });
});

describe('saveDraft (答复起草)', () => {
  it('first draft is version 1 "初稿"; later drafts count up and keep the given note', () => {
    let s = assignedState();
    const first = actFull(s, 'saveDraft', liaison('u1'), draftA(), T.drafted);
    s = first.state;
    expect(s.tracks[0]!.drafts).toEqual([{ version: 1, bodyHash: HASH.draft1, replyClass: 'A', authorUserId: expect.any(Number), at: T.drafted, changeNote: '初稿' }]);
    expect(s.tracks[0]!.replyClass).toBe('A');
    expect(first.record.replyVersion).toEqual({ unitId: 'u1', version: 1, round: 0, bodyHash: HASH.draft1, replyClass: 'A', changeNote: '初稿' });
    s = act(s, 'saveDraft', liaison('u1'), draftA({ bodyHash: HASH.draft2 }), T.drafted);
    expect(s.tracks[0]!.drafts[1]).toMatchObject({ version: 2, bodyHash: HASH.draft2, changeNote: null });
    s = act(s, 'saveDraft', liaison('u1'), draftA({ bodyHash: HASH.draft3, changeNote: ' 补充下一步工作 ' }), T.drafted);
    expect(s.tracks[0]!.drafts.map((d) => d.changeNote)).toEqual(['初稿', null, '补充下一步工作']);
  });

  it('B-class needs promised actions and a future follow-up date, and keeps them', () => {
    const s = assignedState();
    const l = liaison('u1');
    expectFailure(() => check(s, 'saveDraft', l, { bodyHash: HASH.draft1, replyClass: 'B' }, T.drafted), FailureType.INVALID_INPUT, 'promisedActions');
    expectFailure(() => check(s, 'saveDraft', l, draftB({ promisedActions: '  ' }), T.drafted), FailureType.INVALID_INPUT, 'promisedActions');
    expectFailure(() => check(s, 'saveDraft', l, draftB({ followUpDate: null }), T.drafted), FailureType.INVALID_INPUT, 'followUpDate');
    expectFailure(() => check(s, 'saveDraft', l, draftB({ followUpDate: '2026/12/31' }), T.drafted), FailureType.INVALID_INPUT, 'followUpDate');
    expectFailure(() => check(s, 'saveDraft', l, draftB({ followUpDate: '2026-03-05' }), T.drafted), FailureType.INVALID_INPUT, 'followUpDate');
    expectFailure(() => check(s, 'saveDraft', l, draftB({ followUpDate: '2025-12-31' }), T.drafted), FailureType.INVALID_INPUT, 'followUpDate');
    const next = act(s, 'saveDraft', l, draftB({ promisedActions: ' 年底前出台方案 ', followUpDate: '2026-03-06' }), T.drafted);
    expect(next.tracks[0]).toMatchObject({ replyClass: 'B', promisedActions: '年底前出台方案', followUpDate: '2026-03-06' });
  });

  it('C-class also needs them (policy classesNeedingFollowUp); A-class clears them', () => {
    const s = assignedState();
    expectFailure(() => check(s, 'saveDraft', liaison('u1'), { bodyHash: HASH.draft1, replyClass: 'C' }, T.drafted), FailureType.INVALID_INPUT, 'promisedActions');
    let next = act(s, 'saveDraft', liaison('u1'), draftB(), T.drafted);
    next = act(next, 'saveDraft', liaison('u1'), draftA({ bodyHash: HASH.draft2, promisedActions: 'ignored', followUpDate: '2027-01-01' }), T.drafted);
    expect(next.tracks[0]).toMatchObject({ replyClass: 'A', promisedActions: null, followUpDate: null });
  });

  it('reply classes come from the policy', () => {
    const s = assignedState('sole', ['u1'], { policy: { replyClasses: ['A', 'B', 'C', 'D'], classesNeedingFollowUp: [] } });
    expect(act(s, 'saveDraft', liaison('u1'), { bodyHash: HASH.draft1, replyClass: 'D' }, T.drafted).tracks[0]!.replyClass).toBe('D');
    expect(act(s, 'saveDraft', liaison('u1'), { bodyHash: HASH.draft1, replyClass: 'B' }, T.drafted).tracks[0]!.followUpDate).toBeNull();
    expectFailure(
      () => check(assignedState(), 'saveDraft', liaison('u1'), { bodyHash: HASH.draft1, replyClass: 'D' }, T.drafted),
      FailureType.INVALID_INPUT,
      'replyClass',
    );
    expectFailure(
      () => check(assignedState(), 'saveDraft', liaison('u1'), { bodyHash: HASH.draft1, replyClass: 'a' }, T.drafted),
      FailureType.INVALID_INPUT,
      'replyClass',
    );
  });

  it('needs a body hash', () => {
    expectFailure(() => check(assignedState(), 'saveDraft', liaison('u1'), draftA({ bodyHash: '' }), T.drafted), FailureType.INVALID_INPUT, 'body');
  });

  it('a co-unit trying to save a draft is NOT_YOUR_UNIT; so is a stranger; a leader is FORBIDDEN_ROLE', () => {
    const s = assignedState('lead', ['u1', 'u2']);
    const f = expectFailure(() => check(s, 'saveDraft', liaison('u2'), draftA(), T.drafted), FailureType.NOT_YOUR_UNIT);
    expect(f.message).toContain('会办');
    expectFailure(() => check(s, 'saveDraft', liaison('u9'), draftA(), T.drafted), FailureType.NOT_YOUR_UNIT);
    expectFailure(() => check(s, 'saveDraft', leader('u1'), draftA(), T.drafted), FailureType.FORBIDDEN_ROLE);
  });

  it('not while in sign-off (WRONG_STAGE) nor once approved', () => {
    const inSignOff = act(drafted(assignedState(), 'u1'), 'submitForSignOff', liaison('u1'), {}, T.signOff);
    expectFailure(() => check(inSignOff, 'saveDraft', liaison('u1'), draftA({ bodyHash: HASH.draft2 }), T.signOff), FailureType.WRONG_STAGE);
    const ok = act(inSignOff, 'signOff', leader('u1'), { decision: 'approve' }, T.signOff);
    expectFailure(() => check(ok, 'saveDraft', liaison('u1'), draftA({ bodyHash: HASH.draft2 }), T.signOff), FailureType.WRONG_STAGE);
  });

  it('in split handling each unit drafts only its own track', () => {
    let s = assignedState('split', ['u1', 'u2']);
    s = act(s, 'saveDraft', liaison('u2'), draftA(), T.drafted);
    expect(s.tracks.map((t) => t.drafts.length)).toEqual([0, 1]);
  });
});

describe('overrideClass (调整答复分类)', () => {
  it('the office overrides the class; later drafts keep the override', () => {
    let s = drafted(assignedState(), 'u1');
    const { state, record } = actFull(s, 'overrideClass', office(), { unitId: 'u1', replyClass: 'C', reason: ' 实际未采纳 ' });
    expect(state.tracks[0]).toMatchObject({ replyClass: 'C', classOverride: { replyClass: 'C', reason: '实际未采纳' } });
    expect(record.summary).toMatchObject({ from: 'A', to: 'C', reason: '实际未采纳' });
    s = act(state, 'saveDraft', liaison('u1'), draftA({ bodyHash: HASH.draft2 }), T.drafted);
    expect(s.tracks[0]!.replyClass).toBe('C');
    expect(s.tracks[0]!.drafts[1]!.replyClass).toBe('A');
  });

  it('also after dispatch', () => {
    const s = dispatchAll(approved(assignedState(), 'u1'));
    expect(act(s, 'overrideClass', office(), { unitId: 'u1', replyClass: 'B', reason: '正在解决' }, T.rated).tracks[0]!.replyClass).toBe('B');
  });

  it('refusals: a co-unit has no reply, unknown class, no reason, wrong role, closed', () => {
    const s = assignedState('lead', ['u1', 'u2']);
    expectFailure(() => check(s, 'overrideClass', office(), { unitId: 'u2', replyClass: 'A', reason: 'x' }), FailureType.INVALID_INPUT, 'unitId');
    expectFailure(() => check(s, 'overrideClass', office(), { unitId: 'u1', replyClass: 'Z', reason: 'x' }), FailureType.INVALID_INPUT, 'replyClass');
    expectFailure(() => check(s, 'overrideClass', office(), { unitId: 'u1', replyClass: 'A', reason: '' }), FailureType.INVALID_INPUT, 'reason');
    expectFailure(() => check(s, 'overrideClass', committee(), { unitId: 'u1', replyClass: 'A', reason: 'x' }), FailureType.FORBIDDEN_ROLE);
  });
});

describe('submitForSignOff (提交审签)', () => {
  it('moves the track to sign-off and asks the leader', () => {
    const s = drafted(assignedState(), 'u1');
    expect(duesFor(s, 'submitForSignOff', liaison('u1'), {}, T.signOff)).toEqual([]);
    const { state, record } = actFull(s, 'submitForSignOff', liaison('u1'), {}, T.signOff);
    expect(state.tracks[0]!.status).toBe('signoff');
    expect(state.stage).toBe('handling');
    expect(record).toMatchObject({ step: 'submitForSignOff', unitId: 'u1', summary: { version: 1, needsPrincipal: false } });
    expect(record.notifications).toEqual([{ kind: 'signoff_requested', to: { unitLeaders: ['u1'] }, params: { title: s.title, proposalNo: '第224号', version: 1 } }]);
  });

  it('needs a draft first', () => {
    const s = act(assignedState(), 'recordConsultation', liaison('u1'), consultation());
    expectFailure(() => check(s, 'submitForSignOff', liaison('u1'), {}), FailureType.PRECONDITION_FAILED);
  });

  it('without a consultation or a reason for none: PRECONDITION_FAILED; a reason suffices', () => {
    const s = act(assignedState(), 'saveDraft', liaison('u1'), draftA(), T.drafted);
    const f = expectFailure(() => check(s, 'submitForSignOff', liaison('u1'), {}), FailureType.PRECONDITION_FAILED);
    expect(f.message).toContain('先协商后答复');
    const withReason = act(s, 'recordNoConsultation', liaison('u1'), { reason: '提案者出国，无法联系' });
    expect(() => check(withReason, 'submitForSignOff', liaison('u1'), {})).not.toThrow();
  });

  it('the lead waits for co-opinions; waiving the outstanding one allows it', () => {
    let s = drafted(assignedState('lead', ['u1', 'u2', 'u3']), 'u1');
    const f = expectFailure(() => check(s, 'submitForSignOff', liaison('u1'), {}, T.signOff), FailureType.PRECONDITION_FAILED);
    expect(f.message).toContain('u2');
    expect(f.message).toContain('u3');
    s = act(s, 'submitCoOpinion', liaison('u2'), { kind: 'opinion', bodyHash: HASH.opinion }, T.coOpinion);
    const g = expectFailure(() => check(s, 'submitForSignOff', liaison('u1'), {}, T.signOff), FailureType.PRECONDITION_FAILED);
    expect(g.message).not.toContain('u2');
    expect(g.message).toContain('u3');
    s = act(s, 'waiveCoOpinion', office(), { unitId: 'u3', reason: '逾期未复' }, T.signOff);
    expect(act(s, 'submitForSignOff', liaison('u1'), {}, T.signOff).tracks[0]!.status).toBe('signoff');
  });

  it('"no opinion" also releases the lead', () => {
    let s = drafted(assignedState('lead', ['u1', 'u2']), 'u1');
    s = act(s, 'submitCoOpinion', liaison('u2'), { kind: 'no_opinion' }, T.coOpinion);
    expect(() => check(s, 'submitForSignOff', liaison('u1'), {}, T.signOff)).not.toThrow();
  });

  it('split units never wait for each other', () => {
    const s = drafted(assignedState('split', ['u1', 'u2']), 'u2');
    expect(() => check(s, 'submitForSignOff', liaison('u2'), {}, T.signOff)).not.toThrow();
  });

  it('twice is ALREADY_DONE; a co-unit is NOT_YOUR_UNIT', () => {
    const s = act(drafted(assignedState(), 'u1'), 'submitForSignOff', liaison('u1'), {}, T.signOff);
    expectFailure(() => check(s, 'submitForSignOff', liaison('u1'), {}, T.signOff), FailureType.ALREADY_DONE);
    expectFailure(() => check(assignedState('lead', ['u1', 'u2']), 'submitForSignOff', liaison('u2'), {}), FailureType.NOT_YOUR_UNIT);
  });
});

describe('signOff (审签)', () => {
  const inSignOff = () => act(drafted(assignedState(), 'u1'), 'submitForSignOff', liaison('u1'), {}, T.signOff);

  it('approve: track approved, one round counted, no notification', () => {
    const { state, record } = actFull(inSignOff(), 'signOff', leader('u1'), { decision: 'approve' }, T.signOff);
    expect(state.tracks[0]).toMatchObject({ status: 'approved', signOffRounds: 1, lastReturnReason: null });
    expect(state.stage).toBe('handling'); // dispatch is the workflow's job
    expect(record.summary).toMatchObject({ decision: 'approve', reason: null, round: 1, version: 1 });
    expect(record.notifications).toEqual([]);
  });

  it('a principal may sign off an ordinary proposal', () => {
    expect(act(inSignOff(), 'signOff', principal('u1'), { decision: 'approve' }, T.signOff).tracks[0]!.status).toBe('approved');
  });

  it('return: back to drafting with the reason; the liaison is told', () => {
    const { state, record } = actFull(inSignOff(), 'signOff', leader('u1'), { decision: 'return', reason: ' 未逐条答复 ' }, T.signOff);
    expect(state.tracks[0]).toMatchObject({ status: 'drafting', signOffRounds: 1, lastReturnReason: '未逐条答复' });
    expect(record.notifications).toEqual([
      { kind: 'signoff_returned', to: { unitLiaisons: ['u1'] }, params: { title: state.title, proposalNo: '第224号', reason: '未逐条答复' } },
    ]);
  });

  it('several rounds: return, redraft, return, redraft, approve', () => {
    let s = inSignOff();
    s = act(s, 'signOff', leader('u1'), { decision: 'return', reason: '补充数据' }, T.signOff);
    s = act(s, 'saveDraft', liaison('u1'), draftA({ bodyHash: HASH.draft2 }), T.signOff);
    s = act(s, 'submitForSignOff', liaison('u1'), {}, T.signOff);
    s = act(s, 'signOff', leader('u1'), { decision: 'return', reason: '格式不对' }, T.signOff);
    expect(s.tracks[0]).toMatchObject({ signOffRounds: 2, lastReturnReason: '格式不对', status: 'drafting' });
    // A returned draft may be resubmitted as is.
    s = act(s, 'submitForSignOff', liaison('u1'), {}, T.signOff);
    const { state, record } = actFull(s, 'signOff', leader('u1'), { decision: 'approve' }, T.signOff);
    expect(state.tracks[0]).toMatchObject({ status: 'approved', signOffRounds: 3, lastReturnReason: null });
    expect(record.summary).toMatchObject({ round: 3, version: 2 });
  });

  it('return needs a reason; bad decision', () => {
    expectFailure(() => check(inSignOff(), 'signOff', leader('u1'), { decision: 'return' }), FailureType.INVALID_INPUT, 'reason');
    expectFailure(() => check(inSignOff(), 'signOff', leader('u1'), { decision: 'return', reason: '  ' }), FailureType.INVALID_INPUT, 'reason');
    expectFailure(() => checkRaw(inSignOff(), 'signOff', leader('u1'), { decision: 'ok' }), FailureType.INVALID_INPUT, 'decision');
  });

  it("nothing to sign (WRONG_STAGE); another unit's leader (NOT_YOUR_UNIT); a liaison (FORBIDDEN_ROLE)", () => {
    expectFailure(() => check(drafted(assignedState(), 'u1'), 'signOff', leader('u1'), { decision: 'approve' }), FailureType.WRONG_STAGE);
    expectFailure(() => check(inSignOff(), 'signOff', leader('u9'), { decision: 'approve' }), FailureType.NOT_YOUR_UNIT);
    expectFailure(() => check(inSignOff(), 'signOff', liaison('u1'), { decision: 'approve' }), FailureType.FORBIDDEN_ROLE);
    const approvedOnce = act(inSignOff(), 'signOff', leader('u1'), { decision: 'approve' });
    expectFailure(() => check(approvedOnce, 'signOff', leader('u1'), { decision: 'approve' }), FailureType.WRONG_STAGE);
  });
});
