import { businessFailure, FailureType, invalidField } from '../shared/failures.js';
import type { Actor, ProposerInput, ProposerKind } from '../shared/types.js';
import type {
  JointAnswer,
  JointDraftView,
  JointSigner,
  LinkAnswerInput,
  OpenJointDraftInput,
  PaperAnswerInput,
  SignerInput,
  SignerStatus,
  SubmitJointInput,
  WithdrawJointInput,
} from './definitions.js';

// The rules of 联名征集 as pure functions: the Update validators call the checks, the handlers
// the transitions, and plain vitest tests both. Every refusal is typed and says what to do.

/** Co-signers per draft: a provincial joint proposal rarely has more than a few dozen. */
export const MAX_CO_SIGNERS = 100;
const COMMENT_MAX = 500;

export const SIGNER_STATUS_LABELS: Record<SignerStatus, string> = {
  first_signer: '第一提案人',
  invited: '已邀请，待答复',
  accepted: '同意联名',
  declined: '谢绝联名',
  paper_accepted: '同意联名（纸质回执）',
  paper_declined: '谢绝联名（纸质回执）',
  expired: '未答复',
};

const ANSWERED: readonly SignerStatus[] = ['accepted', 'declined', 'paper_accepted', 'paper_declined'];
const SIGNS: readonly SignerStatus[] = ['first_signer', 'accepted', 'paper_accepted'];

function isStaff(actor: Actor): boolean {
  return actor.role === 'office' || actor.role === 'committee';
}

export function requireActor(input: { actor?: Actor } | undefined): Actor {
  const actor = input?.actor;
  if (!actor || typeof actor.userId !== 'number' || typeof actor.role !== 'string') throw invalidField('actor', '缺少经过认证的操作人');
  return actor;
}

function checkSigner(s: SignerInput | undefined, field: string): void {
  if (!s || typeof s !== 'object') throw invalidField(field, '请填写联名人');
  const byId = typeof s.proposerId === 'number' && Number.isInteger(s.proposerId) && s.proposerId > 0;
  if (!byId && !s.name?.trim()) throw invalidField(`${field}.name`, '请填写联名人姓名，或选择已登记的委员');
  if ((s.name?.length ?? 0) > 100) throw invalidField(`${field}.name`, '姓名不能超过100字');
  if (s.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.email.trim())) throw invalidField(`${field}.email`, '邮箱格式不正确');
}

function identity(s: SignerInput): string {
  return typeof s.proposerId === 'number' ? `id:${s.proposerId}` : `name:${s.name?.trim()}|${s.email?.trim().toLowerCase() ?? ''}`;
}

/** 发起联名: who may start it and whether the draft is complete. */
export function checkOpen(input: OpenJointDraftInput, expected: { sessionCode: string; receiptNo: string }): void {
  const actor = requireActor(input);
  if (!isStaff(actor) && actor.role !== 'proposer') throw businessFailure(FailureType.FORBIDDEN_ROLE, '联名提案只能由第一提案人本人、交办单位或提案委员会发起');
  if (actor.role === 'proposer' && (actor.proposerId === null || input.firstSigner?.proposerId !== actor.proposerId)) {
    throw businessFailure(FailureType.FORBIDDEN_ROLE, '委员只能以自己为第一提案人发起联名提案', { field: 'firstSigner' });
  }
  if (input.sessionCode !== expected.sessionCode || input.receiptNo !== expected.receiptNo) throw invalidField('receiptNo', '联名草案的届次或登记号与流程编号不符');
  if (!input.title?.trim()) throw invalidField('title', '请填写提案标题');
  if (!/^[0-9a-f]{64}$/.test(input.bodyHash ?? '')) throw invalidField('body', '请填写提案正文');
  checkSigner(input.firstSigner, 'firstSigner');
  const co = input.coSigners ?? [];
  if (co.length === 0) throw invalidField('coSigners', '联名提案至少需要一位附议人');
  if (co.length > MAX_CO_SIGNERS) throw invalidField('coSigners', `附议人最多${MAX_CO_SIGNERS}位`);
  const seen = new Set([identity(input.firstSigner)]);
  for (const [i, s] of co.entries()) {
    checkSigner(s, `coSigners[${i}]`);
    const id = identity(s);
    if (seen.has(id)) throw invalidField(`coSigners[${i}]`, `联名人「${s.name ?? s.proposerId}」重复出现，请删去重复的一行`);
    seen.add(id);
  }
}

