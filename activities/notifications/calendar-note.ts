import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { shanghaiDate } from '../../workflows/shared/dates.js';
import type { NotificationParams } from '../../workflows/shared/notifications.js';

/**
 * 日历未确认 in a mail that states a due date: the step's intent carries the instant only, so the
 * mail looks up, when it is queued, whether that year's holidays are loaded. A step that already
 * knows (the clock's reminders carry `calendarConfirmed`) is left as it is.
 */
export async function withCalendarFlag(db: Kysely<Database>, params: NotificationParams): Promise<NotificationParams> {
  const dueAt = params.dueAt;
  if (typeof dueAt !== 'string' || Number.isNaN(Date.parse(dueAt)) || params.calendarConfirmed !== undefined) return params;
  const year = Number(shanghaiDate(dueAt).slice(0, 4));
  const loaded = await db.selectFrom('calendar_years').select('year').where('year', '=', year).executeTakeFirst();
  return { ...params, calendarConfirmed: loaded ? '是' : '否' };
}
