import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, builtinCalendar, calendarFromRows, calendarYearRows, WorkCalendar } from '../../../../activities/deadlines/index.js';

describe('builtinCalendar', () => {
  it('knows every year 2004–2026 and nothing later', () => {
    const data = builtinCalendar();
    expect(data.knownYears).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(data.holidays).toContain('2025-01-28');
    expect(data.holidays).toContain('2025-02-01'); // a Saturday inside the Spring Festival break
    expect(data.makeupWorkdays).toContain('2025-01-26');
  });

  it('returns an independent copy each time', () => {
    const a = builtinCalendar();
    a.holidays.push('2025-03-03');
    expect(builtinCalendar().holidays).not.toContain('2025-03-03');
  });

  // chinese-days' own functions read dates in the process time zone and go wrong west of
  // UTC (checked: in America/Los_Angeles they disagree on 2116 days), so this
  // cross-check only runs where they are reliable.
  it.runIf(new Date(2025, 0, 1).getTimezoneOffset() <= 0)('agrees with chinese-days isWorkday on every date 2004–2026', () => {
    const cal = new WorkCalendar(builtinCalendar());
    const mismatches: string[] = [];
    for (let d = '2004-01-01'; d <= '2026-12-31'; d = addCalendarDays(d, 1)) {
      if (chineseDays.isWorkday(d) !== cal.isWorkingDay(d)) mismatches.push(d);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('calendarYearRows', () => {
  it('lists 2025 as rows with Chinese names, sorted by date', () => {
    const rows = calendarYearRows(builtinCalendar(), 2025);
    expect(rows.filter((r) => r.kind === 'holiday')).toHaveLength(28);
    expect(rows.filter((r) => r.kind === 'makeup_workday').map((r) => r.date)).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    expect(rows[0]).toEqual({ date: '2025-01-01', kind: 'holiday', name: '元旦' });
    expect(rows).toContainEqual({ date: '2025-01-26', kind: 'makeup_workday', name: '春节' });
    expect(rows).toContainEqual({ date: '2025-01-28', kind: 'holiday', name: '春节' });
    expect(rows).toContainEqual({ date: '2025-04-04', kind: 'holiday', name: '清明节' });
    expect(rows).toContainEqual({ date: '2025-05-31', kind: 'holiday', name: '端午节' });
    expect(rows).toContainEqual({ date: '2025-10-06', kind: 'holiday', name: '中秋节' });
    const dates = rows.map((r) => r.date);
    expect(dates).toEqual([...dates].sort());
  });

  it('lists 2026 Spring Festival and National Day as announced', () => {
    const rows = calendarYearRows(builtinCalendar(), 2026);
    const spring = rows.filter((r) => r.name === '春节');
    expect(spring.filter((r) => r.kind === 'holiday').map((r) => r.date)).toEqual([
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
    ]);
    expect(spring.filter((r) => r.kind === 'makeup_workday').map((r) => r.date)).toEqual(['2026-02-14', '2026-02-28']);
    const national = rows.filter((r) => r.name === '国庆节');
    expect(national.filter((r) => r.kind === 'holiday').map((r) => r.date)).toEqual([
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ]);
    expect(national.filter((r) => r.kind === 'makeup_workday').map((r) => r.date)).toEqual(['2026-09-20', '2026-10-10']);
  });

  it('is empty for a year without data, and falls back to generic names without dayNames', () => {
    expect(calendarYearRows(builtinCalendar(), 2027)).toEqual([]);
    expect(calendarYearRows({ knownYears: [2030], holidays: ['2030-01-01'], makeupWorkdays: ['2030-01-05'] }, 2030)).toEqual([
      { date: '2030-01-01', kind: 'holiday', name: '法定节假日' },
      { date: '2030-01-05', kind: 'makeup_workday', name: '调休上班日' },
    ]);
  });

  it('round-trips through calendarFromRows', () => {
    const data = builtinCalendar();
    const rows = data.knownYears.flatMap((y) => calendarYearRows(data, y));
    expect(calendarFromRows(rows, data.knownYears)).toEqual(data);
  });
});
