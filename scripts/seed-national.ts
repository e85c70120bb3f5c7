import { sql } from 'kysely';
import { createDb } from '../db/connection.js';
import { bootstrapDatabase } from '../worker/bootstrap.js';
import { seedNational, sessionCode, type NationalScale } from './bench/statistics-data.js';

// Adds a generated national session to a database, so the committee's dashboard, drill-downs,
// worklists and reports can be seen at national scale beside the demo data (read model and event
// log only: these proposals have no workflows, and their pages say the process is not reachable).
//   DATABASE_URL=postgres://… npx tsx scripts/seed-national.ts
//   SEED_PROPOSALS (default 6,000), SEED_EVENTS (100,000), SEED_SESSIONS (1), SEED_UNITS (165)
// Run once: a database that has the generated sessions already is left as it is.

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    process.stderr.write('DATABASE_URL must be set to a postgres:// URL (npm start prints it)\n');
    process.exit(2);
  }
  const count = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1) {
      process.stderr.write(`${name} must be a positive whole number\n`);
      process.exit(2);
    }
    return value;
  };
  const scale: NationalScale = {
    proposals: count('SEED_PROPOSALS', 6_000),
    events: count('SEED_EVENTS', 100_000),
    sessions: count('SEED_SESSIONS', 1),
    units: count('SEED_UNITS', 165),
  };
  const db = createDb(url, 2, { connectMs: 5_000, statementMs: 600_000, idleInTransactionMs: 600_000 });
  try {
    await bootstrapDatabase(db);
    const seeded = await sql<{ n: string }>`select count(*) as n from sessions where code = ${sessionCode(1)}`.execute(db);
    if (Number(seeded.rows[0]!.n) > 0) {
      process.stdout.write(`${sessionCode(1)} is there already: nothing added\n`);
      return;
    }
    const t = Date.now();
    await seedNational(db, scale);
    process.stdout.write(
      `added ${scale.proposals} proposals in ${scale.sessions} session(s) (${sessionCode(1)}…), ${scale.units} units, ${scale.events} events in ${((Date.now() - t) / 1000).toFixed(1)} s\n` +
        `see them on /committee/dashboard?session=${encodeURIComponent(sessionCode(1))}\n`,
    );
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
