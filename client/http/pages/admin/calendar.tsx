import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { canEditCalendar, parseCalendarCsv, previewCalendar, saveCalendarYear, type Day } from '../../../io/calendar-csv.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { Button, TextArea, TextInput } from '../fields.js';
import { readForm } from '../form-fields.js';
import { cnDate, CsrfField, ErrorSummary, Layout, Notice, type ErrorItem } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';

// The holiday calendar, a year at a time: what is loaded (or 日历未确认 when the year's notice
// has not been entered, so its deadlines are estimated by weekends alone), and the import of a
// year's CSV (`date,kind,name`) through the same code as POST /api/calendar/{year}/import:
// parsed and checked line by line, previewed as what would change, then saved, and every
// running proposal told to recompute its deadlines.

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
const CSV_ID = 'cal-csv';
const KIND_LABELS: Record<Day['kind'], string> = { holiday: '放假', makeup_workday: '调休上班' };

const thisYear = () => Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

function yearOf(value: string | undefined | null): number | null {
  if (!value || !/^\d{4}$/.test(value)) return null;
  const n = Number(value);
  return n >= MIN_YEAR && n <= MAX_YEAR ? n : null;
}

interface Preview {
  added: Day[];
  removed: { date: string; kind: Day['kind']; name: string | null }[];
  changed: Day[];
  days: number;
}

interface CalendarProps {
  c: PageContext;
  pd: PagesDeps;
  year: number;
  confirmed: boolean;
  source: string | null;
  days: { date: string; kind: Day['kind']; name: string | null }[];
  csv: string;
  errors: ErrorItem[];
  csvError?: string;
  preview?: Preview;
  notice?: string;
}

function DayList(p: { caption: string; days: { date: string; kind: Day['kind']; name: string | null }[] }) {
  return (
    <table class="table responsive">
      <caption class="visually-hidden">{p.caption}</caption>
      <thead>
        <tr>
          <th scope="col">日期</th>
          <th scope="col">安排</th>
          <th scope="col">名称</th>
        </tr>
      </thead>
      <tbody>
        {p.days.map((d) => (
          <tr>
            <td data-label="日期">{cnDate(d.date)}</td>
            <td data-label="安排">{KIND_LABELS[d.kind]}</td>
            <td data-label="名称">{d.name ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CalendarPage(p: CalendarProps) {
  const csrf = p.c.get('csrf');
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title={`${p.year}年节假日`} wide>
      <ErrorSummary items={p.errors} title={p.errors.length ? '日历没有保存' : undefined} />
      {p.notice ? <Notice kind="success">{p.notice}</Notice> : null}
      <h1>{p.year}年节假日与调休</h1>
      <form method="get" action="/admin/calendar" class="filters" aria-label="选择年份">
        <TextInput noOptionalMark id="cal-year" name="year" label="年份" inputmode="numeric" width="short" value={String(p.year)} />
        <Button kind="secondary">查看</Button>
      </form>
      <nav class="pagination" aria-label="其他年份">
        <a href={`/admin/calendar?year=${p.year - 1}`}>{p.year - 1}年</a>
        <a href={`/admin/calendar?year=${p.year + 1}`}>{p.year + 1}年</a>
      </nav>
      {p.confirmed ? (
        <p>
          已载入{p.source === 'builtin' ? '（系统内置）' : '（管理员维护）'}：共{p.days.length}天特殊安排，其余按周一至周五上班计算。
        </p>
      ) : (
        <Notice kind="warning">
          <strong class="tag tag-unconfirmed">日历未确认</strong> {p.year}年节假日安排尚未载入：该年的期限暂按周末规则估算并标记“日历未确认”，载入后自动重算。
        </Notice>
      )}
      {p.days.length > 0 ? <DayList caption={`${p.year}年的安排`} days={p.days} /> : null}
      <h2 id="import-heading">导入{p.year}年安排</h2>
      <p>按国务院办公厅的放假通知，每行一天：日期,类型,名称。类型为 holiday（放假）或 makeup_workday（调休上班）。导入会整体替换该年已有的安排。</p>
      {p.preview ? (
        <section aria-labelledby="cal-preview" class="calendar-preview">
          <h3 id="cal-preview">预览（尚未保存）</h3>
          <p>
            共{p.preview.days}天：新增{p.preview.added.length}天，删除{p.preview.removed.length}天，修改{p.preview.changed.length}天。
          </p>
          {p.preview.added.length > 0 ? <DayList caption="新增" days={p.preview.added} /> : null}
          {p.preview.removed.length > 0 ? <DayList caption="删除" days={p.preview.removed} /> : null}
          {p.preview.changed.length > 0 ? <DayList caption="修改" days={p.preview.changed} /> : null}
        </section>
      ) : null}
      <form method="post" action={`/admin/calendar/${p.year}/import`} novalidate aria-labelledby="import-heading">
        <CsrfField token={csrf} />
        <TextArea
          id={CSV_ID}
          name="csv"
          label="CSV 内容"
          required
          rows={10}
          hint="例如：2027-10-01,holiday,国庆节"
          value={p.csv}
          error={p.csvError}
          maxLength={40000}
        />
        <div class="button-row">
          <Button kind={p.preview ? 'secondary' : 'primary'} name="op" value="preview">
            预览变化
          </Button>
          {p.preview ? (
            <Button name="op" value="save">
              确认保存{p.year}年安排
            </Button>
          ) : null}
        </div>
      </form>
    </Layout>
  );
}

export function calendarAdminRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db, proposals } = deps;
  const guard = [requireSignIn(), requireRole(['admin'], (c) => notFoundPage(c, pd.mailViewer))] as const;

  const show = async (c: PageContext, year: number, extra: Partial<CalendarProps>, status: ContentfulStatusCode = 200) => {
    const [known, days] = await Promise.all([
      db.selectFrom('calendar_years').selectAll().where('year', '=', year).executeTakeFirst(),
      db.selectFrom('calendar_days').select(['date', 'kind', 'name']).where('year', '=', year).orderBy('date').execute(),
    ]);
    return render(c, <CalendarPage c={c} pd={pd} year={year} confirmed={!!known} source={known?.source ?? null} days={days} csv="" errors={[]} {...extra} />, status);
  };

  app.get('/admin/calendar', ...guard, (c) => {
    const asked = c.req.query('year');
    const year = yearOf(asked);
    if (asked && year === null) {
      const message = `年份应为${MIN_YEAR}至${MAX_YEAR}之间的四位数字`;
      return show(c, thisYear(), { errors: [{ message, href: 'cal-year' }] }, 422);
    }
    return show(c, year ?? thisYear(), {});
  });

  app.post('/admin/calendar/:year/import', ...guard, async (c) => {
    const year = yearOf(c.req.param('year'));
    if (year === null) return notFoundPage(c, pd.mailViewer);
    const user = c.get('user');
    if (!canEditCalendar(user)) return notFoundPage(c, pd.mailViewer);
    const form = (await readForm(c))!;
    const csv = (form.get('csv') ?? '').replace(/\r\n?/g, '\n');
    const refuse = (message: string) => show(c, year, { csv, errors: [{ message, href: CSV_ID }], csvError: message }, 422);
    const days = parseCalendarCsv(year, csv);
    if (!Array.isArray(days)) return refuse(days.message);
    if (form.get('op') !== 'save') return show(c, year, { csv, preview: { days: days.length, ...(await previewCalendar(db, year, days)) } });
    const saved = await saveCalendarYear(db, proposals, user, year, days);
    return show(c, year, { notice: `已保存${year}年安排（${saved.days}天），已通知${saved.signalled}件办理中的提案重算期限` });
  });
}