/** The same draft sent again answers with the draft; the same number with other content is a mistake to show. */
export function refuseDifferentOpen(view: JointDraftView, input: OpenJointDraftInput): void {
  requireActor(input);
  if (input.title?.trim() !== view.title || input.bodyHash !== view.bodyHash || (input.coSigners?.length ?? 0) !== view.signers.length - 1) {
    throw businessFailure(FailureType.CONFLICT, `登记号 ${view.receiptNo} 已用于另一份联名草案《${view.title}》，请换一个登记号`, { field: 'receiptNo' });
  }
}

export function isExpired(view: JointDraftView, nowMs: number): boolean {
  return view.consentClosed || nowMs > Date.parse(view.expiresAt);
}

function signerAt(view: JointDraftView, position: number): JointSigner {
  const signer = Number.isInteger(position) && position > 0 ? view.signers.find((s) => s.position === position) : undefined;
  if (!signer) throw businessFailure(FailureType.NOT_FOUND, '没有找到这位附议人', { field: 'position' });
  return signer;
}

function checkAnswerFields(answer: JointAnswer, comment: string | null | undefined): void {
  if (answer !== 'accept' && answer !== 'decline') throw invalidField('answer', '请选择同意联名（accept）或谢绝联名（decline）');
  if (comment !== undefined && comment !== null && (typeof comment !== 'string' || comment.length > COMMENT_MAX)) {
    throw invalidField('comment', `说明不能超过${COMMENT_MAX}字`);
  }
}

function checkAnswerable(view: JointDraftView, signer: JointSigner, nowMs: number): void {
  if (view.status !== 'open') throw businessFailure(FailureType.DEADLINE_PASSED, '这份联名提案已经提交，不再接受联名答复；如有意见请联系第一提案人或交办单位');
  if (ANSWERED.includes(signer.status)) {
    throw businessFailure(FailureType.ALREADY_DONE, `已记录${signer.name}的答复（${SIGNER_STATUS_LABELS[signer.status]}），答复后不能更改；如需更改请联系交办单位`);
  }
  if (signer.status === 'expired' || isExpired(view, nowMs)) {
    throw businessFailure(FailureType.DEADLINE_PASSED, `联名答复期限已于${view.expiresAt}截止，不再接受答复；如仍愿联名，请联系第一提案人另行提出`);
  }
}

/** 附议人 answers through the link. */
export function checkLinkAnswer(view: JointDraftView, input: LinkAnswerInput, nowMs: number): JointSigner {
  requireActor(input);
  checkAnswerFields(input.answer, input.comment);
  const signer = signerAt(view, input.position);
  checkAnswerable(view, signer, nowMs);
  return signer;
}

/** The office enters an answer given on paper. */
export function checkPaperAnswer(view: JointDraftView, input: PaperAnswerInput, nowMs: number): JointSigner {
  const actor = requireActor(input);
  if (!isStaff(actor)) throw businessFailure(FailureType.FORBIDDEN_ROLE, '纸质联名回执只能由交办单位或提案委员会录入');
  checkAnswerFields(input.answer, input.comment);
  const signer = signerAt(view, input.position);
  checkAnswerable(view, signer, nowMs);
  return signer;
}

export function answerStatus(answer: JointAnswer, paper: boolean): SignerStatus {
  if (paper) return answer === 'accept' ? 'paper_accepted' : 'paper_declined';
  return answer === 'accept' ? 'accepted' : 'declined';
}

export function applyAnswer(view: JointDraftView, position: number, status: SignerStatus, comment: string | null, now: string): JointDraftView {
  return { ...view, signers: view.signers.map((s) => (s.position === position ? { ...s, status, comment, answeredAt: now } : s)) };
}

export function pendingSigners(view: JointDraftView): JointSigner[] {
  return view.signers.filter((s) => s.status === 'invited');
}

/** Closes the window: whoever has not answered is recorded as never having answered. */
export function closeConsent(view: JointDraftView): JointDraftView {
  return { ...view, consentClosed: true, signers: view.signers.map((s) => (s.status === 'invited' ? { ...s, status: 'expired' } : s)) };
}

