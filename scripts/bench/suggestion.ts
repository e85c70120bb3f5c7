import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { indexProposalTexts } from '../../activities/search/index-texts.js';
import { setUnitRemit } from '../../activities/search/unit-remits.js';
import { PRECEDENTS, remitMatches } from '../../client/read/search/for-proposal.js';
import { join } from 'node:path';
import { similarProposals, type Signal } from '../../client/read/search/similar.js';
import { suggestUnits } from '../../client/read/search/suggest.js';
import { putText } from '../../db/repositories/blobs.js';
import type { Database } from '../../db/schema.js';
import { holdOutFifth, loadCorpus, type CorpusItem } from './suggestion-corpus.js';
import { quantile } from './report.js';
import { latencyMarkdown, measureSearchLatency } from './suggestion-latency.js';

// 智能分办, measured honestly: real proposal titles with the units that answered them
// (scripts/bench/data/suggestion-corpus.json), a fifth held out, each held-out title's units
// suggested from the rest through the product's own path (similarProposals → suggestUnits), beside
// the baseline of always naming the most frequent unit, beside the units' remits alone
// (scripts/bench/data/unit-remits.json) and the precedents alone, and beside each of the two similarity
// signals alone (words through jieba and ts_rank; title trigrams through pg_trgm). Leave-one-out over the whole corpus is
// reported as well, because a fifth of a small corpus is a handful of titles.

/** The units' remits by kind (scripts/bench/data/unit-remits.json), written without the corpus's titles. */
const REMITS = (JSON.parse(readFileSync(join(import.meta.dirname, 'data', 'unit-remits.json'), 'utf8')) as { remits: Record<string, string> }).remits;

type Method = 'product' | 'hybrid' | 'fts' | 'trgm' | 'remit' | 'baseline';

export interface Score {
  method: Method;
  n: number;
  top1: number;
  top3: number;
  /** Titles for which the method had nothing to suggest (counted as misses). */
  none: number;
}

export interface SuggestionReport {
  items: number;
  unitKinds: number;
  units: number;
  holdout: { train: number; test: number; scores: Score[] };
  leaveOneOut: Score[];
  trgmAvailable: boolean;
  latency: { n: number; p50: number; p95: number };
}

const METHOD_LABEL: Record<Method, string> = {
  product: '产品所用：相似提案（词 + 标题三元组）加单位职责',
  hybrid: '只用相似提案：词（jieba + tsvector + ts_rank）加标题三元组（pg_trgm）',
  remit: '只用单位职责（scripts/bench/data/unit-remits.json）',
  fts: '只用词：jieba + tsvector + ts_rank',
  trgm: '只用标题三元组：pg_trgm similarity',
  baseline: '基线：总是建议最常见的单位',
};

interface Seeded {
  session: string;
  ids: Map<string, CorpusItem>;
  unitOf: Map<string, string>;
}

