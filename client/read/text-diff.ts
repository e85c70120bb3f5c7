// What changed between two versions of a text, for reading (a reply draft against the one
// before it). Chinese has no spaces between words, so the unit of change is the character;
// to stay fast on long replies the texts are first compared line by line (after the common
// beginning and end are set aside), and only lines that changed are compared by character.
// Longest common subsequence in both passes; no dependency (none is installed that does this).

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Above this many table cells (length × length) a block is shown as replaced, not compared. */
const MAX_CELLS = 2_000_000;

type Op = { kind: DiffPart['kind']; token: string };

/** LCS of two token lists as a sequence of operations, or null when it would be too large. */
function lcs(a: readonly string[], b: readonly string[]): Op[] | null {
  const n = a.length;
  const m = b.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) return null;
  // table[i][j] = LCS length of a[i..] and b[j..], stored row-major in one array.
  const width = m + 1;
  const table = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] = a[i] === b[j] ? table[(i + 1) * width + j + 1]! + 1 : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: 'same', token: a[i]! });
      i++;
      j++;
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) {
      ops.push({ kind: 'removed', token: a[i++]! });
    } else {
      ops.push({ kind: 'added', token: b[j++]! });
    }
  }
  while (i < n) ops.push({ kind: 'removed', token: a[i++]! });
  while (j < m) ops.push({ kind: 'added', token: b[j++]! });
  return ops;
}

/** Tokens compared as a whole: the common start and end set aside, the middle by LCS (or replaced). */
function diffTokens(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const middle = lcs(midA, midB) ?? [...midA.map((token): Op => ({ kind: 'removed', token })), ...midB.map((token): Op => ({ kind: 'added', token }))];
  return [...a.slice(0, start).map((token): Op => ({ kind: 'same', token })), ...middle, ...a.slice(endA).map((token): Op => ({ kind: 'same', token }))];
}

/** Lines with their line end, so that joining them gives the text back. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function merge(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const p of parts) {
    if (p.text === '') continue;
    const last = out.at(-1);
    if (last && last.kind === p.kind) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

export function diffText(before: string, after: string): DiffPart[] {
  const ops = diffTokens(lines(before), lines(after));
  const parts: DiffPart[] = [];
  // A run of removed lines next to added lines is a changed passage: compared by character.
  for (let k = 0; k < ops.length;) {
    if (ops[k]!.kind === 'same') {
      parts.push({ kind: 'same', text: ops[k]!.token });
      k++;
      continue;
    }
    let removed = '';
    let added = '';
    while (k < ops.length && ops[k]!.kind !== 'same') {
      if (ops[k]!.kind === 'removed') removed += ops[k]!.token;
      else added += ops[k]!.token;
      k++;
    }
    for (const op of diffTokens(Array.from(removed), Array.from(added))) parts.push({ kind: op.kind, text: op.token });
  }
  return merge(parts);
}

/** How much changed, in characters, for a one-line summary. */
export function diffCounts(parts: DiffPart[]): { added: number; removed: number } {
  const count = (kind: DiffPart['kind']) => parts.filter((p) => p.kind === kind).reduce((n, p) => n + Array.from(p.text).length, 0);
  return { added: count('added'), removed: count('removed') };
}
