// Snippets of a matched text with the matched words marked. Every character of the text is
// HTML-escaped before any <mark> is added, so a text that holds markup shows it as text.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

interface Span {
  start: number;
  end: number;
}

/** Where the terms occur in the text, longest term first, without overlaps, in text order. */
export function matchSpans(text: string, terms: string[]): Span[] {
  const lower = text.toLowerCase();
  const taken: Span[] = [];
  const sorted = [...new Set(terms.map((t) => t.toLowerCase()).filter((t) => t.length > 0))].sort((a, b) => b.length - a.length);
  for (const term of sorted) {
    for (let at = lower.indexOf(term); at !== -1; at = lower.indexOf(term, at + term.length)) {
      const span = { start: at, end: at + term.length };
      if (!taken.some((s) => s.start < span.end && span.start < s.end)) taken.push(span);
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}

/** The whole text, escaped, with every match marked (for titles). */
export function markAll(text: string, terms: string[]): string {
  return mark(text, 0, text.length, matchSpans(text, terms));
}

function mark(text: string, from: number, to: number, spans: Span[]): string {
  let html = '';
  let at = from;
  for (const s of spans) {
    if (s.end <= from || s.start >= to) continue;
    const start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    html += `${escapeHtml(text.slice(at, start))}<mark>${escapeHtml(text.slice(start, end))}</mark>`;
    at = end;
  }
  return html + escapeHtml(text.slice(at, to));
}

/**
 * About `width` characters around the first match (from the start when nothing matches),
 * whitespace folded, escaped, matches marked, with … where the text was cut.
 */
export function snippet(text: string, terms: string[], width = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const spans = matchSpans(flat, terms);
  const first = spans[0]?.start ?? 0;
  const from = Math.max(0, Math.min(first - Math.floor(width / 4), flat.length - width));
  const to = Math.min(flat.length, from + width);
  return `${from > 0 ? '…' : ''}${mark(flat, from, to, spans)}${to < flat.length ? '…' : ''}`;
}
