import type { BodyBlock, LetterModel } from './letter-model.js';

// The letter as plain text: the mail's text part and the stored, searchable copy. Indents are
// full-width spaces (two characters, as on paper); right-hand lines are padded to the 28
// characters of a printed line.

const INDENT = '\u3000\u3000';

/** Display width in characters of a printed line: CJK one, Latin digits and letters a half. */
export function printedWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.codePointAt(0)! < 0x2e80 ? 0.5 : 1;
  return width;
}

function rightAligned(text: string, lineChars: number, rightGap: number): string {
  const pad = Math.max(0, Math.round(lineChars - rightGap - printedWidth(text)));
  return `${'\u3000'.repeat(pad)}${text}`;
}

export function blockText(block: BodyBlock): string {
  return `${block.lead ?? ''}${block.text}`;
}

/** Where the signature sits: centred over the date, which keeps four characters from the right. */
export function signatureGap(model: LetterModel): { signature: number; date: number } {
  const date = 4;
  const signature = model.signature ? Math.max(0, date + (printedWidth(model.date) - printedWidth(model.signature)) / 2) : date;
  return { signature, date };
}

export function renderLetterText(model: LetterModel): string {
  const width = model.layout.charsPerLine;
  const gap = signatureGap(model);
  const lines: string[] = [model.mark ? `${model.number}${'\u3000'.repeat(4)}${model.mark}` : model.number, ''];
  lines.push(...model.title, '', model.salutation);
  lines.push(`${INDENT}${model.receipt}${model.opening ?? ''}`);
  for (const block of model.body) lines.push(`${INDENT}${blockText(block)}`);
  if (model.closing) lines.push(`${INDENT}${model.closing}`);
  if (model.contact?.place === 'before_signature') lines.push(`${INDENT}${model.contact.text}`);
  lines.push('', '');
  if (model.signature) lines.push(rightAligned(model.signature, width, gap.signature));
  lines.push(rightAligned(model.date, width, gap.date));
  if (model.contact?.place === 'after_date') lines.push(`${INDENT}${model.contact.text}`);
  if (model.copies) lines.push('', model.copies);
  return `${lines.join('\n')}\n`;
}

const isLatin = (ch: string) => /[0-9A-Za-z]/.test(ch);
const NO_LINE_START = new Set([...'，。、；：？！）》」』”’号']);
const NO_LINE_END = new Set([...'（《「『“‘第']);

/**
 * A title line too long for one printed line, broken into as few lines as it needs, as even as
 * can be, preferring to break before 关于 or 第 and after 的 (GB/T 9704: 回行时要做到词意完整，
 * 排列对称) and never inside a number or before a closing mark. Lines the style already broke
 * stay as they are.
 */
export function breakTitle(line: string, perLine: number): string[] {
  const chars = [...line];
  // Word processors put a little space where Chinese meets Latin digits.
  const widths = chars.map((ch, i) => printedWidth(ch) + (i > 0 && isLatin(ch) !== isLatin(chars[i - 1]!) ? 0.3 : 0));
  const before = (i: number) => widths.slice(0, i).reduce((a, b) => a + b, 0);
  const total = before(chars.length);
  if (total <= perLine) return [line];
  const count = Math.ceil(total / perLine);
  const canBreak = (i: number) =>
    !NO_LINE_START.has(chars[i]!) && !NO_LINE_END.has(chars[i - 1]!) && !(/[0-9A-Za-z]/.test(chars[i - 1]!) && /[0-9A-Za-z]/.test(chars[i]!));
  const preferred = (i: number) => line.startsWith('关于', chars.slice(0, i).join('').length) || chars[i] === '第' || chars[i - 1] === '的';
  const breaks: number[] = [];
  let start = 0;
  for (let k = 1; k < count; k++) {
    const target = (total * k) / count;
    let best = -1;
    let bestScore = Infinity;
    for (let i = start + 1; i < chars.length; i++) {
      const width = before(i) - before(start);
      if (width > perLine) break;
      if (!canBreak(i) || total - before(i) > perLine * (count - k)) continue;
      const score = Math.abs(before(i) - target) - (preferred(i) ? 6 : 0);
      if (score < bestScore) [best, bestScore] = [i, score];
    }
    if (best < 0) return [line];
    breaks.push(best);
    start = best;
  }
  return [0, ...breaks].map((from, j) => chars.slice(from, breaks[j] ?? chars.length).join(''));
}
