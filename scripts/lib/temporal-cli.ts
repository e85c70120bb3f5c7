import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

// v1.5.1 is the newest tag `go install` accepts (later tags carry `replace` directives).
const PREFERRED_VERSIONS = ['v1.5.1', 'v1.5.0', 'v1.4.1', 'v1.4.0'];

function cacheRoot(): string {
  return process.env.BANLI_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'banli');
}

function onPath(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
}

function goModHasReplace(version: string): boolean {
  // Ask the module proxy through `go mod download` so we read the go.mod that `go install` would use.
  const out = spawnSync('go', ['mod', 'download', '-json', `github.com/temporalio/cli@${version}`], {
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=mod' },
  });
  if (out.status !== 0) return true;
  const info = JSON.parse(out.stdout) as { GoMod?: string };
  if (!info.GoMod) return true;
  return /^\s*replace\s/m.test(readFileSync(info.GoMod, 'utf8'));
}

/**
 * Returns the path of a Temporal CLI binary, building it once with `go install` when neither
 * TEMPORAL_CLI nor `temporal` on PATH provides one. The build is cached per version outside
 * the repository, so a binary is never committed and later runs start instantly.
 */
export function ensureTemporalCli(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`TEMPORAL_CLI points at ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;

  for (const version of PREFERRED_VERSIONS) {
    const binDir = join(cacheRoot(), 'temporal-cli', version);
    const bin = join(binDir, 'temporal');
    if (existsSync(bin)) return bin;
  }
  if (!onPath('go')) {
    throw new Error('No Temporal CLI: set TEMPORAL_CLI, put `temporal` on PATH, or install Go so it can be built');
  }
  for (const version of PREFERRED_VERSIONS) {
    if (version !== PREFERRED_VERSIONS[0] && goModHasReplace(version)) {
      log(`[temporal-cli] ${version} has a replace directive in go.mod; skipping`);
      continue;
    }
    const binDir = join(cacheRoot(), 'temporal-cli', version);
    mkdirSync(binDir, { recursive: true });
    log(`[temporal-cli] building github.com/temporalio/cli/cmd/temporal@${version} into ${binDir} (first time only, takes minutes)…`);
    const started = Date.now();
    try {
      execFileSync('go', ['install', `github.com/temporalio/cli/cmd/temporal@${version}`], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, CGO_ENABLED: '0', GOBIN: binDir, GOFLAGS: '' },
      });
    } catch (err) {
      log(`[temporal-cli] building ${version} failed: ${(err as Error).message}`);
      continue;
    }
    log(`[temporal-cli] built ${version} in ${Math.round((Date.now() - started) / 1000)} s`);
    return join(binDir, 'temporal');
  }
  throw new Error('Could not build the Temporal CLI from the Go module proxy; set TEMPORAL_CLI to an existing binary');
}
