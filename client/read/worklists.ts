import type { Kysely } from 'kysely';
import { WorkCalendar } from '../../activities/deadlines/calendar.js';
import type { CalendarRows } from '../../db/repositories/reference.js';
import { listWorklist } from '../../db/repositories/worklists.js';
import type { Database } from '../../db/schema.js';
import { shanghaiDate } from '../../workflows/shared/dates.js';
import { audienceOf, type Viewer } from './visibility.js';

// 逾期清单 / 临期清单 as people read them, with working days late or left by the official
// calendar. One reader for GET /api/worklists/{kind}, the .xlsx exports and `banli overdue`, so
// a unit sees exactly its own rows whichever door it asks through.

export type WorklistKind = 'overdue' | 'due-soon';

export interface WorklistRequest {
  kind: WorklistKind;
  /** The due-soon window in days from now. */
  days: number;
  /** Staff may narrow to one unit; a unit always gets its own. */
  unit?: string | undefined;
  session?: string | undefined;
  limit: number;
}

export interface WorklistItem {
  workflowId: string;
  unitId: string;
  role: string;
  status: string;
  sessionCode: string;
  proposalNo: string | null;
  title: string;
  keyProposal: boolean;
  dueAt: string;
  dueDate: string;
  dueExplanation: string | null;
  calendarConfirmed: boolean;
  extensionCount: number;
  extended: boolean;
  daysLate: number;
  daysLeft: number;
}

export interface Worklist {
  kind: WorklistKind;
  asOf: string;
  items: WorklistItem[];
  count: number;
}

/** Who has no worklist, in the words the door answers 403 with; null when the viewer has one. */
export function worklistRefusal(viewer: Viewer): string | null {
  const audience = audienceOf(viewer);
  if (audience === 'proposer') return '提案者没有工作清单';
  if (audience === 'unit' && !viewer.unitId) return '你的账户没有所属单位';
  return null;
}

/** The worklist as this viewer may read it; ask worklistRefusal first. */
export async function readWorklist(db: Kysely<Database>, calendarNow: () => Promise<CalendarRows>, viewer: Viewer, q: WorklistRequest): Promise<Worklist> {
  const now = new Date();
  const rows = await listWorklist(db, {
    kind: q.kind,
    now,
    days: q.days,
    unitId: audienceOf(viewer) === 'unit' ? viewer.unitId! : q.unit,
    sessionCode: q.session,
    limit: q.limit,
  });
  const calendar = WorkCalendar.from(await calendarNow());
  const today = shanghaiDate(now.toISOString());
  const items = rows.map((r): WorklistItem => {
    const dueDate = shanghaiDate(new Date(r.due_at!).toISOString());
    return {
      workflowId: r.workflow_id,
      unitId: r.unit_id,
      role: r.role,
      status: r.status,
      sessionCode: r.session_code,
      proposalNo: r.proposal_no,
      title: r.title,
      keyProposal: r.key_proposal,
      dueAt: new Date(r.due_at!).toISOString(),
      dueDate,
      dueExplanation: r.due_explanation,
      calendarConfirmed: r.calendar_confirmed,
      extensionCount: r.extension_count,
      extended: r.extension_count > 0,
      daysLate: q.kind === 'overdue' ? calendar.workingDaysBetween(dueDate, today) : 0,
      daysLeft: q.kind === 'due-soon' ? calendar.workingDaysBetween(today, dueDate) : 0,
    };
  });
  if (q.kind === 'overdue') items.sort((a, b) => Number(b.keyProposal) - Number(a.keyProposal) || b.daysLate - a.daysLate);
  return { kind: q.kind, asOf: now.toISOString(), items, count: items.length };
}

/** How late a task is, in words: a task past its time the same working day is not yet a day late. */
export function lateWords(daysLate: number): string {
  return daysLate > 0 ? `逾期${daysLate}个工作日` : '已过期限（不足1个工作日）';
}
