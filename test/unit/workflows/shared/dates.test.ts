import { afterEach, describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addCalendarMonths,
  chineseDate,
  endOfShanghaiDayInstant,
  isValidIsoDate,
  shanghaiDate,
  startOfShanghaiDayInstant,
  weekdayOf,
} from '../../../../activities/deadlines/index.js';

describe('isValidIsoDate', () => {
  it('accepts real calendar dates only', () => {
    expect(isValidIsoDate('2025-02-07')).toBe(true);
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('2025-02-29')).toBe(false);
    expect(isValidIsoDate('1900-02-29')).toBe(false);
    expect(isValidIsoDate('2000-02-29')).toBe(true);
    expect(isValidIsoDate('2025-2-7')).toBe(false);
    expect(isValidIsoDate('2025-13-01')).toBe(false);
    expect(isValidIsoDate('2025-02-07T00:00:00Z')).toBe(false);
    expect(isValidIsoDate('')).toBe(false);
    expect(isValidIsoDate(20250207)).toBe(false);
  });
});

describe('addCalendarMonths', () => {
  it('clamps to the end of shorter months', () => {
    expect(addCalendarMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addCalendarMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addCalendarMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addCalendarMonths('2024-02-29', 48)).toBe('2028-02-29');
    expect(addCalendarMonths('2024-11-30', 3)).toBe('2025-02-28');
    expect(addCalendarMonths('2025-08-31', 6)).toBe('2026-02-28');
    expect(addCalendarMonths('2023-08-31', 6)).toBe('2024-02-29');
    expect(addCalendarMonths('2025-03-31', 1)).toBe('2025-04-30');
  });

  it('crosses year ends both ways', () => {
    expect(addCalendarMonths('2025-11-15', 3)).toBe('2026-02-15');
    expect(addCalendarMonths('2025-01-15', -1)).toBe('2024-12-15');
    expect(addCalendarMonths('2025-05-20', 0)).toBe('2025-05-20');
  });

  it('rejects non-integers and bad dates', () => {
    expect(() => addCalendarMonths('2025-01-31', 1.5)).toThrow(RangeError);
    expect(() => addCalendarMonths('2025-02-30', 1)).toThrow(RangeError);
  });
});

describe('addCalendarDays and weekdayOf', () => {
  it('does day arithmetic across month, year and leap day', () => {
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addCalendarDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addCalendarDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addCalendarDays('2025-01-20', 30)).toBe('2025-02-19');
  });

  it('knows the weekday (0 = Sunday)', () => {
    expect(weekdayOf('2025-01-26')).toBe(0);
    expect(weekdayOf('2025-02-08')).toBe(6);
    expect(weekdayOf('2025-02-07')).toBe(5);
    expect(weekdayOf('2026-02-15')).toBe(0);
    expect(weekdayOf('1970-01-01')).toBe(4);
  });
});

describe('Asia/Shanghai dates of instants', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('maps an instant to its Shanghai calendar date', () => {
    expect(shanghaiDate('2025-01-27T16:30:00Z')).toBe('2025-01-28');
    expect(shanghaiDate('2025-01-27T15:59:59.999Z')).toBe('2025-01-27');
    expect(shanghaiDate('2025-01-27T16:00:00.000Z')).toBe('2025-01-28');
    expect(shanghaiDate('2025-01-28T00:30:00+08:00')).toBe('2025-01-28');
    expect(shanghaiDate('2025-01-27T10:00:00-07:00')).toBe('2025-01-28');
    expect(shanghaiDate(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
  });

  it('gives the same answer whatever the process time zone', () => {
    process.env.TZ = 'America/Los_Angeles';
    // Guard that the switch took effect (PST is UTC-8), or this test would prove nothing.
    expect(new Date('2025-01-27T16:30:00Z').getTimezoneOffset()).toBe(480);
    expect(shanghaiDate('2025-01-27T16:30:00Z')).toBe('2025-01-28');
    expect(endOfShanghaiDayInstant('2025-02-07')).toBe('2025-02-07T15:59:59.999Z');
    process.env.TZ = 'Pacific/Kiritimati';
    expect(shanghaiDate('2025-01-27T15:59:59Z')).toBe('2025-01-27');
    expect(startOfShanghaiDayInstant('2025-02-07')).toBe('2025-02-06T16:00:00.000Z');
  });

  it('refuses instants without a zone, which the server would read in local time', () => {
    expect(() => shanghaiDate('2025-01-27T16:30:00')).toThrow(RangeError);
    expect(() => shanghaiDate('2025-01-27')).toThrow(RangeError);
    expect(() => shanghaiDate('not a date')).toThrow(RangeError);
  });

  it('gives the day boundaries as UTC instants', () => {
    expect(endOfShanghaiDayInstant('2025-02-07')).toBe('2025-02-07T15:59:59.999Z');
    expect(startOfShanghaiDayInstant('2025-02-07')).toBe('2025-02-06T16:00:00.000Z');
    expect(startOfShanghaiDayInstant('2026-01-01')).toBe('2025-12-31T16:00:00.000Z');
    expect(() => endOfShanghaiDayInstant('2025-02-30')).toThrow(RangeError);
  });
});

describe('chineseDate', () => {
  it('writes dates the way a clerk does', () => {
    expect(chineseDate('2025-02-07')).toBe('2025年2月7日');
    expect(chineseDate('2026-10-15')).toBe('2026年10月15日');
  });
});
