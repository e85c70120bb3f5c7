import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../../workflows/proposal/actions/index.js';
import {
  activeUnit,
  answeringUnits,
  assertActionAllowed,
  assertNotTerminal,
  coOpinionsOutstanding,
  dueByKey,
  initialState,
  isOpen,
  isTerminal,
  newTrack,
  raters,
  replyRecipients,
  requireTrack,
  requireUnit,
  roleLabel,
  signOffNeedsPrincipal,
  trackOf,
  validateProposers,
} from '../../../../workflows/proposal/state.js';
import { ACTION_TABLE, actionRule, STAGE_LABELS, type ActionName } from '../../../../workflows/proposal/machine.js';
import { FailureType } from '../../../../workflows/shared/failures.js';
import type { Role, Stage } from '../../../../workflows/shared/types.js';
import { TERMINAL_STAGES } from '../../../../workflows/shared/types.js';
import { DEFAULT_POLICY } from '../../../../activities/policy/default-policy.js';
import { actor, assignedState, checkRaw, deepFreeze, DUES, expectFailure, filedState, inStage, liaison, receivedState } from './fixtures.js';

const ALL_ROLES: Role[] = ['office', 'committee', 'liaison', 'leader', 'principal', 'proposer', 'admin'];
const ALL_STAGES: Stage[] = ['received', 'filed', 'handling', 'dispatched', 'closed', 'merged', 'converted', 'not_filed', 'withdrawn'];
const ACTION_NAMES = Object.keys(ACTION_TABLE) as ActionName[];

describe('ACTION_TABLE table', () => {
  it('has one rule and one pure action for every action name', () => {
    expect(new Set(Object.keys(ACTIONS))).toEqual(new Set(ACTION_NAMES));
    expect(ACTION_NAMES).toHaveLength(24);
    for (const name of ACTION_NAMES) {
      const rule = ACTION_TABLE[name];
      expect(rule.roles.length, name).toBeGreaterThan(0);
      expect(rule.from.length, name).toBeGreaterThan(0);
      expect(rule.label.trim(), name).not.toBe('');
      expect(typeof ACTIONS[name].check).toBe('function');
      expect(typeof ACTIONS[name].apply).toBe('function');
    }
  });

  it('no action may ever be taken by the admin or in a terminal stage other than closed', () => {
    for (const name of ACTION_NAMES) {
      expect(ACTION_TABLE[name].roles).not.toContain('admin');
      for (const stage of ['merged', 'converted', 'not_filed', 'withdrawn'] as const) expect(ACTION_TABLE[name].from).not.toContain(stage);
    }
  });

  it('only proposers and the office (paper form) rate; only liaisons write replies', () => {
    expect([...ACTION_TABLE.rate.roles].sort()).toEqual(['office', 'proposer']);
    for (const name of ['saveDraft', 'submitForSignOff', 'recordConsultation', 'recordNoConsultation', 'requestAdjustment'] as const) {
      expect(ACTION_TABLE[name].roles).toEqual(['liaison']);
    }
    // A liaison signs only as a chain's 处室审核 step (the action's check decides, see signoff-chain tests).
    expect([...ACTION_TABLE.signOff.roles].sort()).toEqual(['leader', 'liaison', 'principal']);
    for (const name of ACTION_NAMES) {
      if (name !== 'rate') expect(ACTION_TABLE[name].roles, name).not.toContain('proposer');
    }
  });

  describe.each(ACTION_NAMES)('%s', (name) => {
    const rule = actionRule(name);
    const base = assignedState('lead', ['u1', 'u2']);

    it.each(ALL_ROLES.filter((r) => !rule.roles.includes(r)))('refuses role %s with FORBIDDEN_ROLE in every stage', (role) => {
      for (const stage of ALL_STAGES) {
        const f = expectFailure(() => checkRaw(inStage(base, stage), name, actor(role, { unitId: 'u1', proposerId: 11 }), {}), FailureType.FORBIDDEN_ROLE);
        expect(f.message).toContain(rule.label);
        expect(f.message).toContain(roleLabel(role));
      }
    });

    it.each(ALL_STAGES.filter((s) => !rule.from.includes(s)))('refuses stage %s with WRONG_STAGE for every permitted role', (stage) => {
      for (const role of rule.roles) {
        const f = expectFailure(() => checkRaw(inStage(base, stage), name, actor(role, { unitId: 'u1', proposerId: 11 }), {}), FailureType.WRONG_STAGE);
        expect(f.message).toContain(STAGE_LABELS[stage]);
      }
    });

    it('assertActionAllowed passes for permitted role and stage', () => {
      for (const role of rule.roles) {
        for (const stage of rule.from) {
          expect(() => assertActionAllowed(deepFreeze(inStage(base, stage)), name, actor(role))).not.toThrow();
        }
      }
    });
  });

  it('checks the role before the stage', () => {
    // A proposer trying to assign a merged proposal hears about the role, not the stage.
    expectFailure(
      () => checkRaw(inStage(filedState(), 'merged'), 'assign', actor('proposer', { proposerId: 11 }), { mode: 'sole', units: ['u1'] }),
      FailureType.FORBIDDEN_ROLE,
    );
  });
});

