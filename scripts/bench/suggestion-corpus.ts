import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

// The labelled corpus for the unit-suggestion evaluation (scripts/bench/data/suggestion-corpus.json):
// real proposal titles with the unit that answered, each with the public page it was taken from.

const item = z.strictObject({
  title: z.string().min(2),
  unit: z.string().min(2),
  unitKind: z.string().min(2),
  level: z.string(),
  source: z.string(),
  note: z.string().optional(),
  coUnits: z.array(z.string()).optional(),
});
const corpus = z.strictObject({
  description: z.string(),
  collected: z.string(),
  sources: z.record(z.string(), z.strictObject({ url: z.string(), what: z.string() })),
  items: z.array(item).min(1),
});

export type CorpusItem = z.infer<typeof item>;

export function loadCorpus(file = join(import.meta.dirname, 'data', 'suggestion-corpus.json')): CorpusItem[] {
  const parsed = corpus.parse(JSON.parse(readFileSync(file, 'utf8')));
  for (const i of parsed.items) if (!parsed.sources[i.source]) throw new Error(`corpus item 「${i.title}」 names an unknown source ${i.source}`);
  return parsed.items;
}

/** A fifth held out, chosen by a hash of the title: the same split on every run, independent of file order. */
export function holdOutFifth(items: CorpusItem[]): { train: CorpusItem[]; test: CorpusItem[] } {
  const ranked = [...items].sort((a, b) => digest(a.title).localeCompare(digest(b.title)));
  const cut = Math.max(1, Math.round(items.length / 5));
  return { test: ranked.slice(0, cut), train: ranked.slice(cut) };
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
