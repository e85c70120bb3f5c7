import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { JointDraftView, OpenJointDraftInput } from '../../../../workflows/joint-consent/definitions.js';
import {
  answerStatus,
  applyAnswer,
  applySubmit,
  applyWithdraw,
  checkLinkAnswer,
  checkOpen,
  checkPaperAnswer,
  checkRecordRegistration,
  checkSubmit,
  checkWithdraw,
  closeConsent,
  refuseDifferentOpen,
  registeredKind,
  signingProposers,
} from '../../../../workflows/joint-consent/rules.js';
import type { Actor } from '../../../../workflows/shared/types.js';

// The validators of 联名征集, one test per rule, without any server.

const office: Actor = { userId: 1, role: 'office', unitId: null, proposerId: null, name: '交办' };
const committee: Actor = { userId: 2, role: 'committee', unitId: null, proposerId: null, name: '提案委' };
const firstMember: Actor = { userId: 3, role: 'proposer', unitId: null, proposerId: 30, name: '张委员' };
const otherMember: Actor = { userId: 4, role: 'proposer', unitId: null, proposerId: 40, name: '李委员' };
const liaison: Actor = { userId: 5, role: 'liaison', unitId: 'fgw', proposerId: null, name: '联络员' };
const link: Actor = { userId: 0, role: 'proposer', unitId: null, proposerId: null, name: '王（链接）' };

const EXPIRES = '2026-03-10T09:00:00.000Z';
const BEFORE = Date.parse('2026-03-09T09:00:00.000Z');
const AFTER = Date.parse('2026-03-10T09:00:01.000Z');

function draft(overrides: Partial<JointDraftView> = {}): JointDraftView {
  const signer = (position: number, name: string, status: JointDraftView['signers'][number]['status'], proposerId: number | null = null) => ({
    position,
    proposerId,
    name,
    email: position === 3 ? null : `${name}@m.test`,
    phone: null,
    sector: null,
    status,
    answeredAt: null,
    comment: null,
  });
  return {
    workflowId: 'joint:S:LM1',
    sessionCode: 'S',
    receiptNo: 'LM1',
    title: '关于联名的建议',
    bodyHash: 'a'.repeat(64),
    topic: null,
    status: 'open',
    expiresAt: EXPIRES,
    expiryExplanation: '联名确认期限：5个工作日',
    calendarConfirmed: true,
    consentClosed: false,
    signers: [signer(0, '张', 'first_signer', 30), signer(1, '王', 'invited'), signer(2, '赵', 'invited'), signer(3, '孙', 'invited')],
    submittedAt: null,
    proposalWorkflowId: null,
    ...overrides,
  };
}

function refusal(fn: () => unknown): { type: string | undefined; message: string; field?: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    const f = err as ApplicationFailure;
    return { type: f.type ?? undefined, message: f.message, field: (f.details?.[0] as { field?: string } | undefined)?.field };
  }
  throw new Error('expected a refusal');
}

const openInput = (overrides: Partial<OpenJointDraftInput> = {}): OpenJointDraftInput => ({
  actor: office,
  sessionCode: 'S',
  receiptNo: 'LM1',
  title: '关于联名的建议',
  bodyHash: 'a'.repeat(64),
  topic: null,
  firstSigner: { proposerId: 30 },
  coSigners: [{ name: '王', email: 'w@m.test' }, { name: '孙' }],
  ...overrides,
});

describe('opening a joint draft', () => {
  it('may be started by the office, the committee or the first signer in person, and nobody else', () => {
    expect(() => checkOpen(openInput(), { sessionCode: 'S', receiptNo: 'LM1' })).not.toThrow();
    expect(() => checkOpen(openInput({ actor: committee }), { sessionCode: 'S', receiptNo: 'LM1' })).not.toThrow();
    expect(() => checkOpen(openInput({ actor: firstMember }), { sessionCode: 'S', receiptNo: 'LM1' })).not.toThrow();
    expect(refusal(() => checkOpen(openInput({ actor: otherMember }), { sessionCode: 'S', receiptNo: 'LM1' })).type).toBe('FORBIDDEN_ROLE');
    expect(refusal(() => checkOpen(openInput({ actor: liaison }), { sessionCode: 'S', receiptNo: 'LM1' })).type).toBe('FORBIDDEN_ROLE');
  });

  it('needs at least one co-signer, and names each signer once', () => {
    expect(refusal(() => checkOpen(openInput({ coSigners: [] }), { sessionCode: 'S', receiptNo: 'LM1' })).field).toBe('coSigners');
    const twice = refusal(() => checkOpen(openInput({ coSigners: [{ name: '王' }, { name: '王' }] }), { sessionCode: 'S', receiptNo: 'LM1' }));
    expect(twice.field).toBe('coSigners[1]');
    expect(refusal(() => checkOpen(openInput({ coSigners: [{ proposerId: 30 }] }), { sessionCode: 'S', receiptNo: 'LM1' })).field).toBe('coSigners[0]');
    expect(refusal(() => checkOpen(openInput({ coSigners: [{ email: 'x@m.test' }] }), { sessionCode: 'S', receiptNo: 'LM1' })).field).toBe('coSigners[0].name');
  });

  it('sent again with the same content answers with the draft; with other content under the same number is a conflict', () => {
    const view = draft({ signers: draft().signers.slice(0, 3) });
    expect(() => refuseDifferentOpen(view, openInput())).not.toThrow();
    expect(refusal(() => refuseDifferentOpen(view, openInput({ title: '另一件提案' }))).type).toBe('CONFLICT');
  });
});

