import { z } from 'zod';
import type { Kysely } from 'kysely';
import { replaceCalendarYear } from '../../../../db/repositories/reference.js';
import type { Database, UserRow } from '../../../../db/schema.js';
import { text } from '../../../../workflows/proposal/inputs.js';
import { isValidIsoDate } from '../../../../workflows/shared/dates.js';
import type { AppDeps } from '../../env.js';
import { problem } from '../../problem.js';
import type { Routes } from '../../route.js';

// The holiday calendar as editable data: a year at a time, as JSON or as the CSV an office
// types from the State Council's notice. Every running proposal is told, and recomputes.

type DayKind = 'holiday' | 'makeup_workday';
interface Day {
  date: string;
  kind: DayKind;
  name: string | null;
}

const yearParams = z.object({ year: z.coerce.number({ message: '年份无效' }).int('年份无效').min(2000, '年份无效').max(2100, '年份无效') });
const calendarDay = z.strictObject({
  date: z.string({ message: '请填写日期' }).refine(isValidIsoDate, '日期必须是 YYYY-MM-DD 格式的有效日期'),
  kind: z.enum(['holiday', 'makeup_workday'], { message: '类型必须是 holiday（放假）或 makeup_workday（调休上班）' }),
  name: text('名称', 40).trim().nullish(),
});
const yearBody = z.strictObject({ days: z.array(calendarDay, { message: '请提供 days 数组' }).max(400, '一年最多400条') });
const importQuery = z.object({ dryRun: z.enum(['true', 'false'], { message: 'dryRun 必须是 true 或 false' }).optional() });

const canEdit = (user: UserRow) => user.role === 'admin' || user.role === 'office';

/** The rows as a year's calendar, or what is wrong with them, row by row (第n行). */
function checkYear(year: number, rows: { date: string; kind: DayKind; name?: string | null | undefined }[]): Day[] | { message: string; field: string } {
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
function csvRows(csv: string): { rows: z.infer<typeof calendarDay>[] } | { message: string; field: string } {
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

async function preview(db: Kysely<Database>, year: number, days: Day[]) {
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

export function calendarRoutes(r: Routes, deps: AppDeps): void {
  const { db, proposals } = deps;

  const save = async (user: UserRow, year: number, days: Day[]) => {
    await replaceCalendarYear(db, year, days, 'admin');
    const signalled = await proposals.broadcastDeadlinesChanged(`${user.display_name}调整了${year}年节假日安排`, false);
    return { year, days: days.length, signalled };
  };

  r.mount({ method: 'get', path: '/api/calendar/{year}', summary: '某年的放假与调休安排', tag: '日历与规则', params: yearParams }, async (c, { params }) => {
    const { year } = params;
    const known = await db.selectFrom('calendar_years').selectAll().where('year', '=', year).executeTakeFirst();
    const days = await db.selectFrom('calendar_days').select(['date', 'kind', 'name', 'source']).where('year', '=', year).orderBy('date').execute();
    return c.json({
      year,
      confirmed: !!known,
      source: known?.source ?? null,
      days,
      note: known ? null : `${year}年节假日安排尚未载入：该年的期限按周末规则估算并标记“日历未确认”`,
    });
  });

  r.mount(
    {
      method: 'put',
      path: '/api/calendar/{year}',
      summary: '保存某年的放假与调休安排（管理员或交办单位）',
      tag: '日历与规则',
      params: yearParams,
      body: yearBody,
      problems: [403],
    },
    async (c, { params, body }) => {
      const user = c.get('user');
      if (!canEdit(user)) return problem(c, 'FORBIDDEN_ROLE', '只有管理员或交办单位可以维护节假日');
      const days = checkYear(params.year, body.days);
      if (!Array.isArray(days)) return problem(c, 'INVALID_INPUT', days.message, days.field);
      return c.json(await save(user, params.year, days));
    },
  );

  r.mount(
    {
      method: 'post',
      path: '/api/calendar/{year}/import',
      summary: '以 CSV（date,kind,name）导入某年的安排；?dryRun=true 只预览将发生的变化',
      tag: '日历与规则',
      params: yearParams,
      query: importQuery,
      body: z.string(),
      bodyKind: 'csv',
      problems: [403],
    },
    async (c, { params, query, body }) => {
      const user = c.get('user');
      if (!canEdit(user)) return problem(c, 'FORBIDDEN_ROLE', '只有管理员或交办单位可以维护节假日');
      const parsed = csvRows(body);
      if ('message' in parsed) return problem(c, 'INVALID_INPUT', parsed.message, parsed.field);
      const days = checkYear(params.year, parsed.rows);
      if (!Array.isArray(days)) return problem(c, 'INVALID_INPUT', days.message, days.field);
      if (query.dryRun === 'true') return c.json({ year: params.year, dryRun: true, days: days.length, ...(await preview(db, params.year, days)) });
      return c.json(await save(user, params.year, days));
    },
  );
}
