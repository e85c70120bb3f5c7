import { describe, expect, it } from 'vitest';
import {
  builtinCalendar,
  ceilingCheck,
  computeDue,
  WorkCalendar,
  type AppliedExtension,
  type DurationRule,
  type DurationUnit,
} from '../../../../activities/deadlines/index.js';

// Every expected date below was counted by hand on the State Council notices on 2025 and
// 2026 部分节假日安排 (cross-read against the chinese-days 1.5.7 data), not by this code.
const calendar = new WorkCalendar(builtinCalendar());

function rule(amount: number, unit: DurationUnit, extra: Partial<DurationRule> = {}): DurationRule {
  return { key: `${unit}-${amount}`, label: `${amount} ${unit}`, amount, unit, ...extra };
}

function due(amount: number, unit: DurationUnit, start: string, extra: Partial<DurationRule> = {}) {
  return computeDue({ rule: rule(amount, unit, extra), start, calendar });
}

describe('working-day windows', () => {
  it('5-working-day adjustment window starting right before Spring Festival 2025', () => {
    const r = due(5, 'working_days', '2025-01-24');
    expect(r.due).toBe('2025-02-07');
    expect(r.baseDue).toBe('2025-02-07');
    expect(r.holidaysSkipped).toEqual(['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04']);
    expect(r.makeupDaysCounted).toEqual(['2025-01-26']);
    expect(r.weekendDaysSkipped).toBe(1);
    expect(r.rolledFrom).toBeNull();
    expect(r.calendarConfirmed).toBe(true);
    expect(r.unconfirmedYears).toEqual([]);
    expect(r.text).toBe('自2025年1月24日起算5个工作日（跳过春节假期1月28日至2月4日，计入调休上班日1月26日），截止2025年2月7日。');
  });

  it('counts the make-up Sunday 2025-01-26 as a working day', () => {
    const r = due(5, 'working_days', '2025-01-20');
    expect(r.due).toBe('2025-01-26');
    expect(r.makeupDaysCounted).toEqual(['2025-01-26']);
    expect(r.holidaysSkipped).toEqual([]);
  });

  it('counts the make-up Saturday 2025-02-08 after the break', () => {
    const r = due(5, 'working_days', '2025-01-27');
    expect(r.due).toBe('2025-02-10');
    expect(r.makeupDaysCounted).toEqual(['2025-02-08']);
    expect(r.weekendDaysSkipped).toBe(1);
  });

  it('15-working-day feedback window across National Day 2025', () => {
    const r = due(15, 'working_days', '2025-09-26');
    expect(r.due).toBe('2025-10-23');
    expect(r.holidaysSkipped).toHaveLength(8);
    expect(r.makeupDaysCounted).toEqual(['2025-09-28', '2025-10-11']);
    expect(r.weekendDaysSkipped).toBe(4);
    expect(r.text).toBe('自2025年9月26日起算15个工作日（跳过国庆节、中秋节假期10月1日至10月8日，计入调休上班日9月28日、10月11日），截止2025年10月23日。');
  });

  it('15-working-day feedback window across Mid-Autumn and National Day 2026', () => {
    const r = due(15, 'working_days', '2026-09-18');
    expect(r.due).toBe('2026-10-15');
    expect(r.holidaysSkipped).toEqual([
      '2026-09-25',
      '2026-09-26',
      '2026-09-27',
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ]);
    expect(r.makeupDaysCounted).toEqual(['2026-09-20', '2026-10-10']);
    expect(r.weekendDaysSkipped).toBe(2);
    expect(r.text).toContain('跳过中秋节假期9月25日至9月27日、国庆节假期10月1日至10月7日');
  });

  it('20-working-day publication window across Spring Festival 2026', () => {
    const r = due(20, 'working_days', '2026-02-10');
    expect(r.due).toBe('2026-03-16');
    expect(r.holidaysSkipped).toHaveLength(9);
    expect(r.makeupDaysCounted).toEqual(['2026-02-14', '2026-02-28']);
    expect(r.weekendDaysSkipped).toBe(5);
  });

  it('writes every year out when the span crosses New Year', () => {
    const r = due(5, 'working_days', '2025-12-30');
    // 12/31 W, [1/1–1/3 元旦], 1/4 Sun make-up, 1/5 M, 1/6 Tu, 1/7 W
    expect(r.due).toBe('2026-01-07');
    expect(r.text).toBe('自2025年12月30日起算5个工作日（跳过元旦假期2026年1月1日至2026年1月3日，计入调休上班日2026年1月4日），截止2026年1月7日。');
  });

  it('0 working days is the start date itself', () => {
    expect(due(0, 'working_days', '2025-02-01').due).toBe('2025-02-01');
  });
});

