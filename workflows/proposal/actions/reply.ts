import { businessFailure, FailureType, invalidField } from '../../shared/failures.js';
import type { ActionInput } from '../machine.js';
import type { NotificationIntent } from '../../shared/notifications.js';
import { currentSigner, setSignOffReminder, SIGN_OFF_LABELS, signOffRequest, startChain, stepWords } from '../signoff-chain.js';
import { assertActionAllowed, coOpinionsOutstanding, requireTrack, signOffNeedsPrincipal } from '../state.js';
import { beijingToday, clone, hash, isoDate, text, type ActionSpec } from './support.js';

// ---------------------------------------------------------------- 答复起草
export type DraftInput = ActionInput<'saveDraft'>;

export const saveDraft: ActionSpec<DraftInput> = {
  check(state, actor, input, now) {
    assertActionAllowed(state, 'saveDraft', actor);
    const track = requireTrack(state, actor);
    if (track.status !== 'drafting') throw businessFailure(FailureType.WRONG_STAGE, '答复稿正在审签，不能修改；如需修改请由领导退回');
    hash(input.bodyHash, 'body');
    if (input.changeNote != null && (typeof input.changeNote !== 'string' || input.changeNote.length > 500))
      throw invalidField('changeNote', '修改说明应为500字以内的文字');
    const classes = state.policy.body.replyClasses;
    if (!classes.includes(input.replyClass)) throw invalidField('replyClass', `答复分类必须是：${classes.join('、')}`);
    if (state.policy.body.classesNeedingFollowUp.includes(input.replyClass)) {
      text(input.promisedActions, 'promisedActions', `${input.replyClass}类答复承诺的措施`, 2000);
      const date = isoDate(input.followUpDate, 'followUpDate', '落实情况回访日期');
      if (date <= beijingToday(now)) throw invalidField('followUpDate', '回访日期应晚于今天');
    }
  },
  apply(state, actor, input, ctx) {
    const next = clone(state);
    const track = next.tracks.find((t) => t.unitId === actor.unitId)!;
    const version = track.drafts.length + 1;
    const changeNote = input.changeNote?.trim() || (version === 1 ? '初稿' : null);
    track.drafts.push({ version, bodyHash: input.bodyHash, replyClass: input.replyClass, authorUserId: actor.userId, at: ctx.now, changeNote });
    track.replyClass = track.classOverride?.replyClass ?? input.replyClass;
    const needsFollowUp = state.policy.body.classesNeedingFollowUp.includes(input.replyClass);
    track.promisedActions = needsFollowUp ? input.promisedActions!.trim() : null;
    track.followUpDate = needsFollowUp ? input.followUpDate! : null;
    if (input.commitsFunds !== undefined) track.commitsFunds = input.commitsFunds === 'yes';
    return {
      state: next,
      record: {
        step: 'saveDraft',
        unitId: track.unitId,
        summary: { version, replyClass: input.replyClass, changeNote, followUpDate: track.followUpDate },
        replyVersion: { unitId: track.unitId, version, round: state.round, bodyHash: input.bodyHash, replyClass: input.replyClass, changeNote },
        notifications: [],
      },
    };
  },
};

export type OverrideClassInput = ActionInput<'overrideClass'>;

export const overrideClass: ActionSpec<OverrideClassInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'overrideClass', actor);
    if (!state.tracks.some((t) => t.unitId === input.unitId)) throw invalidField('unitId', '该单位不负责答复本提案');
    if (!state.policy.body.replyClasses.includes(input.replyClass)) throw invalidField('replyClass', `答复分类必须是：${state.policy.body.replyClasses.join('、')}`);
    text(input.reason, 'reason', '调整分类的理由', 1000);
  },
  admit(state, _actor, input) {
    const track = state.tracks.find((t) => t.unitId === input.unitId)!;
    if (track.replyClass === input.replyClass) throw invalidField('replyClass', `该答复已是${input.replyClass}类，无需调整`);
  },
  apply(state, actor, input, ctx) {
    const next = clone(state);
    const track = next.tracks.find((t) => t.unitId === input.unitId)!;
    const from = track.replyClass;
    track.classOverride = { replyClass: input.replyClass, reason: input.reason.trim() };
    track.replyClass = input.replyClass;
    // A letter already sent carries the old class: it is issued again (the workflow sends it).
    const reissue = track.status === 'dispatched' && track.docNo !== null;
    if (reissue) {
      const issued = track.reissues ?? [];
      track.reissues = [
        ...issued,
        { issue: issued.length + 2, fromClass: from, toClass: input.replyClass, reason: input.reason.trim(), requestedAt: ctx.now, docNo: null },
      ];
    }
    return {
      state: next,
      record: {
        step: 'overrideClass',
        unitId: input.unitId,
        summary: { from, to: input.replyClass, reason: input.reason.trim(), by: actor.name, ...(reissue ? { reissue: true } : {}) },
        notifications: [],
      },
    };
  },
};

// ---------------------------------------------------------------- 审签
export type SubmitForSignOffInput = ActionInput<'submitForSignOff'>;

