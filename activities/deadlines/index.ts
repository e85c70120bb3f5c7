// Public API of the deadline module. Workflow code should import from './compute-due.js',
// './calendar.js' and './dates.js' directly: builtin-calendar pulls in the chinese-days JSON,
// which belongs in activities (they hand the calendar to workflows as data).

export type { AppliedExtension, CalendarData, DayKind, DueDateExplanation, DurationRule, DurationUnit, WorkingDaySpan } from './types.js';
export { WorkCalendar } from './calendar.js';
export {
  addCalendarDays,
  addCalendarMonths,
  calendarDaysBetween,
  chineseDate,
  chineseMonthDay,
  daysInMonth,
  endOfShanghaiDayInstant,
  isLeapYear,
  isValidIsoDate,
  isWeekend,
  shanghaiDate,
  startOfShanghaiDayInstant,
  weekdayOf,
} from '../../workflows/shared/dates.js';
export { ceilingCheck, computeDue, validateRule } from './compute-due.js';
export type { CeilingCheckInput, CeilingCheckResult, ComputeDueInput } from './compute-due.js';
export { durationPhrase } from './explain-text.js';
export { builtinCalendar, calendarFromRows, calendarYearRows } from './builtin-calendar.js';
export type { CalendarRowKind, CalendarYearRow } from './builtin-calendar.js';
