// Renders a due-date computation as Chinese text a clerk can check by hand against the
// printed State Council calendar. Only wording lives here; the dates come from compute-due.

import type { WorkCalendar } from './calendar.js';
import { chineseDate, chineseMonthDay, isValidIsoDate, shanghaiDate, toEpochDay, yearOf } from '../../workflows/shared/dates.js';
import type { AppliedExtension, DurationRule } from './types.js';

export function durationPhrase(rule: Pick<DurationRule, 'amount' | 'unit'>): string {
  switch (rule.unit) {
    case 'working_days':
      return `${rule.amount}个工作日`;
    case 'calendar_days':
      return `${rule.amount}个自然日`;
    case 'calendar_months':
      return `${rule.amount}个月`;
  }
}

export function unconfirmedNote(years: readonly number[]): string {
  if (years.length === 0) return '';
  return `（日历未确认：${years.map((y) => `${y}年`).join('、')}节假日安排尚未载入，按周末规则估算）`;
}

/** Shanghai date of an approval stamp that may be a plain date or an ISO instant. */
export function approvalDate(approvedAt: string): string {
  return isValidIsoDate(approvedAt) ? approvedAt : shanghaiDate(approvedAt);
}

/** Consecutive dates grouped into runs, so eight holiday days read as one period. */
function consecutiveRuns(dates: readonly string[]): string[][] {
  const runs: string[][] = [];
  let current: string[] = [];
  let previousDay = Number.NaN;
  for (const d of [...dates].sort()) {
    const day = toEpochDay(d);
    if (current.length > 0 && day !== previousDay + 1) {
      runs.push(current);
      current = [];
    }
    current.push(d);
    previousDay = day;
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

interface TextContext {
  calendar: WorkCalendar;
  /** Dates in this year are written without the year; NaN writes every year out. */
  contextYear: number;
}

function shortDate(date: string, ctx: TextContext): string {
  return yearOf(date) === ctx.contextYear ? chineseMonthDay(date) : chineseDate(date);
}

function holidayName(dates: readonly string[], ctx: TextContext): string {
  const names = [...new Set(dates.map((d) => ctx.calendar.dayName(d)).filter((n): n is string => !!n))];
  return names.length > 0 ? `${names.join('、')}假期` : '法定节假日';
}

function holidayRunsText(dates: readonly string[], ctx: TextContext): string {
  return consecutiveRuns(dates)
    .map((run) => {
      const first = run[0] ?? '';
      const last = run[run.length - 1] ?? first;
      const span = first === last ? shortDate(first, ctx) : `${shortDate(first, ctx)}至${shortDate(last, ctx)}`;
      return `${holidayName(run, ctx)}${span}`;
    })
    .join('、');
}

function detailParts(holidays: readonly string[], makeups: readonly string[], ctx: TextContext): string[] {
  const parts: string[] = [];
  if (holidays.length > 0) parts.push(`跳过${holidayRunsText(holidays, ctx)}`);
  if (makeups.length > 0) parts.push(`计入调休上班日${makeups.map((d) => shortDate(d, ctx)).join('、')}`);
  return parts;
}

export interface BaseTextInput {
  calendar: WorkCalendar;
  rule: DurationRule;
  start: string;
  baseDue: string;
  rolledFrom: string | null;
  holidaysSkipped: readonly string[];
  makeupDaysCounted: readonly string[];
  unconfirmedYears: readonly number[];
}

/** The first sentence: how the rule's own due date was reached. */
export function baseText(input: BaseTextInput): string {
  // Month-day alone is only unambiguous when the whole span sits in one year.
  const startYear = yearOf(input.start);
  const contextYear = startYear === yearOf(input.baseDue) ? startYear : Number.NaN;
  const ctx: TextContext = { calendar: input.calendar, contextYear };
  const head = `自${chineseDate(input.start)}起算${durationPhrase(input.rule)}`;
  const warning = unconfirmedNote(input.unconfirmedYears);
  const due = chineseDate(input.baseDue);

  if (input.rule.unit === 'working_days') {
    const parts = detailParts(input.holidaysSkipped, input.makeupDaysCounted, ctx);
    const details = parts.length > 0 ? `（${parts.join('，')}）` : '';
    return `${head}${details}，截止${due}${warning}。`;
  }

  if (input.rolledFrom !== null) {
    const raw = input.rolledFrom;
    const reason = input.calendar.dayKind(raw) === 'holiday' ? holidayName([raw], ctx) : '周末';
    const parts = detailParts(input.holidaysSkipped, input.makeupDaysCounted, ctx);
    const details = parts.length > 0 ? `（${parts.join('，')}）` : '';
    return `${head}为${chineseDate(raw)}，适逢${reason}，顺延至下一工作日${details}，截止${due}${warning}。`;
  }

  const kind = input.calendar.dayKind(input.baseDue);
  let note = '';
  if (kind === 'makeup_workday') note = '（该日为调休上班日）';
  else if (kind !== 'workday') note = '（该日为非工作日，按规定不顺延）';
  return `${head}，截止${due}${note}${warning}。`;
}

export function extensionLine(ext: AppliedExtension): string {
  return `${chineseDate(approvalDate(ext.approvedAt))}批准延期至${chineseDate(ext.to)}（原截止${chineseDate(ext.from)}），理由：${ext.reason}。`;
}

export function explanationText(input: BaseTextInput & { due: string; extensions: readonly AppliedExtension[] }): string {
  const lines = [baseText(input)];
  if (input.extensions.length > 0) {
    for (const ext of input.extensions) lines.push(extensionLine(ext));
    lines.push(`现截止日期为${chineseDate(input.due)}。`);
  }
  return lines.join('\n');
}
