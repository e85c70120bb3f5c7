import { z } from 'zod';
import type { UserRow } from '../../../../db/schema.js';
import { calendarDay, checkYear, parseCalendarCsv, previewCalendar, saveCalendarYear, type Day } from '../../../io/calendar-csv.js';
import type { AppDeps } from '../../env.js';
import { problem } from '../../problem.js';
import type { Routes } from '../../route.js';

// The holiday calendar as editable data: a year at a time, as JSON or as the CSV an office
// types from the State Council's notice. Every running proposal is told, and recomputes.

const yearParams = z.object({ year: z.coerce.number({ message: '年份无效' }).int('年份无效').min(2000, '年份无效').max(2100, '年份无效') });
const yearBody = z.strictObject({ days: z.array(calendarDay, { message: '请提供 days 数组' }).max(400, '一年最多400条') });
const importQuery = z.object({ dryRun: z.enum(['true', 'false'], { message: 'dryRun 必须是 true 或 false' }).optional() });

export function calendarRoutes(r: Routes, deps: AppDeps): void {
  const { db, proposals } = deps;

  const save = (user: UserRow, year: number, days: Day[]) => saveCalendarYear(db, proposals, user, year, days);

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
      roles: ['admin', 'office'],
      summary: '保存某年的放假与调休安排（管理员或交办单位）',
      tag: '日历与规则',
      params: yearParams,
      body: yearBody,
      problems: [403],
    },
    async (c, { params, body }) => {
      const user = c.get('user');
      const days = checkYear(params.year, body.days);
      if (!Array.isArray(days)) return problem(c, 'INVALID_INPUT', days.message, days.field);
      return c.json(await save(user, params.year, days));
    },
  );

  r.mount(
    {
      method: 'post',
      path: '/api/calendar/{year}/import',
      roles: ['admin', 'office'],
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
      const days = parseCalendarCsv(params.year, body);
      if (!Array.isArray(days)) return problem(c, 'INVALID_INPUT', days.message, days.field);
      if (query.dryRun === 'true') return c.json({ year: params.year, dryRun: true, days: days.length, ...(await previewCalendar(db, params.year, days)) });
      return c.json(await save(user, params.year, days));
    },
  );
}
