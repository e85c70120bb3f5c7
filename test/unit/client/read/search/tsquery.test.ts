import { describe, expect, it } from 'vitest';
import { MAX_QUERY_WORDS, parseQuery, similarityQuery } from '../../../../../client/read/search/tsquery.js';

describe('parseQuery', () => {
  it('ANDs the words jieba cuts, quoted', () => {
    expect(parseQuery('桑蚕 丝绸')).toEqual({ tsquery: "'桑蚕' & '丝绸'", terms: ['桑蚕', '丝绸'] });
  });

  it('lets a long word match its shorter words too', () => {
    const q = parseQuery('中华人民共和国')!;
    expect(q.tsquery).toMatch(/^\('中华人民共和国' \| \('中华' & .*'共和国'.*\)\)$/);
    expect(q.terms).toEqual(expect.arrayContaining(['中华人民共和国', '人民', '共和国']));
  });

  it('keeps nothing that tsquery syntax would read: only letters and digits are quoted', () => {
    const q = parseQuery("a'b & c|d !e :* (f)")!;
    expect(q.tsquery).not.toMatch(/[^'\p{L}\p{N} &|()]/u);
    for (const quoted of q.tsquery.match(/'[^']*'/g) ?? []) expect(quoted).toMatch(/^'[\p{L}\p{N}]+'$/u);
  });

  it('answers null when only punctuation is left, and bounds the words', () => {
    expect(parseQuery('，。！？  ')).toBeNull();
    const many = Array.from({ length: 60 }, (_, i) => `词${i}`).join(' ');
    expect(parseQuery(many)!.tsquery.split(' & ').length).toBeLessThanOrEqual(MAX_QUERY_WORDS);
  });
});

describe('similarityQuery', () => {
  it('ORs the distinctive words and leaves out the words every proposal has', () => {
    const q = similarityQuery('关于加强古村落保护与活化利用的建议：设立古村落保护专项资金，发展特色民宿。')!;
    expect(q.tsquery.split(' | ').length).toBe(q.terms.length);
    expect(q.terms).toEqual(expect.arrayContaining(['古村落', '民宿']));
    expect(q.terms).not.toContain('建议');
    expect(q.terms).not.toContain('关于');
  });
});
