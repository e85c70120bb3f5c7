import { Jieba, TfIdf } from '@node-rs/jieba';
import { dict, idf } from '@node-rs/jieba/dict.js';

// Chinese word segmentation for the archive search, with jieba's own dictionary (@node-rs/jieba,
// a native build of jieba-rs). The dictionary takes ~0.2 s to load, so it is loaded on first use
// and then kept for the life of the process; indexing and querying share this one instance so
// a query is cut exactly the way the texts were.

let jieba: Jieba | null = null;
let tfidf: TfIdf | null = null;

function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** A token is worth indexing when it holds a letter or a digit: punctuation and spaces are not. */
const WORDLIKE = /[\p{L}\p{N}]/u;
/** What PostgreSQL's parser must never see inside a token: anything but letters and digits. */
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

export function clean(token: string): string {
  return token.replace(NOT_WORD, '').toLowerCase();
}

/**
 * Every word of a text in search mode: long dictionary words also yield their shorter words
 * (中华人民共和国 → 中华, 人民, 共和国, …), so a two-character query finds a text that jieba cut
 * into a longer word.
 */
export function indexTokens(text: string): string[] {
  return segmenter()
    .cutForSearch(text, true)
    .map(clean)
    .filter((t) => t.length > 0 && WORDLIKE.test(t));
}

/** The words of a query as a person typed them (the precise cut, no overlapping sub-words). */
export function queryWords(text: string): string[] {
  const seen = new Set<string>();
  for (const raw of segmenter().cut(text, true)) {
    const t = clean(raw);
    if (t.length > 0) seen.add(t);
  }
  return [...seen];
}

/** The shorter dictionary words inside a word (乡村振兴 → 乡村, 振兴), if jieba knows any. */
export function subWords(word: string): string[] {
  return segmenter()
    .cutForSearch(word, false)
    .map(clean)
    .filter((t) => t.length > 0 && t !== word);
}

/** Words that say nothing about what a proposal is about, for the similarity query. */
const GENERIC = new Set(['关于', '建议', '提案', '进一步', '加强', '加快', '推进', '推动', '完善', '促进', '提升', '问题', '工作', '我省', '我市', '我国', '发展']);

/** The text's most distinctive words by TF-IDF (jieba's IDF table), for "more like this". */
export function keywords(text: string, top: number): string[] {
  tfidf ??= TfIdf.withDict(idf);
  return tfidf
    .extractKeywords(segmenter(), text, top + GENERIC.size)
    .map((k) => clean(k.keyword))
    .filter((k) => k.length > 0 && !GENERIC.has(k))
    .slice(0, top);
}
