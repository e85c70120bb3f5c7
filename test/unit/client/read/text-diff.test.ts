import { describe, expect, it } from 'vitest';
import { diffCounts, diffText, type DiffPart } from '../../../../client/read/text-diff.js';

// The character-level diff of two reply drafts: what a reader sees marked, and the invariant
// that makes it trustworthy (the unchanged and removed parts spell the old text, the unchanged
// and added parts the new one), on hand-written and on generated texts, short and long.

const side = (parts: DiffPart[], kind: 'removed' | 'added') =>
  parts
    .filter((p) => p.kind === 'same' || p.kind === kind)
    .map((p) => p.text)
    .join('');

/** A small deterministic generator, so a failure can be replayed. */
function generator(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const ALPHABET = Array.from('推进千兆网络进村培育农村电商人才一二三，。\n');

function randomText(random: () => number, length: number): string {
  return Array.from({ length }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join('');
}

function mutate(random: () => number, text: string): string {
  const chars = Array.from(text);
  for (let k = 0; k < 1 + Math.floor(random() * 6); k++) {
    const at = Math.floor(random() * (chars.length + 1));
    const what = random();
    if (what < 0.4) chars.splice(at, 0, ...Array.from(randomText(random, 1 + Math.floor(random() * 5))));
    else if (what < 0.8) chars.splice(at, 1 + Math.floor(random() * 5));
    else chars.splice(at, 1, ALPHABET[Math.floor(random() * ALPHABET.length)]!);
  }
  return chars.join('');
}

describe('diffText', () => {
  it('marks words inserted inside a Chinese sentence, character by character', () => {
    expect(diffText('一、我省推进千兆网络进村。', '一、我省加快推进千兆网络进村。')).toEqual([
      { kind: 'same', text: '一、我省' },
      { kind: 'added', text: '加快' },
      { kind: 'same', text: '推进千兆网络进村。' },
    ]);
  });

  it('marks a replaced word as removed then added, and leaves other lines alone', () => {
    const before = '一、已开展工作：推进千兆网络进村。\n二、下一步工作：培育农村电商人才。';
    const after = '一、已开展工作：推进千兆网络进村。\n二、下一步工作：培养农村电商人才。';
    expect(diffText(before, after)).toEqual([
      { kind: 'same', text: '一、已开展工作：推进千兆网络进村。\n二、下一步工作：培' },
      { kind: 'removed', text: '育' },
      { kind: 'added', text: '养' },
      { kind: 'same', text: '农村电商人才。' },
    ]);
  });

  it('handles whole lines added or removed, and empty texts', () => {
    expect(diffText('甲\n乙\n', '甲\n新增一行\n乙\n')).toEqual([
      { kind: 'same', text: '甲\n' },
      { kind: 'added', text: '新增一行\n' },
      { kind: 'same', text: '乙\n' },
    ]);
    expect(diffText('', '全文')).toEqual([{ kind: 'added', text: '全文' }]);
    expect(diffText('全文', '')).toEqual([{ kind: 'removed', text: '全文' }]);
    expect(diffText('相同', '相同')).toEqual([{ kind: 'same', text: '相同' }]);
    expect(diffText('', '')).toEqual([]);
  });

  it('counts changed characters, not bytes', () => {
    expect(diffCounts(diffText('推进千兆网络', '加快推进网络'))).toEqual({ added: 2, removed: 2 });
  });

  it('always spells both texts back, on generated edits of short and long texts', () => {
    const random = generator(20260120);
    for (let round = 0; round < 200; round++) {
      const before = randomText(random, Math.floor(random() * (round < 150 ? 80 : 4000)));
      const after = mutate(random, before);
      const parts = diffText(before, after);
      expect(side(parts, 'removed'), `round ${round}`).toBe(before);
      expect(side(parts, 'added'), `round ${round}`).toBe(after);
      // Adjacent parts never share a kind (they are merged) and none is empty.
      for (let k = 1; k < parts.length; k++) expect(parts[k]!.kind).not.toBe(parts[k - 1]!.kind);
      expect(parts.every((p) => p.text.length > 0)).toBe(true);
    }
  });

  it('keeps a small edit small in a long reply (common start and end set aside)', () => {
    const long = '一、已开展工作：推进千兆网络进村。\n'.repeat(400);
    const counts = diffCounts(diffText(long, long.replace(/进村。\n$/, '进村，成效明显。\n')));
    expect(counts).toEqual({ added: 5, removed: 0 });
  });
});
