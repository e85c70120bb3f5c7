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
