import { keywords, queryWords, subWords } from '../../../activities/search/segment.js';

// Turning what a person typed into a PostgreSQL tsquery over the jieba-segmented index. Every
// word is cleaned to letters and digits before it is quoted, so nothing typed can reach the
// tsquery syntax (&, |, !, :, quotes). The words are kept as well, to mark them in the snippets.

/** The most words a query may hold; the rest are dropped (a pasted paragraph is not a query). */
export const MAX_QUERY_WORDS = 24;

export interface ParsedQuery {
  /** For to_tsquery('simple', …): every word must match, or its shorter words together. */
  tsquery: string;
  /** Everything worth marking in a snippet: the words and their shorter words. */
  terms: string[];
}

const quote = (word: string) => `'${word}'`;

/** null when nothing searchable is left (only punctuation or spaces). */
export function parseQuery(text: string): ParsedQuery | null {
  const words = queryWords(text).slice(0, MAX_QUERY_WORDS);
  if (words.length === 0) return null;
  const terms = new Set<string>();
  const clauses = words.map((word) => {
    terms.add(word);
    // A word the texts may hold cut into shorter words (乡村振兴 as 乡村 + 振兴) matches either way.
    const subs = subWords(word).filter((s) => s.length > 1);
    for (const s of subs) terms.add(s);
    return subs.length > 1 ? `(${quote(word)} | (${subs.map(quote).join(' & ')}))` : quote(word);
  });
  return { tsquery: clauses.join(' & '), terms: [...terms] };
}

/** "More like this": any of the text's most distinctive words, ranked by how many and how often. */
export function similarityQuery(text: string, top = 20): ParsedQuery | null {
  const words = new Set<string>();
  for (const word of keywords(text, top)) {
    words.add(word);
    // A long keyword also matches the texts that share only its shorter words (中小学生 → 小学, 学生).
    for (const s of subWords(word)) if (s.length > 1) words.add(s);
  }
  if (words.size === 0) return null;
  return { tsquery: [...words].map(quote).join(' | '), terms: [...words] };
}
