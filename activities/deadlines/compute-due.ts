// Rule + start date + calendar (+ approved extensions) → due date with its explanation.
// Pure and deterministic so a workflow can call it with calendar data fetched by an activity.

import { WorkCalendar } from './calendar.js';
import { addCalendarDays, addCalendarMonths, chineseDate, isValidIsoDate, parseIsoDate, yearOf } from '../../workflows/shared/dates.js';
import { approvalDate, durationPhrase, explanationText, unconfirmedNote } from './explain-text.js';
import type { AppliedExtension, CalendarData, DueDateExplanation, DurationRule, DurationUnit } from './types.js';

const UNITS: readonly DurationUnit[] = ['working_days', 'calendar_days', 'calendar_months'];

// Far beyond any real handling period; stops a typo (e.g. 3000 months) from producing a date.
const MAX_AMOUNT: Record<DurationUnit, number> = {
  working_days: 10_000,
  calendar_days: 36_600,
  calendar_months: 1_200,
};

export interface ComputeDueInput {
  rule: DurationRule;
  start: string;
  /** Raw data, or an already-built WorkCalendar to avoid rebuilding it per call. */
  calendar: CalendarData | WorkCalendar;
  extensions?: AppliedExtension[];
}

export interface CeilingCheckInput {
  start: string;
  requestedDue: string;
  ceiling: DurationRule;
  calendar: CalendarData | WorkCalendar;
  /** What the ceiling counts from, for the message; defaults to 交办 (assignment). */
  startLabel?: string;
}

export interface CeilingCheckResult {
  ok: boolean;
  ceilingDue: string;
  message: string;
  calendarConfirmed: boolean;
  unconfirmedYears: number[];
}

function requireDate(value: unknown, what: string): string {
  if (!isValidIsoDate(value)) throw new RangeError(`${what} "${String(value)}" is not a valid YYYY-MM-DD date`);
  return value;
}

export function validateRule(rule: DurationRule): void {
  if (typeof rule !== 'object' || rule === null) throw new RangeError('Duration rule is missing');
  if (!UNITS.includes(rule.unit)) {
    throw new RangeError(`Duration rule "${rule.key}" has unknown unit "${String(rule.unit)}"`);
  }
  if (!Number.isSafeInteger(rule.amount)) {
    throw new RangeError(`Duration rule "${rule.key}" amount must be an integer, got ${String(rule.amount)}`);
  }
  if (rule.amount < 0) throw new RangeError(`Duration rule "${rule.key}" amount must not be negative, got ${rule.amount}`);
  if (rule.amount > MAX_AMOUNT[rule.unit]) {
    throw new RangeError(`Duration rule "${rule.key}" amount ${rule.amount} exceeds the limit ${MAX_AMOUNT[rule.unit]} for ${rule.unit}`);
  }
  if (rule.rollToWorkingDay !== undefined && typeof rule.rollToWorkingDay !== 'boolean') {
    throw new RangeError(`Duration rule "${rule.key}" rollToWorkingDay must be a boolean`);
  }
}

function validateExtensions(extensions: readonly AppliedExtension[], baseDue: string): string {
  let due = baseDue;
  extensions.forEach((ext, i) => {
    const label = `Extension ${i + 1}`;
    requireDate(ext.from, `${label} from`);
    requireDate(ext.to, `${label} to`);
    if (typeof ext.approvedAt !== 'string') throw new RangeError(`${label} approvedAt is missing`);
    approvalDate(ext.approvedAt); // throws RangeError on a malformed stamp
    if (ext.to <= due) {
      throw new RangeError(`${label} moves the due date to ${ext.to}, which is not after the current due date ${due}`);
    }
    due = ext.to;
  });
  return due;
}

export function computeDue(input: ComputeDueInput): DueDateExplanation {
  const { rule } = input;
  validateRule(rule);
  const start = requireDate(input.start, 'Start date');
  const calendar = WorkCalendar.from(input.calendar);
  const extensions = [...(input.extensions ?? [])];

  let baseDue: string;
  let rolledFrom: string | null = null;
  let holidaysSkipped: string[] = [];
  let makeupDaysCounted: string[] = [];
  let weekendDaysSkipped = 0;

  if (rule.unit === 'working_days') {
    const span = calendar.addWorkingDays(start, rule.amount);
    ({ holidaysSkipped, makeupDaysCounted, weekendDaysSkipped } = span);
    baseDue = span.date;
  } else {
    const raw = rule.unit === 'calendar_days' ? addCalendarDays(start, rule.amount) : addCalendarMonths(start, rule.amount);
    if (rule.rollToWorkingDay !== false && !calendar.isWorkingDay(raw)) {
      baseDue = calendar.nextWorkingDay(raw);
      rolledFrom = raw;
      ({ holidaysSkipped, weekendDaysSkipped } = calendar.describeGap(raw, baseDue));
    } else {
      baseDue = raw;
    }
    if (calendar.dayKind(baseDue) === 'makeup_workday') makeupDaysCounted = [baseDue];
  }

  const due = validateExtensions(extensions, baseDue);
  const unconfirmedYears = calendar.unknownYearsBetween(yearOf(start), yearOf(due));

  const text = explanationText({
    calendar,
    rule,
    start,
    baseDue,
    due,
    rolledFrom,
    holidaysSkipped,
    makeupDaysCounted,
    unconfirmedYears,
    extensions,
  });

  return {
    rule: { ...rule },
    start,
    due,
    baseDue,
    holidaysSkipped,
    makeupDaysCounted,
    weekendDaysSkipped,
    rolledFrom,
    extensions: extensions.map((e) => ({ ...e })),
    calendarConfirmed: unconfirmedYears.length === 0,
    unconfirmedYears,
    text,
  };
}

/** Enforces an outer limit such as "extensions never beyond 6 months in all". */
export function ceilingCheck(input: CeilingCheckInput): CeilingCheckResult {
  const requestedDue = requireDate(input.requestedDue, 'Requested due date');
  parseIsoDate(input.start);
  const ceiling = computeDue({ rule: input.ceiling, start: input.start, calendar: input.calendar });
  const ok = requestedDue <= ceiling.due;
  const startLabel = input.startLabel ?? '交办';
  const verdict = ok ? '未超过' : '超过';
  const message =
    `延期后的截止日期${chineseDate(requestedDue)}${verdict}自${startLabel}起${durationPhrase(input.ceiling)}的上限` +
    `（${chineseDate(ceiling.due)}）${unconfirmedNote(ceiling.unconfirmedYears)}`;
  return {
    ok,
    ceilingDue: ceiling.due,
    message,
    calendarConfirmed: ceiling.calendarConfirmed,
    unconfirmedYears: ceiling.unconfirmedYears,
  };
}
