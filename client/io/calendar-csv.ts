import type { Kysely } from 'kysely';
import { z } from 'zod';
import { replaceCalendarYear } from '../../db/repositories/reference.js';
import type { Database, UserRow } from '../../db/schema.js';
import { text } from '../../workflows/proposal/inputs.js';
import { isValidIsoDate } from '../../workflows/shared/dates.js';
import type { ProposalClient } from '../temporal.js';

// A year's holidays and make-up working days as the office types them from the State Council's
// notice (CSV lines `date,kind,name`), checked row by row; shared by the admin route
// (PUT/POST /api/calendar/{year}) and `banli calendar import`, so both say the same about a
// bad line and both tell every running proposal to recompute.

export type DayKind = 'holiday' | 'makeup_workday';
export interface Day {
  date: string;
  kind: DayKind;
  name: string | null;
}

export const calendarDay = z.strictObject({
  date: z.string({ message: '请填写日期' }).refine(isValidIsoDate, '日期必须是 YYYY-MM-DD 格式的有效日期'),
  kind: z.enum(['holiday', 'makeup_workday'], { message: '类型必须是 holiday（放假）或 makeup_workday（调休上班）' }),
  name: text('名称', 40).trim().nullish(),
});

export type Refusal = { message: string; field: string };

export const canEditCalendar = (user: UserRow) => user.role === 'admin' || user.role === 'office';

/** The rows as a year's calendar, or what is wrong with them, row by row (第n行). */
export function checkYear(year: number, rows: { date: string; kind: DayKind; name?: string | null | undefined }[]): Day[] | Refusal {
  if (rows.length === 0) return { message: `没有可保存的日期：${year}年的放假和调休安排不能为空`, field: 'days' };
  const seen = new Set<string>();
  for (const [i, row] of rows.entries()) {
    if (!row.date.startsWith(`${year}-`)) return { message: `第${i + 1}行：${row.date} 不是${year}年的日期`, field: `days[${i}].date` };
    if (seen.has(row.date)) return { message: `第${i + 1}行：${row.date} 重复`, field: `days[${i}].date` };
    seen.add(row.date);
  }
  return rows.map((r) => ({ date: r.date, kind: r.kind, name: r.name ?? null }));
}

/** CSV lines `date,kind,name`; a header line and # comments are skipped. */
export function csvRows(csv: string): { rows: z.infer<typeof calendarDay>[] } | Refusal {
  const lines = csv.split(/\r?\n/).map((l) => l.trim());
  const rows: z.infer<typeof calendarDay>[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line || line.startsWith('#') || /^date\s*,/i.test(line)) continue;
    const [date, kind, name] = line.split(',').map((cell) => cell.trim());
    const parsed = calendarDay.safeParse({ date, kind, name: name || null });
    if (!parsed.success) return { message: `第${i + 1}行「${line.slice(0, 60)}」：${parsed.error.issues[0]!.message}`, field: `line ${i + 1}` };
    rows.push(parsed.data);
  }
  return { rows };
}

/** The CSV text as a checked year, or the first line at fault. */
export function parseCalendarCsv(year: number, csv: string): Day[] | Refusal {
  const parsed = csvRows(csv);
  return 'message' in parsed ? parsed : checkYear(year, parsed.rows);
}

/** What saving `days` would change against what is stored. */
export async function previewCalendar(db: Kysely<Database>, year: number, days: Day[]) {
  const current = await db.selectFrom('calendar_days').select(['date', 'kind', 'name']).where('year', '=', year).execute();
  const before = new Map(current.map((d) => [d.date, d]));
  const after = new Map(days.map((d) => [d.date, d]));
  return {
    added: days.filter((d) => !before.has(d.date)),
    removed: current.filter((d) => !after.has(d.date)),
    changed: days.filter((d) => {
      const old = before.get(d.date);
      return old !== undefined && (old.kind !== d.kind || (old.name ?? null) !== d.name);
    }),
  };
}

/** Stores the year and tells every running proposal, which recomputes its open deadlines. */
export async function saveCalendarYear(db: Kysely<Database>, proposals: ProposalClient, user: UserRow, year: number, days: Day[]) {
  await replaceCalendarYear(db, year, days, 'admin');
  const signalled = await proposals.broadcastDeadlinesChanged(`${user.display_name}调整了${year}年节假日安排`, false);
  return { year, days: days.length, signalled };
}
