import { describe, expect, it } from 'vitest';
import { clean, indexTokens, keywords, queryWords, subWords } from '../../../../activities/search/segment.js';

describe('segment', () => {
  it('indexes the words and, for long words, their shorter words; no punctuation or spaces', () => {
    const tokens = indexTokens('关于中华人民共和国，AI 应用的建议。');
    expect(tokens).toEqual(expect.arrayContaining(['中华人民共和国', '人民', '共和国', 'ai', '应用', '建议']));
    expect(tokens.every((t) => /^[\p{L}\p{N}]+$/u.test(t))).toBe(true);
  });

  it('cuts a query precisely, once per word', () => {
    expect(queryWords('桑蚕 桑蚕，丝绸')).toEqual(['桑蚕', '丝绸']);
    expect(subWords('中华人民共和国')).toEqual(expect.arrayContaining(['中华', '人民', '共和国']));
    expect(clean("A-b'c")).toBe('abc');
  });

  it('finds the distinctive words of a text, without the generic ones', () => {
    const words = keywords('关于加强古村落保护的建议：古村落修缮资金不足。', 5);
    expect(words).toContain('古村落');
    expect(words).not.toContain('建议');
    expect(words.length).toBeLessThanOrEqual(5);
  });
});