describe('stage helpers', () => {
  it('isTerminal: every terminal stage except closed (a closed proposal still has follow-up work)', () => {
    for (const stage of ALL_STAGES) expect(isTerminal(stage), stage).toBe(TERMINAL_STAGES.includes(stage) && stage !== 'closed');
    expect(isTerminal('closed')).toBe(false);
    expect(isTerminal('withdrawn')).toBe(true);
  });

  it('isOpen: received, filed, handling, dispatched', () => {
    expect(ALL_STAGES.filter(isOpen)).toEqual(['received', 'filed', 'handling', 'dispatched']);
  });

  it('assertNotTerminal allows open and closed, refuses merged/converted/not_filed/withdrawn', () => {
    for (const stage of ALL_STAGES) {
      const s = inStage(receivedState(), stage);
      if (isOpen(stage) || stage === 'closed') expect(() => assertNotTerminal(s)).not.toThrow();
      else expectFailure(() => assertNotTerminal(s), FailureType.WRONG_STAGE);
    }
  });

  it('every stage and role has a label', () => {
    for (const stage of ALL_STAGES) expect(STAGE_LABELS[stage]).toBeTruthy();
    for (const role of ALL_ROLES) expect(roleLabel(role)).toBeTruthy();
  });
});

describe('initialState', () => {
  it('starts received, unfiled, unassigned, round 0, with the given policy', () => {
    const policy = { version: 3, body: DEFAULT_POLICY };
    const s = initialState({
      workflowId: 'proposal:s:R1',
      sessionCode: 's',
      receiptNo: 'R1',
      title: 't',
      bodyHash: 'a'.repeat(64),
      proposerKind: 'individual',
      policy,
    });
    expect(s).toMatchObject({
      stage: 'received',
      proposalNo: null,
      filing: null,
      mode: null,
      units: [],
      removedUnits: [],
      tracks: [],
      proposerIds: [],
      mergedProposerIds: [],
      keyProposal: false,
      supervisingLeader: null,
      round: 0,
      unsatisfiedRounds: 0,
      officeChairedConsultation: false,
      ratings: [],
      feedbackDueAt: null,
      publication: null,
      followUp: null,
      policy,
    });
  });

  it('newTrack starts drafting with no consultations, drafts or class', () => {
    expect(newTrack('u9', DUES.reply.dueAt)).toEqual({
      unitId: 'u9',
      status: 'drafting',
      consultations: 0,
      faceToFace: 0,
      noConsultationReason: null,
      drafts: [],
      replyClass: null,
      classOverride: null,
      promisedActions: null,
      followUpDate: null,
      signOffRounds: 0,
      lastReturnReason: null,
      dueAt: DUES.reply.dueAt,
      docNo: null,
      dispatchedAt: null,
    });
  });
});

