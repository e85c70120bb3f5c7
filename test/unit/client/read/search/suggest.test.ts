import { describe, expect, it } from 'vitest';
import { suggestUnits, type Precedent } from '../../../../../client/read/search/suggest.js';

const p = (id: string, score: number, mode: string, lead: string | null, units: string[]): Precedent => ({
  workflowId: id,
  title: `提案${id}`,
  sessionCode: '十四届三次会议',
  proposalNo: null,
  handlingMode: mode,
  leadUnitId: lead,
  unitIds: units,
  score,
});

describe('suggestUnits', () => {
  it('ranks lead units by the similarity of the proposals they led, with those proposals as reasons', () => {
    const s = suggestUnits([p('1', 0.9, 'lead', 'jxt', ['jxt', 'kjt']), p('2', 0.5, 'sole', 'fgw', ['fgw']), p('3', 0.3, 'sole', 'jxt', ['jxt'])]);
    expect(s.lead.map((u) => u.unitId)).toEqual(['jxt', 'fgw']);
    expect(s.lead[0]!.weight).toBeCloseTo(1.2 / 1.7);
    expect(s.lead[0]!.reasons.map((r) => r.workflowId)).toEqual(['1', '3']);
    // The co-units: kjt co-handled #1 (half its score); fgw led #2; never the first lead itself.
    expect(s.co.map((u) => u.unitId)).toEqual(['fgw', 'kjt']);
    expect(s.co.find((u) => u.unitId === 'kjt')!.reasons[0]!.role).toBe('co');
  });

  it('counts every unit of a split as answering', () => {
    const s = suggestUnits([p('1', 1, 'split', 'a', ['a', 'b'])]);
    expect(s.lead.map((u) => u.unitId).sort()).toEqual(['a', 'b']);
  });

  it('suggests nothing without assigned precedents, and at most `top` of each', () => {
    expect(suggestUnits([p('1', 1, 'sole', null, [])])).toEqual({ lead: [], co: [] });
    const many = ['a', 'b', 'c', 'd', 'e'].map((u, i) => p(String(i), 1 - i / 10, 'sole', u, [u]));
    expect(suggestUnits(many, 3).lead).toHaveLength(3);
  });
});
