import { z } from 'zod';
import { isoDay, text } from '../../../workflows/proposal/inputs.js';
import {
  countFigures,
  discrepancyReport,
  drillDown,
  FIGURE_KEYS,
  FIGURES,
  listKeyProposals,
  scopeFor,
  STATISTICS_ROLES,
  statisticsRefusal,
} from '../../read/statistics/index.js';
import { actorOf } from '../auth.js';
import type { AppDeps } from '../env.js';
import { problem } from '../problem.js';
import type { Routes } from '../route.js';
import { statisticsFileRoutes } from './statistics-files.js';
import { statisticsQuery } from './statistics-query.js';

// 办理统计: the committee's figures per unit and session with the proposals behind each number.
// Staff see every unit; a unit's people their own unit only; a proposer none (403).

const drillParams = z.object({
  figure: z.enum(FIGURE_KEYS, { message: `指标应为 ${FIGURE_KEYS.join('、')} 之一` }),
});

const drillQuery = z.object({
  session: text('届次', 60).optional(),
  unit: text('单位', 100).optional(),
  from: isoDay('起始收到日期').optional(),
  to: isoDay('截止收到日期').optional(),
  part: z.enum(['num', 'den'], { message: 'part 应为 num（分子）或 den（分母）' }).default('num'),
  limit: z.coerce.number({ message: 'limit 必须是整数' }).int('limit 必须是整数').min(1, 'limit 最小为1').max(5000, 'limit 最大为5000').default(500),
});

export function statisticsRoutes(r: Routes, deps: AppDeps): void {
  const { db } = deps;
  // Files first: /api/statistics/export.xlsx is not a figure.
  statisticsFileRoutes(r, deps);

  r.mount(
    {
      method: 'get',
      path: '/api/statistics',
      summary: '办理统计：办复率、按期办复率、满意率（态度与结果）、见面率、A/B/C类占比、重新办理、按期公开，按单位和届次；承办单位只看到本单位',
      tag: '统计',
      roles: STATISTICS_ROLES,
      query: statisticsQuery,
      problems: [403],
    },
    async (c, { query }) => {
      const viewer = actorOf(c.get('user'));
      const refused = statisticsRefusal(viewer);
      if (refused) return problem(c, 'FORBIDDEN_ROLE', refused);
      const scope = scopeFor(viewer, query);
      const rows = await countFigures(db, scope);
      return c.json({
        asOf: scope.asOf.toISOString(),
        scope: { session: scope.sessionCode ?? null, unit: scope.unitId ?? null, from: scope.receivedFrom ?? null, to: scope.receivedTo ?? null },
        definitions: FIGURES,
        rows,
      });
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/statistics/{figure}/proposals',
      summary: '统计数字背后的提案：某项指标的分子（part=num）或分母（part=den），按单位（unit=）或届次合计',
      tag: '统计',
      roles: STATISTICS_ROLES,
      params: drillParams,
      query: drillQuery,
      problems: [403],
    },
    async (c, { params, query }) => {
      const viewer = actorOf(c.get('user'));
      const refused = statisticsRefusal(viewer);
      if (refused) return problem(c, 'FORBIDDEN_ROLE', refused);
      const scope = scopeFor(viewer, query);
      const list = await drillDown(db, scope, { figure: params.figure, part: query.part, limit: query.limit });
      return c.json({ figure: params.figure, definition: FIGURES[params.figure], part: query.part, asOf: scope.asOf.toISOString(), ...list });
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/statistics/key-proposals',
      summary: '重点提案及其督办情况（督办领导、阶段、下一期限、督办通知次数）',
      tag: '统计',
      roles: STATISTICS_ROLES,
      query: statisticsQuery,
      problems: [403],
    },
    async (c, { query }) => {
      const viewer = actorOf(c.get('user'));
      const refused = statisticsRefusal(viewer);
      if (refused) return problem(c, 'FORBIDDEN_ROLE', refused);
      const items = await listKeyProposals(db, scopeFor(viewer, query));
      return c.json({ items, count: items.length });
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/statistics/discrepancies',
      summary: '差异报告：A/B类答复被评为结果不满意、B/C类承诺回头看逾期未报告、满意评价主要来自办公室代录纸质表的单位',
      tag: '统计',
      roles: STATISTICS_ROLES,
      query: statisticsQuery,
      problems: [403],
    },
    async (c, { query }) => {
      const viewer = actorOf(c.get('user'));
      const refused = statisticsRefusal(viewer);
      if (refused) return problem(c, 'FORBIDDEN_ROLE', refused);
      return c.json(await discrepancyReport(db, scopeFor(viewer, query)));
    },
  );
}