describe('calendar-unit deadlines', () => {
  it('3-month reply deadline landing in Spring Festival 2025 rolls to 2025-02-05', () => {
    const r = due(3, 'calendar_months', '2024-10-30');
    expect(r.rolledFrom).toBe('2025-01-30');
    expect(r.due).toBe('2025-02-05');
    expect(r.holidaysSkipped).toEqual(['2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04']);
    expect(r.weekendDaysSkipped).toBe(0);
    expect(r.text).toBe('自2024年10月30日起算3个月为2025年1月30日，适逢春节假期，顺延至下一工作日（跳过春节假期2025年1月30日至2025年2月4日），截止2025年2月5日。');
  });

  it('3-month deadline landing in National Day 2025 rolls to 2025-10-09', () => {
    const r = due(3, 'calendar_months', '2025-07-03');
    expect(r.rolledFrom).toBe('2025-10-03');
    expect(r.due).toBe('2025-10-09');
  });

  it('3-month deadline landing in Spring Festival 2026 rolls to 2026-02-24', () => {
    const r = due(3, 'calendar_months', '2025-11-17');
    expect(r.rolledFrom).toBe('2026-02-17');
    expect(r.due).toBe('2026-02-24');
  });

  it('rolls a weekend to Monday and says so', () => {
    const r = due(3, 'calendar_months', '2025-01-20'); // 2025-04-20 is a Sunday
    expect(r.rolledFrom).toBe('2025-04-20');
    expect(r.due).toBe('2025-04-21');
    expect(r.weekendDaysSkipped).toBe(1);
    expect(r.text).toBe('自2025年1月20日起算3个月为2025年4月20日，适逢周末，顺延至下一工作日，截止2025年4月21日。');
  });

  it('does not roll when the rule says so', () => {
    const r = due(3, 'calendar_months', '2024-10-30', { rollToWorkingDay: false });
    expect(r.due).toBe('2025-01-30');
    expect(r.rolledFrom).toBeNull();
    expect(r.text).toBe('自2024年10月30日起算3个月，截止2025年1月30日（该日为非工作日，按规定不顺延）。');
  });

  it('calendar days roll the same way', () => {
    const r = due(30, 'calendar_days', '2025-01-01'); // 2025-01-31 is in the Spring Festival break
    expect(r.rolledFrom).toBe('2025-01-31');
    expect(r.due).toBe('2025-02-05');
  });

  it('month ends: Jan 31 + 1 month, Nov 30 + 3 months, Aug 31 + 6 months', () => {
    expect(due(1, 'calendar_months', '2025-01-31').due).toBe('2025-02-28');
    expect(due(3, 'calendar_months', '2024-11-30').due).toBe('2025-02-28');
    expect(due(6, 'calendar_months', '2024-08-31').due).toBe('2025-02-28');
    // 2026-02-28 is a Saturday, but the make-up working day after Spring Festival: no roll.
    const r = due(3, 'calendar_months', '2025-11-30');
    expect(r.due).toBe('2026-02-28');
    expect(r.rolledFrom).toBeNull();
    expect(r.makeupDaysCounted).toEqual(['2026-02-28']);
    expect(r.text).toBe('自2025年11月30日起算3个月，截止2026年2月28日（该日为调休上班日）。');
    expect(due(6, 'calendar_months', '2025-08-31').due).toBe('2026-02-28');
  });

  it('leap years: 2024-02-29 and the unconfirmed 2028-02-29', () => {
    expect(due(1, 'calendar_months', '2024-01-31').due).toBe('2024-02-29');
    expect(due(6, 'calendar_months', '2023-08-31').due).toBe('2024-02-29');
    expect(due(12, 'calendar_months', '2024-02-29').due).toBe('2025-02-28');
    const r = due(48, 'calendar_months', '2024-02-29');
    expect(r.due).toBe('2028-02-29');
    expect(r.calendarConfirmed).toBe(false);
    expect(r.unconfirmedYears).toEqual([2027, 2028]);
    expect(r.text).toContain('（日历未确认：2027年、2028年节假日安排尚未载入，按周末规则估算）');
  });
});

describe('dates past the known calendar', () => {
  it('flags a 2027 due date and estimates it by weekday', () => {
    const r = due(10, 'working_days', '2026-12-25');
    // 2027-01-01 (Fri) is counted as a working day: no 2027 arrangement is loaded yet.
    expect(r.due).toBe('2027-01-08');
    expect(r.calendarConfirmed).toBe(false);
    expect(r.unconfirmedYears).toEqual([2027]);
    expect(r.text).toBe('自2026年12月25日起算10个工作日，截止2027年1月8日（日历未确认：2027年节假日安排尚未载入，按周末规则估算）。');
  });

  it('loading the year confirms it', () => {
    const data = builtinCalendar();
    const with2027 = {
      ...data,
      knownYears: [...data.knownYears, 2027],
      holidays: [...data.holidays, '2027-01-01'],
    };
    const r = computeDue({ rule: rule(10, 'working_days'), start: '2026-12-25', calendar: with2027 });
    expect(r.due).toBe('2027-01-11');
    expect(r.calendarConfirmed).toBe(true);
    expect(r.holidaysSkipped).toEqual(['2027-01-01']);
    expect(r.text).toContain('法定节假日2027年1月1日');
  });
});