describe('validateProposers', () => {
  const member = { kind: 'member' as const, name: '张委员' };
  const party = { kind: 'party' as const, name: '民盟省委会' };

  it('accepts one member individually, two or more jointly, and collective bodies', () => {
    expect(() => validateProposers('individual', [member])).not.toThrow();
    expect(() => validateProposers('joint', [member, { ...member, name: '李委员' }])).not.toThrow();
    expect(() => validateProposers('party', [party])).not.toThrow();
    expect(() => validateProposers('sector_group', [{ kind: 'sector_group', name: '经济界' }])).not.toThrow();
  });

  it('refuses no proposers, several individual, a lone joint signer, and mixed kinds', () => {
    expectFailure(() => validateProposers('individual', []), FailureType.INVALID_INPUT, 'proposers');
    expectFailure(() => validateProposers('individual', [member, member]), FailureType.INVALID_INPUT, 'proposers');
    expectFailure(() => validateProposers('joint', [member]), FailureType.INVALID_INPUT, 'proposers');
    expectFailure(() => validateProposers('joint', [member, party]), FailureType.INVALID_INPUT, 'proposers[1].kind');
    expectFailure(() => validateProposers('party', [member]), FailureType.INVALID_INPUT, 'proposers[0].kind');
  });
});

describe('raters and replyRecipients', () => {
  it('all_proposers: every co-signer and every merged proposer rates', () => {
    const s = receivedState({ proposerIds: [11, 12, 13], mergedProposerIds: [21, 12] });
    expect(raters(s)).toEqual([11, 12, 13, 21]);
  });

  it("first_proposer: only 第一提案人, but merged proposals' proposers still rate", () => {
    const s = receivedState({ proposerIds: [11, 12, 13], mergedProposerIds: [21], policy: { ratingBy: 'first_proposer' } });
    expect(raters(s)).toEqual([11, 21]);
  });

  it('replyRecipients: all co-signers plus merged proposers, without duplicates, regardless of ratingBy', () => {
    for (const ratingBy of ['first_proposer', 'all_proposers'] as const) {
      const s = receivedState({ proposerIds: [11, 12], mergedProposerIds: [21, 22, 11], policy: { ratingBy } });
      expect(replyRecipients(s)).toEqual([11, 12, 21, 22]);
    }
  });

  it('no proposers gives empty lists', () => {
    const s = receivedState({ proposerIds: [] });
    expect(raters(s)).toEqual([]);
    expect(replyRecipients(s)).toEqual([]);
  });
});

describe('unit helpers', () => {
  const s = deepFreeze(assignedState('lead', ['u1', 'u2', 'u3']));

  it('activeUnit / answeringUnits / trackOf', () => {
    expect(activeUnit(s, 'u2')?.role).toBe('co');
    expect(activeUnit(s, 'zz')).toBeUndefined();
    expect(activeUnit(s, null)).toBeUndefined();
    expect(answeringUnits(s).map((u) => u.unitId)).toEqual(['u1']);
    expect(trackOf(s, 'u1')?.status).toBe('drafting');
    expect(trackOf(s, 'u2')).toBeUndefined();
  });

  it('requireUnit / requireTrack: NOT_YOUR_UNIT for strangers and (for tracks) co-units', () => {
    expect(requireUnit(s, liaison('u2')).unitId).toBe('u2');
    expectFailure(() => requireUnit(s, liaison('zz')), FailureType.NOT_YOUR_UNIT);
    expectFailure(() => requireUnit(s, actor('liaison')), FailureType.NOT_YOUR_UNIT);
    expect(requireTrack(s, liaison('u1')).unitId).toBe('u1');
    expectFailure(() => requireTrack(s, liaison('u2')), FailureType.NOT_YOUR_UNIT);
  });

  it('coOpinionsOutstanding lists co-units still due', () => {
    expect(coOpinionsOutstanding(s).map((u) => u.unitId)).toEqual(['u2', 'u3']);
    expect(coOpinionsOutstanding(assignedState('split', ['u1', 'u2']))).toEqual([]);
  });

  it('signOffNeedsPrincipal only for key proposals under a policy that says so', () => {
    expect(signOffNeedsPrincipal(s)).toBe(false);
    const key = { ...s, keyProposal: true };
    expect(signOffNeedsPrincipal(key)).toBe(true);
    expect(signOffNeedsPrincipal({ ...key, policy: { version: 2, body: { ...DEFAULT_POLICY, principalSignOffForKey: false } } })).toBe(false);
  });

  it('dueByKey finds a due date or fails loudly (a programming error, not a business failure)', () => {
    expect(dueByKey([DUES.reply, DUES.adjustmentWindow], 'adjustmentWindow')).toBe(DUES.adjustmentWindow);
    expect(() => dueByKey([DUES.reply], 'coOpinion')).toThrow(TypeError);
    expect(() => dueByKey([], 'reply')).toThrow(/reply/);
  });
});
