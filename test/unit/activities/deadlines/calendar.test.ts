import { describe, expect, it } from 'vitest';
import { builtinCalendar, WorkCalendar, type CalendarData } from '../../../../activities/deadlines/index.js';

const cal = new WorkCalendar(builtinCalendar());

describe('WorkCalendar day kinds (hand-checked against the State Council notices)', () => {
  it('2025 Spring Festival: 1/28–2/4 off, Sun 1/26 and Sat 2/8 on', () => {
    expect(cal.dayKind('2025-01-25')).toBe('weekend');
    expect(cal.dayKind('2025-01-26')).toBe('makeup_workday');
    expect(cal.dayKind('2025-01-27')).toBe('workday');
    for (const d of ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04']) {
      expect(cal.dayKind(d), d).toBe('holiday');
      expect(cal.isWorkingDay(d), d).toBe(false);
    }
    expect(cal.dayKind('2025-02-05')).toBe('workday');
    expect(cal.dayKind('2025-02-08')).toBe('makeup_workday');
    expect(cal.isWorkingDay('2025-01-26')).toBe(true);
    expect(cal.isWorkingDay('2025-02-08')).toBe(true);
    expect(cal.dayKind('2025-02-09')).toBe('weekend');
  });

  it('2025 National Day and Mid-Autumn: 10/1–10/8 off, Sun 9/28 and Sat 10/11 on', () => {
    expect(cal.dayKind('2025-09-28')).toBe('makeup_workday');
    for (let day = 1; day <= 8; day++) expect(cal.dayKind(`2025-10-0${day}`)).toBe('holiday');
    expect(cal.dayKind('2025-10-09')).toBe('workday');
    expect(cal.dayKind('2025-10-11')).toBe('makeup_workday');
    expect(cal.dayName('2025-10-06')).toBe('中秋节');
    expect(cal.dayName('2025-10-01')).toBe('国庆节');
  });

  it('2026 Spring Festival: 2/15 (Sun)–2/23 (Mon) off, Sat 2/14 and Sat 2/28 on', () => {
    expect(cal.dayKind('2026-02-13')).toBe('workday');
    expect(cal.dayKind('2026-02-14')).toBe('makeup_workday');
    for (let day = 15; day <= 23; day++) expect(cal.dayKind(`2026-02-${day}`)).toBe('holiday');
    expect(cal.dayKind('2026-02-24')).toBe('workday');
    expect(cal.dayKind('2026-02-28')).toBe('makeup_workday');
    expect(cal.dayKind('2026-03-01')).toBe('weekend');
  });

  it('2026 Mid-Autumn 9/25–9/27 and National Day 10/1–10/7 off, Sun 9/20 and Sat 10/10 on', () => {
    expect(cal.dayKind('2026-09-20')).toBe('makeup_workday');
    for (const d of ['2026-09-25', '2026-09-26', '2026-09-27']) expect(cal.dayKind(d)).toBe('holiday');
    expect(cal.dayKind('2026-09-28')).toBe('workday');
    for (let day = 1; day <= 7; day++) expect(cal.dayKind(`2026-10-0${day}`)).toBe('holiday');
    expect(cal.dayKind('2026-10-08')).toBe('workday');
    expect(cal.dayKind('2026-10-10')).toBe('makeup_workday');
    expect(cal.dayKind('2026-10-11')).toBe('weekend');
  });

  it('uses the plain weekday rule in a year it does not know', () => {
    expect(cal.isKnownYear(2026)).toBe(true);
    expect(cal.isKnownYear(2027)).toBe(false);
    expect(cal.dayKind('2027-01-01')).toBe('workday');
    expect(cal.dayKind('2027-01-02')).toBe('weekend');
    expect(cal.unknownYearsBetween(2025, 2028)).toEqual([2027, 2028]);
  });
});

describe('WorkCalendar arithmetic', () => {
  it('nextWorkingDay is strictly after and skips holidays and weekends', () => {
    expect(cal.nextWorkingDay('2025-01-24')).toBe('2025-01-26');
    expect(cal.nextWorkingDay('2025-01-27')).toBe('2025-02-05');
    expect(cal.nextWorkingDay('2025-02-05')).toBe('2025-02-06');
    expect(cal.nextWorkingDay('2026-02-13')).toBe('2026-02-14');
  });

  it('addWorkingDays never counts the start day and reports what it skipped', () => {
    expect(cal.addWorkingDays('2025-01-24', 5)).toEqual({
      date: '2025-02-07',
      holidaysSkipped: ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04'],
      makeupDaysCounted: ['2025-01-26'],
      weekendDaysSkipped: 1,
    });
    expect(cal.addWorkingDays('2025-01-26', 0).date).toBe('2025-01-26');
    expect(cal.addWorkingDays('2025-01-25', 1).date).toBe('2025-01-26');
    expect(() => cal.addWorkingDays('2025-01-25', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2025-01-25', 1.5)).toThrow(RangeError);
  });

  it('workingDaysBetween counts (a, b] and is signed', () => {
    expect(cal.workingDaysBetween('2025-01-24', '2025-02-07')).toBe(5);
    expect(cal.workingDaysBetween('2025-02-07', '2025-01-24')).toBe(-5);
    expect(cal.workingDaysBetween('2025-02-07', '2025-02-07')).toBe(0);
    // Late by the whole Spring Festival break is still only one working day late.
    expect(cal.workingDaysBetween('2025-01-27', '2025-02-05')).toBe(1);
    expect(cal.workingDaysBetween('2025-01-25', '2025-01-26')).toBe(1);
  });
});

describe('WorkCalendar input validation', () => {
  const base: CalendarData = { knownYears: [2025], holidays: ['2025-01-01'], makeupWorkdays: ['2025-01-26'] };

  it('rejects malformed dates, fractional years and contradictory days', () => {
    expect(() => new WorkCalendar({ ...base, holidays: ['2025-02-30'] })).toThrow(RangeError);
    expect(() => new WorkCalendar({ ...base, makeupWorkdays: ['20250126'] })).toThrow(RangeError);
    expect(() => new WorkCalendar({ ...base, knownYears: [2025.5] })).toThrow(RangeError);
    expect(() => new WorkCalendar({ ...base, holidays: ['2025-01-26'] })).toThrow(/both/);
  });

  it('honours a small custom calendar regardless of weekday', () => {
    const custom = new WorkCalendar({ knownYears: [2030], holidays: ['2030-01-02'], makeupWorkdays: ['2030-01-05'] });
    expect(custom.isWorkingDay('2030-01-02')).toBe(false); // a Wednesday made a holiday
    expect(custom.isWorkingDay('2030-01-05')).toBe(true); // a Saturday made a working day
    expect(() => custom.dayKind('2030-1-5')).toThrow(RangeError);
  });
});
