import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { PolicyBody } from '../../workflows/shared/types.js';

export interface CalendarRows {
  knownYears: number[];
  holidays: string[];
  makeupWorkdays: string[];
  dayNames: Record<string, string>;
}

export async function loadCalendar(db: Kysely<Database>): Promise<CalendarRows> {
  const years = await db.selectFrom('calendar_years').select('year').orderBy('year').execute();
  const days = await db.selectFrom('calendar_days').select(['date', 'kind', 'name']).orderBy('date').execute();
  return {
    knownYears: years.map((y) => y.year),
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.date),
    makeupWorkdays: days.filter((d) => d.kind === 'makeup_workday').map((d) => d.date),
    dayNames: Object.fromEntries(days.filter((d) => d.name).map((d) => [d.date, d.name!])),
  };
}

/** Replaces one year's holidays and make-up days in a single transaction. */
export async function replaceCalendarYear(
  db: Kysely<Database>,
  year: number,
  rows: { date: string; kind: 'holiday' | 'makeup_workday'; name: string | null }[],
  source: 'builtin' | 'admin',
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('calendar_days').where('year', '=', year).execute();
    if (rows.length > 0) {
      await trx
        .insertInto('calendar_days')
        .values(rows.map((r) => ({ date: r.date, year, kind: r.kind, name: r.name, source })))
        .execute();
    }
    await trx
      .insertInto('calendar_years')
      .values({ year, source, updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('year').doUpdateSet({ source, updated_at: new Date().toISOString() }))
      .execute();
  });
}

export async function activePolicy(db: Kysely<Database>): Promise<{ version: number; body: PolicyBody } | undefined> {
  return db.selectFrom('policies').select(['version', 'body']).where('active', '=', true).executeTakeFirst();
}

export async function getPolicy(db: Kysely<Database>, version: number): Promise<{ version: number; body: PolicyBody } | undefined> {
  return db.selectFrom('policies').select(['version', 'body']).where('version', '=', version).executeTakeFirst();
}

/** Makes `body` the active policy as a new version; running proposals keep the version they recorded. */
export async function publishPolicy(db: Kysely<Database>, name: string, body: PolicyBody, createdBy: number | null): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('policies').set({ active: false }).where('active', '=', true).execute();
    const row = await trx
      .insertInto('policies')
      .values({ name, body: JSON.stringify(body), active: true, created_by: createdBy })
      .returning('version')
      .executeTakeFirstOrThrow();
    return row.version;
  });
}
