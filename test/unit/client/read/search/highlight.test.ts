import { describe, expect, it } from 'vitest';
import { escapeHtml, markAll, matchSpans, snippet } from '../../../../../client/read/search/highlight.js';

describe('highlight', () => {
  it('escapes every character that could be markup, then marks the matches', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(markAll('关于<b>桑蚕</b>的建议', ['桑蚕'])).toBe('关于&lt;b&gt;<mark>桑蚕</mark>&lt;/b&gt;的建议');
    // A term that is itself markup is matched as text and escaped inside the mark.
    expect(markAll('a<b>c', ['<b>'])).toBe('a<mark>&lt;b&gt;</mark>c');
  });

  it('prefers the longest term and never overlaps marks', () => {
    expect(matchSpans('乡村振兴与乡村', ['乡村', '乡村振兴'])).toEqual([
      { start: 0, end: 4 },
      { start: 5, end: 7 },
    ]);
    expect(markAll('乡村振兴与乡村', ['乡村', '乡村振兴'])).toBe('<mark>乡村振兴</mark>与<mark>乡村</mark>');
  });

  it('matches letters whatever their case', () => {
    expect(markAll('推广AI应用', ['ai'])).toBe('推广<mark>AI</mark>应用');
  });

  it('cuts a window around the first match, folding whitespace, with … where it cut', () => {
    const text = `${'甲'.repeat(100)}\n\n桑蚕${'乙'.repeat(100)}`;
    const s = snippet(text, ['桑蚕'], 40);
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain(' <mark>桑蚕</mark>');
    expect(s.replace(/<\/?mark>/g, '').replace(/…/g, '')).toHaveLength(40);
  });

  it('starts at the beginning when nothing matches, and keeps a short text whole', () => {
    expect(snippet('短文本', ['无'])).toBe('短文本');
    expect(snippet('x'.repeat(200), ['无'], 10)).toBe(`${'x'.repeat(10)}…`);
  });
});
