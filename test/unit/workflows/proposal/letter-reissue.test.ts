import { describe, expect, it } from 'vitest';
import { correctionNote, reissuedDocNo } from '../../../../activities/reissue-reply.js';
import { ACTIONS } from '../../../../workflows/proposal/actions/index.js';
import { pendingReissues } from '../../../../workflows/proposal/reissue.js';
import { FailureType } from '../../../../workflows/shared/failures.js';
import { actFull, assignedState, dispatchedState, expectFailure, office, T } from './fixtures.js';

// 答复函更正重发 as pure rules: which override asks for a new letter, and how it is numbered.

describe('an A/B/C override after dispatch reissues the letter', () => {
  it('an override after dispatch asks for the letter again, numbered as the second issue, and says so in the record', () => {
    const s = dispatchedState();
    const from = s.tracks[0]!.replyClass;
    const { state, record } = actFull(s, 'overrideClass', office(), { unitId: 'u1', replyClass: 'C', reason: '暂不具备条件' }, T.rated);
    expect(state.tracks[0]!.reissues).toEqual([{ issue: 2, fromClass: from, toClass: 'C', reason: '暂不具备条件', requestedAt: T.rated, docNo: null }]);
    expect(pendingReissues(state).map((p) => p.reissue.issue)).toEqual([2]);
    expect(record.summary).toMatchObject({ from, to: 'C', reissue: true });
  });

  it('an override before dispatch changes the class only: the letter is not written yet', () => {
    const s = assignedState();
    const { state, record } = actFull(s, 'overrideClass', office(), { unitId: 'u1', replyClass: 'B', reason: '承诺事项待落实' }, T.drafted);
    expect(state.tracks[0]!.reissues).toBeUndefined();
    expect(record.summary).not.toHaveProperty('reissue');
  });

  it('an override to the class it already has is refused (new requests only)', () => {
    const s = dispatchedState();
    const current = s.tracks[0]!.replyClass!;
    expectFailure(
      () => ACTIONS.overrideClass.admit!(s, office(), { unitId: 'u1', replyClass: current, reason: '确认' }, T.rated),
      FailureType.INVALID_INPUT,
      'replyClass',
    );
  });

  it('numbering: the class in the number follows; a suffix gives each issue a number of its own', () => {
    expect(reissuedDocNo('浙发改提〔2024〕263号A', 'A', 'B', 'correction_note', 2)).toBe('浙发改提〔2024〕263号B');
    expect(reissuedDocNo('浙发改提〔2024〕263号', 'A', 'B', 'correction_note', 2)).toBe('浙发改提〔2024〕263号');
    expect(reissuedDocNo('浙发改提〔2024〕263号A', 'A', 'C', 'number_suffix', 3)).toBe('浙发改提〔2024〕263号C-3');
  });

  it('the correction note names the change, the reason and the letter it replaces', () => {
    const note = correctionNote({ fromClass: 'A', replyClass: 'B', reason: '承诺事项尚在推进', sentDocNo: '浙发改提〔2026〕5号', sentAt: '2026-03-20T02:00:00.000Z' });
    expect(note).toBe('更正说明：经审定，本答复的分类由A类调整为B类（承诺事项尚在推进）。本函替代2026年3月20日所发浙发改提〔2026〕5号答复函，请以本函为准。');
  });
});
