// The official calendar shipped with the `chinese-days` package (State Council arrangements
// 2004 onward), as CalendarData. A deployment loads it into its own table and adds each new
// year itself once announced; deadline code only ever sees the data, never the package.
//
// We read the package's published JSON rather than its functions: the functions answer one
// date at a time and treat ordinary weekends as "holidays", while the JSON lists exactly the
// official days off (holidays), the 调休上班日 (workdays) and the names we show to clerks.
// Node cannot load its functions through named ESM imports anyway (the bundle is a UMD file).

import rawData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

import { isValidIsoDate, yearOf } from '../../workflows/shared/dates.js';
import type { CalendarData } from './types.js';

interface ChineseDaysJson {
  /** date → "English name,中文名,length of the period in days" */
  holidays: Record<string, string>;
  /** 调休上班日: date → same format */
  workdays: Record<string, string>;
  /** weekdays given off in exchange for the make-up days; already included in holidays */
  inLieuDays: Record<string, string>;
}

export type CalendarRowKind = 'holiday' | 'makeup_workday';

export interface CalendarYearRow {
  date: string;
  kind: CalendarRowKind;
  name: string;
}

const FALLBACK_NAME: Record<CalendarRowKind, string> = {
  holiday: '法定节假日',
  makeup_workday: '调休上班日',
};

// The package abbreviates some names; clerks compare against the State Council notice,
// which uses the full festival names.
const OFFICIAL_NAMES: Readonly<Record<string, string>> = {
  清明: '清明节',
  端午: '端午节',
  中秋: '中秋节',
};

function chineseName(entry: string, date: string): string {
  const name = entry.split(',')[1]?.trim();
  if (!name) throw new RangeError(`chinese-days entry for ${date} has no Chinese name: "${entry}"`);
  return OFFICIAL_NAMES[name] ?? name;
}

function toCalendarData(json: ChineseDaysJson): CalendarData {
  const dayNames: Record<string, string> = {};
  const years = new Set<number>();
  const collect = (entries: Record<string, string>): string[] =>
    Object.keys(entries)
      .sort()
      .map((date) => {
        if (!isValidIsoDate(date)) throw new RangeError(`chinese-days lists an invalid date "${String(date)}"`);
        dayNames[date] = chineseName(entries[date] ?? '', date);
        years.add(yearOf(date));
        return date;
      });
  const holidays = collect(json.holidays);
  const makeupWorkdays = collect(json.workdays);
  return { knownYears: [...years].sort((a, b) => a - b), holidays, makeupWorkdays, dayNames };
}

const builtin: CalendarData = toCalendarData(rawData satisfies ChineseDaysJson);

/** A fresh copy each call, so a caller adding a year cannot change anyone else's calendar. */
export function builtinCalendar(): CalendarData {
  return {
    knownYears: [...builtin.knownYears],
    holidays: [...builtin.holidays],
    makeupWorkdays: [...builtin.makeupWorkdays],
    dayNames: { ...builtin.dayNames },
  };
}

/** One year's official days as rows for the reference-data table, sorted by date. */
export function calendarYearRows(data: CalendarData, year: number): CalendarYearRow[] {
  const rows: CalendarYearRow[] = [];
  const add = (dates: readonly string[], kind: CalendarRowKind): void => {
    for (const date of dates) {
      if (yearOf(date) === year) rows.push({ date, kind, name: data.dayNames?.[date] ?? FALLBACK_NAME[kind] });
    }
  };
  add(data.holidays, 'holiday');
  add(data.makeupWorkdays, 'makeup_workday');
  return rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Rebuilds CalendarData from stored rows (the inverse of calendarYearRows over all years). */
export function calendarFromRows(rows: readonly CalendarYearRow[], knownYears: readonly number[]): CalendarData {
  const sorted = [...rows].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const dayNames: Record<string, string> = {};
  for (const r of sorted) dayNames[r.date] = r.name;
  return {
    knownYears: [...new Set(knownYears)].sort((a, b) => a - b),
    holidays: sorted.filter((r) => r.kind === 'holiday').map((r) => r.date),
    makeupWorkdays: sorted.filter((r) => r.kind === 'makeup_workday').map((r) => r.date),
    dayNames,
  };
}
