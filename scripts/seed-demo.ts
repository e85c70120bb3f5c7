import { fileURLToPath } from 'node:url';
import { createDb } from '../db/connection.js';
import { bootstrapDatabase } from '../worker/bootstrap.js';
import { DEMO_SESSION, demoUsernames, resolveDemoPassword, seedDemo } from './lib/demo-data.js';

// Seeds the demo session, units, members and logins into DATABASE_URL (idempotent).
//   DATABASE_URL=postgres://… [BANLI_DEMO_PASSWORD=…] npx tsx scripts/seed-demo.ts
// Without BANLI_DEMO_PASSWORD the password stored in .data/demo-password is used (created if missing).

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    process.stderr.write('DATABASE_URL must be set to a postgres:// URL\n');
    process.exit(2);
  }
  const passwordFile = fileURLToPath(new URL('../.data/demo-password', import.meta.url));
  const { password, source } = resolveDemoPassword(passwordFile);
  const db = createDb(url, 2);
  try {
    await bootstrapDatabase(db);
    const result = await seedDemo(db, password);
    process.stdout.write(
      `seeded ${DEMO_SESSION.code}: ${result.sessions} session, ${result.units} units, ${result.proposers} proposers, ${result.users} users inserted (existing rows untouched)\n` +
        `logins: ${demoUsernames().join(', ')}\n` +
        `password: ${source === 'env' ? 'from BANLI_DEMO_PASSWORD' : `${password} (stored in ${passwordFile})`}\n`,
    );
    if (!result.passwordMatches) {
      process.stderr.write('warning: the demo users already exist with a different password; it was not changed\n');
    }
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
