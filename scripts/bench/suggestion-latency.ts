import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { backfillSearchIndex } from '../../activities/search/backfill.js';
import { searchArchive } from '../../client/read/search/archive.js';
import type { SearchScope } from '../../client/read/search/scope.js';
import { suggestionForDraft } from '../../client/read/search/for-proposal.js';
import { similarProposals } from '../../client/read/search/similar.js';
import { putText } from '../../db/repositories/blobs.js';
import type { Database } from '../../db/schema.js';
import { row, type Row } from './report.js';
import type { CorpusItem } from './suggestion-corpus.js';

// How fast the archive answers when it holds many sessions: synthetic closed proposals whose
// titles and bodies are recombined from the corpus's real titles (so jieba meets real words), all
// indexed by the product's backfill, then the archive search, the similar list and the unit
// suggestion timed as the pages call them. BENCH_SEARCH_ROWS sets the archive's size.

const RUNS = 30;

export interface LatencyReport {
  rows: number;
  indexSeconds: number;
  indexed: number;
  figures: Row[];
}

async function timed(runs: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return samples;
}

export async function measureSearchLatency(db: Kysely<Database>, items: CorpusItem[], rows: number, unitId: string): Promise<LatencyReport> {
  const session = '基准-档案';
  await db
    .insertInto('sessions')
    .values({ code: session, name: session, year: 2020, kind: 'plenary', policy_version: null })
    .onConflict((oc) => oc.doNothing())
    .execute();
  // A few hundred distinct bodies, each three real titles joined as a proposal's paragraphs.
  const bodies: string[] = [];
  for (let i = 0; i < Math.min(400, items.length * 8); i++) {
    const pick = (k: number) => items[(i * 7 + k * 13) % items.length]!.title;
    bodies.push(await putText(db, `一、基本情况：${pick(0)}。\n二、存在问题：${pick(1)}。\n三、具体建议：${pick(2)}。`));
  }
  await sql`
    insert into proposals (workflow_id, session_code, receipt_no, proposal_no, title, body_hash, proposer_kind, received_date, stage,
                           handling_mode, lead_unit_id, unit_ids, reply_class, updated_at)
    select 'archive:' || g, ${session}, 'A' || g, '第A' || g || '号',
           (${sql.val(items.map((i) => i.title))}::text[])[1 + g % ${items.length}] || '（' || g || '）',
           (${sql.val(bodies)}::text[])[1 + g % ${bodies.length}], 'individual', date '2020-01-20', 'closed',
           'sole', ${unitId}, array[${unitId}]::text[], (array['A','B','C'])[1 + g % 3], now()
      from generate_series(1, ${rows}) g`.execute(db);
  const t0 = performance.now();
  const indexed = await backfillSearchIndex(db, 2000);
  const indexSeconds = (performance.now() - t0) / 1000;
  await sql`analyze`.execute(db);

  const words = ['养老', '教育', '交通', '全民健身', '乡村道路'];
  const scope: SearchScope = { kind: 'all' };
  const unitScope: SearchScope = { kind: 'unit', unitId };
  const draft = (i: number) => ({ title: items[i % items.length]!.title, body: '' });
  const figures = [
    row(
      'S',
      `archive search, two-character word, office (${rows} archive proposals)`,
      await timed(RUNS, (i) => searchArchive(db, scope, words[i % words.length]!, {}, { limit: 20, offset: 0 })),
    ),
    row('S', 'archive search, liaison (unit scope)', await timed(RUNS, (i) => searchArchive(db, unitScope, words[i % words.length]!, {}, { limit: 20, offset: 0 }))),
    row(
      'S',
      'archive search, public (published only)',
      await timed(RUNS, (i) => searchArchive(db, { kind: 'public' }, words[i % words.length]!, {}, { limit: 20, offset: 0 })),
    ),
    row('S', 'similar proposals for a title (fts + trigram)', await timed(RUNS, (i) => similarProposals(db, scope, draft(i), { limit: 5 }))),
    row('S', 'unit suggestion for a title', await timed(RUNS, (i) => suggestionForDraft(db, draft(i)))),
  ];
  return { rows, indexSeconds, indexed, figures };
}

export function latencyMarkdown(r: LatencyReport): string {
  const ms = (v: number) => v.toFixed(1);
  return [
    `检索耗时：档案中另加 ${r.rows} 件合成提案（标题和正文由语料中的真实标题重组），回填索引 ${r.indexed} 条用时 ${r.indexSeconds.toFixed(1)} s。`,
    '',
    '| 测量 | n | p50 ms | p95 ms | p99 ms |',
    '|---|---|---|---|---|',
    ...r.figures.map((f) => `| ${f.name} | ${f.n} | ${ms(f.p50)} | ${ms(f.p95)} | ${ms(f.p99)} |`),
  ].join('\n');
}
