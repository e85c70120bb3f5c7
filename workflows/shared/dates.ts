// Date-only arithmetic on 'YYYY-MM-DD' strings. Business dates are Asia/Shanghai calendar
// dates; internally a date is a count of days since 1970-01-01 computed with UTC so that
// the process time zone can never shift a day. No Node built-ins: workflow code may import this.

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// An instant must carry its offset; without one `Date` would read it in the server's zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

// Asia/Shanghai has been a fixed UTC+8 with no daylight saving since 1991, and no business
// date in this system predates that, so day boundaries are a constant offset.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const shanghaiFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  const length = MONTH_LENGTHS[month - 1];
  if (length === undefined) throw new RangeError(`Invalid month ${month}`);
  return length;
}

function partsOrNull(date: string): DateParts | null {
  const m = ISO_DATE.exec(date);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isValidIsoDate(date: unknown): date is string {
  return typeof date === 'string' && partsOrNull(date) !== null;
}

export function parseIsoDate(date: string): DateParts {
  const parts = typeof date === 'string' ? partsOrNull(date) : null;
  if (!parts) throw new RangeError(`Invalid date "${String(date)}": expected a real calendar date as YYYY-MM-DD`);
  return parts;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function formatIsoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function epochDayOf(year: number, month: number, day: number): number {
  const utc = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  utc.setUTCFullYear(year, month - 1, day);
  return Math.round(utc.getTime() / MS_PER_DAY);
}

const MIN_EPOCH_DAY = epochDayOf(1, 1, 1);
const MAX_EPOCH_DAY = epochDayOf(9999, 12, 31);

export function toEpochDay(date: string): number {
  const { year, month, day } = parseIsoDate(date);
  return epochDayOf(year, month, day);
}

export function fromEpochDay(epochDay: number): string {
  if (!Number.isInteger(epochDay) || epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) {
    throw new RangeError(`Date out of supported range (years 0001–9999): day ${epochDay}`);
  }
  const d = new Date(epochDay * MS_PER_DAY);
  return formatIsoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
  // 1970-01-01 was a Thursday.
  return (((toEpochDay(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: string): boolean {
  const wd = weekdayOf(date);
  return wd === 0 || wd === 6;
}

function assertInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer, got ${String(n)}`);
}

export function addCalendarDays(date: string, n: number): string {
  assertInteger(n, 'Number of days');
  return fromEpochDay(toEpochDay(date) + n);
}

/** Whole months with month-end clamping: 2025-01-31 + 1 month = 2025-02-28. */
export function addCalendarMonths(date: string, n: number): string {
  assertInteger(n, 'Number of months');
  const { year, month, day } = parseIsoDate(date);
  const monthIndex = year * 12 + (month - 1) + n;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  if (targetYear < 1 || targetYear > 9999) {
    throw new RangeError(`Date out of supported range (years 0001–9999): ${date} + ${n} months`);
  }
  return formatIsoDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** Signed number of calendar days from a to b. */
export function calendarDaysBetween(a: string, b: string): number {
  return toEpochDay(b) - toEpochDay(a);
}

export function yearOf(date: string): number {
  return parseIsoDate(date).year;
}

function toInstantMs(instant: string | Date): number {
  if (instant instanceof Date) return instant.getTime();
  if (typeof instant !== 'string' || !ISO_INSTANT.test(instant)) {
    throw new RangeError(`Invalid instant "${String(instant)}": expected an ISO 8601 timestamp with Z or an offset`);
  }
  return Date.parse(instant);
}

/** The Asia/Shanghai calendar date of an instant, whatever the process time zone. */
export function shanghaiDate(instant: string | Date): string {
  const ms = toInstantMs(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid instant "${String(instant)}"`);
  const parts = shanghaiFormatter.formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes): number => {
    const part = parts.find((p) => p.type === type);
    if (!part) throw new RangeError(`Cannot format instant "${String(instant)}" in Asia/Shanghai`);
    return Number(part.value);
  };
  return formatIsoDate(get('year'), get('month'), get('day'));
}

/** First instant of an Asia/Shanghai date, as an ISO UTC string (previous day T16:00:00.000Z). */
export function startOfShanghaiDayInstant(date: string): string {
  return new Date(toEpochDay(date) * MS_PER_DAY - SHANGHAI_OFFSET_MS).toISOString();
}

/** Last millisecond of an Asia/Shanghai date, as an ISO UTC string (same day T15:59:59.999Z). */
export function endOfShanghaiDayInstant(date: string): string {
  return new Date((toEpochDay(date) + 1) * MS_PER_DAY - SHANGHAI_OFFSET_MS - 1).toISOString();
}

/** '2025-02-07' → '2025年2月7日'. */
export function chineseDate(date: string): string {
  const { year, month, day } = parseIsoDate(date);
  return `${year}年${month}月${day}日`;
}

/** '2025-02-07' → '2月7日', for lists where the year is already clear from context. */
export function chineseMonthDay(date: string): string {
  const { month, day } = parseIsoDate(date);
  return `${month}月${day}日`;
}