describe('answering the invitation', () => {
  it('a co-signer accepts or declines once, before the expiry', () => {
    const signer = checkLinkAnswer(draft(), { actor: link, position: 1, answer: 'accept' }, BEFORE);
    expect(signer.name).toBe('王');
    const answered = applyAnswer(draft(), 1, answerStatus('accept', false), null, '2026-03-09T09:00:00.000Z');
    expect(answered.signers[1]!.status).toBe('accepted');
    const again = refusal(() => checkLinkAnswer(answered, { actor: link, position: 1, answer: 'decline' }, BEFORE));
    expect(again.type).toBe('ALREADY_DONE');
  });

  it('an answer after the expiry is refused as late', () => {
    const late = refusal(() => checkLinkAnswer(draft(), { actor: link, position: 2, answer: 'accept' }, AFTER));
    expect(late.type).toBe('DEADLINE_PASSED');
    expect(late.message).toContain('截止');
    expect(refusal(() => checkLinkAnswer(closeConsent(draft()), { actor: link, position: 2, answer: 'accept' }, BEFORE)).type).toBe('DEADLINE_PASSED');
  });

  it('an answer after the draft was submitted is refused', () => {
    const submitted = applySubmit(draft(), 'hand_in', '2026-03-09T08:00:00.000Z');
    expect(refusal(() => checkLinkAnswer(submitted, { actor: link, position: 2, answer: 'accept' }, BEFORE)).type).toBe('DEADLINE_PASSED');
  });

  it('the first signer is not invited, and a place that is not in the draft is nobody', () => {
    expect(refusal(() => checkLinkAnswer(draft(), { actor: link, position: 0, answer: 'accept' }, BEFORE)).type).toBe('NOT_FOUND');
    expect(refusal(() => checkLinkAnswer(draft(), { actor: link, position: 9, answer: 'accept' }, BEFORE)).type).toBe('NOT_FOUND');
    expect(refusal(() => checkLinkAnswer(draft(), { actor: link, position: 1, answer: 'maybe' as 'accept' }, BEFORE)).field).toBe('answer');
  });

  it('only the office or the committee enters an answer given on paper, marked as paper', () => {
    expect(() => checkPaperAnswer(draft(), { actor: office, position: 3, answer: 'accept' }, BEFORE)).not.toThrow();
    expect(refusal(() => checkPaperAnswer(draft(), { actor: firstMember, position: 3, answer: 'accept' }, BEFORE)).type).toBe('FORBIDDEN_ROLE');
    expect(answerStatus('accept', true)).toBe('paper_accepted');
    expect(answerStatus('decline', true)).toBe('paper_declined');
    expect(refusal(() => checkPaperAnswer(draft(), { actor: office, position: 3, answer: 'accept' }, AFTER)).type).toBe('DEADLINE_PASSED');
  });
});

