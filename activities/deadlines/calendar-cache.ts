import type { Kysely } from 'kysely';
import { loadCalendar, type CalendarRows } from '../../db/repositories/reference.js';
import type { Database } from '../../db/schema.js';

/**
 * The calendar changes a few times a year but is read on every deadline: keep it in memory and
 * reload only when calendar_years says something changed (any edit touches updated_at; a
 * deleted year changes the count).
 */
export function cachedCalendarLoader(db: Kysely<Database>): () => Promise<CalendarRows> {
  let cached: { stamp: string; data: CalendarRows } | null = null;
  return async () => {
    const row = await db
      .selectFrom('calendar_years')
      .select((eb) => [eb.fn.max('updated_at').as('latest'), eb.fn.countAll<string>().as('years')])
      .executeTakeFirst();
    const stamp = `${row?.latest ? new Date(row.latest).toISOString() : ''}|${row?.years ?? 0}`;
    if (cached?.stamp === stamp) return cached.data;
    const data = await loadCalendar(db);
    cached = { stamp, data };
    return data;
  };
}
