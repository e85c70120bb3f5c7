import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// Temporal's own server (go.temporal.io/server cmd/server) and its SQL schema tool
// (cmd/tools/sql), built once per version with `go install` from the Go module proxy into
// ~/.cache/banli/temporal-server/<version>/, beside the CLI of scripts/lib/temporal-cli.ts.
// The PostgreSQL schema folders that ship in the module's source are copied there too, so a
// later run needs neither the Go module cache nor the network. Nothing is committed.

const MODULE = 'go.temporal.io/server';
// Newest first. v1.32.x needs Go ≥ 1.26.10: built with GOTOOLCHAIN=go1.27.3, which the module
// proxy serves. TEMPORAL_SERVER_VERSION picks another one.
const PREFERRED_VERSIONS = ['v1.32.2', 'v1.32.1', 'v1.31.5'];
const NEWER_TOOLCHAIN = 'go1.27.3';

export interface TemporalServerBinaries {
  version: string;
  /** `temporal-server` */
  server: string;
  /** `temporal-sql-tool` */
  sqlTool: string;
  /** schema/postgresql/v12 of that version: temporal/ and visibility/, each with versioned/ */
  postgresSchemaDir: string;
}

function cacheRoot(): string {
  return process.env.BANLI_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'banli');
}

function goCommand(): string | undefined {
  for (const candidate of [process.env.GO, 'go', '/usr/local/go/bin/go']) {
    if (!candidate) continue;
    const ran = spawnSync(candidate, ['version'], { encoding: 'utf8' });
    if (ran.status === 0) return candidate;
  }
  return undefined;
}

function binariesIn(version: string): TemporalServerBinaries {
  const dir = join(cacheRoot(), 'temporal-server', version);
  return { version, server: join(dir, 'temporal-server'), sqlTool: join(dir, 'temporal-sql-tool'), postgresSchemaDir: join(dir, 'schema', 'postgresql', 'v12') };
}

function complete(b: TemporalServerBinaries): boolean {
  return existsSync(b.server) && existsSync(b.sqlTool) && existsSync(join(b.postgresSchemaDir, 'temporal', 'versioned'));
}

/** "1.26.10" → [1, 26, 10]; "go1.27.3" too. */
function parseGoVersion(v: string): number[] {
  return v
    .replace(/^go/, '')
    .split(/[^0-9]+/)
    .filter(Boolean)
    .slice(0, 3)
    .map(Number);
}

function older(a: number[], b: number[]): boolean {
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

/**
 * The GOTOOLCHAIN the build needs: the caller's own if set, else the local Go when it is new
 * enough for the module's `go` line, else NEWER_TOOLCHAIN (fetched by the go command itself).
 */
function toolchainFor(go: string, version: string, log: (line: string) => void): string {
  if (process.env.GOTOOLCHAIN && process.env.GOTOOLCHAIN !== 'local') return process.env.GOTOOLCHAIN;
  const local = execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  // `go mod download` reports the go.mod path even when it refuses the version for its `go` line.
  const out = spawnSync(go, ['mod', 'download', '-json', `${MODULE}@${version}`], {
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
  });
  let goMod: string | undefined;
  try {
    goMod = (JSON.parse(out.stdout) as { GoMod?: string }).GoMod;
  } catch {
    goMod = undefined;
  }
  const needs = goMod && existsSync(goMod) ? /^go\s+(\S+)/m.exec(readFileSync(goMod, 'utf8'))?.[1] : undefined;
  if (needs && !older(parseGoVersion(local), parseGoVersion(needs))) return 'local';
  log(`[temporal-server] ${MODULE}@${version} needs Go ${needs ?? '(unknown)'}; local is ${local}: building with GOTOOLCHAIN=${NEWER_TOOLCHAIN}`);
  return NEWER_TOOLCHAIN;
}

/** u+w on a tree copied from the module cache (0555 folders, 0444 files). */
function writable(path: string): void {
  const stat = statSync(path);
  chmodSync(path, stat.mode | 0o200);
  if (stat.isDirectory()) for (const entry of readdirSync(path)) writable(join(path, entry));
}

function build(go: string, version: string, log: (line: string) => void): TemporalServerBinaries {
  const target = binariesIn(version);
  const finalDir = join(cacheRoot(), 'temporal-server', version);
  // Built aside and renamed into place, so an interrupted build never looks complete.
  const staging = `${finalDir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const toolchain = toolchainFor(go, version, log);
  const env = { ...process.env, CGO_ENABLED: '0', GOBIN: staging, GOFLAGS: '-buildvcs=false', GOTOOLCHAIN: toolchain };
  log(`[temporal-server] building ${MODULE} cmd/server and cmd/tools/sql ${version} into ${finalDir} (first time only; about 10 minutes on 2 cores)…`);
  const started = Date.now();
  try {
    execFileSync(go, ['install', `${MODULE}/cmd/server@${version}`, `${MODULE}/cmd/tools/sql@${version}`], { stdio: ['ignore', 'inherit', 'inherit'], env });
    const modCache = execFileSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8', env }).trim();
    const source = join(modCache, `${MODULE}@${version}`);
    const schema = join(staging, 'schema', 'postgresql', 'v12');
    cpSync(join(source, 'schema', 'postgresql', 'v12'), schema, { recursive: true });
    writable(schema); // the module cache is read-only; the copy must not be, or it cannot be deleted
    renameSync(join(staging, 'server'), join(staging, 'temporal-server'));
    renameSync(join(staging, 'sql'), join(staging, 'temporal-sql-tool'));
    writeFileSync(
      join(staging, 'BUILD'),
      `${MODULE}@${version} CGO_ENABLED=0 GOTOOLCHAIN=${toolchain} built ${new Date().toISOString()} in ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
    rmSync(finalDir, { recursive: true, force: true });
    renameSync(staging, finalDir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  log(`[temporal-server] built ${version} in ${Math.round((Date.now() - started) / 1000)} s`);
  return target;
}

/**
 * The Temporal server and SQL tool binaries (and the PostgreSQL schema of that version), built
 * on first use. Tries TEMPORAL_SERVER_VERSION, else the newest version known to build; a cached
 * build of any of them is used as it is.
 */
export function ensureTemporalServer(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): TemporalServerBinaries {
  const versions = process.env.TEMPORAL_SERVER_VERSION ? [process.env.TEMPORAL_SERVER_VERSION] : PREFERRED_VERSIONS;
  for (const version of versions) {
    const cached = binariesIn(version);
    if (complete(cached)) return cached;
  }
  const go = goCommand();
  if (!go)
    throw new Error(
      'No Temporal server build: install Go (or set GO to its binary) so it can be built from the module proxy, or set BANLI_CACHE_DIR to a cache that has one',
    );
  const failures: string[] = [];
  for (const version of versions) {
    try {
      return build(go, version, log);
    } catch (err) {
      const message = (err as Error).message.split('\n')[0] ?? String(err);
      failures.push(`${version}: ${message}`);
      log(`[temporal-server] building ${version} failed: ${message}`);
    }
  }
  throw new Error(`Could not build the Temporal server from the Go module proxy:\n  ${failures.join('\n  ')}`);
}

// `npx tsx scripts/lib/temporal-server.ts` builds (or finds) it and prints where.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const b = ensureTemporalServer();
  process.stdout.write(`${JSON.stringify(b, null, 2)}\n`);
}
