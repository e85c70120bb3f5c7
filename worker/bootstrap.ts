import { sql, type Kysely } from 'kysely';
import { builtinCalendar, calendarYearRows } from '../activities/deadlines/builtin-calendar.js';
import { DEFAULT_POLICY } from '../activities/policy/default-policy.js';
import { migrateToLatest } from '../db/migrate.js';
import { backfillSearchIndex } from '../activities/search/backfill.js';
import { activePolicy, publishPolicy, replaceCalendarYear } from '../db/repositories/reference.js';
import type { Database } from '../db/schema.js';

/**
 * Brings a database to the current schema and makes sure reference data exists: the built-in
 * holiday calendar years that are not loaded yet (an administrator's edits are never overwritten)
 * and a default policy when none is active.
 */
export async function bootstrapDatabase(db: Kysely<Database>): Promise<{ migrations: string[]; loadedYears: number[]; policyVersion: number }> {
  // Several workers may start at once on an empty database: one bootstraps, the others wait.
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${BOOTSTRAP_LOCK})`.execute(conn);
    try {
      return await bootstrapLocked(conn);
    } finally {
      await sql`select pg_advisory_unlock(${BOOTSTRAP_LOCK})`.execute(conn);
    }
  });
}

const BOOTSTRAP_LOCK = 7_263_001;

async function bootstrapLocked(db: Kysely<Database>): Promise<{ migrations: string[]; loadedYears: number[]; policyVersion: number }> {
  const migrations = await migrateToLatest(db);
  await backfillSearchIndex(db);
  const builtin = builtinCalendar();
  const present = new Set((await db.selectFrom('calendar_years').select('year').execute()).map((r) => r.year));
  const loadedYears: number[] = [];
  for (const year of builtin.knownYears) {
    if (present.has(year)) continue;
    await replaceCalendarYear(db, year, calendarYearRows(builtin, year), 'builtin');
    loadedYears.push(year);
  }
  const policy = await activePolicy(db);
  const policyVersion = policy?.version ?? (await publishPolicy(db, DEFAULT_POLICY.name, DEFAULT_POLICY, null));
  return { migrations, loadedYears, policyVersion };
}
