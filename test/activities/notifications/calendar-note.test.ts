import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCalendarFlag } from '../../../activities/notifications/calendar-note.js';
import { renderMail } from '../../../activities/notifications/templates.js';
import type { Db } from '../../../db/connection.js';
import { testDb } from '../../support/context.js';

// 日历未确认 in every mail that states a due date: an assignment's mail carries only the instant,
// so the flag is looked up in the loaded calendar years when the mail is queued.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.destroy();
});

describe('the unconfirmed-calendar flag in mail', () => {
  it('marks a due date in a year whose holidays are not loaded, and only that', async () => {
    const loaded = await db.selectFrom('calendar_years').select('year').orderBy('year', 'desc').executeTakeFirstOrThrow();
    const inLoaded = `${loaded.year}-06-30T15:59:59.999Z`;
    const beyond = `${loaded.year + 3}-06-30T15:59:59.999Z`;
    expect(await withCalendarFlag(db, { title: '关于X的建议', dueAt: inLoaded })).toMatchObject({ calendarConfirmed: '是' });
    expect(await withCalendarFlag(db, { title: '关于X的建议', dueAt: beyond })).toMatchObject({ calendarConfirmed: '否' });
    // A step that knows already, or a mail with no due date, is left alone.
    expect(await withCalendarFlag(db, { dueAt: beyond, calendarConfirmed: '是' })).toEqual({ dueAt: beyond, calendarConfirmed: '是' });
    expect(await withCalendarFlag(db, { title: '关于X的建议' })).toEqual({ title: '关于X的建议' });

    for (const kind of ['assigned', 'assigned_co'] as const) {
      const flagged = renderMail(kind, await withCalendarFlag(db, { title: '关于X的建议', proposalNo: '第1号', role: 'lead', dueAt: beyond }));
      expect(flagged.text).toContain('日历未确认');
      expect(flagged.html).toContain('日历未确认');
      const plain = renderMail(kind, await withCalendarFlag(db, { title: '关于X的建议', proposalNo: '第1号', role: 'lead', dueAt: inLoaded }));
      expect(plain.text).not.toContain('日历未确认');
    }
  });
});
