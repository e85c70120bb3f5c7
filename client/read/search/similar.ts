import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { STAGE_LABELS } from '../../../workflows/proposal/machine.js';
import { proposalCondition, type SearchScope } from './scope.js';
import { similarityQuery } from './tsquery.js';

// 相似提案: the earlier proposals most like a text (a proposal being registered, or one on its
// page), from the same index as the archive search. The text's twenty most distinctive words
// (TF-IDF with jieba's IDF table) form an OR query; ts_rank orders the proposals' own texts by
// how many of those words they hold and how often, the title counting most (weight A). Each one
// comes with its assignment, its reply's class and its proposers' latest ratings, so a repeat
// and what was promised last time are visible at once.

const STAGE_NAMES = new Map<string, string>(Object.entries(STAGE_LABELS));

export interface SimilarRating {
  attitude: string;
  result: string;
  onBehalf: boolean;
}

export interface SimilarProposal {
  workflowId: string;
  sessionCode: string;
  proposalNo: string | null;
  receiptNo: string;
  title: string;
  stage: string;
  stageLabel: string;
  handlingMode: string | null;
  leadUnitId: string | null;
  unitIds: string[];
  replyClass: string | null;
  replyDocNo: string | null;
  /** The proposers' ratings of the latest round rated. */
  ratings: SimilarRating[];
  /** ts_rank of this proposal's text for the query, and the same relative to the best (0–1]. */
  score: number;
  relative: number;
}

interface Row {
  workflow_id: string;
  session_code: string;
  proposal_no: string | null;
  receipt_no: string;
  title: string;
  stage: string;
  handling_mode: string | null;
  lead_unit_id: string | null;
  unit_ids: string[];
  reply_class: string | null;
  reply_doc_no: string | null;
  ratings: SimilarRating[] | null;
  score: number;
}

export interface SimilarOptions {
  /** The proposal itself, when it is already registered. */
  excludeWorkflowId?: string | undefined;
  limit: number;
  /** Only proposals that have been assigned (for the unit suggestion). */
  assignedOnly?: boolean;
  /** Only proposals of this session (the bench's corpus lives in a session of its own). */
  sessionCode?: string;
}

/**
 * Titles at least this alike by trigrams (关于 and 的建议/提案 left out) count as similar whatever their
 * bodies: a repeat under a slightly changed title. Lower thresholds matched most of the archive and
 * made the query several times slower without a measurable gain in the bench.
 */
const TITLE_THRESHOLD = 0.3;

export type Signal = 'fts' | 'trigram';

/** What a new proposal is: its title (compared by trigrams) and its whole text (by words). */
export interface Draft {
  title: string;
  body: string;
}

export async function similarProposals(
  db: Kysely<Database>,
  scope: SearchScope,
  draft: Draft,
  options: SimilarOptions & { signals?: Signal[] },
): Promise<SimilarProposal[]> {
  const signals = new Set(options.signals ?? ['fts', 'trigram']);
  const parsed = signals.has('fts') ? similarityQuery(`${draft.title}\n${draft.body}`) : null;
  const title = signals.has('trigram') ? draft.title.trim() : '';
  if (!parsed && title === '') return [];
  const exclude = options.excludeWorkflowId ?? '';
  // Two signals, added: the words both texts hold (ts_rank over the jieba index, bounded to 0–1 by
  // normalisation 32) and how alike the titles are character by character (pg_trgm, 0–1), which
  // finds a repeat even when its body was rewritten. Both measured in the bench.
  const { rows } = await db.transaction().execute(async (trx) => {
    await sql`select set_config('pg_trgm.similarity_threshold', ${String(TITLE_THRESHOLD)}, true)`.execute(trx);
    return sql<Row>`
    with q as (select ${parsed ? sql`to_tsquery('simple', ${parsed.tsquery})` : sql`null::tsquery`} as q),
    fts as (
      select s.workflow_id, max(ts_rank(s.tsv, q.q, 32)) as r
        from search_texts s, q
       where ${parsed ? sql`true` : sql`false`} and s.kind = 'proposal' and s.tsv @@ q.q and s.workflow_id <> ${exclude}
       group by s.workflow_id
    ),
    tri as (
      select p.workflow_id, similarity(search_title_core(p.title), search_title_core(${title})) as t
        from proposals p
       where ${title ? sql`true` : sql`false`} and search_title_core(p.title) % search_title_core(${title}) and p.workflow_id <> ${exclude}
    ),
    ranked as (
      select coalesce(f.workflow_id, t.workflow_id) as workflow_id, coalesce(f.r, 0) + coalesce(t.t, 0) as score
        from fts f full join tri t on t.workflow_id = f.workflow_id
    )
    select p.workflow_id, p.session_code, p.proposal_no, p.receipt_no, p.title, p.stage, p.handling_mode, p.lead_unit_id, p.unit_ids,
           p.reply_class, p.reply_doc_no, r.score,
           (select json_agg(json_build_object('attitude', x.attitude, 'result', x.result, 'onBehalf', x.on_behalf) order by x.id)
              from ratings x where x.workflow_id = p.workflow_id
               and x.round = (select max(y.round) from ratings y where y.workflow_id = p.workflow_id)) as ratings
      from ranked r
      join proposals p on p.workflow_id = r.workflow_id
     where ${proposalCondition(scope)} and ${options.assignedOnly ? sql`p.lead_unit_id is not null` : sql`true`}
       and ${options.sessionCode === undefined ? sql`true` : sql`p.session_code = ${options.sessionCode}`}
     order by r.score desc, p.created_at desc, p.workflow_id
     limit ${options.limit}`.execute(trx);
  });
  const best = rows[0]?.score ?? 0;
  return rows.map((r) => ({
    workflowId: r.workflow_id,
    sessionCode: r.session_code,
    proposalNo: r.proposal_no,
    receiptNo: r.receipt_no,
    title: r.title,
    stage: r.stage,
    stageLabel: STAGE_NAMES.get(r.stage) ?? r.stage,
    handlingMode: r.handling_mode,
    leadUnitId: r.lead_unit_id,
    unitIds: r.unit_ids,
    replyClass: r.reply_class,
    replyDocNo: r.reply_doc_no,
    ratings: r.ratings ?? [],
    score: Number(r.score),
    relative: best > 0 ? Number(r.score) / best : 0,
  }));
}