/** The corpus as closed proposals of a session of its own, indexed by the product's indexer. */
async function seed(db: Kysely<Database>, session: string, items: CorpusItem[], kinds: string[]): Promise<Seeded> {
  await db
    .insertInto('sessions')
    .values({ code: session, name: session, year: 2026, kind: 'plenary', policy_version: null })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const unitOf = new Map(kinds.map((k, i) => [k, `bench-kind-${i}`]));
  await db
    .insertInto('units')
    .values(
      kinds.map((k, i) => ({
        id: `bench-kind-${i}`,
        name: k,
        short_name: k,
        doc_prefix: `基准类${i}`,
        email: `kind-${i}@bench.test`,
        leader_email: `kind-${i}-leader@bench.test`,
        principal_email: null,
        contact_name: null,
        contact_phone: null,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
  // Each kind's remit, as an administrator would write it on the units page.
  for (const [kind, unitId] of unitOf) await setUnitRemit(db, unitId, REMITS[kind] ?? null);
  const ids = new Map<string, CorpusItem>();
  for (const [i, item] of items.entries()) {
    const workflowId = `${session}:${i}`;
    const unit = unitOf.get(item.unitKind)!;
    await db
      .insertInto('proposals')
      .values({
        workflow_id: workflowId,
        session_code: session,
        receipt_no: `C${i}`,
        proposal_no: `第${i + 1}号`,
        title: item.title,
        // The corpus holds titles only: the title is the whole text.
        body_hash: await putText(db, item.title),
        proposer_kind: 'individual',
        received_date: '2026-01-20',
        stage: 'closed',
        handling_mode: 'sole',
        lead_unit_id: unit,
        unit_ids: [unit],
        updated_at: new Date(),
      })
      .execute();
    await indexProposalTexts(db, workflowId);
    ids.set(workflowId, item);
  }
  // As autovacuum would have by the time anyone asks: without it the planner guessed wrong for some
  // titles (2–3 s instead of 10 ms).
  await sql`analyze`.execute(db);
  return { session, ids, unitOf };
}

function mostFrequent(items: CorpusItem[], unitOf: Map<string, string>): string[] {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.unitKind, (counts.get(i.unitKind) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k]) => unitOf.get(k)!)
    .slice(0, 3);
}

function tally(method: Method, outcomes: { truth: string; suggested: string[] }[]): Score {
  const n = outcomes.length;
  return {
    method,
    n,
    top1: outcomes.filter((o) => o.suggested[0] === o.truth).length / n,
    top3: outcomes.filter((o) => o.suggested.slice(0, 3).includes(o.truth)).length / n,
    none: outcomes.filter((o) => o.suggested.length === 0).length,
  };
}

async function evaluate(
  db: Kysely<Database>,
  seeded: Seeded,
  cases: { workflowId: string; item: CorpusItem; train: CorpusItem[] }[],
  trgm: boolean,
  latency: number[],
): Promise<Score[]> {
  const out: Record<Method, { truth: string; suggested: string[] }[]> = { product: [], hybrid: [], fts: [], trgm: [], remit: [], baseline: [] };
  const signals: [Method, Signal[]][] = [['hybrid', ['fts', 'trigram']], ['fts', ['fts']], ...(trgm ? [['trgm', ['trigram']] satisfies [Method, Signal[]]] : [])];
  for (const c of cases) {
    const truth = seeded.unitOf.get(c.item.unitKind)!;
    for (const [method, use] of signals) {
      const t = performance.now();
      const precedents = await similarProposals(
        db,
        { kind: 'all' },
        { title: c.item.title, body: '' },
        { limit: PRECEDENTS, assignedOnly: true, sessionCode: seeded.session, excludeWorkflowId: c.workflowId, signals: use },
      );
      if (method !== 'hybrid') {
        out[method].push({ truth, suggested: suggestUnits(precedents).lead.map((u) => u.unitId) });
        continue;
      }
      // The product's own path: the same precedents and the units' remits, as suggestionForDraft adds them.
      const remits = await remitMatches(db, { title: c.item.title, body: '' });
      out.product.push({ truth, suggested: suggestUnits(precedents, 3, remits).lead.map((u) => u.unitId) });
      latency.push(performance.now() - t);
      out.hybrid.push({ truth, suggested: suggestUnits(precedents).lead.map((u) => u.unitId) });
      out.remit.push({ truth, suggested: suggestUnits([], 3, remits).lead.map((u) => u.unitId) });
    }
    out.baseline.push({ truth, suggested: mostFrequent(c.train, seeded.unitOf) });
  }
  return (Object.keys(out) as Method[]).filter((m) => out[m].length > 0).map((m) => tally(m, out[m]));
}

export async function evaluateSuggestion(db: Kysely<Database>): Promise<SuggestionReport> {
  const items = loadCorpus();
  const kinds = [...new Set(items.map((i) => i.unitKind))].sort();
  const trgmAvailable = await sql`create extension if not exists pg_trgm`
    .execute(db)
    .then(() => true)
    .catch(() => false);
  const latency: number[] = [];

  const { train, test } = holdOutFifth(items);
  const held = await seed(db, '基准-分办-留出', train, kinds);
  const holdout = await evaluate(
    db,
    held,
    test.map((item) => ({ workflowId: '-', item, train })),
    trgmAvailable,
    latency,
  );

  const all = await seed(db, '基准-分办-留一', items, kinds);
  const leaveOneOut = await evaluate(
    db,
    all,
    [...all.ids].map(([workflowId, item]) => ({ workflowId, item, train: items.filter((i) => i !== item) })),
    trgmAvailable,
    latency,
  );
  return {
    items: items.length,
    unitKinds: kinds.length,
    units: new Set(items.map((i) => i.unit)).size,
    holdout: { train: train.length, test: test.length, scores: holdout },
    leaveOneOut,
    trgmAvailable,
    latency: { n: latency.length, p50: quantile(latency, 0.5), p95: quantile(latency, 0.95) },
  };
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function suggestionMarkdown(r: SuggestionReport): string {
  const table = (scores: Score[]) => [
    '| 方法 | n | top-1 | top-3 | 无建议 |',
    '|---|---|---|---|---|',
    ...scores.map((s) => `| ${METHOD_LABEL[s.method]} | ${s.n} | ${pct(s.top1)} | ${pct(s.top3)} | ${s.none} |`),
  ];
  return [
    `### 智能分办（unit suggestion）`,
    '',
    `语料：${r.items} 条真实提案标题及其主办单位（${r.units} 个单位，按职能归为 ${r.unitKinds} 类；来源见 scripts/bench/data/suggestion-corpus.json）。标签为单位的职能类别。`,
    '',
    `留出五分之一（训练 ${r.holdout.train}，测试 ${r.holdout.test}）：`,
    '',
    ...table(r.holdout.scores),
    '',
    `留一法（每条标题以其余 ${r.items - 1} 条为已交办提案）：`,
    '',
    ...table(r.leaveOneOut),
    '',
    `一次建议（相似检索 + 计票）耗时 p50 ${r.latency.p50.toFixed(1)} ms，p95 ${r.latency.p95.toFixed(1)} ms（n=${r.latency.n}）。${r.trgmAvailable ? '' : 'pg_trgm 不可用，未测对照。'}`,
  ].join('\n');
}

/** The evaluation, then the archive's speed at the size BENCH_SEARCH_ROWS says (default 20,000), as Markdown and JSON. */
export async function suggestionSection(db: Kysely<Database>): Promise<{ md: string; json: unknown }> {
  const report = await evaluateSuggestion(db);
  const latency = await measureSearchLatency(db, loadCorpus(), Number(process.env.BENCH_SEARCH_ROWS ?? 20_000), 'bench-kind-0');
  return { md: `${suggestionMarkdown(report)}\n\n${latencyMarkdown(latency)}`, json: { report, latency } };
}

/** Adds the section to the bench's Markdown report, and its figures beside the JSON. */
export async function reportSuggestion(db: Kysely<Database>, jsonFile: string): Promise<string> {
  const { md, json } = await suggestionSection(db);
  appendFileSync(jsonFile.replace(/\.json$/, '.md'), `\n${md}\n`);
  writeFileSync(jsonFile.replace(/\.json$/, '.suggestion.json'), JSON.stringify(json, null, 2));
  return md;
}