describe('extensions', () => {
  const first: AppliedExtension = { from: '2025-05-20', to: '2025-06-20', reason: '需与多个部门会商', approvedAt: '2025-05-10T02:00:00Z' };
  const second: AppliedExtension = { from: '2025-06-20', to: '2025-07-21', reason: '需补充调研', approvedAt: '2025-06-15' };

  it('the last approved extension sets the due date; baseDue keeps the rule date', () => {
    const r = computeDue({ rule: rule(3, 'calendar_months'), start: '2025-02-20', calendar, extensions: [first, second] });
    expect(r.baseDue).toBe('2025-05-20');
    expect(r.due).toBe('2025-07-21');
    expect(r.extensions).toEqual([first, second]);
    expect(r.text.split('\n')).toEqual([
      '自2025年2月20日起算3个月，截止2025年5月20日。',
      '2025年5月10日批准延期至2025年6月20日（原截止2025年5月20日），理由：需与多个部门会商。',
      '2025年6月15日批准延期至2025年7月21日（原截止2025年6月20日），理由：需补充调研。',
      '现截止日期为2025年7月21日。',
    ]);
  });

  it('shows the approval date in Shanghai time', () => {
    const late: AppliedExtension = { ...first, approvedAt: '2025-05-10T17:00:00Z' };
    const r = computeDue({ rule: rule(3, 'calendar_months'), start: '2025-02-20', calendar, extensions: [late] });
    expect(r.text).toContain('2025年5月11日批准延期');
  });

  it('refuses an extension that does not move the date later', () => {
    const input = { rule: rule(3, 'calendar_months'), start: '2025-02-20', calendar };
    expect(() => computeDue({ ...input, extensions: [{ ...first, to: '2025-05-20' }] })).toThrow(RangeError);
    expect(() => computeDue({ ...input, extensions: [second, first] })).toThrow(/not after/);
    expect(() => computeDue({ ...input, extensions: [{ ...first, to: '2025-06-31' }] })).toThrow(RangeError);
    expect(() => computeDue({ ...input, extensions: [{ ...first, approvedAt: 'yesterday' }] })).toThrow(RangeError);
  });

  it('flags an extension reaching into an unknown year', () => {
    const ext: AppliedExtension = { from: '2026-11-02', to: '2027-01-05', reason: '需要会商', approvedAt: '2026-10-20T03:00:00Z' };
    const r = computeDue({ rule: rule(1, 'calendar_months'), start: '2026-10-01', calendar, extensions: [ext] });
    expect(r.baseDue).toBe('2026-11-02');
    expect(r.due).toBe('2027-01-05');
    expect(r.unconfirmedYears).toEqual([2027]);
  });
});

describe('ceilingCheck', () => {
  const sixMonths = rule(6, 'calendar_months');

  it('refuses an extension beyond 6 months from assignment', () => {
    expect(ceilingCheck({ start: '2025-02-20', requestedDue: '2025-09-01', ceiling: sixMonths, calendar })).toEqual({
      ok: false,
      ceilingDue: '2025-08-20',
      message: '延期后的截止日期2025年9月1日超过自交办起6个月的上限（2025年8月20日）',
      calendarConfirmed: true,
      unconfirmedYears: [],
    });
  });

  it('accepts the ceiling date itself', () => {
    const r = ceilingCheck({ start: '2025-02-20', requestedDue: '2025-08-20', ceiling: sixMonths, calendar });
    expect(r.ok).toBe(true);
    expect(r.message).toBe('延期后的截止日期2025年8月20日未超过自交办起6个月的上限（2025年8月20日）');
  });

  it('uses the rolled ceiling when 6 months lands on a holiday', () => {
    // 2025-04-01 + 6 months = 2025-10-01 (National Day) → 2025-10-09
    const r = ceilingCheck({ start: '2025-04-01', requestedDue: '2025-10-09', ceiling: sixMonths, calendar });
    expect(r.ceilingDue).toBe('2025-10-09');
    expect(r.ok).toBe(true);
  });
});

describe('invalid input', () => {
  it('throws RangeError with a clear message', () => {
    expect(() => due(5, 'working_days', '2025-02-30')).toThrow(/2025-02-30/);
    expect(() => due(5, 'working_days', '2025/01/24')).toThrow(RangeError);
    expect(() => due(-1, 'working_days', '2025-01-24')).toThrow(/negative/);
    expect(() => due(1.5, 'calendar_months', '2025-01-24')).toThrow(/integer/);
    expect(() => due(Number.NaN, 'calendar_days', '2025-01-24')).toThrow(RangeError);
    expect(() => due(5, 'fortnights' as DurationUnit, '2025-01-24')).toThrow(/unknown unit/);
    expect(() => due(100_000, 'calendar_months', '2025-01-24')).toThrow(/limit/);
    expect(() => ceilingCheck({ start: '2025-02-20', requestedDue: '2025-9-1', ceiling: rule(6, 'calendar_months'), calendar })).toThrow(RangeError);
  });
});
