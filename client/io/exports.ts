import type { Kysely } from 'kysely';
import { listReplyVersionsFor, listTaskRowsFor, proposerNamesFor, unitNames } from '../../db/repositories/bulk-reads.js';
import { listProposalRows, type ProposalScope } from '../../db/repositories/proposal-reads.js';
import type { CalendarRows } from '../../db/repositories/reference.js';
import type { Database, ProposalRow } from '../../db/schema.js';
import type { Actor } from '../../workflows/shared/types.js';
import { proposalView, unitTaskView } from '../read/views.js';
import { audienceOf, scopeOf } from '../read/visibility.js';
import { readWorklist, worklistRefusal } from '../read/worklists.js';
import { proposalSheet, replySheet, taskSheet, worklistSheet, type UnitName } from './export-sheets.js';
import { prepareSheet, workbookBytes, type PreparedSheet } from './xlsx-write.js';

// The .xlsx exports (HTTP GET /api/exports/{kind}.xlsx and `banli export`): which rows a
// person gets is decided by the one visibility rule (client/read/visibility.ts) and narrowed,
// never widened, by the session and unit asked for; what each row shows is the role's view.

export const EXPORT_KINDS = ['proposals', 'tasks', 'replies', 'overdue', 'due-soon'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_LABELS: Record<ExportKind, string> = {
  proposals: '提案',
  tasks: '承办任务',
  replies: '答复及版本',
  overdue: '逾期清单',
  'due-soon': '临期清单',
};

/** More than a national session's proposals in one file is a mistake in the filter, not a need. */
export const MAX_EXPORT_PROPOSALS = 20_000;
const PAGE = 1_000;

export interface ExportRequest {
  kind: ExportKind;
  session?: string | undefined;
  unit?: string | undefined;
  /** due-soon: the window in days (default 7). */
  days?: number | undefined;
}

export interface ExportFile {
  kind: ExportKind;
  /** A Chinese file name (提案-十三届二次会议.xlsx) and a plain one for old clients. */
  filename: string;
  asciiFilename: string;
  rows: number;
  bytes: Buffer;
}

export class ExportRefusal extends Error {
  constructor(
    message: string,
    readonly type: 'FORBIDDEN_ROLE' | 'NOT_YOUR_UNIT' | 'INVALID_INPUT',
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface ExportDeps {
  db: Kysely<Database>;
  calendarNow: () => Promise<CalendarRows>;
}

/** The proposals this export covers: the viewer's own scope, or a unit's part of it. Throws ExportRefusal. */
async function scopeFor(db: Kysely<Database>, viewer: Actor, req: ExportRequest): Promise<ProposalScope> {
  const audience = audienceOf(viewer);
  if (audience === 'proposer') {
    if (req.kind !== 'proposals') throw new ExportRefusal('提案者只能导出自己的提案', 'FORBIDDEN_ROLE');
    if (req.unit !== undefined) throw new ExportRefusal('提案者不能按承办单位导出', 'FORBIDDEN_ROLE', 'unit');
    return scopeOf(viewer);
  }
  if (audience === 'unit') {
    if (!viewer.unitId) throw new ExportRefusal('你的账户没有所属单位', 'FORBIDDEN_ROLE');
    if (req.unit !== undefined && req.unit !== viewer.unitId) throw new ExportRefusal('只能导出本单位的数据', 'NOT_YOUR_UNIT', 'unit');
    return scopeOf(viewer);
  }
  if (req.unit === undefined) return scopeOf(viewer);
  const known = await db.selectFrom('units').select('id').where('id', '=', req.unit).executeTakeFirst();
  if (!known) throw new ExportRefusal(`没有编号为「${req.unit}」的承办单位`, 'INVALID_INPUT', 'unit');
  return { kind: 'unit', unitId: req.unit };
}

async function proposalsIn(db: Kysely<Database>, scope: ProposalScope, session: string | undefined): Promise<ProposalRow[]> {
  const rows: ProposalRow[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await listProposalRows(db, scope, { sessionCode: session, limit: PAGE, offset });
    rows.push(...page);
    if (rows.length > MAX_EXPORT_PROPOSALS) throw new ExportRefusal(`超过${MAX_EXPORT_PROPOSALS}件提案：请按届次或承办单位分别导出`, 'INVALID_INPUT', 'session');
    if (page.length < PAGE) return rows;
  }
}

/** Builds the workbook of one export as this viewer may see it. Throws ExportRefusal. */
export async function buildExport(deps: ExportDeps, viewer: Actor, req: ExportRequest): Promise<ExportFile> {
  const { db } = deps;
  const scope = await scopeFor(db, viewer, req);
  const units = await unitNames(db);
  const unit: UnitName = (id) => (id === null ? '' : (units.get(id)?.name ?? id));
  // A unit's tasks and replies are its own; staff asking for one unit get that unit's.
  const unitFilter = scope.kind === 'unit' ? scope.unitId : undefined;
  let sheet: PreparedSheet;
  let count: number;

  if (req.kind === 'overdue' || req.kind === 'due-soon') {
    const refused = worklistRefusal(viewer);
    if (refused) throw new ExportRefusal(refused, 'FORBIDDEN_ROLE');
    const list = await readWorklist(db, deps.calendarNow, viewer, {
      kind: req.kind,
      days: req.days ?? 7,
      unit: unitFilter,
      session: req.session,
      limit: MAX_EXPORT_PROPOSALS,
    });
    sheet = prepareSheet(worklistSheet(req.kind, list.items, unit));
    count = list.items.length;
  } else {
    const rows = await proposalsIn(db, scope, req.session);
    const ids = rows.map((r) => r.workflow_id);
    const views = new Map(rows.map((r) => [r.workflow_id, proposalView(r, viewer)]));
    if (req.kind === 'proposals') {
      const names = await proposerNamesFor(db, ids);
      const lines = rows.map((r) => ({ view: views.get(r.workflow_id)!, proposers: names.get(r.workflow_id) ?? [] }));
      sheet = prepareSheet(proposalSheet(lines, unit));
      count = lines.length;
    } else if (req.kind === 'tasks') {
      const tasks = (await listTaskRowsFor(db, ids)).filter((t) => unitFilter === undefined || t.unit_id === unitFilter);
      const lines = tasks.map((t) => ({ proposal: views.get(t.workflow_id)!, task: unitTaskView(t, viewer) }));
      sheet = prepareSheet(taskSheet(lines, unit));
      count = lines.length;
    } else {
      const versions = (await listReplyVersionsFor(db, ids)).filter((v) => unitFilter === undefined || v.unit_id === unitFilter);
      const lines = versions.map((v) => ({ proposal: views.get(v.workflow_id)!, version: v }));
      sheet = prepareSheet(replySheet(lines, unit));
      count = lines.length;
    }
  }

  const label = EXPORT_LABELS[req.kind];
  const parts = [label, req.session ?? '全部届次', ...(unitFilter ? [units.get(unitFilter)?.shortName ?? unitFilter] : [])];
  const filename = `${parts.join('-').replace(/[\\/:*?"<>|]/g, '_')}.xlsx`;
  const bytes = await workbookBytes([sheet], { title: parts.join(' '), creator: viewer.name ?? 'Banli' });
  return { kind: req.kind, filename, asciiFilename: `${req.kind}.xlsx`, rows: count, bytes };
}
