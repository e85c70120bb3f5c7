import { parseBody, type BodyBlock, type LetterModel } from '../documents/letter-model.js';

// The public version of a reply (公开版本): the letter as sent, less the proposer's personal
// contact details wherever a drafter wrote them, with the unit's contact line kept (the public
// may call the unit). In summary mode the body is the summary the unit wrote. Pure: the office
// sees the same result as a diff before approving that the activity later publishes.

export type PublicMode = 'full' | 'summary';

export interface Redaction {
  field: string;
  found: string;
}

export const REDACTED = '×××';

// Personal numbers and addresses that need no list to be recognised: mobile numbers, e-mail
// addresses, resident identity numbers. Bounded by non-digits so an index number is left alone.
const PATTERNS = [/(?<![\d])1[3-9]\d{9}(?![\d])/g, /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, /(?<![\d])\d{17}[\dXx](?![\d])/g];

function redact(field: string, text: string, personal: readonly string[], found: Redaction[]): string {
  let out = text;
  // The longest first, so a number is not half-replaced by a shorter one inside it.
  for (const detail of [...personal].filter((d) => d.trim().length >= 5).sort((a, b) => b.length - a.length)) {
    if (out.includes(detail)) {
      found.push({ field, found: detail });
      out = out.split(detail).join(REDACTED);
    }
  }
  for (const pattern of PATTERNS) {
    out = out.replace(pattern, (match) => {
      found.push({ field, found: match });
      return REDACTED;
    });
  }
  return out;
}

export function publicVersion(
  model: LetterModel,
  args: { mode: PublicMode; summary?: string | null; personal: readonly string[] },
): { model: LetterModel; redactions: Redaction[] } {
  const found: Redaction[] = [];
  const r = (field: string, text: string) => redact(field, text, args.personal, found);
  const body: BodyBlock[] = args.mode === 'summary' ? parseBody(args.summary ?? '') : model.body;
  const publicModel: LetterModel = {
    ...model,
    receipt: r('receipt', model.receipt),
    opening: args.mode === 'summary' || model.opening === null ? null : r('opening', model.opening),
    body: body.map((b, i) => ({ ...b, lead: b.lead === null ? null : r(`body.${i}`, b.lead), text: r(`body.${i}`, b.text) })),
    closing: model.closing === null ? null : r('closing', model.closing),
    // The 抄送 line names organs and members, never their numbers; it stays as sent.
  };
  return { model: publicModel, redactions: found };
}

export interface DiffLine {
  op: 'same' | 'removed' | 'added';
  text: string;
}

/** A line diff (longest common subsequence): what the public version drops and adds. */
export function diffLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ op: 'same', text: before[i]! });
      i += 1;
      j += 1;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // What the public loses is shown before what it gets instead.
      out.push({ op: 'removed', text: before[i]! });
      i += 1;
    } else {
      out.push({ op: 'added', text: after[j]! });
      j += 1;
    }
  }
  return out;
}
