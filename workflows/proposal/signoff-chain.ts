import { shanghaiDate } from '../shared/dates.js';
import type { NotificationIntent } from '../shared/notifications.js';
import type { Policy, SignOffChain, SignOffRole } from '../shared/types.js';
import { offsetMs } from './clock.js';
import type { ProposalState, ReplyTrack } from './state.js';

// 审签流程: which signers a reply passes, in order. A unit's chain is data (units.signoff_chain,
// read when the reply is submitted); without one the policy's rule stands (分管领导, or 主要负责人
// for key proposals), as before chains existed. Key proposals and replies that commit money end
// with the 主要负责人 whatever the chain says (DOMAIN.md, unit leader).

export const SIGN_OFF_LABELS: Record<SignOffRole, string> = { liaison: '处室审核', leader: '分管领导', principal: '主要负责人' };

export interface SignOffProgress {
  steps: SignOffRole[];
  /** The step waiting now (index into steps). */
  at: number;
  /** When the current step began: the key of its reminder. */
  startedAt: string;
  remindAfter: SignOffChain['remindAfter'];
}

export function needsPrincipal(policy: Policy, keyProposal: boolean, commitsFunds: boolean): boolean {
  return commitsFunds || (keyProposal && policy.body.principalSignOffForKey);
}

export function chainSteps(chain: SignOffChain | null, policy: Policy, keyProposal: boolean, commitsFunds: boolean): SignOffRole[] {
  const principal = needsPrincipal(policy, keyProposal, commitsFunds);
  const configured = chain ? ((keyProposal && chain.key?.length ? chain.key : commitsFunds && chain.funds?.length ? chain.funds : chain.ordinary) ?? []) : [];
  const steps: SignOffRole[] = configured.length > 0 ? [...configured] : [principal ? 'principal' : 'leader'];
  if (principal && steps.at(-1) !== 'principal') steps.push('principal');
  return steps;
}

export function startChain(state: ProposalState, track: ReplyTrack, chain: SignOffChain | null, now: string): SignOffProgress {
  return { steps: chainSteps(chain, state.policy, state.keyProposal, track.commitsFunds === true), at: 0, startedAt: now, remindAfter: chain?.remindAfter ?? null };
}

export function currentSigner(progress: SignOffProgress): SignOffRole {
  return progress.steps[progress.at]!;
}

/** "第2步（共3步）：分管领导" */
export function stepWords(progress: SignOffProgress): string {
  return `第${progress.at + 1}步（共${progress.steps.length}步）：${SIGN_OFF_LABELS[currentSigner(progress)]}`;
}

export function signerRecipients(role: SignOffRole, unitId: string) {
  return role === 'liaison' ? { unitLiaisons: [unitId] } : role === 'leader' ? { unitLeaders: [unitId] } : { unitPrincipals: [unitId] };
}

/** The signer of the chain's current step is asked to sign. */
export function signOffRequest(state: ProposalState, unitId: string, version: number, progress: SignOffProgress): NotificationIntent {
  return {
    kind: 'signoff_requested',
    to: signerRecipients(currentSigner(progress), unitId),
    params: { title: state.title, proposalNo: state.proposalNo, version, step: stepWords(progress) },
  };
}

/** A step that waits longer than the chain allows reminds its signer (one reminder per step). */
export function setSignOffReminder(state: ProposalState, unitId: string, progress: SignOffProgress): void {
  const key = `signOff:${unitId}`;
  if (!progress.remindAfter) {
    delete state.deadlines[key];
    return;
  }
  const dueAt = new Date(Date.parse(progress.startedAt) + offsetMs(progress.remindAfter)).toISOString();
  state.deadlines[key] = {
    key,
    ruleKey: 'signOffReminder',
    start: progress.startedAt,
    dueAt,
    dueDate: shanghaiDate(dueAt),
    explanation: `审签提醒：${stepWords(progress)}送审后${progress.remindAfter.amount}${progress.remindAfter.unit === 'seconds' ? '秒' : '天'}未审签即提醒`,
    calendarConfirmed: true,
    extensions: [],
    ceilingDate: null,
    pendingExtension: null,
  };
}