/** 提交: office and committee register at once; the first signer hands the draft to the office. */
export function checkSubmit(view: JointDraftView, input: SubmitJointInput, nowMs: number): 'register' | 'hand_in' {
  const actor = requireActor(input);
  const first = view.signers[0]!;
  const isFirst = actor.role === 'proposer' && actor.proposerId !== null && actor.proposerId === first.proposerId;
  if (!isStaff(actor) && !isFirst) throw businessFailure(FailureType.FORBIDDEN_ROLE, '联名提案只能由第一提案人提交，或由交办单位、提案委员会登记');
  if (input.force !== undefined && typeof input.force !== 'boolean') throw invalidField('force', 'force 只能是 true 或 false');
  if (view.status === 'registered') throw businessFailure(FailureType.ALREADY_DONE, '这份联名提案已经登记');
  if (!isStaff(actor)) {
    if (view.status !== 'open') throw businessFailure(FailureType.ALREADY_DONE, '联名提案已经提交，正等待交办单位登记');
  } else if (view.status !== 'open') {
    // Submitted by the first signer, or a registration that did not finish: the office completes it.
    return 'register';
  }
  const pending = pendingSigners(view);
  if (pending.length > 0 && !isExpired(view, nowMs) && input.force !== true) {
    throw businessFailure(
      FailureType.PRECONDITION_FAILED,
      `还有${pending.length}位附议人（${pending.map((s) => s.name).join('、')}）未答复，答复期限到${view.expiresAt}。请等他们答复或期限届满后再提交；如确需现在提交，请选择“不再等待未答复的附议人”，他们将记为未答复，不列入联名`,
      { field: 'force' },
    );
  }
  return isStaff(actor) ? 'register' : 'hand_in';
}

export function applySubmit(view: JointDraftView, outcome: 'register' | 'hand_in', now: string): JointDraftView {
  const closed = closeConsent(view);
  return { ...closed, status: outcome === 'register' ? 'registering' : 'submitted', submittedAt: view.submittedAt ?? now };
}

/** 撤回: before registration, by the first signer in person or by the office or committee. */
export function checkWithdraw(view: JointDraftView, input: WithdrawJointInput): void {
  const actor = requireActor(input);
  const first = view.signers[0]!;
  const isFirst = actor.role === 'proposer' && actor.proposerId !== null && actor.proposerId === first.proposerId;
  if (!isStaff(actor) && !isFirst) throw businessFailure(FailureType.FORBIDDEN_ROLE, '联名草案只能由第一提案人本人、交办单位或提案委员会撤回');
  if (view.status === 'withdrawn') throw businessFailure(FailureType.ALREADY_DONE, '这份联名草案已经撤回');
  if (view.status === 'registering' || view.status === 'registered') {
    throw businessFailure(FailureType.WRONG_STAGE, '这份联名提案已经登记，不能撤回草案；如需撤案，请在提案页办理“撤案”');
  }
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (!reason) throw invalidField('reason', '请写明撤回理由');
  if (reason.length > COMMENT_MAX) throw invalidField('reason', `撤回理由不能超过${COMMENT_MAX}字`);
}

export function applyWithdraw(view: JointDraftView): JointDraftView {
  return { ...closeConsent(view), status: 'withdrawn' };
}

export function checkRecordRegistration(view: JointDraftView, input: { actor: Actor; proposalWorkflowId: string }): void {
  const actor = requireActor(input);
  if (!isStaff(actor)) throw businessFailure(FailureType.FORBIDDEN_ROLE, '只有交办单位或提案委员会可以登记提案');
  if (view.status === 'registered' && view.proposalWorkflowId === input.proposalWorkflowId) return;
  if (view.status !== 'registering') throw businessFailure(FailureType.WRONG_STAGE, '这份联名提案还没有提交登记');
  if (typeof input.proposalWorkflowId !== 'string' || !input.proposalWorkflowId.startsWith('proposal:')) throw invalidField('proposalWorkflowId', '提案编号无效');
}

/** Who signs the registered proposal: the first signer and every co-signer who accepted, in signing order. */
export function signingProposers(view: JointDraftView): ProposerInput[] {
  return view.signers
    .filter((s) => SIGNS.includes(s.status))
    .sort((a, b) => a.position - b.position)
    .map((s) => ({ kind: 'member', name: s.name, email: s.email, phone: s.phone, sector: s.sector }));
}

/** Nobody accepted: what is left is the first signer's own proposal, registered as 个人提案. */
export function registeredKind(view: JointDraftView): ProposerKind {
  return signingProposers(view).length >= 2 ? 'joint' : 'individual';
}
