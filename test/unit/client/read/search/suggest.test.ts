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

  it('lets a unit whose remit holds the proposal’s words vote with its match, shown as its reason', () => {
    const remit = { unitId: 'jyt', score: 0.6, words: ['义务教育', '学区'] };
    // No precedent at all: the remit alone suggests the unit.
    const alone = suggestUnits([], 3, [remit]);
    expect(alone.lead).toEqual([{ unitId: 'jyt', weight: 1, reasons: [], remit }]);
    // Beside precedents: its match adds to its votes (0.6 beside fgw's 0.5), never replacing them.
    const mixed = suggestUnits([p('1', 0.5, 'sole', 'fgw', ['fgw']), p('2', 0.2, 'sole', 'jyt', ['jyt'])], 3, [remit, { unitId: 'none', score: 0, words: [] }]);
    expect(mixed.lead.map((u) => u.unitId)).toEqual(['jyt', 'fgw']);
    expect(mixed.lead[0]!.weight).toBeCloseTo(0.8 / 1.3);
    expect(mixed.lead[0]!.reasons.map((r) => r.workflowId)).toEqual(['2']);
    // The first lead is not a co-unit; a unit matched only by its remit may be one, at half weight.
    expect(mixed.co.map((u) => u.unitId)).toEqual(['fgw']);
    const second = suggestUnits([p('1', 0.9, 'sole', 'fgw', ['fgw'])], 3, [remit]);
    expect(second.co).toEqual([{ unitId: 'jyt', weight: 1, reasons: [], remit }]);
  });
});
