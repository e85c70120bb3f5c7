import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { STAGE_LABELS } from '../../../workflows/proposal/machine.js';
import { markAll, snippet } from './highlight.js';
import { proposalCondition, textCondition, type SearchScope } from './scope.js';
import { parseQuery } from './tsquery.js';

// 档案检索: ranked full-text search over every session's proposals, replies and co-opinions,
// one hit per proposal (its best-matching text), with the matched words marked.

const STAGE_NAMES = new Map<string, string>(Object.entries(STAGE_LABELS));

export interface SearchFilters {
  sessionCode?: string | undefined;
  unitId?: string | undefined;
  replyClass?: string | undefined;
  stage?: string | undefined;
}

export interface SearchHit {
  workflowId: string;
  sessionCode: string;
  proposalNo: string | null;
  receiptNo: string;
  title: string;
  /** Escaped HTML: the title with matched words in <mark>. */
  titleHtml: string;
  stage: string;
  stageLabel: string;
  replyClass: string | null;
  leadUnitId: string | null;
  unitIds: string[];
  /** Which text matched best: the proposal, a reply, a co-opinion, the published reply. */
  matchedIn: 'proposal' | 'reply' | 'co_opinion' | 'public';
  matchedUnitId: string | null;
  /** Escaped HTML: about 120 characters around the first match, matched words in <mark>. */
  snippetHtml: string;
  rank: number;
  /** The 索引号 of the published reply, for the public (null otherwise). */
  indexNo: string | null;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  /** The words searched for, as the segmenter cut them. */
  terms: string[];
}

interface Row {
  workflow_id: string;
  session_code: string;
  proposal_no: string | null;
  receipt_no: string;
  title: string;
  stage: string;
  reply_class: string | null;
  dispatched_at: Date | null;
  lead_unit_id: string | null;
  unit_ids: string[];
  kind: SearchHit['matchedIn'];
  unit_id: string;
  content: string;
  rank: number;
  index_no: string | null;
  total: string;
}

export async function searchArchive(
  db: Kysely<Database>,
  scope: SearchScope,
  query: string,
  filters: SearchFilters,
  page: { limit: number; offset: number },
): Promise<SearchResult> {
  const parsed = parseQuery(query);
  if (!parsed) return { total: 0, hits: [], terms: [] };
  const where = [proposalCondition(scope)];
  if (filters.sessionCode) where.push(sql<boolean>`p.session_code = ${filters.sessionCode}`);
  if (filters.unitId) where.push(sql<boolean>`${filters.unitId} = any(p.unit_ids)`);
  if (filters.replyClass) where.push(sql<boolean>`p.reply_class = ${filters.replyClass}`);
  if (filters.stage) where.push(sql<boolean>`p.stage = ${filters.stage}`);
  const { rows } = await sql<Row>`
    with q as (select to_tsquery('simple', ${parsed.tsquery}) as q),
    hits as (
      select distinct on (s.workflow_id) s.workflow_id, s.kind, s.unit_id, s.text_hash, ts_rank(s.tsv, q.q) as rank
        from search_texts s, q
       where s.tsv @@ q.q and ${textCondition(scope)}
       order by s.workflow_id, ts_rank(s.tsv, q.q) desc, s.kind
    )
    select p.workflow_id, p.session_code, p.proposal_no, p.receipt_no, p.title, p.stage, p.reply_class, p.dispatched_at,
           p.lead_unit_id, p.unit_ids, h.kind, h.unit_id, b.content, h.rank,
           -- The entry of the letter that matched (a split proposal publishes one per unit), else the first.
           (select pe.index_no from publication_entries pe where pe.workflow_id = p.workflow_id
             order by (pe.unit_id = h.unit_id) desc, pe.published_at, pe.index_no limit 1) as index_no,
           count(*) over () as total
      from hits h
      join proposals p on p.workflow_id = h.workflow_id
      join text_blobs b on b.hash = h.text_hash
     where ${sql.join(where, sql` and `)}
     order by h.rank desc, p.created_at desc, p.workflow_id
     limit ${page.limit} offset ${page.offset}`.execute(db);
  const proposerOrPublic = scope.kind === 'proposer' || scope.kind === 'public';
  return {
    total: Number(rows[0]?.total ?? 0),
    terms: parsed.terms,
    hits: rows.map((r) => ({
      workflowId: r.workflow_id,
      sessionCode: r.session_code,
      proposalNo: r.proposal_no,
      receiptNo: r.receipt_no,
      title: r.title,
      titleHtml: markAll(r.title, parsed.terms),
      stage: r.stage,
      stageLabel: STAGE_NAMES.get(r.stage) ?? r.stage,
      // A proposer or the public learns the class with the reply, not from a draft.
      replyClass: proposerOrPublic && !r.dispatched_at ? null : r.reply_class,
      leadUnitId: r.lead_unit_id,
      unitIds: r.unit_ids,
      matchedIn: r.kind,
      matchedUnitId: r.unit_id || null,
      snippetHtml: snippet(r.content, parsed.terms),
      rank: Number(r.rank),
      indexNo: scope.kind === 'public' ? r.index_no : null,
    })),
  };
}
