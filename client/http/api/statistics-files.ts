import { XLSX_MIME } from '../../io/xlsx-cells.js';
import { annualReport } from '../../reports/annual-report-text.js';
import { cachedCalendarLoader } from '../../../activities/deadlines/calendar-cache.js';
import { renderAnnualReportDocx } from '../../reports/annual-report-docx.js';
import { progressNotice } from '../../reports/progress-notice-text.js';
import { readWorklist } from '../../read/worklists.js';
import { loadStatistics, noFeedbackRule } from '../../reports/statistics-data.js';
import { statisticsWorkbook } from '../../reports/statistics-workbook.js';
import { scopeFor, STATISTICS_ROLES, statisticsRefusal } from '../../read/statistics/index.js';
import { shanghaiDate } from '../../../workflows/shared/dates.js';
import { actorOf } from '../auth.js';
import type { AppDeps } from '../env.js';
import { problem } from '../problem.js';
import type { Routes } from '../route.js';
import { statisticsQuery } from './statistics-query.js';

// The statistics as files: the figures and the discrepancy report as .xlsx, and the annual
// handling report (办理情况报告) as .docx, from the same figures as the dashboard and the API.

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function attachment(filename: string, ascii: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function statisticsFileRoutes(r: Routes, deps: AppDeps): void {
  const { db } = deps;
  const calendarNow = cachedCalendarLoader(db);

  r.mount(
    {
      method: 'get',
      path: '/api/statistics/export.xlsx',
      summary: '导出办理统计与差异报告（.xlsx）：各单位与合计的分子、分母、比率，指标口径，三类差异；承办单位只能导出本单位的',
      tag: '统计',
      roles: STATISTICS_ROLES,
      query: statisticsQuery,
      ok: { status: 200, description: `${XLSX_MIME}` },
      problems: [403],
    },
    async (c, { query }) => {
      const viewer = actorOf(c.get('user'));
      const refused = statisticsRefusal(viewer);
      if (refused) return problem(c, 'FORBIDDEN_ROLE', refused);
      const bundle = await loadStatistics(db, scopeFor(viewer, query));
      const bytes = await statisticsWorkbook(bundle, c.get('user').display_name);
      const day = shanghaiDate(bundle.scope.asOf.toISOString());
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': XLSX_MIME,
        'content-disposition': attachment(`办理统计${bundle.sessionName ? `-${bundle.sessionName}` : ''}-${day}.xlsx`, `statistics-${day}.xlsx`),
      });
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/statistics/report.docx',
      summary: '办理情况报告（.docx，GB/T 9704 版式），由同一套统计数字生成；承办单位得到本单位的',
      tag: '统计',
      roles: STATISTICS_ROLES,
      query: statisticsQuery,
      ok: { status: 200, description: DOCX_MIME },
      problems: [403],
    },
    async (c, { query }) => {
      const viewer = actorOf(c.get('user'));
      const refused = statisticsRefusal(viewer);
      if (refused) return problem(c, 'FORBIDDEN_ROLE', refused);
      const bundle = await loadStatistics(db, scopeFor(viewer, query));
      const day = shanghaiDate(bundle.scope.asOf.toISOString());
      const report = annualReport(bundle, day, await noFeedbackRule(db, query.session));
      const bytes = await renderAnnualReportDocx(report);
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': DOCX_MIME,
        'content-disposition': attachment(`${report.title}.docx`, `handling-report-${day}.docx`),
      });
    },
  );

  r.mount(
    {
      method: 'get',
      path: '/api/statistics/notice.docx',
      summary: '办理进展通报（.docx）：办复与按期情况、逾期未办复的单位与提案、已全部办复的单位；提案委员会、交办单位与管理员',
      tag: '统计',
      roles: ['committee', 'office', 'admin'],
      query: statisticsQuery,
      ok: { status: 200, description: DOCX_MIME },
    },
    async (c, { query }) => {
      const viewer = actorOf(c.get('user'));
      const bundle = await loadStatistics(db, scopeFor(viewer, query));
      const overdue = await readWorklist(db, calendarNow, viewer, { kind: 'overdue', days: 7, session: query.session, unit: query.unit, limit: 1000 });
      const day = shanghaiDate(bundle.scope.asOf.toISOString());
      const notice = progressNotice(bundle, overdue.items, day);
      const bytes = await renderAnnualReportDocx(notice);
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': DOCX_MIME,
        'content-disposition': attachment(`${notice.title}.docx`, `progress-notice-${day}.docx`),
      });
    },
  );
}
