import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { createDb } from '../../db/connection.js';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { bootstrapDatabase } from '../../worker/bootstrap.js';
import { suggestionSection } from './suggestion.js';

// The unit-suggestion evaluation alone, on a throwaway embedded PostgreSQL (or DATABASE_URL):
// `npx tsx scripts/bench/suggestion-run.ts`. `npm run bench` runs the same scenario in its report.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function main(): Promise<void> {
  let stop = async () => {};
  let url = process.env.DATABASE_URL;
  if (!url) {
    const scratch = mkdtempSync(join(tmpdir(), 'banli-suggest-'));
    chmodSync(scratch, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), port: await freePort(), database: 'banli', throwaway: true });
    url = pg.url;
    stop = () => pg.stop();
  }
  const db = createDb(url);
  try {
    await bootstrapDatabase(db);
    process.stdout.write(`${(await suggestionSection(db)).md}\n`);
  } finally {
    await db.destroy();
    await stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
