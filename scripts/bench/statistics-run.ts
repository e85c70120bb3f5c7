import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDb } from '../../db/connection.js';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { bootstrapDatabase } from '../../worker/bootstrap.js';
import { freePort } from '../lib/free-port.js';
import { markdown, writeResults } from './report.js';
import { measureStatistics } from './statistics.js';
import { NATIONAL, seedNational } from './statistics-data.js';

// npx tsx scripts/bench/statistics-run.ts: a fresh embedded PostgreSQL, the schema, a national
// session generated in SQL, then the dashboard's reads timed (BENCH_STAT_PROPOSALS,
// BENCH_STAT_EVENTS to scale). Never part of `npm test`.

async function main(): Promise<void> {
  const scale = {
    ...NATIONAL,
    proposals: Number(process.env.BENCH_STAT_PROPOSALS ?? NATIONAL.proposals),
    events: Number(process.env.BENCH_STAT_EVENTS ?? NATIONAL.events),
  };
  const scratch = mkdtempSync(join(tmpdir(), 'banli-stat-bench-'));
  chmodSync(scratch, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), port: await freePort(), database: 'banli', throwaway: true, log: () => undefined });
  const db = createDb(pg.url, 10, { connectMs: 5_000, statementMs: 600_000, idleInTransactionMs: 600_000 });
  try {
    await bootstrapDatabase(db);
    const t = performance.now();
    await seedNational(db, scale);
    const seeded = ((performance.now() - t) / 1000).toFixed(1);
    const rows = await measureStatistics(db);
    const header = `Statistics bench: ${scale.proposals} proposals, ${scale.events} events, ${scale.sessions} sessions, ${scale.units} units (seeded in ${seeded} s)`;
    console.log(markdown(rows, header));
    console.log(`\nwritten to ${writeResults(rows, { scale }, header)}`);
  } finally {
    await db.destroy();
    await pg.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