describe('submitting', () => {
  it('before everyone answered and before the expiry is refused unless told not to wait', () => {
    const early = refusal(() => checkSubmit(draft(), { actor: office }, BEFORE));
    expect(early.type).toBe('PRECONDITION_FAILED');
    expect(early.field).toBe('force');
    expect(early.message).toContain('王、赵、孙');
    expect(checkSubmit(draft(), { actor: office, force: true }, BEFORE)).toBe('register');
    expect(checkSubmit(draft(), { actor: office }, AFTER)).toBe('register');
  });

  it('the first signer hands the draft in; the office and committee register it; nobody else submits', () => {
    expect(checkSubmit(draft(), { actor: firstMember }, AFTER)).toBe('hand_in');
    expect(checkSubmit(draft(), { actor: committee }, AFTER)).toBe('register');
    expect(refusal(() => checkSubmit(draft(), { actor: otherMember }, AFTER)).type).toBe('FORBIDDEN_ROLE');
    expect(refusal(() => checkSubmit(draft(), { actor: liaison }, AFTER)).type).toBe('FORBIDDEN_ROLE');
    const handedIn = applySubmit(draft(), 'hand_in', '2026-03-10T10:00:00.000Z');
    expect(handedIn.status).toBe('submitted');
    expect(refusal(() => checkSubmit(handedIn, { actor: firstMember }, AFTER)).type).toBe('ALREADY_DONE');
    expect(checkSubmit(handedIn, { actor: office }, AFTER)).toBe('register');
  });

  it('whoever has not answered when the draft is submitted or expires is recorded as never having answered', () => {
    const submitted = applySubmit(applyAnswer(draft(), 1, 'accepted', null, '2026-03-09T00:00:00.000Z'), 'register', '2026-03-09T01:00:00.000Z');
    expect(submitted.signers.map((s) => s.status)).toEqual(['first_signer', 'accepted', 'expired', 'expired']);
    expect(submitted.consentClosed).toBe(true);
    expect(submitted.status).toBe('registering');
  });

  it('registers the first signer and the co-signers who accepted, in signing order', () => {
    let view = applyAnswer(draft(), 2, 'accepted', null, '2026-03-09T00:00:00.000Z');
    view = applyAnswer(view, 1, 'declined', '另有提案', '2026-03-09T00:00:00.000Z');
    view = applyAnswer(view, 3, 'paper_accepted', null, '2026-03-09T00:00:00.000Z');
    view = closeConsent(view);
    expect(signingProposers(view).map((p) => p.name)).toEqual(['张', '赵', '孙']);
    expect(registeredKind(view)).toBe('joint');
  });

  it('with nobody accepting, what is left is the first signer’s individual proposal', () => {
    const view = closeConsent(applyAnswer(draft(), 1, 'declined', null, '2026-03-09T00:00:00.000Z'));
    expect(signingProposers(view).map((p) => p.name)).toEqual(['张']);
    expect(registeredKind(view)).toBe('individual');
  });

  it('records the registration once, by the office or committee, only for a draft being registered', () => {
    const registering = applySubmit(draft(), 'register', '2026-03-10T10:00:00.000Z');
    expect(() => checkRecordRegistration(registering, { actor: office, proposalWorkflowId: 'proposal:S:LM1' })).not.toThrow();
    expect(refusal(() => checkRecordRegistration(draft(), { actor: office, proposalWorkflowId: 'proposal:S:LM1' })).type).toBe('WRONG_STAGE');
    expect(refusal(() => checkRecordRegistration(registering, { actor: firstMember, proposalWorkflowId: 'proposal:S:LM1' })).type).toBe('FORBIDDEN_ROLE');
  });
});

describe('withdrawing', () => {
  it('the first signer or the office withdraws a draft before registration, with a reason', () => {
    expect(() => checkWithdraw(draft(), { actor: firstMember, reason: '另行修改后再提' })).not.toThrow();
    expect(() => checkWithdraw(applySubmit(draft(), 'hand_in', '2026-03-09T00:00:00.000Z'), { actor: office, reason: '重复提案' })).not.toThrow();
    expect(refusal(() => checkWithdraw(draft(), { actor: otherMember, reason: '不想联名' })).type).toBe('FORBIDDEN_ROLE');
    expect(refusal(() => checkWithdraw(draft(), { actor: firstMember, reason: '  ' })).field).toBe('reason');
    const withdrawn = applyWithdraw(draft());
    expect(withdrawn.signers.slice(1).every((s) => s.status === 'expired')).toBe(true);
    expect(refusal(() => checkWithdraw(withdrawn, { actor: office, reason: '再撤' })).type).toBe('ALREADY_DONE');
    expect(refusal(() => checkLinkAnswer(withdrawn, { actor: link, position: 1, answer: 'accept' }, BEFORE)).type).toBe('DEADLINE_PASSED');
  });

  it('a registered draft is not withdrawn: the proposal is withdrawn (撤案) instead', () => {
    const registering = applySubmit(draft(), 'register', '2026-03-10T10:00:00.000Z');
    const refused = refusal(() => checkWithdraw(registering, { actor: office, reason: '撤' }));
    expect(refused.type).toBe('WRONG_STAGE');
    expect(refused.message).toContain('撤案');
  });
});