export const submitForSignOff: ActionSpec<SubmitForSignOffInput> = {
  needsSignOffChain: true,
  check(state, actor) {
    assertActionAllowed(state, 'submitForSignOff', actor);
    const track = requireTrack(state, actor);
    if (track.status !== 'drafting') throw businessFailure(FailureType.ALREADY_DONE, '答复稿已在审签中');
    if (track.drafts.length === 0) throw businessFailure(FailureType.PRECONDITION_FAILED, '请先保存答复稿');
    if (track.consultations === 0 && !track.noConsultationReason) {
      throw businessFailure(FailureType.PRECONDITION_FAILED, '先协商后答复：请先记录与提案者的沟通协商，或说明未能协商的原因');
    }
    if (state.officeChairedConsultation && !state.officeConsultationHeld) {
      throw businessFailure(FailureType.PRECONDITION_FAILED, '提案者再次表示不满意：须先由交办单位主持与提案者面商，再送审签');
    }
    const waiting = state.mode === 'lead' && track.unitId === state.units.find((u) => u.role === 'lead')?.unitId ? coOpinionsOutstanding(state) : [];
    if (waiting.length > 0) {
      throw businessFailure(
        FailureType.PRECONDITION_FAILED,
        `还在等待会办单位的意见：${waiting.map((u) => u.unitId).join('、')}；请待其提交，或请交办单位批准免于等待`,
      );
    }
  },
  apply(state, actor, _input, ctx) {
    const next = clone(state);
    const track = next.tracks.find((t) => t.unitId === actor.unitId)!;
    track.status = 'signoff';
    if (ctx.signOffChain !== undefined) {
      const progress = startChain(state, track, ctx.signOffChain, ctx.now);
      track.signOff = progress;
      setSignOffReminder(next, track.unitId, progress);
      return {
        state: next,
        record: {
          step: 'submitForSignOff',
          unitId: track.unitId,
          summary: { version: track.drafts.length, chain: progress.steps, needsPrincipal: progress.steps.includes('principal') },
          notifications: [signOffRequest(state, track.unitId, track.drafts.length, progress)],
        },
      };
    }
    const needsPrincipal = signOffNeedsPrincipal(state);
    return {
      state: next,
      record: {
        step: 'submitForSignOff',
        unitId: track.unitId,
        summary: { version: track.drafts.length, needsPrincipal },
        notifications: [
          {
            kind: 'signoff_requested',
            to: needsPrincipal ? { unitPrincipals: [track.unitId] } : { unitLeaders: [track.unitId] },
            params: { title: state.title, proposalNo: state.proposalNo, version: track.drafts.length },
          },
        ],
      },
    };
  },
};

export type SignOffInput = ActionInput<'signOff'>;

export const signOff: ActionSpec<SignOffInput> = {
  check(state, actor, input) {
    assertActionAllowed(state, 'signOff', actor);
    const track = requireTrack(state, actor);
    if (track.status !== 'signoff') throw businessFailure(FailureType.WRONG_STAGE, '没有待审签的答复稿');
    if (track.signOff) {
      const signer = currentSigner(track.signOff);
      if (actor.role !== signer) throw businessFailure(FailureType.FORBIDDEN_ROLE, `答复稿正在${stepWords(track.signOff)}，须由${SIGN_OFF_LABELS[signer]}审签`);
    } else {
      if (actor.role === 'liaison') throw businessFailure(FailureType.FORBIDDEN_ROLE, '答复稿须由单位领导审签');
      if (signOffNeedsPrincipal(state) && actor.role !== 'principal') {
        throw businessFailure(FailureType.FORBIDDEN_ROLE, '重点提案的答复须由单位主要负责人签发');
      }
    }
    if (input.decision !== 'approve' && input.decision !== 'return') throw invalidField('decision', '审签结果必须是 approve（签发）或 return（退回）');
    if (input.decision === 'return') text(input.reason, 'reason', '退回理由', 1000);
  },
  apply(state, actor, input, ctx) {
    const next = clone(state);
    const track = next.tracks.find((t) => t.unitId === actor.unitId)!;
    const progress = track.signOff ?? null;
    const step = progress ? { step: progress.at + 1, of: progress.steps.length, signer: SIGN_OFF_LABELS[currentSigner(progress)] } : {};
    const notifications: NotificationIntent[] = [];
    const moreSteps = input.decision === 'approve' && progress !== null && progress.at + 1 < progress.steps.length;
    if (moreSteps) {
      // The next signer of the chain takes over, with a reminder clock of its own.
      const advanced = { ...progress, at: progress.at + 1, startedAt: ctx.now };
      track.signOff = advanced;
      setSignOffReminder(next, track.unitId, advanced);
      notifications.push(signOffRequest(state, track.unitId, track.drafts.length, advanced));
    } else {
      track.signOffRounds += 1;
      if (progress) track.signOff = null;
      if (input.decision === 'approve') {
        track.status = 'approved';
        track.lastReturnReason = null;
      } else {
        track.status = 'drafting';
        track.lastReturnReason = input.reason!.trim();
        notifications.push({
          kind: 'signoff_returned',
          to: { unitLiaisons: [track.unitId] },
          params: { title: state.title, proposalNo: state.proposalNo, reason: input.reason!.trim(), ...(progress ? { by: step.signer } : {}) },
        });
      }
    }
    return {
      state: next,
      record: {
        step: 'signOff',
        unitId: track.unitId,
        summary: {
          decision: input.decision,
          reason: input.reason?.trim() ?? null,
          round: track.signOffRounds,
          version: track.drafts.length,
          signedBy: actor.name,
          ...step,
        },
        notifications,
      },
    };
  },
};
