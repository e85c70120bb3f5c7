// Shared shapes for deadline computation. Everything here is JSON-safe so it can cross the
// Temporal boundary: dates are 'YYYY-MM-DD' strings in Asia/Shanghai, never Date objects.

export type DurationUnit = 'working_days' | 'calendar_days' | 'calendar_months';

export interface DurationRule {
  key: string;
  label: string;
  amount: number;
  unit: DurationUnit;
  /** Default true: a calendar-unit due date on a non-working day moves to the next working day. */
  rollToWorkingDay?: boolean;
}

/**
 * One deployment's official calendar. `holidays` are the official days off (weekend days
 * inside a holiday period are listed too); `makeupWorkdays` are weekend days that are
 * working days (调休上班日). `knownYears` are the years whose State Council arrangement
 * has been loaded; dates in any other year are computed by the weekday rule and flagged.
 */
export interface CalendarData {
  knownYears: number[];
  holidays: string[];
  makeupWorkdays: string[];
  /** Optional date → Chinese holiday name (e.g. '春节'), used only for explanations. */
  dayNames?: Record<string, string>;
}

export interface AppliedExtension {
  from: string;
  to: string;
  reason: string;
  /** An ISO instant (or a plain date); shown to clerks as its Asia/Shanghai date. */
  approvedAt: string;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

export interface DueDateExplanation {
  rule: DurationRule;
  start: string;
  due: string;
  /** Due date from the rule alone, before extensions. */
  baseDue: string;
  /** Holidays that fell inside the counted span or caused a roll. */
  holidaysSkipped: string[];
  /** Make-up working days that were counted / landed on. */
  makeupDaysCounted: string[];
  weekendDaysSkipped: number;
  /** For calendar units: the raw date before rolling to a working day. */
  rolledFrom: string | null;
  extensions: AppliedExtension[];
  calendarConfirmed: boolean;
  unconfirmedYears: number[];
  /** Chinese explanation a clerk can read. */
  text: string;
}

/** What a walk over working days passed through; the basis of every explanation. */
export interface WorkingDaySpan {
  date: string;
  holidaysSkipped: string[];
  makeupDaysCounted: string[];
  weekendDaysSkipped: number;
}
