// Working-day arithmetic over an official calendar given as data (so workflow replay sees
// exactly the calendar the first run saw). Pure: no clock, no I/O, no Node built-ins.

import { addCalendarDays, isValidIsoDate, isWeekend, parseIsoDate, toEpochDay } from '../../workflows/shared/dates.js';
import type { CalendarData, DayKind, WorkingDaySpan } from './types.js';

// A guard against runaway loops on corrupt input; no real deadline is anywhere near this.
const MAX_WORKING_DAYS = 100_000;

function validDateSet(dates: readonly string[], field: string): Set<string> {
  if (!Array.isArray(dates)) throw new RangeError(`Calendar ${field} must be an array of YYYY-MM-DD dates`);
  for (const d of dates) {
    if (!isValidIsoDate(d)) throw new RangeError(`Calendar ${field} contains an invalid date "${String(d)}"`);
  }
  return new Set<string>(dates);
}

export class WorkCalendar {
  private readonly knownYears: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<string>;
  private readonly makeupWorkdays: ReadonlySet<string>;
  private readonly dayNames: Readonly<Record<string, string>>;

  constructor(data: CalendarData) {
    if (!Array.isArray(data.knownYears) || !data.knownYears.every((y) => Number.isInteger(y))) {
      throw new RangeError('Calendar knownYears must be an array of integer years');
    }
    this.knownYears = new Set(data.knownYears);
    this.holidays = validDateSet(data.holidays, 'holidays');
    this.makeupWorkdays = validDateSet(data.makeupWorkdays, 'makeupWorkdays');
    for (const d of this.makeupWorkdays) {
      // A date cannot be both off and on; accepting it would make the answer depend on lookup order.
      if (this.holidays.has(d)) throw new RangeError(`Calendar lists ${d} both as a holiday and as a make-up working day`);
    }
    this.dayNames = { ...(data.dayNames ?? {}) };
  }

  static from(data: CalendarData | WorkCalendar): WorkCalendar {
    return data instanceof WorkCalendar ? data : new WorkCalendar(data);
  }

  isKnownYear(year: number): boolean {
    return this.knownYears.has(year);
  }

  /** Years in [fromYear, toYear] whose official arrangement is not loaded. */
  unknownYearsBetween(fromYear: number, toYear: number): number[] {
    const out: number[] = [];
    for (let y = Math.min(fromYear, toYear); y <= Math.max(fromYear, toYear); y++) {
      if (!this.knownYears.has(y)) out.push(y);
    }
    return out;
  }

  /**
   * Listed dates win over the weekday: a listed holiday is a holiday even on a Saturday,
   * and a make-up working day is a working day even though it is a weekend day.
   */
  dayKind(date: string): DayKind {
    if (this.makeupWorkdays.has(date)) return 'makeup_workday';
    if (this.holidays.has(date)) return 'holiday';
    return isWeekend(date) ? 'weekend' : 'workday';
  }

  isWorkingDay(date: string): boolean {
    const kind = this.dayKind(date);
    return kind === 'workday' || kind === 'makeup_workday';
  }

  /** Chinese holiday name of a listed date (e.g. '春节'), if the calendar data carries one. */
  dayName(date: string): string | undefined {
    return this.dayNames[date];
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return this.walk(date, 1).date;
  }

  /**
   * The date reached after counting `n` working days after `start`; the start day itself is
   * never counted, so n = 0 returns `start` unchanged.
   */
  addWorkingDays(start: string, n: number): WorkingDaySpan {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`Number of working days must be a non-negative integer, got ${String(n)}`);
    }
    if (n > MAX_WORKING_DAYS) throw new RangeError(`Number of working days ${n} exceeds the limit ${MAX_WORKING_DAYS}`);
    return this.walk(start, n);
  }

  /**
   * Working days in (a, b]. Negative when b is before a, so "days late" can be signed;
   * 0 when a === b. Counted, not walked: weekdays in the span, less the listed holidays that
   * fall on weekdays, plus the make-up days that fall on weekends (a worklist asks this for
   * hundreds of rows per page).
   */
  workingDaysBetween(a: string, b: string): number {
    const from = toEpochDay(a);
    const to = toEpochDay(b);
    if (to < from) return -this.workingDaysBetween(b, a);
    const { weekdayHolidays, weekendMakeups } = this.exceptions();
    return weekdaysBefore(to + 1) - weekdaysBefore(from + 1) - countIn(weekdayHolidays, from, to) + countIn(weekendMakeups, from, to);
  }

  private exceptionDays?: { weekdayHolidays: number[]; weekendMakeups: number[] };

  /** The listed dates that change a weekday's answer, as sorted epoch days. */
  private exceptions(): { weekdayHolidays: number[]; weekendMakeups: number[] } {
    this.exceptionDays ??= {
      weekdayHolidays: [...this.holidays]
        .filter((d) => !isWeekend(d))
        .map(toEpochDay)
        .sort((x, y) => x - y),
      weekendMakeups: [...this.makeupWorkdays]
        .filter((d) => isWeekend(d))
        .map(toEpochDay)
        .sort((x, y) => x - y),
    };
    return this.exceptionDays;
  }

  /** Non-working days in [from, to), classified; explains a roll from `from` to the working day `to`. */
  describeGap(from: string, to: string): Omit<WorkingDaySpan, 'date'> {
    const holidaysSkipped: string[] = [];
    let weekendDaysSkipped = 0;
    let d = from;
    while (toEpochDay(d) < toEpochDay(to)) {
      const kind = this.dayKind(d);
      if (kind === 'holiday') holidaysSkipped.push(d);
      else if (kind === 'weekend') weekendDaysSkipped++;
      d = addCalendarDays(d, 1);
    }
    return { holidaysSkipped, makeupDaysCounted: [], weekendDaysSkipped };
  }

  private walk(start: string, n: number): WorkingDaySpan {
    const holidaysSkipped: string[] = [];
    const makeupDaysCounted: string[] = [];
    let weekendDaysSkipped = 0;
    let counted = 0;
    let d = start;
    parseIsoDate(start); // fail on a bad start before looping, even when n = 0
    while (counted < n) {
      d = addCalendarDays(d, 1);
      switch (this.dayKind(d)) {
        case 'holiday':
          holidaysSkipped.push(d);
          break;
        case 'weekend':
          weekendDaysSkipped++;
          break;
        case 'makeup_workday':
          makeupDaysCounted.push(d);
          counted++;
          break;
        case 'workday':
          counted++;
          break;
      }
    }
    return { date: d, holidaysSkipped, makeupDaysCounted, weekendDaysSkipped };
  }
}

// Epoch day 0 (1970-01-01) is a Thursday: of the days 0..r-1 of a week so aligned, this many
// are Monday to Friday.
const WEEKDAYS_IN_FIRST = [0, 1, 2, 2, 2, 3, 4, 5];

/** Weekdays among epoch days [0, n) (negative n counts backwards, so differences stay right). */
function weekdaysBefore(n: number): number {
  const weeks = Math.floor(n / 7);
  return weeks * 5 + WEEKDAYS_IN_FIRST[n - weeks * 7]!;
}

/** How many of the sorted days lie in (from, to]. */
function countIn(sorted: readonly number[], from: number, to: number): number {
  return firstAbove(sorted, to) - firstAbove(sorted, from);
}

/** Index of the first day greater than `day`. */
function firstAbove(sorted: readonly number[], day: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
