import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCalendarMonths,
  builtinCalendar,
  computeDue,
  endOfShanghaiDayInstant,
  shanghaiDate,
  startOfShanghaiDayInstant,
  WorkCalendar,
  type DurationUnit,
} from '../../../../activities/deadlines/index.js';

const calendar = new WorkCalendar(builtinCalendar());
const DAY_MS = 86_400_000;

// Dates are generated from UTC midnights, independently of the module's own day arithmetic.
function dateBetween(from: string, to: string): fc.Arbitrary<string> {
  return fc
    .integer({ min: Date.parse(`${from}T00:00:00Z`) / DAY_MS, max: Date.parse(`${to}T00:00:00Z`) / DAY_MS })
    .map((day) => new Date(day * DAY_MS).toISOString().slice(0, 10));
}

const knownStart = dateBetween('2004-01-01', '2026-12-31');
const unit = fc.constantFrom<DurationUnit>('working_days', 'calendar_days', 'calendar_months');
const maxAmount: Record<DurationUnit, number> = { working_days: 60, calendar_days: 400, calendar_months: 24 };
const unitAndAmount = unit.chain((u) => fc.tuple(fc.constant(u), fc.integer({ min: 0, max: maxAmount[u] })));

function dueOf(u: DurationUnit, amount: number, start: string): string {
  return computeDue({ rule: { key: 'p', label: 'p', amount, unit: u }, start, calendar }).due;
}

describe('deadline properties over 2004–2026', () => {
  it('the due date is never before the start, and strictly after it for a positive amount', () => {
    fc.assert(
      fc.property(knownStart, unitAndAmount, (start, [u, amount]) => {
        const due = dueOf(u, amount, start);
        return amount > 0 ? due > start : due >= start;
      }),
    );
  });

  it('more units never give an earlier date', () => {
    fc.assert(
      fc.property(knownStart, unitAndAmount, fc.integer({ min: 0, max: 20 }), (start, [u, amount], more) => {
        return dueOf(u, amount, start) <= dueOf(u, amount + more, start);
      }),
    );
  });

  it('working-day and rolled calendar-unit deadlines always fall on a working day', () => {
    fc.assert(
      fc.property(knownStart, unitAndAmount, (start, [u, amount]) => {
        fc.pre(amount > 0);
        return calendar.isWorkingDay(dueOf(u, amount, start));
      }),
    );
  });

  it('a rolled date is the first working day after the raw date', () => {
    fc.assert(
      fc.property(knownStart, fc.integer({ min: 1, max: 24 }), (start, months) => {
        const r = computeDue({ rule: { key: 'p', label: 'p', amount: months, unit: 'calendar_months' }, start, calendar });
        const raw = addCalendarMonths(start, months);
        if (calendar.isWorkingDay(raw)) return r.rolledFrom === null && r.due === raw;
        return r.rolledFrom === raw && r.due === calendar.nextWorkingDay(raw) && calendar.workingDaysBetween(raw, r.due) === 1;
      }),
    );
  });

  it('addCalendarMonths keeps the day, clamped to the length of the target month', () => {
    fc.assert(
      fc.property(dateBetween('1900-01-01', '2100-12-31'), fc.integer({ min: -240, max: 240 }), (start, n) => {
        const [y, m, d] = start.split('-').map(Number) as [number, number, number];
        const index = y * 12 + (m - 1) + n;
        const ty = Math.floor(index / 12);
        const tm = index - ty * 12 + 1;
        // Day 0 of the next month is the last day of this one (an oracle independent of the module).
        const lastDay = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
        const expected = `${ty}-${String(tm).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
        expect(addCalendarMonths(start, n)).toBe(expected);
      }),
    );
  });

  it('workingDaysBetween undoes addWorkingDays', () => {
    fc.assert(
      fc.property(knownStart, fc.integer({ min: 0, max: 250 }), (start, n) => {
        const { date } = calendar.addWorkingDays(start, n);
        return calendar.workingDaysBetween(start, date) === n;
      }),
    );
  });

  it('workingDaysBetween, counted, equals walking the days one by one (any order, across 1970 and unknown years)', () => {
    const walked = (a: string, b: string): number => {
      if (b < a) return -walked(b, a);
      let n = 0;
      for (let d = a; d < b;) {
        d = new Date(Date.parse(`${d}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
        if (calendar.isWorkingDay(d)) n += 1;
      }
      return n;
    };
    const anyDate = dateBetween('1965-01-01', '2028-12-31');
    const shift = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -800, max: 800 }), (a, days) => calendar.workingDaysBetween(a, shift(a, days)) === walked(a, shift(a, days))),
      { numRuns: 300 },
    );
  });

  it('the explanation accounts for every calendar day walked', () => {
    fc.assert(
      fc.property(knownStart, fc.integer({ min: 1, max: 60 }), (start, n) => {
        const r = computeDue({ rule: { key: 'p', label: 'p', amount: n, unit: 'working_days' }, start, calendar });
        const span = (Date.parse(`${r.due}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY_MS;
        return span === n + r.holidaysSkipped.length + r.weekendDaysSkipped;
      }),
    );
  });

  it('flags exactly the touched years the calendar does not know', () => {
    fc.assert(
      fc.property(dateBetween('2024-01-01', '2029-12-31'), unitAndAmount, (start, [u, amount]) => {
        const r = computeDue({ rule: { key: 'p', label: 'p', amount, unit: u }, start, calendar });
        const touched: number[] = [];
        for (let y = Number(start.slice(0, 4)); y <= Number(r.due.slice(0, 4)); y++) if (y > 2026) touched.push(y);
        expect(r.unconfirmedYears).toEqual(touched);
        expect(r.calendarConfirmed).toBe(touched.length === 0);
        expect(r.text.includes('日历未确认')).toBe(touched.length > 0);
      }),
    );
  });
});

describe('Shanghai day boundaries', () => {
  it('the end-of-day instant is the last millisecond of that Shanghai date', () => {
    fc.assert(
      fc.property(dateBetween('1992-01-01', '2100-12-31'), (date) => {
        const end = endOfShanghaiDayInstant(date);
        const next = new Date(Date.parse(end) + 1).toISOString();
        expect(shanghaiDate(end)).toBe(date);
        expect(shanghaiDate(next)).not.toBe(date);
        expect(startOfShanghaiDayInstant(shanghaiDate(next))).toBe(next);
        expect(shanghaiDate(startOfShanghaiDayInstant(date))).toBe(date);
      }),
    );
  });
});
