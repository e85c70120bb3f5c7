import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REQUIREMENTS = fileURLToPath(new URL('../schemathesis/requirements.txt', import.meta.url));

function cacheDir(): string {
  return process.env.BANLI_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'banli');
}

/** Where the pinned schemathesis lives once installed (a virtual environment per requirements file). */
export function schemathesisPath(): string {
  const hash = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex').slice(0, 8);
  return join(cacheDir(), `schemathesis-${hash}`, 'bin', 'schemathesis');
}

/**
 * The schemathesis CLI (from PyPI, into its own virtual environment, once), for the fuzz test of
 * the whole HTTP API. A tool around the product, never a part of it.
 */
export function ensureSchemathesis(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  const bin = schemathesisPath();
  if (existsSync(bin)) return bin;
  const venv = join(bin, '..', '..');
  log('[schemathesis] installing from PyPI into its own virtual environment (first time only)…');
  // The CLI is the last thing pip writes: a run that stopped halfway is simply done again.
  execFileSync('python3', ['-m', 'venv', venv], { stdio: ['ignore', 'inherit', 'inherit'] });
  execFileSync(join(venv, 'bin', 'pip'), ['install', '-q', '-r', REQUIREMENTS], { stdio: ['ignore', 'inherit', 'inherit'] });
  return bin;
}
